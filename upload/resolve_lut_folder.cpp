#include "upload/resolve_lut_folder.hpp"

#include <algorithm>

#include "core/error.hpp"
#include "core/files.hpp"
#include "luts/lut_io.hpp"

namespace calkit {
namespace fs = std::filesystem;

fs::path default_resolve_lut_folder() {
#if defined(__APPLE__)
  return "/Library/Application Support/Blackmagic Design/DaVinci Resolve/LUT";
#elif defined(_WIN32)
  return "C:\\ProgramData\\Blackmagic Design\\DaVinci Resolve\\Support\\LUT";
#else
  return "/opt/resolve/LUT";
#endif
}

fs::path install_lut_for_resolve(const fs::path& source, const Lut3d& lut, const fs::path& folder) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec))
    throw IoError(folder.string(), "no such folder: is DaVinci Resolve installed? Name its LUT folder: resolve:DIR");
  std::string ext = source.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  const bool as_is = ext == ".cube" || ext == ".3dl";
  fs::path target = folder / "calkit" / source.filename();
  if (!as_is) target.replace_extension(".cube");
  fs::create_directories(target.parent_path(), ec);
  if (ec) throw IoError(target.parent_path().string(), "cannot create: " + ec.message());
  if (as_is)
    write_file_atomically(target, read_file_bytes(source));
  else
    write_lut3d(target, lut);
  return target;
}

std::string resolve_menu_path(const fs::path& installed, const fs::path& folder) {
  std::string name = fs::relative(installed, folder).replace_extension().generic_string();
  return "in Resolve: Project Settings → Color Management → Lookup Tables: press Update Lists, then set Video "
         "monitor lookup table to " +
         name;
}

}  // namespace calkit
