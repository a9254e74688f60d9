#pragma once
// ICC device-link writing with explicit options; write_lut3d(path.icc) writes v4.
#include <filesystem>

#include "luts/lut.hpp"

namespace calkit {

struct IccOptions {
  int version = 4;  // 4 (ICC.1:2010) or 2 (ICC.1:2001-04, for ArgyllCMS 2.3 and other v2-only peers)
};

void write_icc_link(const std::filesystem::path& path, const Lut3d& lut, const IccOptions& options);

}  // namespace calkit
