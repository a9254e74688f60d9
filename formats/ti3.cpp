#include "formats/ti3.hpp"

#include <charconv>
#include <cmath>
#include <set>
#include <sstream>

#include "color/plausibility.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "formats/argyll_fields.hpp"
#include "formats/cgats.hpp"

namespace calkit {
namespace {

// Keywords the .ti3 reader interprets and the writer regenerates; all others are MeasurementSet
// info and pass through.
bool is_structural(const std::string& key) {
  static const std::set<std::string> keys = {"DEVICE_CLASS",        "COLOR_REP",      "LUMINANCE_XYZ_CDM2",
                                             "NORMALIZED_TO_Y_100", "SPECTRAL_BANDS", "SPECTRAL_START_NM",
                                             "SPECTRAL_END_NM",     "SPECTRAL_NORM"};
  return keys.count(key) > 0;
}

// ArgyllCMS's emissive spectra are mW/(sr·m²·nm) (doc/ti3_format.html; its drivers convert, e.g.
// specbos.c ×1000); calkit keeps W/(sr·m²·nm) in memory.
constexpr double kMilliwattsPerWatt = 1000;

// Argyll writes the absolute white as LUMINANCE_XYZ_CDM2 "X Y Z" when the data is normalised;
// the scale from file values to cd/m² is then Y / 100, in long double (see absolute_value).
long double absolute_scale(const CgatsFile& file, const CgatsTable& table) {
  const std::string* normalized = table.keyword("NORMALIZED_TO_Y_100");
  if (!normalized || *normalized == "NO") return 1.0L;
  if (*normalized != "YES")
    throw InputError(file.name, table.keyword_line("NORMALIZED_TO_Y_100"), "NORMALIZED_TO_Y_100",
                     "must be YES or NO, not '" + *normalized + "'");
  const std::string& text = cgats_require_keyword(file, table, "LUMINANCE_XYZ_CDM2");
  const int line = table.keyword_line("LUMINANCE_XYZ_CDM2");
  std::istringstream in(text);
  Vec3 white = Vec3::Constant(NAN);
  std::string extra;
  if (!(in >> white[0] >> white[1] >> white[2]) || (in >> extra) || !(white.y() > 0))
    throw InputError(file.name, line, "LUMINANCE_XYZ_CDM2",
                     "expected three numbers X Y Z with Y > 0, got '" + text + "'");
  check_reading(white, file.name, line, {"LUMINANCE_XYZ_CDM2", "LUMINANCE_XYZ_CDM2", "LUMINANCE_XYZ_CDM2"});
  return static_cast<long double>(white.y()) / 100.0L;
}

// A file value in cd/m²: the decimal is read and scaled in long double (64-bit significand) and
// rounded to double once. The scaled value is then within 2^-63 of any double the writer aimed
// at, so it rounds to exactly that double: normalised readings round-trip bit for bit.
double absolute_value(std::string_view text, long double scale) {
  long double v = 0;
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  std::from_chars(text.data(), text.data() + text.size(), v);
  return static_cast<double>(v * scale);
}

// The decimal a .ti3 stores for `absolute` (cd/m²) normalised by `scale`: the shortest of the
// double's and the long double's shortest forms that absolute_value reads back as `absolute`.
std::string normalised_text(double absolute, long double scale) {
  const long double normalised = static_cast<long double>(absolute) / scale;
  std::string text = argyll::number(static_cast<double>(normalised));
  if (absolute_value(text, scale) == absolute) return text;
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, normalised);
  return std::string(buffer, end);
}

void check_representation(const CgatsFile& file, const CgatsTable& table) {
  if (const std::string* rep = table.keyword("COLOR_REP"); rep && *rep != "RGB_XYZ")
    throw InputError(file.name, table.keyword_line("COLOR_REP"), "COLOR_REP",
                     "'" + *rep + "' is not supported (calkit reads RGB_XYZ)");
  if (const std::string* cls = table.keyword("DEVICE_CLASS"); cls && *cls != "DISPLAY")
    throw InputError(file.name, table.keyword_line("DEVICE_CLASS"), "DEVICE_CLASS", "'" + *cls + "' is not a display");
}

// The reading whose absolute XYZ the file is normalised to: the brightest full white, else the
// brightest reading.
const Reading* white_reading(const MeasurementSet& set) {
  const Reading* white = nullptr;
  for (const Reading& r : set.readings)
    if (r.rgb == Vec3(1, 1, 1) && (!white || r.XYZ.y() > white->XYZ.y())) white = &r;
  if (white) return white;
  for (const Reading& r : set.readings)
    if (!white || r.XYZ.y() > white->XYZ.y()) white = &r;
  return white;
}

std::string keyword_name(const std::string& key) {
  std::string out = key;
  for (char& c : out)
    if (std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '#') c = '_';
  return out.empty() ? "_" : out;
}

bool has_spectra(const MeasurementSet& set) {
  if (set.readings.empty() || set.readings.front().spectrum.empty()) return false;
  const Spectrum& shape = set.readings.front().spectrum;
  for (const Reading& r : set.readings)
    if (r.spectrum.values.size() != shape.values.size() || r.spectrum.start_nm != shape.start_nm ||
        r.spectrum.step_nm != shape.step_nm)
      throw ValueError("spectrum", "every reading needs a spectrum with the same sampling for a .ti3");
  if (shape.values.size() < 2 || !(shape.step_nm > 0))
    throw ValueError("spectrum", "needs at least 2 bands and a positive step");
  return true;
}

}  // namespace

MeasurementSet parse_ti3(std::string_view text, const std::string& name) {
  CgatsFile file = parse_cgats(text, name);
  const CgatsTable& table = cgats_table(file, "CTI3");
  check_representation(file, table);
  const long double scale = absolute_scale(file, table);
  auto rgb = argyll::rgb_fields(file, table);
  std::array<int, 3> xyz = {cgats_require_field(file, table, "XYZ_X"), cgats_require_field(file, table, "XYZ_Y"),
                            cgats_require_field(file, table, "XYZ_Z")};
  argyll::SpectralLayout spectral = argyll::spectral_layout(file, table);
  // STDEV_X/Y/Z (standard CGATS fields): the probe's 1-sigma, in the file's units like XYZ.
  const bool stdev = table.field_index("STDEV_X") >= 0;
  std::array<int, 3> stdev_fields{};
  if (stdev)
    stdev_fields = {cgats_require_field(file, table, "STDEV_X"), cgats_require_field(file, table, "STDEV_Y"),
                    cgats_require_field(file, table, "STDEV_Z")};

  MeasurementSet set;
  for (const auto& [key, value] : table.keywords)
    if (!is_structural(key)) set.info[key] = value;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    Reading reading;
    reading.rgb = argyll::read_rgb(file, table, r, rgb);
    for (int c = 0; c < 3; ++c) {
      cgats_number(file, table, r, xyz[c]);  // a finite number, or an error naming line and field
      reading.XYZ[c] = absolute_value(table.rows[r][static_cast<size_t>(xyz[c])], scale);
    }
    check_reading(reading.XYZ, name, table.row_lines[r], {"XYZ_X", "XYZ_Y", "XYZ_Z"});
    if (stdev) {
      const Vec3 sigma = argyll::read_triplet(file, table, r, stdev_fields);
      for (int c = 0; c < 3; ++c)
        if (sigma[c] < 0) throw InputError(name, table.row_lines[r], table.fields[stdev_fields[c]], "negative");
      reading.uncertainty = sigma * static_cast<double>(scale);
    }
    if (spectral.present())
      reading.spectrum =
          argyll::read_spectrum(file, table, r, spectral, static_cast<double>(scale) / kMilliwattsPerWatt);
    set.readings.push_back(std::move(reading));
  }
  if (set.readings.empty()) throw InputError(name, table.line, "NUMBER_OF_SETS", "no readings");
  return set;
}

MeasurementSet read_ti3(const std::filesystem::path& path) { return parse_ti3(read_file_text(path), path.string()); }

std::string format_ti3(const MeasurementSet& set) {
  CgatsFile file;
  CgatsTable table;
  table.file_type = "CTI3";
  for (const auto& [key, value] : set.info)
    if (!is_structural(keyword_name(key))) table.set_keyword(keyword_name(key), value);
  table.set_keyword("DEVICE_CLASS", "DISPLAY");
  table.set_keyword("COLOR_REP", "RGB_XYZ");

  // colprof wants Y = 100 for the white and the absolute white alongside (as dispread writes).
  const Reading* white = white_reading(set);
  long double scale = 1.0L;
  if (white && white->XYZ.y() > 0) {
    scale = static_cast<long double>(white->XYZ.y()) / 100.0L;
    table.set_keyword("LUMINANCE_XYZ_CDM2", argyll::number(white->XYZ.x()) + " " + argyll::number(white->XYZ.y()) +
                                                " " + argyll::number(white->XYZ.z()));
    table.set_keyword("NORMALIZED_TO_Y_100", "YES");
  } else {
    table.set_keyword("NORMALIZED_TO_Y_100", "NO");
  }
  table.fields = {"SAMPLE_ID", "RGB_R", "RGB_G", "RGB_B", "XYZ_X", "XYZ_Y", "XYZ_Z"};
  bool stdev = false;
  for (const Reading& r : set.readings) stdev = stdev || !r.uncertainty.isZero();
  if (stdev) table.fields.insert(table.fields.end(), {"STDEV_X", "STDEV_Y", "STDEV_Z"});
  bool spectra = has_spectra(set);
  if (spectra) argyll::add_spectral_fields(table, set.readings.front().spectrum);

  for (size_t i = 0; i < set.readings.size(); ++i) {
    const Reading& r = set.readings[i];
    std::vector<std::string> row = {std::to_string(i + 1)};
    for (int c = 0; c < 3; ++c) {
      if (!(r.rgb[c] >= 0 && r.rgb[c] <= 1))
        throw ValueError("rgb", "reading " + std::to_string(i + 1) + " is outside 0..1");
      row.push_back(argyll::number(r.rgb[c] * 100));
    }
    for (int c = 0; c < 3; ++c) {
      if (!std::isfinite(r.XYZ[c])) throw ValueError("XYZ", "reading " + std::to_string(i + 1) + " is not finite");
      row.push_back(normalised_text(r.XYZ[c], scale));
    }
    if (stdev)
      for (int c = 0; c < 3; ++c) {
        if (!std::isfinite(r.uncertainty[c]))
          throw ValueError("uncertainty", "reading " + std::to_string(i + 1) + " is not finite");
        row.push_back(argyll::real(r.uncertainty[c] / scale));
      }
    if (spectra)
      for (double v : r.spectrum.values) {
        if (!std::isfinite(v)) throw ValueError("spectrum", "reading " + std::to_string(i + 1) + " is not finite");
        row.push_back(argyll::real(v * kMilliwattsPerWatt / static_cast<double>(scale)));
      }
    table.rows.push_back(std::move(row));
  }
  file.tables.push_back(std::move(table));
  return format_cgats(file);
}

void write_ti3(const std::filesystem::path& path, const MeasurementSet& set) {
  write_file_atomically(path, [&] { return format_ti3(set); });
}

}  // namespace calkit
