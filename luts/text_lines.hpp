#pragma once
// Internal: line-oriented reading shared by the text LUT formats (.cube, .3dl). Every parse
// failure becomes an InputError naming the file, the line and the field.
#include <filesystem>
#include <string>
#include <vector>

namespace calkit {

struct TextLine {
  int number;                        // 1-based line number in the file
  std::vector<std::string> words;    // whitespace-split, comment part removed
  std::string comment;               // text after '#', trimmed ("" when none)
  std::string text;                  // the whole line, trimmed
};

// All lines of a text file (CR LF tolerated). Throws InputError when the file cannot be opened
// or holds a NUL byte (a binary file given to a text reader).
std::vector<TextLine> read_text_lines(const std::filesystem::path& path);

// Parses one finite number; InputError(file, line, field) otherwise.
double parse_number(const std::string& word, const std::string& file, int line, const std::string& field);
long parse_integer(const std::string& word, const std::string& file, int line, const std::string& field);

// Metadata comments shared by .cube and .3dl: "# calkit: key = value".
std::string metadata_comment(const std::string& key, const std::string& value);
// Returns true and fills key/value when the comment is one of ours.
bool parse_metadata_comment(const std::string& comment, std::string& key, std::string& value);

// Opens a file for writing; InputError naming the file when it cannot be created.
void write_text_file(const std::filesystem::path& path, const std::string& text);

}  // namespace calkit
