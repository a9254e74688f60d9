#pragma once
// Internal: line-oriented reading shared by the text LUT formats (.cube, .3dl, .ocio). Every parse
// failure becomes an InputError naming the file, the line and the field.
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace calkit {

// One line; the views point into the file's text and live until the visitor returns.
struct TextLine {
  int number = 0;                       // 1-based line number in the file
  std::vector<std::string_view> words;  // whitespace-split, comment part removed
  std::string_view comment;             // text after '#', trimmed ("" when none)
  std::string_view text;                // the whole line, trimmed
};

// Calls `visit` for every line of a text file (CR LF tolerated) until it returns false. The file
// is read through read_file_text (a regular file, size-capped, UTF-8); one TextLine is reused, so
// nothing per line is kept: a 128³ .cube needs little more memory than its text and its table.
// InputError for a NUL byte (a binary file given to a text reader).
void for_each_text_line(const std::filesystem::path& path, const std::function<bool(const TextLine&)>& visit);

// One finite number ('+' allowed): true and `out` set, or false.
bool to_finite_number(std::string_view word, double& out);
// Parses one finite number; InputError(file, line, field) otherwise.
double parse_number(std::string_view word, const std::string& file, int line, const std::string& field);
long parse_integer(std::string_view word, const std::string& file, int line, const std::string& field);

// Metadata comments shared by .cube and .3dl: "# calkit: key = value".
std::string metadata_comment(const std::string& key, const std::string& value);
// Returns true and fills key/value when the comment is one of ours.
bool parse_metadata_comment(std::string_view comment, std::string& key, std::string& value);

}  // namespace calkit
