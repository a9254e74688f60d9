#pragma once
// Internal: the interface every LUT format file implements, and the one table that lists them
// (luts/lut_formats.cpp). A format leaves unsupported operations empty.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "luts/lut.hpp"
#include "luts/lut_io.hpp"

namespace calkit {

struct LutFormat {
  std::string name;                     // "cube"
  std::vector<std::string> extensions;  // {".cube"}, lower case
  std::string description;
  std::string ordering;  // how the 3D table is stored, for docs and `lut info`
  std::function<Lut3d(const std::filesystem::path&)> read_3d;
  std::function<void(const std::filesystem::path&, const Lut3d&, const LutWriteOptions&)> write_3d;
  std::function<Lut1d(const std::filesystem::path&)> read_1d;
  std::function<void(const std::filesystem::path&, const Lut1d&, const LutWriteOptions&)> write_1d;
  std::function<bool(const std::filesystem::path&)> is_3d;  // empty: 3D only when read_3d is set
};

// One function per format file.
LutFormat cube_format();
LutFormat threedl_format();
LutFormat clf_format();
LutFormat icc_format();
LutFormat ocio_config_format();
LutFormat cal_format();

const std::vector<LutFormat>& lut_format_table();

// Copies domain, title and metadata from a parsed file record into a Lut1d or Lut3d.
template <class Lut, class Parsed>
void take_header(Lut& lut, const Parsed& parsed) {
  lut.domain_min = parsed.domain_min;
  lut.domain_max = parsed.domain_max;
  lut.title = parsed.title;
  lut.metadata = parsed.metadata;
}
const LutFormat& lut_format_by_path(const std::filesystem::path& path);

}  // namespace calkit
