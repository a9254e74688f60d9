// bench_solver: time to fit the display model and write 17³, 33³ and 65³ LUTs (.cube) from 500,
// 1000 and 2000 readings of virtual displays, on all cores: wall clock and the process's CPU time
// (on a shared machine the CPU time is the steadier figure). Goals (issue 13): the PQ 65³ LUT from
// 1000 readings of sim:woled-tv in at most 10 s wall on 2 cores, the SDR 33³ from 1000 readings
// of sim:ips-lcd in at most 2 s; the last lines print both against their goals.
// Usage: bench_solver [sim:NAME ...] [--readings N ...] [--size S ...]   (default sim:ips-lcd and
//        sim:woled-tv, 500 1000 2000 readings, 17 33 65; PQ displays use pq-p3d65, the others bt1886)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "luts/lut_io.hpp"
#include "solver_bench_common.hpp"

namespace {

struct Goal {
  std::string display;
  int readings, size;
  double seconds;
  double wall = -1, cpu = -1;
};

double cpu_seconds() { return double(std::clock()) / CLOCKS_PER_SEC; }

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> displays;
  std::vector<int> counts, sizes;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      std::printf(
          "usage: bench_solver [sim:NAME ...] [--readings N ...] [--size S ...]\n"
          "  default sim:ips-lcd sim:woled-tv, 500 1000 2000 readings, LUTs of 17 33 65; PQ displays use pq-p3d65\n"
          "example: bench_solver sim:woled-tv --readings 1000 --size 65   (the PQ goal's case alone)\n");
      return 0;
    }
    if (a == "--readings" || a == "--size") {
      const bool is_size = a == "--size";
      const int least = is_size ? 2 : 20;  // a LUT's nodes per axis; the readings the fit needs
      int value = i + 1 < argc ? std::atoi(argv[++i]) : 0;
      if (value < least) {
        std::fprintf(stderr, "bench_solver: %s needs a number (at least %d)\n", a.c_str(), least);
        return 2;
      }
      (is_size ? sizes : counts).push_back(value);
      continue;
    }
    displays.push_back(a);
  }
  if (displays.empty()) displays = {"sim:ips-lcd", "sim:woled-tv"};
  if (counts.empty()) counts = {500, 1000, 2000};
  if (sizes.empty()) sizes = {17, 33, 65};
  std::vector<Goal> goals{{"sim:woled-tv", 1000, 65, 10.0}, {"sim:ips-lcd", 1000, 33, 2.0}};
  auto dir = std::filesystem::temp_directory_path() / "calkit-bench-solver";
  std::filesystem::create_directories(dir);
  std::printf("%u threads\n", std::thread::hardware_concurrency());
  std::printf("%-15s %-9s %8s %5s | %6s %6s %6s %7s %7s | %s\n", "display", "target", "readings", "LUT", "fit s",
              "LUT s", "write s", "total s", "CPU s", "fit");
  for (const std::string& display : displays) {
    bool hdr = false;
    try {
      hdr = bench::display_is_hdr(display);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "bench_solver: %s\n", e.what());
      return 2;
    }
    std::string target = hdr ? "pq-p3d65" : "bt1886";
    for (int n : counts) {
      calkit::MeasurementSet set = bench::measure_on_sim(display, calkit::recommended_patch_set(hdr, n).rgb, 1);
      for (int size : sizes) {
        calkit::SolveOptions options;
        options.lut_size = size;
        double cpu0 = cpu_seconds();
        auto t0 = std::chrono::steady_clock::now();
        calkit::SolveResult r = calkit::solve(set, calkit::target_by_name(target), options);
        auto t1 = std::chrono::steady_clock::now();
        calkit::write_lut3d(dir / "bench.cube", r.lut);
        auto t2 = std::chrono::steady_clock::now();
        double cpu = cpu_seconds() - cpu0;
        double write = std::chrono::duration<double>(t2 - t1).count();
        double total = std::chrono::duration<double>(t2 - t0).count();
        std::printf("%-15s %-9s %8d %4d³ | %6.2f %6.2f %6.2f %7.2f %7.2f | %s, %d iterations\n", display.c_str(),
                    target.c_str(), n, size, r.fit_seconds, r.lut_seconds, write, total, cpu,
                    r.fit.converged ? "converged" : "NOT converged", r.fit.iterations);
        std::fflush(stdout);
        for (Goal& g : goals)
          if (g.display == display && g.readings == n && g.size == size) {
            g.wall = total;
            g.cpu = cpu;
          }
      }
    }
  }
  for (const Goal& g : goals)
    if (g.wall >= 0)
      std::printf("%s %d³ from %d readings: %.2f s wall, %.2f s CPU (goal: at most %g s wall on 2 cores): %s\n",
                  g.display.c_str(), g.size, g.readings, g.wall, g.cpu, g.seconds,
                  g.wall <= g.seconds ? "met" : "NOT met");
  std::filesystem::remove_all(dir);
  return 0;
}
