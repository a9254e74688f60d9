// bench_bias: the solver's bias test (solver/bias_test.hpp) on the single-effect virtual displays
// (sim/single_effect_displays.hpp) and, with --builtin, on the built-in ones: each measured with
// N patches of the recommended set by the SimProbe (noise on, its noise stated per reading), the
// display model fitted, and its residuals judged against that noise. Prints the reduced
// chi-square, the range the noise alone gives it, and where a bias sits.
// Usage: bench_bias [N] [--builtin] [--groups] [--seed S] (the SimProbe's noise seed, default 1)
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "sim/single_effect_displays.hpp"
#include "solver_bench_common.hpp"

int main(int argc, char** argv) {
  int n = 500;
  bool builtin = false, groups = false;
  std::uint64_t seed = 1;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--seed") && i + 1 < argc)
      seed = std::strtoull(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--builtin"))
      builtin = true;
    else if (!std::strcmp(argv[i], "--groups"))
      groups = true;
    else
      n = std::atoi(argv[i]);
  }
  std::vector<calkit::SingleEffectDisplay> displays;
  if (builtin)
    for (const std::string& name : calkit::builtin_display_names())
      displays.push_back({"built-in", name, calkit::builtin_display_model(name)});
  else
    displays = calkit::single_effect_displays();
  std::printf("%-16s %-36s %4s | %6s %12s | %s\n", "effect", "level", "N", "chi2", "noise range", "verdict");
  for (const calkit::SingleEffectDisplay& d : displays) {
    bool hdr = d.model.eotf == calkit::PanelEotf::Pq;
    calkit::MeasurementSet set = bench::measure_model(d.model, calkit::recommended_patch_set(hdr, n).rgb, seed);
    std::vector<calkit::Reading> data = calkit::usable_readings(set);
    calkit::FittedDisplayModel model;
    calkit::FitReport fit = calkit::fit_display_model_into(model, data, calkit::fit_space(data, hdr));
    calkit::BiasTest b = calkit::bias_test(model, data, fit);
    std::printf("%-16s %-36s %4d | %6.2f %5.2f..%5.2f | %s\n", d.effect.c_str(), d.level.c_str(), n, b.chi2, b.chi2_low,
                b.chi2_high, b.passed ? "pass" : ("bias: " + b.where()).c_str());
    if (groups)
      for (const calkit::ResidualGroup& g : b.groups)
        std::printf("    %-11s %4d  chi2 %6.2f (<%5.2f)  offset %5.1f %s  corr %5.1f  %s\n", g.name.c_str(), g.readings,
                    g.chi2, g.chi2_limit, g.offset, g.offset_component.c_str(), g.correlation, g.why.c_str());
    std::fflush(stdout);
  }
  return 0;
}
