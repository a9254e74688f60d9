// The one table of LUT formats (as OpenColorIO's FormatRegistry): the public read/write calls
// pick a row by file extension.
#include <algorithm>
#include <cctype>

#include "core/error.hpp"
#include "luts/lut_format.hpp"
#include "luts/lut_io.hpp"

namespace calkit {

const std::vector<LutFormat>& lut_format_table() {
  static const std::vector<LutFormat> table = {
      cube_format(), threedl_format(), clf_format(), icc_format(), ocio_config_format(), cal_format(),
  };
  return table;
}

const LutFormat& lut_format_by_path(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const LutFormat& f : lut_format_table())
    if (std::find(f.extensions.begin(), f.extensions.end(), ext) != f.extensions.end()) return f;
  std::string known;
  for (const LutFormat& f : lut_format_table())
    for (const std::string& e : f.extensions) known += (known.empty() ? "" : " ") + e;
  throw InputError(path.string(), 0, "extension", "unknown LUT format '" + ext + "' (known: " + known + ")");
}

std::string lut_format_for(const std::filesystem::path& path) { return lut_format_by_path(path).name; }

std::vector<std::string> lut_format_names() {
  std::vector<std::string> names;
  for (const LutFormat& f : lut_format_table()) names.push_back(f.name);
  return names;
}

std::vector<LutFormatInfo> lut_formats() {
  std::vector<LutFormatInfo> out;
  for (const LutFormat& f : lut_format_table()) {
    std::string exts;
    for (const std::string& e : f.extensions) exts += (exts.empty() ? "" : " ") + e;
    out.push_back({f.name, exts, f.description, bool(f.read_3d), bool(f.write_3d), bool(f.read_1d), bool(f.write_1d)});
  }
  return out;
}

Lut3d read_lut3d(const std::filesystem::path& path) {
  const LutFormat& f = lut_format_by_path(path);
  if (!f.read_3d) throw InputError(path.string(), 0, "", f.name + " files cannot hold a 3D LUT");
  return f.read_3d(path);
}

Lut1d read_lut1d(const std::filesystem::path& path) {
  const LutFormat& f = lut_format_by_path(path);
  if (!f.read_1d) throw InputError(path.string(), 0, "", f.name + " files cannot hold a 1D LUT");
  return f.read_1d(path);
}

void write_lut3d(const std::filesystem::path& path, const Lut3d& lut, const LutWriteOptions& options) {
  const LutFormat& f = lut_format_by_path(path);
  if (!f.write_3d) throw InputError(path.string(), 0, "", "calkit cannot write a 3D LUT as " + f.name);
  f.write_3d(path, lut, options);
}

void write_lut1d(const std::filesystem::path& path, const Lut1d& lut, const LutWriteOptions& options) {
  const LutFormat& f = lut_format_by_path(path);
  if (!f.write_1d) throw InputError(path.string(), 0, "", "calkit cannot write a 1D LUT as " + f.name);
  f.write_1d(path, lut, options);
}

bool file_is_lut3d(const std::filesystem::path& path) {
  const LutFormat& f = lut_format_by_path(path);
  if (f.is_3d) return f.is_3d(path);
  return bool(f.read_3d);
}

}  // namespace calkit
