#include "cli/calibrate_solve.hpp"

#include <chrono>
#include <cstdio>

#include <fmt/format.h>

#include "core/files.hpp"
#include "luts/lut_io.hpp"
#include "solver/solve.hpp"

namespace calkit::cli {

void solve_to_files(const MeasurementSet& profile, const Target& target, int size, const std::filesystem::path& lut,
                    const std::filesystem::path& summary, const std::function<void(const std::string&)>& say) {
  SolveOptions options;
  options.lut_size = size;
  auto start = std::chrono::steady_clock::now();
  SolveResult solved = solve(profile, target, options);
  write_lut3d(lut, solved.lut);
  write_file_atomically(summary, solve_summary_json(solved));
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  say(fmt::format("solved a {}³ LUT in {:.1f} s (model residual {:.3f}); wrote {}", solved.lut.size, seconds,
                  solved.fit.model_rms, lut.string()));
  say("target: " + solved.target.description());
  for (const std::string& note : solved.notes) say("note: " + note);
  for (const std::string& warning : solved.warnings) std::fprintf(stderr, "calkit: warning: %s\n", warning.c_str());
}

}  // namespace calkit::cli
