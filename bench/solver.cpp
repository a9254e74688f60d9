// bench_solver: time to fit the display model and write 17³, 33³ and 65³ LUTs (.cube) from 500,
// 1000 and 2000 readings of a virtual display, on all cores. Goal: 65³ from 2000 patches in
// under 10 s on 2 cores.
// Usage: bench_solver [display] (default sim:ips-lcd)
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>

#include "luts/lut_io.hpp"
#include "solver_bench_common.hpp"

int main(int argc, char** argv) {
  std::string display = argc > 1 ? argv[1] : "sim:ips-lcd";
  if (display == "--help" || display == "-h") {
    std::printf("usage: bench_solver [sim:NAME]   (default sim:ips-lcd; PQ displays use pq-p3d65)\n");
    return 0;
  }
  bool hdr = false;
  try {
    hdr = bench::display_is_hdr(display);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_solver: %s\n", e.what());
    return 2;
  }
  std::string target = hdr ? "pq-p3d65" : "bt1886";
  auto dir = std::filesystem::temp_directory_path() / "calkit-bench-solver";
  std::filesystem::create_directories(dir);
  std::printf("%s, target %s, %u threads\n", display.c_str(), target.c_str(),
              std::thread::hardware_concurrency());
  std::printf("%8s %5s | %8s %8s %8s %8s\n", "readings", "LUT", "fit s", "LUT s", "write s",
              "total s");
  for (int n : {500, 1000, 2000}) {
    calkit::MeasurementSet set =
        bench::measure_on_sim(display, calkit::recommended_patch_set(hdr, n).rgb, 1);
    for (int size : {17, 33, 65}) {
      calkit::SolveOptions options;
      options.lut_size = size;
      auto t0 = std::chrono::steady_clock::now();
      calkit::SolveResult r = calkit::solve(set, calkit::target_by_name(target), options);
      auto t1 = std::chrono::steady_clock::now();
      calkit::write_lut3d(dir / ("bench.cube"), r.lut);
      auto t2 = std::chrono::steady_clock::now();
      double write = std::chrono::duration<double>(t2 - t1).count();
      double total = std::chrono::duration<double>(t2 - t0).count();
      std::printf("%8d %4d³ | %8.2f %8.2f %8.2f %8.2f\n", n, size, r.fit_seconds, r.lut_seconds,
                  write, total);
      std::fflush(stdout);
    }
  }
  std::filesystem::remove_all(dir);
  return 0;
}
