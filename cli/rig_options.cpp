#include "cli/rig_options.hpp"

namespace calkit::cli {

void add_rig_options(CLI::App* cmd, RigSpec& rig) {
  cmd->add_option("--probe", rig.probe, "probe: sim, a USB probe or emulated:NAME (" + rig_usage() + ")")
      ->capture_default_str();
  cmd->add_option("--display", rig.display, "simulated display: sim:NAME or a display-model .json");
  cmd->add_option("--pattern", rig.pattern,
                  "pattern generator: virtual (default with sim), sim:NAME, window[:...], resolve[:...], pgenerator:HOST");
  cmd->add_option("--correction", rig.correction, "probe correction: .ccmx, or .ccss for an i1d3");
  cmd->add_option("--seed", rig.seed, "seed of the simulated probe's noise")->capture_default_str();
}

}  // namespace calkit::cli
