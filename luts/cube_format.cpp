// Resolve / IRIDAS .cube (Adobe "Cube LUT Specification 1.0", 2013; Resolve's
// LUT_xD_INPUT_RANGE variant). 3D tables are stored red index fastest. calkit metadata travels
// in comments "# calkit: key = value", which other readers ignore.
#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/files.hpp"
#include "luts/apply.hpp"
#include "luts/lut_format.hpp"
#include "luts/text_lines.hpp"

namespace calkit {
namespace {

struct CubeFile {
  std::string title;
  std::map<std::string, std::string> metadata;
  int size_1d = 0;
  int size_3d = 0;
  int size_line = 0;  // line of the LUT_xD_SIZE keyword
  Vec3 domain_min = Vec3::Zero();
  Vec3 domain_max = Vec3::Ones();
  std::vector<Vec3> rows;
  int last_line = 0;
};

Vec3 parse_triplet(const TextLine& line, size_t first, const std::string& file, const std::string& field) {
  if (line.words.size() != first + 3)
    throw InputError(file, line.number, field, "expected 3 numbers, got " + std::to_string(line.words.size() - first));
  Vec3 v;
  for (int i = 0; i < 3; ++i) v[i] = parse_number(line.words[first + i], file, line.number, field);
  return v;
}

// A table row; the field name is made only for the error.
Vec3 parse_row(const TextLine& line, size_t row, const std::string& file) {
  Vec3 v;
  if (line.words.size() == 3 && to_finite_number(line.words[0], v[0]) && to_finite_number(line.words[1], v[1]) &&
      to_finite_number(line.words[2], v[2]))
    return v;
  return parse_triplet(line, 0, file, fmt::format("row {}", row));
}

std::string unquote(std::string_view text, std::string_view keyword) {
  std::string_view rest = text.substr(keyword.size());
  size_t a = rest.find('"');
  size_t b = rest.rfind('"');
  if (a != std::string_view::npos && b > a) return std::string(rest.substr(a + 1, b - a - 1));
  size_t s = rest.find_first_not_of(" \t");
  return s == std::string_view::npos ? "" : std::string(rest.substr(s));
}

int parse_size(const TextLine& line, const std::string& file, int max) {
  const std::string keyword(line.words[0]);
  if (line.words.size() != 2) throw InputError(file, line.number, keyword, "expected one size");
  long n = parse_integer(line.words[1], file, line.number, keyword);
  if (n < 2 || n > max) throw InputError(file, line.number, keyword, fmt::format("size {} outside 2..{}", n, max));
  return int(n);
}

// A table row, not a keyword ("nan" and "inf" parse as numbers: they are bad table values).
bool is_keyword(std::string_view w) {
  double ignored = 0;
  auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), ignored);
  return end != w.data() + w.size() && (std::isalpha(static_cast<unsigned char>(w[0])) || w[0] == '_');
}

// The header lines; with `table`, also the rows (reserved up front: no regrowth for a 256³ file).
CubeFile parse_cube(const std::filesystem::path& path, bool table = true) {
  const std::string file = path.string();
  CubeFile cube;
  for_each_text_line(path, [&](const TextLine& line) {
    std::string key, value;
    if (parse_metadata_comment(line.comment, key, value)) cube.metadata[key] = value;
    if (line.words.empty()) return true;
    const std::string_view w = line.words[0];
    if (!is_keyword(w)) {
      if (cube.size_1d == 0 && cube.size_3d == 0)
        throw InputError(file, line.number, "LUT_3D_SIZE", "table data before LUT_3D_SIZE or LUT_1D_SIZE");
      if (!table) return false;
      if (cube.rows.empty())
        cube.rows.reserve(cube.size_3d ? size_t(cube.size_3d) * cube.size_3d * cube.size_3d : size_t(cube.size_1d));
      cube.rows.push_back(parse_row(line, cube.rows.size() + 1, file));
      cube.last_line = line.number;
      return true;
    }
    const std::string keyword(w);
    if (!cube.rows.empty()) throw InputError(file, line.number, keyword, "keyword after the table data");
    if (w == "TITLE") {
      cube.title = unquote(line.text, "TITLE");
    } else if (w == "LUT_3D_SIZE") {
      cube.size_3d = parse_size(line, file, 256);
      cube.size_line = line.number;
    } else if (w == "LUT_1D_SIZE") {
      cube.size_1d = parse_size(line, file, 65536);
      cube.size_line = line.number;
    } else if (w == "DOMAIN_MIN") {
      cube.domain_min = parse_triplet(line, 1, file, keyword);
    } else if (w == "DOMAIN_MAX") {
      cube.domain_max = parse_triplet(line, 1, file, keyword);
    } else if (w == "LUT_1D_INPUT_RANGE" || w == "LUT_3D_INPUT_RANGE") {
      if (line.words.size() != 3) throw InputError(file, line.number, keyword, "expected min and max");
      cube.domain_min = Vec3::Constant(parse_number(line.words[1], file, line.number, keyword));
      cube.domain_max = Vec3::Constant(parse_number(line.words[2], file, line.number, keyword));
    } else {
      throw InputError(file, line.number, keyword, "unknown keyword");
    }
    return true;
  });
  if (cube.size_1d && cube.size_3d)
    throw InputError(file, cube.size_line, "LUT_1D_SIZE",
                     "a .cube with both a 1D shaper and a 3D table is not supported");
  if (!cube.size_1d && !cube.size_3d) throw InputError(file, 0, "LUT_3D_SIZE", "missing LUT_3D_SIZE or LUT_1D_SIZE");
  if (!table) return cube;
  for (int i = 0; i < 3; ++i)
    if (!(cube.domain_max[i] > cube.domain_min[i]))
      throw InputError(file, cube.size_line, "DOMAIN_MAX", "domain max must be above domain min");
  size_t want = cube.size_3d ? size_t(cube.size_3d) * cube.size_3d * cube.size_3d : size_t(cube.size_1d);
  if (cube.rows.size() != want)
    throw InputError(file, cube.rows.empty() ? cube.size_line : cube.last_line,
                     cube.size_3d ? "LUT_3D_SIZE" : "LUT_1D_SIZE",
                     fmt::format("expected {} table rows, found {}", want, cube.rows.size()));
  return cube;
}

Lut3d read_cube_3d(const std::filesystem::path& path) {
  CubeFile cube = parse_cube(path);
  if (!cube.size_3d)
    throw InputError(path.string(), cube.size_line, "LUT_3D_SIZE", "file holds a 1D LUT, not a 3D LUT");
  Lut3d lut;
  lut.size = cube.size_3d;
  lut.table = std::move(cube.rows);  // both red-fastest
  take_header(lut, cube);
  return lut;
}

Lut1d read_cube_1d(const std::filesystem::path& path) {
  CubeFile cube = parse_cube(path);
  if (!cube.size_1d)
    throw InputError(path.string(), cube.size_line, "LUT_1D_SIZE", "file holds a 3D LUT, not a 1D LUT");
  Lut1d lut;
  lut.table = std::move(cube.rows);
  take_header(lut, cube);
  return lut;
}

std::string cube_header(const std::string& title, const std::map<std::string, std::string>& metadata) {
  std::string out = "# Written by calkit\n";
  for (const auto& [k, v] : metadata) out += metadata_comment(k, v);
  std::string safe = title;
  for (char& c : safe)
    if (c == '"' || c == '\n' || c == '\r') c = '\'';
  if (!safe.empty()) out += "TITLE \"" + safe + "\"\n";
  return out;
}

std::string triplet(const Vec3& v) { return fmt::format("{:.9g} {:.9g} {:.9g}\n", v[0], v[1], v[2]); }

void write_cube_3d(const std::filesystem::path& path, const Lut3d& lut, const LutWriteOptions&) {
  check_lut3d(lut, path.string());
  std::string out = cube_header(lut.title, lut.metadata);
  out += fmt::format("LUT_3D_SIZE {}\n", lut.size);
  out += "DOMAIN_MIN " + triplet(lut.domain_min);
  out += "DOMAIN_MAX " + triplet(lut.domain_max);
  for (const Vec3& v : lut.table) out += triplet(v);
  write_file_atomically(path, out);
}

void write_cube_1d(const std::filesystem::path& path, const Lut1d& lut, const LutWriteOptions&) {
  check_lut1d(lut, path.string());
  std::string out = cube_header(lut.title, lut.metadata);
  out += fmt::format("LUT_1D_SIZE {}\n", lut.table.size());
  out += "DOMAIN_MIN " + triplet(lut.domain_min);
  out += "DOMAIN_MAX " + triplet(lut.domain_max);
  for (const Vec3& v : lut.table) out += triplet(v);
  write_file_atomically(path, out);
}

}  // namespace

LutFormat cube_format() {
  return {
      "cube",        {".cube"},     "Resolve/IRIDAS cube (text)",
      "red fastest", read_cube_3d,  write_cube_3d,
      read_cube_1d,  write_cube_1d, [](const std::filesystem::path& p) { return parse_cube(p, false).size_3d != 0; }};
}

}  // namespace calkit
