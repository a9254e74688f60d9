// libFuzzer target for the text LUT parsers (.cube, and .3dl/.clf chosen by the first byte):
// any input must either parse or throw calkit::InputError, never crash or hang.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.hpp"
#include "luts/apply.hpp"
#include "luts/lut_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 20) return 0;
  static const std::string base =
      (std::filesystem::temp_directory_path() / ("fuzz_cube_" + std::to_string(getpid()))).string();
  // The first byte picks the parser so one corpus reaches all three text formats.
  const char* ext = size > 0 && data[0] == '<' ? ".clf" : size > 0 && data[0] == '3' ? ".3dl" : ".cube";
  const std::string path = base + ext;
  {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(data), std::streamsize(size));
  }
  try {
    if (calkit::file_is_lut3d(path)) {
      calkit::Lut3d lut = calkit::read_lut3d(path);
      (void)calkit::apply_tetrahedral(lut, calkit::Vec3(0.3, 0.6, 0.9));
      (void)calkit::apply_trilinear(lut, calkit::Vec3(-1, 2, 0.5));
    } else {
      calkit::Lut1d lut = calkit::read_lut1d(path);
      (void)calkit::apply_1d(lut, calkit::Vec3(0.3, 0.6, 0.9));
    }
  } catch (const calkit::InputError&) {
  }
  return 0;
}
