#pragma once
// The options that choose the measuring chain (probe, display, pattern generator, correction,
// simulated seed), shared by every command that measures so that each accepts the same names.
#include <CLI/CLI.hpp>

#include "measure/rig.hpp"

namespace calkit::cli {

void add_rig_options(CLI::App* cmd, RigSpec& rig);

}  // namespace calkit::cli
