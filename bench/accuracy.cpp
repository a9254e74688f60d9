// bench_accuracy: for every built-in virtual display and its targets, measure N patches with the
// SimProbe (noise on), solve a LUT of the solver's default size, load it into the display's LUT
// slot and verify on a separate set (greyscale, sweeps, 250 random colours). Prints dE2000 (SDR)
// or dE ITP (HDR); then the same for the exact inverse of the display written as a LUT of the
// same size (the floor: what a perfect model gets through the same interpolation), calkit's
// ratio to it (mean and p95), and the bias test's reduced chi-square and verdict (issue 20).
// Usage: bench_accuracy [N ...] [--display sim:name] [--size N] (default: 33³ SDR, 65³ PQ)
//        [--as-read]: verify with what the SimProbe reads (noise on), as `calkit verify` does
//        [--no-floor]: leave out the exact inverse (it solves every node on the display)
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "solver_bench_common.hpp"

int main(int argc, char** argv) {
  std::vector<int> counts;
  std::vector<std::string> displays;
  int size = 0;  // the solver's default for the target
  bool as_read = false, floor = true;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--display") && i + 1 < argc)
      displays.push_back(argv[++i]);
    else if (!std::strcmp(argv[i], "--size") && i + 1 < argc)
      size = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--as-read"))
      as_read = true;
    else if (!std::strcmp(argv[i], "--no-floor"))
      floor = false;
    else
      counts.push_back(std::atoi(argv[i]));
  }
  if (counts.empty()) counts = {250, 500, 1000, 2000};
  if (displays.empty()) displays = calkit::builtin_display_names();
  auto signals = bench::verification_signals();
  std::printf("%-17s %-17s %5s | %-7s %6s %6s %6s | %4s %4s | %6s %6s | %-5s %6s %6s | %5s %5s | %6s %s\n", "display",
              "target", "N", "metric", "mean", "p95", "max", "n", "skip", "fit", "solve", "floor", "mean", "p95",
              "ratio", "p95", "chi2", "bias");
  for (const std::string& display : displays) {
    bool hdr = bench::display_is_hdr(display);
    // A PQ-input display is also calibrated to BT.1886 (what `make demo` does with the WOLED TV),
    // from the recommended SDR set scaled as `calkit calibrate` scales it.
    std::vector<std::string> targets = {"bt1886"};
    if (hdr) targets = {"pq-p3d65", "pq-rec2020", "bt1886"};
    for (int n : counts) {
      calkit::MeasurementSet hdr_set;
      if (hdr) hdr_set = bench::measure_on_sim(display, calkit::recommended_patch_set(true, n).rgb, 1);
      calkit::PatchSet sdr_patches = calkit::recommended_patch_set(false, n);
      if (hdr) calkit::scale_for_sdr_on_pq_input(sdr_patches, 100);
      calkit::MeasurementSet sdr_set = bench::measure_on_sim(display, sdr_patches.rgb, 1);
      for (const std::string& name : targets) {
        bool hdr_target = name != "bt1886";
        const calkit::MeasurementSet& set = hdr_target ? hdr_set : sdr_set;
        calkit::SolveOptions options;
        options.lut_size = size;
        auto t0 = std::chrono::steady_clock::now();
        calkit::SolveResult r = calkit::solve(set, calkit::target_by_name(name), options);
        double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        bench::Stats s = bench::verify_through_lut(display, r.lut, r, signals, false, as_read);
        bench::Stats f;
        if (floor)
          f = bench::verify_through_lut(display, bench::exact_inverse_lut(display, r), r, signals, false, as_read);
        std::printf(
            "%-17s %-17s %5d | %-7s %6.3f %6.3f %6.3f | %4d %4d | %6.3f %5.1fs | %-5s %6.3f %6.3f | %5.2f %5.2f | "
            "%6.2f %s\n",
            display.c_str(), name.c_str(), n, hdr_target ? "dE ITP" : "dE2000", s.mean, s.p95, s.max, s.count,
            s.skipped, r.fit.model_rms, seconds, "exact", f.mean, f.p95, f.mean > 0 ? s.mean / f.mean : 0,
            f.p95 > 0 ? s.p95 / f.p95 : 0, r.bias.chi2, r.bias.passed ? "pass" : ("bias: " + r.bias.where()).c_str());
        std::fflush(stdout);
      }
    }
  }
  return 0;
}
