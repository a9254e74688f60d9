#include "formats/argyll_fields.hpp"

#include <cmath>

#include "core/error.hpp"

namespace calkit::argyll {

std::string number(double v) { return cgats_format_number(v); }
std::string real(double v) { return cgats_format_real(v); }

std::string keyword_or_empty(const CgatsTable& table, std::string_view key) {
  const std::string* v = table.keyword(key);
  return v ? *v : std::string();
}

void set_keyword_if(CgatsTable& table, const std::string& key, const std::string& value) {
  if (!value.empty()) table.set_keyword(key, value);
}

std::array<int, 3> rgb_fields(const CgatsFile& file, const CgatsTable& table) {
  return {cgats_require_field(file, table, "RGB_R"), cgats_require_field(file, table, "RGB_G"),
          cgats_require_field(file, table, "RGB_B")};
}

Vec3 read_triplet(const CgatsFile& file, const CgatsTable& table, size_t row, const std::array<int, 3>& fields) {
  return {cgats_number(file, table, row, fields[0]), cgats_number(file, table, row, fields[1]),
          cgats_number(file, table, row, fields[2])};
}

Vec3 read_rgb(const CgatsFile& file, const CgatsTable& table, size_t row, const std::array<int, 3>& fields) {
  Vec3 rgb;
  for (int c = 0; c < 3; ++c) {
    double v = cgats_number(file, table, row, fields[c]);
    if (v < 0 || v > 100)
      throw InputError(file.name, table.row_lines.empty() ? 0 : table.row_lines[row], table.fields[fields[c]],
                       number(v) + " is outside 0..100");
    rgb[c] = v / 100.0;
  }
  return rgb;
}

std::string spectral_field_name(double nm) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "SPEC_%03d", static_cast<int>(std::lround(nm)));
  return buf;
}

SpectralLayout spectral_layout(const CgatsFile& file, const CgatsTable& table) {
  SpectralLayout layout;
  if (!table.keyword("SPECTRAL_BANDS")) return layout;
  double bands = cgats_keyword_number(file, table, "SPECTRAL_BANDS");
  double start = cgats_keyword_number(file, table, "SPECTRAL_START_NM");
  double end = cgats_keyword_number(file, table, "SPECTRAL_END_NM");
  if (bands < 2 || bands > 10000 || bands != std::floor(bands))
    throw InputError(file.name, table.keyword_line("SPECTRAL_BANDS"), "SPECTRAL_BANDS",
                     "must be a whole number of bands, at least 2");
  if (!(end > start) || start < 0)
    throw InputError(file.name, table.keyword_line("SPECTRAL_END_NM"), "SPECTRAL_END_NM",
                     "must be above SPECTRAL_START_NM");
  if (table.keyword("SPECTRAL_NORM")) {
    layout.norm = cgats_keyword_number(file, table, "SPECTRAL_NORM");
    if (!(layout.norm > 0))
      throw InputError(file.name, table.keyword_line("SPECTRAL_NORM"), "SPECTRAL_NORM", "must be positive");
  }
  int n = static_cast<int>(bands);
  layout.start_nm = start;
  layout.step_nm = (end - start) / (n - 1);
  for (int i = 0; i < n; ++i)
    layout.fields.push_back(cgats_require_field(file, table, spectral_field_name(start + i * layout.step_nm)));
  return layout;
}

Spectrum read_spectrum(const CgatsFile& file, const CgatsTable& table, size_t row, const SpectralLayout& layout,
                       double scale) {
  Spectrum s;
  s.start_nm = layout.start_nm;
  s.step_nm = layout.step_nm;
  s.values.reserve(layout.fields.size());
  for (int f : layout.fields) s.values.push_back(cgats_number(file, table, row, f) / layout.norm * scale);
  return s;
}

void add_spectral_fields(CgatsTable& table, const Spectrum& shape) {
  double end = shape.start_nm + shape.step_nm * static_cast<double>(shape.values.size() - 1);
  table.set_keyword("SPECTRAL_BANDS", std::to_string(shape.values.size()));
  table.set_keyword("SPECTRAL_START_NM", number(shape.start_nm));
  table.set_keyword("SPECTRAL_END_NM", number(end));
  table.set_keyword("SPECTRAL_NORM", "1");
  for (size_t i = 0; i < shape.values.size(); ++i)
    table.fields.push_back(spectral_field_name(shape.start_nm + static_cast<double>(i) * shape.step_nm));
}

}  // namespace calkit::argyll
