#pragma once
// Each subcommand lives in its own cli/cmd_<name>.cpp and is registered in the table in main.cpp.
// add_X builds the subcommand's options on `app` and sets its callback. A callback reports
// failure by throwing, and main's exit-status table turns that into the exit status: InputError
// (bad input, 2), IoError/ProbeError/NetworkError (the world, 1), CommandFailed (a result the user
// asked to fail on, or an interruption).
#include <string>

#include <CLI/CLI.hpp>

#include "cli/rig.hpp"
#include "measure/adjust.hpp"
#include "solver/target.hpp"

namespace calkit::cli {

// A command that ran to its end but whose result is a failure the exit status must carry:
// --strict and a FAIL verdict, a package that does not verify (1), an interrupted run whose
// readings are journaled (130). The message is printed first, unless empty.
struct CommandFailed {
  int status;
  std::string message;
};
inline constexpr int kExitInterrupted = 130;  // 128 + SIGINT, as shells report it

// Thrown after the "readings are journaled" message of an interrupted measuring run.
[[noreturn]] void throw_interrupted(const std::string& what, const std::string& where);

void add_color(CLI::App& app);
void add_lut(CLI::App& app);
void add_display(CLI::App& app);
void add_patches(CLI::App& app);
void add_measure(CLI::App& app);
void add_spot(CLI::App& app);
void add_report(CLI::App& app);
void add_package(CLI::App& app);            // calkit package, package verify (cli/cmd_package.cpp)
void add_pattern(CLI::App& app);            // calkit pattern (cli/cmd_pattern.cpp)
void add_pattern_check(CLI::App& pattern);  // calkit pattern check (cli/cmd_pattern_check.cpp)
void add_convert_files(CLI::App& app);      // calkit convert (cli/cmd_convert.cpp)
void add_probe(CLI::App& app);              // calkit probe list/info/setup/match (cli/cmd_probe.cpp)
void add_ambient(CLI::App& app);            // calkit ambient (cli/cmd_ambient.cpp)
// One ambient reading with its verdict, printed; also `calkit spot --ambient`.
struct AmbientArgs {
  RigSpec rig;
  bool json = false;
};
void print_ambient(AmbientArgs args);
void add_solve(CLI::App& app);  // calkit solve (cli/cmd_solve.cpp)
// --mastering-peak and --roll-off, shared by solve, verify and calibrate (cli/cmd_solve.cpp).
void add_pq_target_options(CLI::App* cmd, double& mastering_peak, std::string& roll_off);
void add_verify(CLI::App& app);      // calkit verify (cli/cmd_verify.cpp)
void add_calibrate(CLI::App& app);   // calkit calibrate (cli/cmd_calibrate.cpp)
void add_uniformity(CLI::App& app);  // calkit uniformity (cli/cmd_uniformity.cpp)
void add_history(CLI::App& app);     // calkit history (cli/cmd_history.cpp)
void add_match(CLI::App& app);       // calkit match (cli/cmd_match.cpp)
void add_adjust(CLI::App& app);      // calkit adjust (cli/cmd_adjust.cpp)
void add_upload(CLI::App& app);      // calkit upload (cli/cmd_upload.cpp)
void add_serve(CLI::App& app);       // calkit serve (cli/cmd_serve.cpp)

// The adjust screen (cli/cmd_adjust.cpp), also run by `calkit calibrate` before profiling: reads
// the primaries, then white (and every fourth time black) until q, Enter, Ctrl-C or `count`
// readings; returns the last guidance.
struct AdjustScreen {
  bool json = false;
  int count = 0;
  bool in_calibrate = false;
};
struct ChainArgs;
AdjustTarget adjust_target_for(const Target& target, double tolerance_uv, double tolerance_light);
AdjustGuidance run_adjust_screen(Rig& rig, const ChainArgs& chain, const AdjustTarget& target,
                                 const AdjustScreen& screen);

}  // namespace calkit::cli
