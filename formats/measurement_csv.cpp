#include "formats/measurement_csv.hpp"

#include <charconv>
#include <cmath>

#include "color/plausibility.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "formats/cgats.hpp"

namespace calkit {
namespace {

std::vector<std::string> split_commas(std::string_view line) {
  std::vector<std::string> cells;
  size_t start = 0;
  while (true) {
    size_t comma = line.find(',', start);
    std::string_view cell = line.substr(start, comma == std::string_view::npos ? comma : comma - start);
    while (!cell.empty() && (cell.front() == ' ' || cell.front() == '\t')) cell.remove_prefix(1);
    while (!cell.empty() && (cell.back() == ' ' || cell.back() == '\t')) cell.remove_suffix(1);
    cells.emplace_back(cell);
    if (comma == std::string_view::npos) return cells;
    start = comma + 1;
  }
}

double cell_number(const std::string& text, const std::string& name, int line, const std::string& field) {
  double v = 0;
  const char* b = text.data();
  const char* e = b + text.size();
  if (b != e && *b == '+') ++b;
  auto [end, ec] = std::from_chars(b, e, v);
  if (b == e || ec != std::errc() || end != e || !std::isfinite(v))
    throw InputError(name, line, field, "'" + text + "' is not a finite number");
  return v;
}

const char* const kColumns[] = {"R", "G", "B", "X", "Y", "Z"};
const char* const kStdevColumns[] = {"STDEV_X", "STDEV_Y", "STDEV_Z"};  // the CGATS names

}  // namespace

MeasurementSet parse_measurement_csv(std::string_view text, const std::string& name) {
  MeasurementSet set;
  std::vector<std::string> header;
  std::vector<double> wavelengths;
  size_t first_band = 6;  // column of the first wavelength (9 with STDEV_X,STDEV_Y,STDEV_Z)
  int line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    std::string_view line = text.substr(pos, eol == std::string_view::npos ? eol : eol - pos);
    pos = eol == std::string_view::npos ? text.size() : eol + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.front() == '#') {
      size_t colon = line.find(": ");
      if (colon != std::string_view::npos && colon > 2 && header.empty())
        set.info[std::string(line.substr(2, colon - 2))] = std::string(line.substr(colon + 2));
      continue;
    }
    std::vector<std::string> cells = split_commas(line);
    if (header.empty()) {
      header = cells;
      if (header.size() < 6) throw InputError(name, line_no, "", "header must start with R,G,B,X,Y,Z");
      for (int c = 0; c < 6; ++c)
        if (header[c] != kColumns[c])
          throw InputError(name, line_no, header[c],
                           std::string("header column ") + std::to_string(c + 1) + " must be " + kColumns[c]);
      if (header.size() >= 9 && header[6] == kStdevColumns[0]) {
        for (int c = 0; c < 3; ++c)
          if (header[6 + c] != kStdevColumns[c])
            throw InputError(name, line_no, header[6 + c], std::string("must be ") + kStdevColumns[c]);
        first_band = 9;
      }
      for (size_t c = first_band; c < header.size(); ++c)
        wavelengths.push_back(cell_number(header[c], name, line_no, "header"));
      if (wavelengths.size() == 1)
        throw InputError(name, line_no, header[first_band], "a spectrum needs at least 2 wavelengths");
      for (size_t i = 1; i < wavelengths.size(); ++i) {
        double step = wavelengths[1] - wavelengths[0];
        if (!(step > 0) || std::abs(wavelengths[i] - wavelengths[0] - step * i) > 1e-6 * step)
          throw InputError(name, line_no, header[first_band + i], "wavelengths must be evenly spaced");
      }
      continue;
    }
    if (cells.size() != header.size())
      throw InputError(
          name, line_no, "",
          "row has " + std::to_string(cells.size()) + " columns, the header " + std::to_string(header.size()));
    Reading r;
    for (int c = 0; c < 3; ++c) {
      r.rgb[c] = cell_number(cells[c], name, line_no, header[c]);
      if (r.rgb[c] < 0 || r.rgb[c] > 1) throw InputError(name, line_no, header[c], "outside 0..1");
      r.XYZ[c] = cell_number(cells[3 + c], name, line_no, header[3 + c]);
      if (first_band == 9) {
        r.uncertainty[c] = cell_number(cells[6 + c], name, line_no, header[6 + c]);
        if (r.uncertainty[c] < 0) throw InputError(name, line_no, header[6 + c], "negative");
      }
    }
    check_reading(r.XYZ, name, line_no, {header[3], header[4], header[5]});
    if (!wavelengths.empty()) {
      r.spectrum.start_nm = wavelengths[0];
      r.spectrum.step_nm = wavelengths[1] - wavelengths[0];
      for (size_t c = first_band; c < cells.size(); ++c)
        r.spectrum.values.push_back(cell_number(cells[c], name, line_no, header[c]));
    }
    set.readings.push_back(std::move(r));
  }
  if (set.readings.empty()) throw InputError(name, line_no, "", "no readings");
  return set;
}

MeasurementSet read_measurement_csv(const std::filesystem::path& path) {
  return parse_measurement_csv(read_file_text(path), path.string());
}

std::string format_measurement_csv(const MeasurementSet& set) {
  std::string out = "# calkit measurements (RGB 0..1, XYZ absolute cd/m2, STDEV_ its 1-sigma)\n";
  for (const auto& [key, value] : set.info) {
    if (key.find(": ") != std::string::npos || key.find('\n') != std::string::npos ||
        value.find('\n') != std::string::npos)
      throw ValueError("info." + key, "cannot be written to CSV (line break or ': ')");
    out += "# " + key + ": " + value + "\n";
  }
  out += "R,G,B,X,Y,Z";
  bool stdev = false;
  for (const Reading& r : set.readings) stdev = stdev || !r.uncertainty.isZero();
  if (stdev) out += std::string(",") + kStdevColumns[0] + "," + kStdevColumns[1] + "," + kStdevColumns[2];
  const Spectrum* shape = set.readings.empty() ? nullptr : &set.readings.front().spectrum;
  if (shape && !shape->empty())
    for (size_t i = 0; i < shape->values.size(); ++i)
      out += "," + cgats_format_number(shape->start_nm + shape->step_nm * static_cast<double>(i));
  out += "\n";
  for (const Reading& r : set.readings) {
    std::string row;
    for (int c = 0; c < 3; ++c) row += cgats_format_number(r.rgb[c]) + ",";
    for (int c = 0; c < 3; ++c) row += cgats_format_number(r.XYZ[c]) + (c < 2 ? "," : "");
    if (stdev)
      for (int c = 0; c < 3; ++c) row += "," + cgats_format_number(r.uncertainty[c]);
    if (shape && !shape->empty()) {
      if (r.spectrum.values.size() != shape->values.size() || r.spectrum.start_nm != shape->start_nm ||
          r.spectrum.step_nm != shape->step_nm)
        throw ValueError("spectrum", "every reading needs the same spectral sampling in CSV");
      for (double v : r.spectrum.values) row.append(",").append(cgats_format_number(v));
    }
    out += row + "\n";
  }
  return out;
}

void write_measurement_csv(const std::filesystem::path& path, const MeasurementSet& set) {
  write_file_atomically(path, [&] { return format_measurement_csv(set); });
}

}  // namespace calkit
