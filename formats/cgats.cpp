#include "formats/cgats.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <set>

#include "core/error.hpp"
#include "core/files.hpp"

namespace calkit {
namespace {

struct Token {
  std::string text;
  int line = 0;
  bool quoted = false;
};

// Splits CGATS text into tokens: whitespace separated, "double quoted" strings kept whole,
// '#' starts a comment to the end of the line.
std::vector<Token> tokenize(std::string_view text, const std::string& name) {
  std::vector<Token> tokens;
  int line = 1;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '\n') {
      ++line;
      ++i;
    } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
    } else if (c == '#') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (c == '"') {
      size_t end = text.find('"', i + 1);
      size_t eol = text.find('\n', i + 1);
      if (end == std::string_view::npos || (eol != std::string_view::npos && eol < end))
        throw InputError(name, line, "", "unterminated quoted string");
      tokens.push_back({std::string(text.substr(i + 1, end - i - 1)), line, true});
      i = end + 1;
    } else {
      size_t start = i;
      while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i])) && text[i] != '"') ++i;
      tokens.push_back({std::string(text.substr(start, i - start)), line, false});
    }
  }
  return tokens;
}

bool is_reserved(const std::string& word) {
  static const std::set<std::string> reserved = {"KEYWORD",         "NUMBER_OF_FIELDS", "BEGIN_DATA_FORMAT",
                                                 "END_DATA_FORMAT", "NUMBER_OF_SETS",   "BEGIN_DATA",
                                                 "END_DATA"};
  return reserved.count(word) > 0;
}

// Keywords of CGATS.17 and the ones ArgyllCMS knows without a KEYWORD declaration.
bool is_standard_keyword(const std::string& key) {
  static const std::set<std::string> standard = {
      "ORIGINATOR", "DESCRIPTOR", "CREATED",         "MANUFACTURER",       "MANUFACTURE",      "PROD_DATE",
      "SERIAL",     "MATERIAL",   "INSTRUMENTATION", "MEASUREMENT_SOURCE", "PRINT_CONDITIONS", "SAMPLE_BACKING"};
  return standard.count(key) > 0;
}

class Parser {
 public:
  Parser(std::string_view text, std::string name) : name_(std::move(name)) { tokens_ = tokenize(text, name_); }

  CgatsFile parse() {
    CgatsFile file;
    file.name = name_;
    std::string file_type;
    while (pos_ < tokens_.size()) {
      const Token& first = tokens_[pos_];
      if (!first.quoted && !is_reserved(first.text) && alone_on_line(pos_)) {
        file_type = first.text;
        ++pos_;
      } else if (file.tables.empty()) {
        throw InputError(name_, first.line, "", "missing file type line (e.g. CTI3) at the start");
      }
      if (pos_ >= tokens_.size()) throw InputError(name_, first.line, "", "file ends after the file type line");
      file.tables.push_back(parse_table(file_type, first.line));
    }
    if (file.tables.empty()) throw InputError(name_, 0, "", "empty CGATS file");
    return file;
  }

 private:
  bool alone_on_line(size_t i) const {
    bool before = i > 0 && tokens_[i - 1].line == tokens_[i].line;
    bool after = i + 1 < tokens_.size() && tokens_[i + 1].line == tokens_[i].line;
    return !before && !after;
  }

  // The token after `key` on the same line, which must end the line.
  const Token& value_of(const Token& key) {
    if (pos_ >= tokens_.size() || tokens_[pos_].line != key.line)
      throw InputError(name_, key.line, key.text, "keyword has no value");
    const Token& value = tokens_[pos_++];
    if (pos_ < tokens_.size() && tokens_[pos_].line == key.line)
      throw InputError(name_, key.line, key.text, "more than one value after the keyword");
    return value;
  }

  long count_of(const Token& key) {
    const Token& value = value_of(key);
    long n = -1;
    auto [end, ec] = std::from_chars(value.text.data(), value.text.data() + value.text.size(), n);
    if (ec != std::errc() || end != value.text.data() + value.text.size() || n < 0 || n > 100000000)
      throw InputError(name_, key.line, key.text, "'" + value.text + "' is not a count");
    return n;
  }

  CgatsTable parse_table(const std::string& file_type, int line) {
    CgatsTable table;
    table.file_type = file_type;
    table.line = line;
    long fields_declared = -1;
    int fields_line = 0;
    long sets_declared = -1;
    int sets_line = 0;
    while (pos_ < tokens_.size()) {
      const Token& t = tokens_[pos_++];
      if (t.quoted) throw InputError(name_, t.line, "", "unexpected quoted string \"" + t.text + "\"");
      if (t.text == "KEYWORD") {
        value_of(t);  // a declaration only: any keyword is accepted
      } else if (t.text == "NUMBER_OF_FIELDS") {
        fields_declared = count_of(t);
        fields_line = t.line;
      } else if (t.text == "BEGIN_DATA_FORMAT") {
        parse_format(table, t);
        if (fields_declared >= 0 && static_cast<long>(table.fields.size()) != fields_declared)
          throw InputError(name_, fields_line, "NUMBER_OF_FIELDS",
                           "declares " + std::to_string(fields_declared) + " fields but " +
                               std::to_string(table.fields.size()) + " are listed");
      } else if (t.text == "NUMBER_OF_SETS") {
        sets_declared = count_of(t);
        sets_line = t.line;
      } else if (t.text == "BEGIN_DATA") {
        parse_data(table, t);
        if (sets_declared >= 0 && static_cast<long>(table.rows.size()) != sets_declared)
          throw InputError(name_, sets_line, "NUMBER_OF_SETS",
                           "declares " + std::to_string(sets_declared) + " sets but the data has " +
                               std::to_string(table.rows.size()));
        return table;
      } else if (t.text == "END_DATA_FORMAT" || t.text == "END_DATA") {
        throw InputError(name_, t.line, t.text, "without its BEGIN");
      } else {
        const Token& value = value_of(t);
        if (table.keyword(t.text)) throw InputError(name_, t.line, t.text, "keyword given twice");
        table.keywords.emplace_back(t.text, value.text);
        table.keyword_lines.push_back(t.line);
      }
    }
    throw InputError(name_, tokens_.back().line, "BEGIN_DATA", "file ends before the data");
  }

  void parse_format(CgatsTable& table, const Token& begin) {
    while (pos_ < tokens_.size()) {
      const Token& t = tokens_[pos_++];
      if (!t.quoted && t.text == "END_DATA_FORMAT") {
        if (table.fields.empty()) throw InputError(name_, t.line, "BEGIN_DATA_FORMAT", "no fields listed");
        return;
      }
      if (t.quoted || is_reserved(t.text))
        throw InputError(name_, t.line, "BEGIN_DATA_FORMAT", "bad field name '" + t.text + "'");
      if (table.field_index(t.text) >= 0) throw InputError(name_, t.line, t.text, "field listed twice");
      table.fields.push_back(t.text);
    }
    throw InputError(name_, begin.line, "END_DATA_FORMAT", "missing");
  }

  void parse_data(CgatsTable& table, const Token& begin) {
    if (table.fields.empty()) throw InputError(name_, begin.line, "BEGIN_DATA_FORMAT", "data before the field list");
    std::vector<std::string> row;
    while (pos_ < tokens_.size()) {
      const Token& t = tokens_[pos_++];
      if (!t.quoted && t.text == "END_DATA") {
        if (!row.empty())
          throw InputError(
              name_, table.row_lines.back(), table.fields[row.size()],
              "row has " + std::to_string(row.size()) + " values, expected " + std::to_string(table.fields.size()));
        return;
      }
      if (!t.quoted && is_reserved(t.text)) throw InputError(name_, t.line, "END_DATA", "missing before " + t.text);
      if (row.empty()) table.row_lines.push_back(t.line);
      row.push_back(t.text);
      if (row.size() == table.fields.size()) {
        table.rows.push_back(std::move(row));
        row.clear();
      }
    }
    throw InputError(name_, begin.line, "END_DATA", "missing");
  }

  std::string name_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
};

bool is_bare_token(const std::string& s) {
  if (s.empty() || s[0] == '#') return false;
  for (char c : s)
    if (std::isspace(static_cast<unsigned char>(c)) || c == '"') return false;
  return true;
}

// CGATS has no escape for '"' or line breaks inside a string.
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) out += (c == '"') ? '\'' : (c == '\n' || c == '\r') ? ' ' : c;
  return out + "\"";
}

}  // namespace

const std::string* CgatsTable::keyword(std::string_view key) const {
  for (const auto& [k, v] : keywords)
    if (k == key) return &v;
  return nullptr;
}

void CgatsTable::set_keyword(const std::string& key, const std::string& value) {
  for (auto& [k, v] : keywords)
    if (k == key) {
      v = value;
      return;
    }
  keywords.emplace_back(key, value);
}

int CgatsTable::keyword_line(std::string_view key) const {
  for (size_t i = 0; i < keywords.size() && i < keyword_lines.size(); ++i)
    if (keywords[i].first == key) return keyword_lines[i];
  return line;
}

int CgatsTable::field_index(std::string_view name) const {
  for (size_t i = 0; i < fields.size(); ++i)
    if (fields[i] == name) return static_cast<int>(i);
  return -1;
}

CgatsFile parse_cgats(std::string_view text, const std::string& name) { return Parser(text, name).parse(); }

CgatsFile read_cgats(const std::filesystem::path& path) { return parse_cgats(read_file_text(path), path.string()); }

std::string format_cgats(const CgatsFile& file) {
  std::string out;
  for (size_t t = 0; t < file.tables.size(); ++t) {
    const CgatsTable& table = file.tables[t];
    if (t > 0) out += "\n";
    std::string type = table.file_type.empty() ? "CGATS.17" : table.file_type;
    if (type.size() < 7) type.resize(7, ' ');  // Argyll pads the identifier to 7 characters
    out += type + "\n\n";
    for (const auto& [key, value] : table.keywords) {
      if (!is_bare_token(key) || is_reserved(key))
        throw InputError(file.name, 0, key, "not a valid CGATS keyword name");
      if (!is_standard_keyword(key)) out += "KEYWORD " + quoted(key) + "\n";
      out += key + " " + quoted(value) + "\n";
    }
    out += "\nNUMBER_OF_FIELDS " + std::to_string(table.fields.size()) + "\nBEGIN_DATA_FORMAT\n";
    for (const std::string& f : table.fields) {
      if (!is_bare_token(f) || is_reserved(f)) throw InputError(file.name, 0, f, "not a valid CGATS field name");
      out += f + " ";
    }
    out += "\nEND_DATA_FORMAT\n\nNUMBER_OF_SETS " + std::to_string(table.rows.size()) + "\nBEGIN_DATA\n";
    for (const auto& row : table.rows) {
      if (row.size() != table.fields.size())
        throw InputError(file.name, 0, "", "row size does not match the field count");
      for (const std::string& v : row) out += (is_bare_token(v) ? v : quoted(v)) + " ";
      out += "\n";
    }
    out += "END_DATA\n";
  }
  return out;
}

const CgatsTable& cgats_table(const CgatsFile& file, std::string_view file_type) {
  for (const CgatsTable& t : file.tables)
    if (t.file_type == file_type) return t;
  int line = file.tables.empty() ? 0 : file.tables.front().line;
  throw InputError(file.name, line, "",
                   "not a " + std::string(file_type) + " file (no " + std::string(file_type) + " table)");
}

int cgats_require_field(const CgatsFile& file, const CgatsTable& table, std::string_view name) {
  int i = table.field_index(name);
  if (i < 0) throw InputError(file.name, table.line, std::string(name), "missing from BEGIN_DATA_FORMAT");
  return i;
}

const std::string& cgats_require_keyword(const CgatsFile& file, const CgatsTable& table, std::string_view key) {
  const std::string* v = table.keyword(key);
  if (!v) throw InputError(file.name, table.line, std::string(key), "missing keyword");
  return *v;
}

namespace {
bool parse_double(const std::string& text, double& out) {
  const char* b = text.data();
  const char* e = b + text.size();
  if (b != e && *b == '+') ++b;
  auto [end, ec] = std::from_chars(b, e, out);
  return ec == std::errc() && end == e && b != e && std::isfinite(out);
}
}  // namespace

double cgats_number(const CgatsFile& file, const CgatsTable& table, size_t row, int field) {
  const std::string& text = table.rows.at(row).at(static_cast<size_t>(field));
  double v = 0;
  int line = row < table.row_lines.size() ? table.row_lines[row] : 0;
  if (!parse_double(text, v))
    throw InputError(file.name, line, table.fields[static_cast<size_t>(field)],
                     "'" + text + "' is not a finite number");
  return v;
}

double cgats_keyword_number(const CgatsFile& file, const CgatsTable& table, std::string_view key) {
  const std::string& text = cgats_require_keyword(file, table, key);
  double v = 0;
  if (!parse_double(text, v))
    throw InputError(file.name, table.keyword_line(key), std::string(key), "'" + text + "' is not a finite number");
  return v;
}

std::string cgats_format_real(double value) {
  std::string s = cgats_format_number(value);
  if (s.find_first_of(".eE") == std::string::npos) s += ".0";
  return s;
}

std::string cgats_format_number(double value) {
  if (value == 0) return "0";  // also turns -0 into 0
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, end);
}

}  // namespace calkit
