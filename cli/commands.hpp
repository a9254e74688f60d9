#pragma once
// Each subcommand lives in its own cli/cmd_<name>.cpp and is registered in the table in main.cpp.
// add_X builds the subcommand's options on `app` and sets its callback; the callback throws
// calkit::InputError for bad input (main prints it on one line and exits 2).
#include <CLI/CLI.hpp>

#include "cli/rig.hpp"

namespace calkit::cli {

void add_color(CLI::App& app);
void add_lut(CLI::App& app);
void add_display(CLI::App& app);
void add_patches(CLI::App& app);
void add_measure(CLI::App& app);
void add_spot(CLI::App& app);
void add_report(CLI::App& app);
void add_package(CLI::App& app);  // calkit package, package verify (cli/cmd_package.cpp)
void add_pattern(CLI::App& app);  // calkit pattern (cli/cmd_pattern.cpp)
void add_pattern_check(CLI::App& pattern);  // calkit pattern check (cli/cmd_pattern_check.cpp)
void add_convert_files(CLI::App& app);  // calkit convert (cli/cmd_convert.cpp)
void add_probe(CLI::App& app);    // calkit probe list/info/setup/match (cli/cmd_probe.cpp)
void add_ambient(CLI::App& app);  // calkit ambient (cli/cmd_ambient.cpp)
// One ambient reading with its verdict, printed; also `calkit spot --ambient`.
struct AmbientArgs {
  RigSpec rig;
  bool json = false;
};
void print_ambient(AmbientArgs args);
void add_solve(CLI::App& app);  // calkit solve (cli/cmd_solve.cpp)
void add_verify(CLI::App& app);     // calkit verify (cli/cmd_verify.cpp)
void add_calibrate(CLI::App& app);  // calkit calibrate (cli/cmd_calibrate.cpp)
void add_uniformity(CLI::App& app);  // calkit uniformity (cli/cmd_uniformity.cpp)
void add_history(CLI::App& app);    // calkit history (cli/cmd_history.cpp)
void add_match(CLI::App& app);      // calkit match (cli/cmd_match.cpp)

}  // namespace calkit::cli
