#pragma once
// Installing a LUT where DaVinci Resolve looks for LUTs, so that it can be picked as the video
// monitor lookup table. Resolve lists the LUT folder's subfolders in its menus: calkit's LUTs go
// into a "calkit" subfolder.
#include <filesystem>
#include <string>

#include "luts/lut.hpp"

namespace calkit {

// Resolve's LUT folder on this system: Linux /opt/resolve/LUT, macOS /Library/Application
// Support/Blackmagic Design/DaVinci Resolve/LUT, Windows C:\ProgramData\Blackmagic
// Design\DaVinci Resolve\Support\LUT (Blackmagic Design, DaVinci Resolve 18 Reference Manual,
// "Lookup Tables" in chapter "Project Settings"; docs/upload.md).
std::filesystem::path default_resolve_lut_folder();

// Writes `lut` (as read from `source`) into <folder>/calkit/<name>.cube, a format Resolve reads:
// a .cube or .3dl source is copied byte for byte, any other format converted. Returns the file.
// IoError when the folder does not exist (Resolve not installed there) or cannot be written.
std::filesystem::path install_lut_for_resolve(const std::filesystem::path& source, const Lut3d& lut,
                                              const std::filesystem::path& folder);

// Where to pick it in Resolve, for the message after installing.
std::string resolve_menu_path(const std::filesystem::path& installed, const std::filesystem::path& folder);

}  // namespace calkit
