// bench_accuracy: for every built-in virtual display and its targets, measure N patches with the
// SimProbe (noise on), solve a LUT of the solver's default size, load it into the display's LUT
// slot and verify on a separate set (greyscale, sweeps, 250 random colours). Prints dE2000 (SDR)
// or dE ITP (HDR).
// Usage: bench_accuracy [N ...] [--display sim:name] [--size N] (default: 33³ SDR, 65³ PQ)
//        [--as-read]: verify with what the SimProbe reads (noise on), as `calkit verify` does
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
  bool as_read = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--display") && i + 1 < argc)
      displays.push_back(argv[++i]);
    else if (!std::strcmp(argv[i], "--size") && i + 1 < argc)
      size = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--as-read"))
      as_read = true;
    else
      counts.push_back(std::atoi(argv[i]));
  }
  if (counts.empty()) counts = {250, 500, 1000, 2000};
  if (displays.empty()) displays = calkit::builtin_display_names();
  auto signals = bench::verification_signals();
  std::printf("%-17s %-17s %5s | %-7s %6s %6s %6s | %4s %4s | %6s %6s\n", "display", "target", "N", "metric", "mean",
              "p95", "max", "n", "skip", "fit", "solve");
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
        std::printf("%-17s %-17s %5d | %-7s %6.3f %6.3f %6.3f | %4d %4d | %6.3f %5.1fs\n", display.c_str(),
                    name.c_str(), n, hdr_target ? "dE ITP" : "dE2000", s.mean, s.p95, s.max, s.count, s.skipped,
                    r.fit.model_rms, seconds);
        std::fflush(stdout);
      }
    }
  }
  return 0;
}
