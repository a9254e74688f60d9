// `calkit convert`: measurement files between .ti3, .json and .csv, patch sets between .ti1 and
// .json. The output is written atomically.
#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

#include <fmt/core.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "formats/measurement_file.hpp"

namespace calkit::cli {

namespace {

struct ConvertFilesOptions {
  std::string input;
  std::string output;
  bool json = false;
};

bool is_patch_file(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".ti1";
}

void run_convert(const ConvertFilesOptions& o) {
  bool patches = is_patch_file(o.input) || is_patch_file(o.output);
  size_t count = 0;
  if (patches) {
    PatchSet set = read_patches(o.input);
    write_patches(o.output, set);
    count = set.rgb.size();
  } else {
    MeasurementSet set = read_measurements(o.input);
    write_measurements(o.output, set);
    count = set.readings.size();
  }
  const char* kind = patches ? "patches" : "readings";
  if (o.json) {
    nlohmann::json j = {{"input", o.input}, {"output", o.output}, {"kind", kind}, {"count", count}};
    std::puts(j.dump(2).c_str());
  } else {
    std::puts(fmt::format("{}: {} {} written to {}", o.input, count, kind, o.output).c_str());
  }
}

}  // namespace

void add_convert_files(CLI::App& app) {
  auto options = std::make_shared<ConvertFilesOptions>();
  CLI::App* cmd =
      app.add_subcommand("convert",
                         "Convert measurement files (.ti3 <-> .json <-> .csv) or patch sets (.ti1 <-> .json).\n"
                         "XYZ is absolute cd/m2 in .json/.csv; a .ti3 stores it normalised to white Y=100 with the\n"
                         "absolute white in LUMINANCE_XYZ_CDM2, as ArgyllCMS does.\n"
                         "Example: calkit convert display.ti3 display.json");
  cmd->add_option("input", options->input, "file to read (.ti3, .json, .csv, .ti1)")->required();
  cmd->add_option("output", options->output, "file to write; its extension picks the format")->required();
  cmd->add_flag("--json", options->json, "print a JSON summary");
  cmd->callback([options] { run_convert(*options); });
}

}  // namespace calkit::cli
