// bench_accuracy: for every built-in virtual display and its targets, measure N patches with the
// SimProbe (noise on), solve a LUT of the solver's default size, load it into the display's LUT
// slot and verify on a separate set (greyscale, sweeps, 250 random colours). Prints dE2000 (SDR)
// or dE ITP (HDR); then the same for the exact inverse of the display written as a LUT of the
// same size (the floor: what a perfect model gets through the same interpolation), calkit's
// ratio to it (mean and p95), and the bias test's reduced chi-square and verdict (issue 20).
// Usage: bench_accuracy [N ...] [--display sim:name] [--size N] (default: 33³ SDR, 65³ PQ)
//        [--as-read]: verify with what the SimProbe reads (noise on), as `calkit verify` does
//        [--no-floor]: leave out the exact inverse (it solves every node on the display)
//        [--seed S]: the SimProbe's noise seed (default 1); [--noise K]: its noise scaled by K
//        [--adaptive N]: also N patches measured adaptively (solver/adaptive.hpp), shown as "Na"
//        [--adaptive-only]: no fixed-set rows; [--target NAME]: that target only
//        [--stop-early]: adaptive runs stop before their budget as `calkit calibrate --adaptive`
//        does (solver/adaptive.hpp, AdaptiveStop); the row then says how many: "1000a:600"
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "solver/adaptive.hpp"
#include "solver_bench_common.hpp"

namespace {

// An adaptive run of `budget` patches, as `calkit calibrate --adaptive` measures: the recommended
// set at the plan's start size (scaled for an SDR target on a PQ input), then batches chosen by
// next_adaptive_batch() from the readings so far; with `stop_early`, stopping before the budget
// as calibrate does (AdaptiveStop).
calkit::MeasurementSet measure_adaptively(const std::string& display, const calkit::Target& target, int budget,
                                          std::uint64_t seed, double noise, bool stop_early) {
  calkit::AdaptivePlan plan = calkit::adaptive_plan(budget);
  calkit::PatchSet start = calkit::adaptive_starting_set(target.hdr(), budget, plan.start);
  if (bench::display_is_hdr(display) && !target.hdr()) calkit::scale_for_sdr_on_pq_input(start, target.white_nits);
  calkit::MeasurementSet set = bench::measure_on_sim(display, start.rgb, seed, noise);
  calkit::AdaptiveStop stop;
  while (int(set.readings.size()) < budget) {
    calkit::AdaptiveOptions options;
    options.count = std::min(plan.batch, budget - int(set.readings.size()));
    calkit::AdaptiveBatch next = calkit::next_adaptive_batch(set, target, options);
    if (next.rgb.empty()) break;
    calkit::MeasurementSet read = bench::measure_on_sim(display, next.rgb, seed, noise);
    set.readings.insert(set.readings.end(), read.readings.begin(), read.readings.end());
    if (stop_early && stop.after(calkit::predict_batch(next.model, read))) break;
  }
  return set;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> counts, adaptive;
  bool fixed = true;
  std::string only_target;
  std::vector<std::string> displays;
  int size = 0;  // the solver's default for the target
  bool as_read = false, floor = true, stop_early = false;
  std::uint64_t seed = 1;
  double noise = 1;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--display") && i + 1 < argc)
      displays.push_back(argv[++i]);
    else if (!std::strcmp(argv[i], "--size") && i + 1 < argc)
      size = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--as-read"))
      as_read = true;
    else if (!std::strcmp(argv[i], "--no-floor"))
      floor = false;
    else if (!std::strcmp(argv[i], "--adaptive") && i + 1 < argc)
      adaptive.push_back(std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--target") && i + 1 < argc)
      only_target = argv[++i];
    else if (!std::strcmp(argv[i], "--adaptive-only"))
      fixed = false;
    else if (!std::strcmp(argv[i], "--stop-early"))
      stop_early = true;
    else if (!std::strcmp(argv[i], "--seed") && i + 1 < argc)
      seed = std::strtoull(argv[++i], nullptr, 10);
    else if (!std::strcmp(argv[i], "--noise") && i + 1 < argc)
      noise = std::atof(argv[++i]);
    else if (argv[i][0] != '-' && std::atoi(argv[i]) >= 32)
      counts.push_back(std::atoi(argv[i]));
    else {
      std::fprintf(stderr,
                   "usage: bench_accuracy [N ...] [--display sim:NAME] [--size N] [--as-read] [--no-floor] [--seed S]\n"
                   "       [--noise K] [--adaptive N] [--adaptive-only] [--stop-early] [--target NAME]\n"
                   "       (N: 32 patches or more)\n"
                   "example: bench_accuracy 500 --target bt1886\n");
      return std::strcmp(argv[i], "--help") ? 2 : 0;
    }
  }
  if (counts.empty() && fixed) counts = {250, 500, 1000, 2000};
  if (!fixed) counts.clear();
  if (displays.empty()) displays = calkit::builtin_display_names();
  // The target's own name ("rec709" is "bt1886"): the rows below tell SDR from PQ by it.
  if (!only_target.empty()) {
    try {
      only_target = calkit::target_by_name(only_target).name;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bench_accuracy: --target: %s\n", e.what());
      return 2;
    }
  }
  auto signals = bench::verification_signals();
  std::printf("%-17s %-17s %5s | %-7s %6s %6s %6s | %4s %4s | %6s %6s | %-5s %6s %6s | %5s %5s | %6s %s\n", "display",
              "target", "N", "metric", "mean", "p95", "max", "n", "skip", "fit", "solve", "floor", "mean", "p95",
              "ratio", "p95", "chi2", "bias");
  auto report = [&](const std::string& display, const std::string& name, const std::string& label,
                    const calkit::MeasurementSet& set) {
    bool hdr_target = name != "bt1886";
    calkit::SolveOptions options;
    options.lut_size = size;
    auto t0 = std::chrono::steady_clock::now();
    calkit::SolveResult r = calkit::solve(set, calkit::target_by_name(name), options);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    bench::Stats s = bench::verify_through_lut(display, r.lut, r, signals, false, as_read);
    bench::Stats f;
    if (floor) f = bench::verify_through_lut(display, bench::exact_inverse_lut(display, r), r, signals, false, as_read);
    std::printf(
        "%-17s %-17s %5s | %-7s %6.3f %6.3f %6.3f | %4d %4d | %6.3f %5.1fs | %-5s %6.3f %6.3f | %5.2f %5.2f | "
        "%6.2f %s\n",
        display.c_str(), name.c_str(), label.c_str(), hdr_target ? "dE ITP" : "dE2000", s.mean, s.p95, s.max, s.count,
        s.skipped, r.fit.model_rms, seconds, "exact", f.mean, f.p95, f.mean > 0 ? s.mean / f.mean : 0,
        f.p95 > 0 ? s.p95 / f.p95 : 0, r.bias.chi2, r.bias.passed ? "pass" : ("bias: " + r.bias.where()).c_str());
    std::fflush(stdout);
  };
  for (const std::string& display : displays) {
    bool hdr = bench::display_is_hdr(display);
    // A PQ-input display is also calibrated to BT.1886 (what `make demo` does with the WOLED TV),
    // from the recommended SDR set scaled as `calkit calibrate` scales it.
    std::vector<std::string> targets = {"bt1886"};
    if (hdr) targets = {"pq-p3d65", "pq-rec2020", "bt1886"};
    if (!only_target.empty()) {
      // An SDR display takes no PQ signal: it has no rows for a PQ target.
      if (!hdr && only_target != "bt1886") {
        std::fprintf(stderr, "bench_accuracy: %s is an SDR display: no %s rows\n", display.c_str(),
                     only_target.c_str());
        continue;
      }
      targets = {only_target};
    }
    for (int n : counts) {
      calkit::MeasurementSet hdr_set;
      if (hdr) hdr_set = bench::measure_on_sim(display, calkit::recommended_patch_set(true, n).rgb, seed, noise);
      calkit::PatchSet sdr_patches = calkit::recommended_patch_set(false, n);
      if (hdr) calkit::scale_for_sdr_on_pq_input(sdr_patches, 100);
      calkit::MeasurementSet sdr_set = bench::measure_on_sim(display, sdr_patches.rgb, seed, noise);
      for (const std::string& name : targets)
        report(display, name, std::to_string(n), name != "bt1886" ? hdr_set : sdr_set);
    }
    for (int n : adaptive)
      for (const std::string& name : targets) {
        calkit::MeasurementSet set =
            measure_adaptively(display, calkit::target_by_name(name), n, seed, noise, stop_early);
        // Stopped early, the row says how many it measured: "1000a:600".
        std::string label = std::to_string(n) + "a";
        if (int(set.readings.size()) < n) label += ":" + std::to_string(set.readings.size());
        report(display, name, label, set);
      }
  }
  return 0;
}
