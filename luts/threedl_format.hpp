#pragma once
// .3dl writing with explicit options; write_lut3d(path.3dl) uses the defaults (Flame, 12-bit).
#include <filesystem>

#include "luts/lut.hpp"

namespace calkit {

struct ThreedlOptions {
  int output_bits = 12;  // 10, 12 or 16: values are rounded to this many bits (clamped to 0..1)
  bool lustre = false;   // add the Lustre "3DMESH / Mesh in out" header and "LUT8 / gamma" trailer
};

void write_3dl(const std::filesystem::path& path, const Lut3d& lut, const ThreedlOptions& options);

}  // namespace calkit
