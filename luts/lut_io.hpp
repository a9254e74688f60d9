#pragma once
// Reading and writing LUT files. The format follows the file extension; every format lives in its
// own file (luts/<name>_format.cpp) and is listed once in the table in luts/lut_formats.cpp.
// Malformed files throw calkit::InputError naming file, line and field.
#include <filesystem>
#include <string>
#include <vector>

#include "luts/lut.hpp"

namespace calkit {

Lut3d read_lut3d(const std::filesystem::path& path);
Lut1d read_lut1d(const std::filesystem::path& path);

// Choices a format offers when it writes; each format's writer reads the fields that concern it
// and ignores the others, so one set of options goes to whichever format a path names.
struct LutWriteOptions {
  // ICC device links: 4 (ICC.1:2010), or 2 (ICC.1:2001-04) for peers that read no v4 (ArgyllCMS 2.3).
  int icc_version = 4;
};

void write_lut3d(const std::filesystem::path& path, const Lut3d& lut, const LutWriteOptions& options = {});
void write_lut1d(const std::filesystem::path& path, const Lut1d& lut, const LutWriteOptions& options = {});

// True when the file holds a 3D LUT (false: a 1D LUT). Reads the file.
bool file_is_lut3d(const std::filesystem::path& path);

// "cube", "3dl", "clf", "icc", "ocio", ... in table order.
std::vector<std::string> lut_format_names();

// One row of the format table, for `calkit lut info` and the README.
struct LutFormatInfo {
  std::string name;         // "cube"
  std::string extensions;   // ".cube"
  std::string description;  // "Resolve/IRIDAS cube"
  bool read_3d, write_3d, read_1d, write_1d;
};
std::vector<LutFormatInfo> lut_formats();

// The format name chosen for a path by its extension; InputError for an unknown extension.
std::string lut_format_for(const std::filesystem::path& path);

}  // namespace calkit
