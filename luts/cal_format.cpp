// ArgyllCMS calibration curves (.cal): a CGATS text file of per-channel 1D curves that a video
// card's gamma table (or `dispwin`) loads. Facts from ArgyllCMS's documentation (cal_format.html,
// argyllcms.com/doc/cal_format.html) and the .cal files dispcal writes (e.g. bscpylgtv's test data,
// ../shared/oracles/bscpylgtv/tests/data/1dlut_01.cal): the file type "CAL", DEVICE_CLASS
// "DISPLAY", COLOR_REP "RGB", the fields RGB_I RGB_R RGB_G RGB_B, one row per input step, input
// and outputs in 0..1. The documentation's further facts: the file identifier is the first 7
// characters ("CAL" padded), DEVICE_CLASS and COLOR_REP are required, a DISPLAY file may say
// VIDEO_LUT_CALIBRATION_POSSIBLE and TV_OUTPUT_ENCODING (calkit writes neither: its curves are
// full range, the default). calkit writes the curves as they are (1D only) and reads any such
// file; ArgyllCMS's xicclu reads calkit's (tests/luts/cal_format_test.cpp).
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/time.hpp"
#include "luts/lut_format.hpp"
#include "luts/text_lines.hpp"

namespace calkit {
namespace {

void write_cal(const std::filesystem::path& path, const Lut1d& lut, const LutWriteOptions&) {
  const std::string file = path.string();
  if (lut.table.size() < 2) throw InputError(file, 0, "table", "a calibration curve needs at least 2 entries");
  if (lut.domain_min != Vec3::Zero() || lut.domain_max != Vec3::Ones())
    throw InputError(file, 0, "domain", ".cal curves take 0..1 input: the LUT's domain must be 0..1");
  std::string out = "CAL    \n\n";
  out += "DESCRIPTOR \"" + (lut.title.empty() ? std::string("calkit calibration curves") : lut.title) + "\"\n";
  out += "ORIGINATOR \"calkit " CALKIT_VERSION "\"\n";
  out += "CREATED \"" + utc_now() + "\"\n";
  out += "DEVICE_CLASS \"DISPLAY\"\nCOLOR_REP \"RGB\"\n";
  for (const auto& [key, value] : lut.metadata) out += "# calkit: " + key + " = " + value + "\n";
  out += "\nNUMBER_OF_FIELDS 4\nBEGIN_DATA_FORMAT\nRGB_I RGB_R RGB_G RGB_B\nEND_DATA_FORMAT\n\n";
  out += fmt::format("NUMBER_OF_SETS {}\nBEGIN_DATA\n", lut.table.size());
  const std::size_t n = lut.table.size();
  for (std::size_t i = 0; i < n; ++i) {
    const Vec3& v = lut.table[i];
    if (!v.allFinite()) throw InputError(file, 0, "table", "a curve value is not a number");
    Vec3 c = v.cwiseMax(0.0).cwiseMin(1.0);
    out += fmt::format("{:.7f} {:.7f} {:.7f} {:.7f}\n", double(i) / double(n - 1), c[0], c[1], c[2]);
  }
  out += "END_DATA\n";
  write_file_atomically(path, out);
}

Lut1d read_cal(const std::filesystem::path& path) {
  const std::string file = path.string();
  Lut1d lut;
  std::vector<std::string> fields;
  long sets = -1;
  bool in_format = false, in_data = false, typed = false;
  std::vector<double> inputs;
  for_each_text_line(path, [&](const TextLine& l) {
    if (l.words.empty()) {
      std::string key, value;
      if (parse_metadata_comment(l.comment, key, value)) lut.metadata[key] = value;
      return true;
    }
    std::string_view w = l.words[0];
    if (!typed) {
      if (w != "CAL") throw InputError(file, l.number, "file type", "not an ArgyllCMS .cal file (no CAL header)");
      typed = true;
    } else if (in_format) {
      if (w == "END_DATA_FORMAT")
        in_format = false;
      else
        for (std::string_view f : l.words) fields.emplace_back(f);
    } else if (in_data) {
      if (w == "END_DATA") return false;
      if (l.words.size() != fields.size())
        throw InputError(file, l.number, "data", fmt::format("{} values for {} fields", l.words.size(), fields.size()));
      Vec3 v;
      for (std::size_t k = 0; k < fields.size(); ++k) {
        double x = parse_number(l.words[k], file, l.number, fields[k]);
        if (fields[k] == "RGB_I") inputs.push_back(x);
        if (fields[k] == "RGB_R") v[0] = x;
        if (fields[k] == "RGB_G") v[1] = x;
        if (fields[k] == "RGB_B") v[2] = x;
      }
      lut.table.push_back(v);
    } else if (w == "BEGIN_DATA_FORMAT") {
      in_format = true;
    } else if (w == "BEGIN_DATA") {
      for (const char* f : {"RGB_I", "RGB_R", "RGB_G", "RGB_B"})
        if (std::find(fields.begin(), fields.end(), f) == fields.end())
          throw InputError(file, l.number, f, "the data format lacks this field");
      in_data = true;
    } else if (w == "NUMBER_OF_SETS" && l.words.size() > 1) {
      sets = parse_integer(l.words[1], file, l.number, "NUMBER_OF_SETS");
    } else if (w == "DESCRIPTOR" && l.words.size() > 1) {
      std::string_view t = l.text.substr(l.text.find(l.words[1]));
      lut.title = std::string(t.substr(t.front() == '"', t.size() - (t.front() == '"') - (t.back() == '"')));
    }
    return true;
  });
  if (lut.table.size() < 2) throw InputError(file, 0, "BEGIN_DATA", "no calibration curve data");
  if (sets >= 0 && std::size_t(sets) != lut.table.size())
    throw InputError(file, 0, "NUMBER_OF_SETS", fmt::format("says {}, the data has {}", sets, lut.table.size()));
  for (std::size_t i = 0; i < inputs.size(); ++i)
    if (std::abs(inputs[i] - double(i) / double(inputs.size() - 1)) > 1e-4)
      throw InputError(file, 0, "RGB_I", "the inputs are not evenly spaced over 0..1");
  return lut;
}

}  // namespace

LutFormat cal_format() {
  return {"cal",    {".cal"},  "ArgyllCMS calibration curves (1D, video card gamma table)", "1D only", nullptr, nullptr,
          read_cal, write_cal, [](const std::filesystem::path&) { return false; }};
}

}  // namespace calkit
