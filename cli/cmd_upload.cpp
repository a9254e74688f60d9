// `calkit upload DEST FILE`: puts a LUT file onto the display chain: into DaVinci Resolve's LUT
// folder, or into an LG TV's 3D LUT slot over the network (upload/upload_destinations.hpp).
// `calkit calibrate --upload DEST` does the same with the LUT it solves.
#include <cstdio>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "luts/lut_io.hpp"
#include "upload/upload_destinations.hpp"

namespace calkit::cli {
namespace {

struct UploadArgs {
  std::string destination;
  std::string file;
  bool json = false;
};

void run(const UploadArgs& a) {
  check_upload_spec(a.destination);
  UploadRequest request;
  request.file = a.file;
  request.lut = read_lut3d(a.file);
  request.hdr = lut_is_for_pq(request.lut);
  request.say = [](const std::string& line) { std::fprintf(stderr, "calkit: %s\n", line.c_str()); };
  UploadResult result = upload_lut(a.destination, request);
  if (a.json)
    std::puts(result.details.dump(2).c_str());
  else
    std::printf("%s\n", result.summary.c_str());
}

}  // namespace

void add_upload(CLI::App& app) {
  auto a = std::make_shared<UploadArgs>();
  auto* cmd = app.add_subcommand(
      "upload",
      "Put a LUT onto the display chain: DaVinci Resolve's LUT folder (then pick it as the video monitor\n"
      "lookup table), or an LG TV's 3D LUT slot over the network (pairs on first use: accept on the TV).\n"
      "Destinations: " +
          upload_usage() +
          "\n"
          "Example: calkit upload resolve out/calibration.cube\n"
          "         calkit upload lg:192.168.1.18,mode=expert1 out/calibration.cube");
  cmd->add_option("destination", a->destination, upload_usage())->required();
  cmd->add_option("file", a->file, "the LUT file (any 3D LUT format calkit reads)")->required();
  cmd->add_flag("--json", a->json, "print where it went as JSON");
  cmd->callback([a] { run(*a); });
}

}  // namespace calkit::cli
