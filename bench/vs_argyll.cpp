// bench_vs_argyll: the same virtual display, the same readings and the same verification set
// through calkit and through ArgyllCMS (Debian `argyll`): colprof -qh -aX builds the display
// profile, collink -qh -G -iaw -IB -3c links Rec709.icm (BT.1886 at the display's black) into a
// .cube, which is loaded into the display's LUT slot like calkit's. Prints dE2000 and solve time.
// Usage: bench_vs_argyll [N ...] [--display sim:name]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "formats/ti3.hpp"
#include "luts/lut_io.hpp"
#include "solver_bench_common.hpp"

namespace {

double now_s() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

int run(const std::string& command) { return std::system((command + " > /dev/null 2>&1").c_str()); }

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> counts;
  std::vector<std::string> displays;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--display") && i + 1 < argc)
      displays.push_back(argv[++i]);
    else
      counts.push_back(std::atoi(argv[i]));
  }
  if (counts.empty()) counts = {500, 1000};
  if (displays.empty())
    for (const std::string& d : calkit::builtin_display_names())
      if (!bench::display_is_hdr(d)) displays.push_back(d);  // Argyll's collink has no PQ source
  const std::string source = "/usr/share/color/argyll/ref/Rec709.icm";
  auto dir = std::filesystem::temp_directory_path() / "calkit-bench-vs-argyll";
  std::filesystem::create_directories(dir);
  auto signals = bench::verification_signals();
  std::printf("%-15s %5s | %-7s %6s %6s %6s %7s | %-7s %6s %6s %6s %7s\n", "display", "N", "calkit", "mean", "p95",
              "max", "solve", "Argyll", "mean", "p95", "max", "solve");
  for (const std::string& display : displays)
    for (int n : counts) {
      calkit::MeasurementSet set = bench::measure_on_sim(display, calkit::recommended_patch_set(false, n).rgb, 1);
      double t0 = now_s();
      calkit::SolveOptions options;
      options.lut_size = 33;
      calkit::SolveResult r = calkit::solve(set, calkit::target_by_name("bt1886"), options);
      double calkit_s = now_s() - t0;
      bench::Stats c = bench::verify_through_lut(display, r.lut, r, signals);

      std::string base = (dir / "display").string();
      calkit::write_ti3(base + ".ti3", set);
      std::filesystem::remove(base + ".icc");
      std::filesystem::remove(dir / "link.cube");
      t0 = now_s();
      int rc1 = run("cd " + dir.string() + " && colprof -qh -aX display");
      int rc2 = run("cd " + dir.string() + " && collink -qh -G -iaw -IB -3c -r33 " + source + " display.icc link.icc");
      double argyll_s = now_s() - t0;
      bench::Stats a, ar;
      if (rc1 == 0 && rc2 == 0 && std::filesystem::exists(dir / "link.cube")) {
        calkit::Lut3d link = calkit::read_lut3d(dir / "link.cube");
        a = bench::verify_through_lut(display, link, r, signals);
        ar = bench::verify_through_lut(display, link, r, signals, true);
        std::filesystem::copy_file(dir / "link.cube",
                                   dir.string() + "-" + display.substr(4) + "-" + std::to_string(n) + ".cube",
                                   std::filesystem::copy_options::overwrite_existing);
      }
      std::printf("%-15s %5d | %-7s %6.3f %6.3f %6.3f %6.1fs | %-7s %6.3f %6.3f %6.3f %6.1fs\n", display.c_str(), n,
                  "dE2000", c.mean, c.p95, c.max, calkit_s, a.count ? "dE2000" : "failed", a.mean, a.p95, a.max,
                  argyll_s);
      if (ar.count)
        std::printf("%-15s %5s | %-7s %6s %6s %6s %7s | %-7s %6.3f %6.3f %6.3f  (white scaled to the target's)\n", "",
                    "", "", "", "", "", "", "rel", ar.mean, ar.p95, ar.max);
      std::fflush(stdout);
    }
  std::filesystem::remove_all(dir);
  return 0;
}
