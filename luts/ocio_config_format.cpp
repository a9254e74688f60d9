// An OpenColorIO v2 config (.ocio) whose display "calkit" has one view applying the LUT through a
// FileTransform. Writing config.ocio also writes the LUT as config.cube next to it (the config
// names it relative to its own folder, search_path "."). Reading finds the FileTransform's src
// and reads that file; the LUT's title and metadata live in the .cube and the config description.
#include <regex>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/files.hpp"
#include "luts/lut_format.hpp"
#include "luts/lut_io.hpp"
#include "luts/text_lines.hpp"

namespace calkit {
namespace {

std::string yaml_quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return out + "\"";
}

std::string config_text(const std::string& lut_file, const std::string& title, const std::string& interpolation) {
  const std::string view = title.empty() ? "calibration" : title;
  return fmt::format(R"(ocio_profile_version: 2

# Written by calkit: display "calkit", view {view} applies {lut} to any input.
description: {desc}
search_path: "."
strictparsing: true

roles:
  default: raw
  scene_linear: raw
  data: raw

file_rules:
  - !<Rule> {{name: Default, colorspace: default}}

displays:
  calkit:
    - !<View> {{name: {view}, colorspace: calkit_lut}}

active_displays: [calkit]
active_views: [{view}]

colorspaces:
  - !<ColorSpace>
    name: raw
    family: ""
    bitdepth: 32f
    description: The signal as sent to the display, before the calibration LUT.
    isdata: false

  - !<ColorSpace>
    name: calkit_lut
    family: ""
    bitdepth: 32f
    description: The signal after the calibration LUT.
    isdata: false
    from_scene_reference: !<FileTransform> {{src: {lut}, interpolation: {interp}}}
)",
                     fmt::arg("view", yaml_quote(view)), fmt::arg("lut", yaml_quote(lut_file)),
                     fmt::arg("desc", yaml_quote(title.empty() ? "calkit LUT" : title)),
                     fmt::arg("interp", interpolation));
}

std::filesystem::path lut_path_for(const std::filesystem::path& config) {
  std::filesystem::path lut = config;
  return lut.replace_extension(".cube");
}

// The src of the config's first FileTransform, resolved against the config's folder.
std::filesystem::path find_lut(const std::filesystem::path& config) {
  const std::string file = config.string();
  std::regex src_re(R"(FileTransform[^}]*\bsrc:\s*(\"([^\"]*)\"|'([^']*)'|([^,}\s]+)))");
  std::filesystem::path found;
  for_each_text_line(config, [&](const TextLine& line) {
    // std::regex recurses per character: keep it to plausible lines.
    if (line.text.size() > 4096 || line.text.find("FileTransform") == std::string_view::npos) return true;
    const std::string text(line.text);
    std::smatch m;
    if (!std::regex_search(text, m, src_re)) return true;
    std::string src = m[2].matched ? m[2].str() : m[3].matched ? m[3].str() : m[4].str();
    if (src.empty()) throw InputError(file, line.number, "src", "empty FileTransform src");
    std::filesystem::path p(src);
    if (p.is_relative()) p = config.parent_path() / p;
    if (!std::filesystem::exists(p))
      throw InputError(file, line.number, "src", "the LUT the config names does not exist: " + p.string());
    if (lut_format_for(p) == "ocio") throw InputError(file, line.number, "src", "FileTransform names another config");
    found = p;
    return false;
  });
  if (!found.empty()) return found;
  throw InputError(file, 0, "FileTransform", "config has no FileTransform with a src");
}

void write_config(const std::filesystem::path& path, const std::string& title, const std::string& interp) {
  write_file_atomically(path, config_text(lut_path_for(path).filename().string(), title, interp));
}

}  // namespace

// Reading goes through the general table, so a config may point at any format calkit reads.
LutFormat ocio_config_format() {
  return {"ocio",
          {".ocio"},
          "OpenColorIO v2 config: display/view with a FileTransform (writes a .cube beside it)",
          "as the referenced LUT",
          [](const std::filesystem::path& p) { return read_lut3d(find_lut(p)); },
          [](const std::filesystem::path& p, const Lut3d& lut, const LutWriteOptions& options) {
            write_lut3d(lut_path_for(p), lut, options);
            write_config(p, lut.title, "tetrahedral");
          },
          [](const std::filesystem::path& p) { return read_lut1d(find_lut(p)); },
          [](const std::filesystem::path& p, const Lut1d& lut, const LutWriteOptions& options) {
            write_lut1d(lut_path_for(p), lut, options);
            write_config(p, lut.title, "linear");
          },
          [](const std::filesystem::path& p) { return file_is_lut3d(find_lut(p)); }};
}

}  // namespace calkit
