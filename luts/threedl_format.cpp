// Autodesk .3dl (Flame / Lustre). Facts from OpenColorIO's reader and writer: an optional
// "3DMESH" / "Mesh <inBits> <outBits>" header (Lustre), one line of N integers (the input
// shaper: the mesh node positions, 10-bit here), then N³ lines of integer R G B, blue index
// fastest. Without a Mesh line the output bit depth is inferred from the largest value (as OCIO
// does: max ≤ 511 → 8-bit, ≤ 2047 → 10, ≤ 8191 → 12, else 16). The domain is always 0..1.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/files.hpp"
#include "luts/apply.hpp"
#include "luts/lut_format.hpp"
#include "luts/text_lines.hpp"
#include "luts/threedl_format.hpp"

namespace calkit {
namespace {

int likely_bit_depth(long max_value) {
  for (int bits = 8; bits <= 16; bits += 2)
    if (max_value <= (1L << bits) * 2 - 1) return bits == 14 ? 16 : bits;
  return 16;
}

Lut3d read_3dl(const std::filesystem::path& path) {
  const std::string file = path.string();
  std::vector<long> shaper;
  std::vector<long> values;
  int out_bits = 0;
  int shaper_line = 0, last_line = 0;
  Lut3d lut;
  for_each_text_line(path, [&](const TextLine& line) {
    std::string key, value;
    if (parse_metadata_comment(line.comment, key, value)) {
      if (key == "title")
        lut.title = value;
      else
        lut.metadata[key] = value;
    }
    if (line.words.empty()) return true;
    const std::string_view w = line.words[0];
    if (w == "3DMESH" || w == "LUT8" || w == "gamma") return true;
    if (w == "Mesh") {
      if (line.words.size() != 3) throw InputError(file, line.number, "Mesh", "expected input and output bit depths");
      long bits = parse_integer(line.words[2], file, line.number, "Mesh");
      if (bits < 8 || bits > 16) throw InputError(file, line.number, "Mesh", "output bit depth must be 8..16");
      out_bits = int(bits);
      return true;
    }
    if (line.words.size() > 3) {
      if (!shaper.empty()) throw InputError(file, line.number, "shaper", "more than one mesh (shaper) line");
      for (std::string_view s : line.words) shaper.push_back(parse_integer(s, file, line.number, "shaper"));
      shaper_line = line.number;
      return true;
    }
    const std::string row = fmt::format("row {}", values.size() / 3 + 1);
    if (line.words.size() != 3) throw InputError(file, line.number, row, "expected 3 integers");
    if (shaper.empty()) throw InputError(file, line.number, "shaper", "table data before the mesh line");
    for (std::string_view s : line.words) {
      long v = parse_integer(s, file, line.number, row);
      if (v < 0 || v > 65535) throw InputError(file, line.number, row, "value outside 0..65535");
      values.push_back(v);
    }
    last_line = line.number;
    return true;
  });
  if (shaper.empty()) throw InputError(file, 0, "shaper", "missing mesh (shaper) line");
  const size_t n = shaper.size();
  if (n < 2 || n > 256) throw InputError(file, shaper_line, "shaper", "mesh size must be 2..256");
  for (size_t i = 1; i < n; ++i)
    if (shaper[i] <= shaper[i - 1]) throw InputError(file, shaper_line, "shaper", "mesh values must increase");
  // Only evenly spaced meshes are supported (calkit's Lut3d has no shaper).
  const double shaper_max = double(1L << likely_bit_depth(shaper.back())) - 1;
  for (size_t i = 0; i < n; ++i)
    if (std::abs(double(shaper[i]) - i * shaper_max / (n - 1)) >= 2.0)
      throw InputError(file, shaper_line, "shaper", "mesh is not evenly spaced over the full range");
  if (values.size() != n * n * n * 3)
    throw InputError(file, last_line ? last_line : shaper_line, "rows",
                     fmt::format("mesh of size {} needs {} rows, found {}", n, n * n * n, values.size() / 3));
  if (!out_bits) out_bits = likely_bit_depth(*std::max_element(values.begin(), values.end()));
  const double scale = double((1L << out_bits) - 1);
  lut.size = int(n);
  lut.table.resize(n * n * n);
  size_t k = 0;
  for (size_t r = 0; r < n; ++r)
    for (size_t g = 0; g < n; ++g)
      for (size_t b = 0; b < n; ++b, k += 3)
        lut.at(int(r), int(g), int(b)) = Vec3(values[k] / scale, values[k + 1] / scale, values[k + 2] / scale);
  return lut;
}

bool is_default_domain(const Lut3d& lut) { return lut.domain_min == Vec3::Zero() && lut.domain_max == Vec3::Ones(); }

}  // namespace

void write_3dl(const std::filesystem::path& path, const Lut3d& lut, const ThreedlOptions& options) {
  check_lut3d(lut, path.string());
  if (!is_default_domain(lut))
    throw InputError(path.string(), 0, "domain", ".3dl files have no domain: the LUT's domain must be 0..1");
  const int bits = options.output_bits;
  if (bits != 10 && bits != 12 && bits != 16)
    throw InputError(path.string(), 0, "output_bits", "3dl output bit depth must be 10, 12 or 16");
  const double scale = double((1 << bits) - 1);
  std::string out = "# Written by calkit\n";
  if (!lut.title.empty()) out += metadata_comment("title", lut.title);
  for (const auto& [k, v] : lut.metadata) out += metadata_comment(k, v);
  if (options.lustre) {
    // Lustre names the mesh by its input bit depth: 2^inBits + 1 nodes (17 → 4, 33 → 5).
    int in_bits = int(std::log2(double(lut.size - 1)));
    out += fmt::format("3DMESH\nMesh {} {}\n", in_bits, bits);
  }
  for (int i = 0; i < lut.size; ++i) out += fmt::format("{}{}", i ? " " : "", std::lround(i * 1023.0 / (lut.size - 1)));
  out += "\n";
  auto code = [&](double v) { return std::lround(std::clamp(v, 0.0, 1.0) * scale); };
  for (int r = 0; r < lut.size; ++r)
    for (int g = 0; g < lut.size; ++g)
      for (int b = 0; b < lut.size; ++b) {
        const Vec3& v = lut.at(r, g, b);
        out += fmt::format("{} {} {}\n", code(v[0]), code(v[1]), code(v[2]));
      }
  if (options.lustre) out += "\nLUT8\ngamma 1.0\n";
  write_file_atomically(path, out);
}

LutFormat threedl_format() {
  return {"3dl",
          {".3dl"},
          "Autodesk Flame/Lustre 3dl (integer, 12-bit output written)",
          "blue fastest",
          read_3dl,
          [](const std::filesystem::path& p, const Lut3d& l, const LutWriteOptions&) { write_3dl(p, l, {}); },
          nullptr,
          nullptr,
          nullptr};
}

}  // namespace calkit
