#include "luts/text_lines.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace calkit {
namespace {

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

}  // namespace

std::vector<TextLine> read_text_lines(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), 0, "", "cannot open file");
  std::vector<TextLine> lines;
  std::string raw;
  int number = 0;
  while (std::getline(in, raw)) {
    ++number;
    if (raw.find('\0') != std::string::npos)
      throw InputError(path.string(), number, "", "binary data in a text LUT file");
    TextLine line;
    line.number = number;
    line.text = trim(raw);
    std::string data = raw;
    if (size_t hash = raw.find('#'); hash != std::string::npos) {
      line.comment = trim(raw.substr(hash + 1));
      data = raw.substr(0, hash);
    }
    std::istringstream words(data);
    for (std::string w; words >> w;) line.words.push_back(w);
    lines.push_back(std::move(line));
  }
  return lines;
}

double parse_number(const std::string& word, const std::string& file, int line, const std::string& field) {
  const char* begin = word.c_str();
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(begin, &end);
  if (end == begin || *end != '\0')
    throw InputError(file, line, field, "expected a number, got '" + word + "'");
  if (!std::isfinite(v) || errno == ERANGE)
    throw InputError(file, line, field, "number out of range or not finite: '" + word + "'");
  return v;
}

long parse_integer(const std::string& word, const std::string& file, int line, const std::string& field) {
  const char* begin = word.c_str();
  char* end = nullptr;
  errno = 0;
  long v = std::strtol(begin, &end, 10);
  if (end == begin || *end != '\0' || errno == ERANGE)
    throw InputError(file, line, field, "expected an integer, got '" + word + "'");
  return v;
}

std::string metadata_comment(const std::string& key, const std::string& value) {
  std::string flat = value;
  for (char& c : flat)
    if (c == '\n' || c == '\r') c = ' ';
  return "# calkit: " + key + " = " + flat + "\n";
}

bool parse_metadata_comment(const std::string& comment, std::string& key, std::string& value) {
  const std::string tag = "calkit:";
  if (comment.rfind(tag, 0) != 0) return false;
  std::string rest = comment.substr(tag.size());
  size_t eq = rest.find('=');
  if (eq == std::string::npos) return false;
  key = trim(rest.substr(0, eq));
  value = trim(rest.substr(eq + 1));
  return !key.empty();
}

void write_text_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw InputError(path.string(), 0, "", "cannot create file");
  out << text;
  if (!out) throw InputError(path.string(), 0, "", "write failed");
}

}  // namespace calkit
