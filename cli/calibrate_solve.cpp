#include "cli/calibrate_solve.hpp"

#include <chrono>
#include <cstdio>

#include <fmt/format.h>

#include "core/files.hpp"
#include "luts/apply.hpp"
#include "luts/lut_io.hpp"
#include "solver/display_profile.hpp"
#include "solver/solve.hpp"

namespace calkit::cli {

void solve_to_files(const MeasurementSet& profile, const Target& target, const SolveStageOptions& stage,
                    const std::filesystem::path& lut, const std::filesystem::path& summary,
                    const std::function<void(const std::string&)>& say) {
  const bool curves_only = stage.curves_only;
  const LutWriteOptions write{stage.icc_version ? stage.icc_version : 4};
  SolveOptions options;
  options.lut_size = stage.size;
  if (curves_only) options.lut1d_size = 256;  // the size of an 8-bit video card table, as dispcal writes
  auto start = std::chrono::steady_clock::now();
  SolveResult solved = solve(profile, target, options);
  std::filesystem::path stem = lut.parent_path() / lut.stem();
  DisplayProfileOptions display;
  display.icc_version = stage.icc_version ? stage.icc_version : 2;
  display.description = "calkit display profile: " + lut.filename().string();
  if (curves_only) {
    solved.lut1d.metadata = solved.lut.metadata;
    write_lut1d(stem.string() + ".cal", solved.lut1d);
    write_lut1d(stem.string() + "-curves.cube", solved.lut1d);
    display.calibration = solved.lut1d;
    Lut3d applied = identity_lut3d(solved.lut.size);
    for (Vec3& v : applied.table) v = apply_1d(solved.lut1d, v);
    applied.title = solved.lut1d.title;
    applied.metadata = solved.lut.metadata;
    write_lut3d(lut, applied, write);
    say("curves only: wrote " + stem.string() + ".cal and " + stem.string() +
        "-curves.cube (load one into the display's or the video card's 1D LUT)");
  } else {
    write_lut3d(lut, solved.lut, write);
  }
  write_file_atomically(stem.string() + "-display.icc", display_profile_icc(solved.model, display));
  write_file_atomically(summary, solve_summary_json(solved));
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  say(fmt::format("solved a {}³ LUT in {:.1f} s (model residual {:.3f}); wrote {}", solved.lut.size, seconds,
                  solved.fit.model_rms, lut.string()));
  say("target: " + solved.target.description());
  for (const std::string& note : solved.notes) say("note: " + note);
  for (const std::string& warning : solved.warnings) std::fprintf(stderr, "calkit: warning: %s\n", warning.c_str());
}

}  // namespace calkit::cli
