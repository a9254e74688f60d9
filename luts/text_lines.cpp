#include "luts/text_lines.hpp"

#include <charconv>
#include <cmath>

#include "core/error.hpp"
#include "core/files.hpp"

namespace calkit {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

void split_words(std::string_view data, std::vector<std::string_view>& words) {
  words.clear();
  std::size_t i = 0;
  while (i < data.size()) {
    while (i < data.size() && is_space(data[i])) ++i;
    std::size_t start = i;
    while (i < data.size() && !is_space(data[i])) ++i;
    if (i > start) words.push_back(data.substr(start, i - start));
  }
}

}  // namespace

void for_each_text_line(const std::filesystem::path& path, const std::function<bool(const TextLine&)>& visit) {
  const std::string text = read_file_text(path);
  const std::string file = path.string();
  TextLine line;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view raw(text.data() + pos, end - pos);
    pos = end + 1;
    ++line.number;
    if (raw.find('\0') != std::string_view::npos)
      throw InputError(file, line.number, "", "binary data in a text LUT file");
    line.text = trim(raw);
    std::string_view data = raw;
    line.comment = {};
    if (std::size_t hash = raw.find('#'); hash != std::string_view::npos) {
      line.comment = trim(raw.substr(hash + 1));
      data = raw.substr(0, hash);
    }
    split_words(data, line.words);
    if (!visit(line)) return;
  }
}

bool to_finite_number(std::string_view word, double& out) {
  if (!word.empty() && word.front() == '+') word.remove_prefix(1);
  auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), out);
  return !word.empty() && ec == std::errc() && end == word.data() + word.size() && std::isfinite(out);
}

double parse_number(std::string_view word, const std::string& file, int line, const std::string& field) {
  std::string_view digits = word;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  double v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (digits.empty() || (ec != std::errc() && ec != std::errc::result_out_of_range) ||
      end != digits.data() + digits.size())
    throw InputError(file, line, field, "expected a number, got '" + std::string(word) + "'");
  if (ec == std::errc::result_out_of_range || !std::isfinite(v))
    throw InputError(file, line, field, "number out of range or not finite: '" + std::string(word) + "'");
  return v;
}

long parse_integer(std::string_view word, const std::string& file, int line, const std::string& field) {
  std::string_view digits = word;
  if (!digits.empty() && digits.front() == '+') digits.remove_prefix(1);
  long v = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size())
    throw InputError(file, line, field, "expected an integer, got '" + std::string(word) + "'");
  return v;
}

std::string metadata_comment(const std::string& key, const std::string& value) {
  std::string flat = value;
  for (char& c : flat)
    if (c == '\n' || c == '\r') c = ' ';
  return "# calkit: " + key + " = " + flat + "\n";
}

bool parse_metadata_comment(std::string_view comment, std::string& key, std::string& value) {
  constexpr std::string_view tag = "calkit:";
  if (comment.substr(0, tag.size()) != tag) return false;
  std::string_view rest = comment.substr(tag.size());
  std::size_t eq = rest.find('=');
  if (eq == std::string_view::npos) return false;
  key = std::string(trim(rest.substr(0, eq)));
  value = std::string(trim(rest.substr(eq + 1)));
  return !key.empty();
}

}  // namespace calkit
