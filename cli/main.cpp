// calkit: the command-line front end. Every stage of a calibration is a subcommand that reads
// and writes plain files, so each runs alone and a run can stop and resume anywhere.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "cli/commands.hpp"
#include "core/error.hpp"

namespace {

using AddCommand = void (*)(CLI::App&);

// The table of subcommands, in the order --help lists them.
constexpr AddCommand kCommands[] = {
    calkit::cli::add_color,
    calkit::cli::add_lut,
    calkit::cli::add_display,
    calkit::cli::add_patches,
    calkit::cli::add_measure,
    calkit::cli::add_spot,
    calkit::cli::add_report,
    calkit::cli::add_package,
    calkit::cli::add_pattern,
    calkit::cli::add_convert_files,
    calkit::cli::add_probe,
    calkit::cli::add_ambient,
    calkit::cli::add_solve,
    calkit::cli::add_verify,
    calkit::cli::add_calibrate,
    calkit::cli::add_uniformity,
    calkit::cli::add_history,
    calkit::cli::add_match,
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"calkit: calibrate and verify displays for colour-critical work.\n"
               "Example: calkit color de2000 50 2.6772 -79.7751 50 0 -82.7485"};
  app.set_version_flag("--version", std::string("calkit ") + CALKIT_VERSION);
  app.require_subcommand(1);
  for (AddCommand add : kCommands) add(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? 0 : 2;
  } catch (const calkit::InputError& e) {
    std::fprintf(stderr, "calkit: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "calkit: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
