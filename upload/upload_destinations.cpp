#include "upload/upload_destinations.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "upload/lg_tv.hpp"
#include "upload/resolve_lut_folder.hpp"

namespace calkit {
namespace {

UploadResult upload_to_resolve(const std::string& argument, const UploadRequest& r) {
  std::filesystem::path folder = argument.empty() ? default_resolve_lut_folder() : std::filesystem::path(argument);
  std::filesystem::path installed = install_lut_for_resolve(r.file, r.lut, folder);
  UploadResult out;
  out.summary = "installed " + installed.string() + "; " + resolve_menu_path(installed, folder);
  out.details = {{"destination", "resolve"}, {"installed", installed.string()}, {"folder", folder.string()}};
  return out;
}

UploadResult upload_to_lg(const std::string& argument, const UploadRequest& r) {
  LgUploadResult lg = upload_to_lg_tv(parse_lg_spec(argument), r.lut, r.hdr, r.say);
  UploadResult out;
  out.summary = fmt::format("the LG {} holds the {}³ LUT in the {} slot of picture mode {}", lg.model, lg.lut_size,
                            lg.slot, lg.picture_mode);
  out.details = {{"destination", "lg"},    {"model", lg.model},
                 {"slot", lg.slot},        {"picture_mode", lg.picture_mode},
                 {"lut_size", lg.lut_size}, {"read_back_matches", lg.read_back_matches}};
  out.held_lut = lg.uploaded;
  return out;
}

std::pair<const UploadDestination*, std::string> find(const std::string& spec) {
  std::string name = spec.substr(0, spec.find(':'));
  std::string argument = name.size() < spec.size() ? spec.substr(name.size() + 1) : "";
  for (const UploadDestination& d : upload_destination_table())
    if (d.name == name) return {&d, argument};
  throw ValueError("--upload", fmt::format("unknown destination '{}' ({})", name, upload_usage()));
}

}  // namespace

const std::vector<UploadDestination>& upload_destination_table() {
  static const std::vector<UploadDestination> table = {
      {"resolve", "resolve[:DIR]", "DaVinci Resolve's LUT folder (default: where Resolve installs it)",
       upload_to_resolve},
      {"lg", lg_spec_usage(), "an LG webOS TV (2018 and newer) over its network calibration API", upload_to_lg},
  };
  return table;
}

std::string upload_usage() {
  std::string out;
  for (const UploadDestination& d : upload_destination_table()) out += (out.empty() ? "" : "; ") + d.usage;
  return out;
}

void check_upload_spec(const std::string& spec) {
  auto [destination, argument] = find(spec);
  if (destination->name == "lg") parse_lg_spec(argument);
}

UploadResult upload_lut(const std::string& spec, const UploadRequest& request) {
  auto [destination, argument] = find(spec);
  return destination->upload(argument, request);
}

bool lut_is_for_pq(const Lut3d& lut) { return lut.metadata.count("calkit_mastering_peak") > 0; }

}  // namespace calkit
