// `calkit match`: two displays (or probes, or dates) compared through their verification runs of
// the same patch set, patch by patch, with a verdict; and `calkit match --solve`: the LUT that
// makes display B show what display A shows (A's measured response as the target).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "core/files.hpp"
#include "formats/measurement_file.hpp"
#include "luts/lut_io.hpp"
#include "report/html/match_page.hpp"
#include "report/match.hpp"
#include "report/report_json.hpp"
#include "solver/match_target.hpp"
#include "solver/solve.hpp"

namespace calkit::cli {

namespace {

namespace fs = std::filesystem;

struct MatchArgs {
  std::string reference;
  std::string display;
  std::string out_dir;
  std::string name = "match";
  MatchThresholds thresholds;
  bool json = false;
  bool strict = false;
  // --solve
  bool solve = false;
  int size = 0;
  std::string formats = "cube";
  bool hdr = false;
  bool quiet = false;
};

std::string file_name(const std::string& path) { return fs::path(path).filename().string(); }

int run_compare(const MatchArgs& a) {
  VerificationResult reference = read_verification_json(a.reference);
  VerificationResult display = read_verification_json(a.display);
  MatchOptions options;
  options.thresholds = a.thresholds;
  options.reference_file = a.reference;
  options.display_file = a.display;
  MatchResult result = compare_runs(reference, display, options);
  fs::create_directories(a.out_dir);
  fs::path json_path = fs::path(a.out_dir) / (a.name + ".json");
  fs::path html_path = fs::path(a.out_dir) / (a.name + ".html");
  write_file_atomically(json_path, format_match_json(result));
  write_match_html(html_path, result);
  if (a.json) {
    nlohmann::json out{{"pass", result.verdict.pass},
                       {"verdict", result.verdict.line},
                       {"probes_differ", result.probes_differ},
                       {"notes", result.notes},
                       {"json", json_path.string()},
                       {"html", html_path.string()},
                       {"mean_de2000", result.de2000.mean},
                       {"max_de2000", result.de2000.max},
                       {"mean_de_itp", result.de_itp.mean},
                       {"white_de2000", std::isfinite(result.white.de2000) ? nlohmann::json(result.white.de2000)
                                                                          : nlohmann::json(nullptr)}};
    std::puts(out.dump(2).c_str());
  } else {
    for (const auto& note : result.notes) std::puts(("note: " + note).c_str());
    std::puts(result.verdict.line.c_str());
    std::puts(("wrote " + json_path.string()).c_str());
    std::puts(("wrote " + html_path.string()).c_str());
  }
  return a.strict && !result.verdict.pass ? 1 : 0;
}

std::vector<std::string> lut_paths(const MatchArgs& a) {
  std::vector<std::string> known = lut_format_names(), out;
  std::stringstream ss(a.formats);
  std::string f;
  while (std::getline(ss, f, ',')) {
    if (f.empty()) continue;
    if (std::find(known.begin(), known.end(), f) == known.end())
      throw ValueError("format", fmt::format("unknown LUT format '{}' (known: {})", f, fmt::join(known, ", ")));
    out.push_back((fs::path(a.out_dir) / (a.name + "." + f)).string());  // each format's extension is its name
  }
  if (out.empty()) throw ValueError("format", "no LUT format given");
  return out;
}

int run_solve(const MatchArgs& a) {
  std::vector<std::string> luts = lut_paths(a);
  MatchTargetOptions target_options;
  target_options.hdr = a.hdr;
  MatchTarget target = match_target(read_measurements(a.reference), file_name(a.reference), target_options);
  MeasurementSet display = read_measurements(a.display);

  SolveOptions options;
  options.lut_size = a.size;
  Progress progress("solving LUT nodes", 100, a.quiet || a.json);
  options.progress = [&progress](double done) { progress.update_fraction(done); };
  SolveResult result;
  try {
    result = solve(display, target.target, options);
  } catch (const InputError& e) {
    if (e.file().empty()) throw InputError(a.display + ": " + e.what());
    throw;
  }
  progress.finish();
  fs::create_directories(a.out_dir);
  for (const std::string& path : luts) write_lut3d(path, result.lut);
  nlohmann::json summary = nlohmann::json::parse(solve_summary_json(result));
  summary["reference"] = {{"file", a.reference},
                          {"readings", target.fit.readings},
                          {"model_rms", target.fit.model_rms},
                          {"max_residual", target.fit.max_residual},
                          {"white_XYZ", {target.model->XYZ(Vec3::Ones()).x(), target.model->XYZ(Vec3::Ones()).y(),
                                         target.model->XYZ(Vec3::Ones()).z()}}};
  fs::path summary_path = fs::path(a.out_dir) / (a.name + "-solve.json");
  write_file_atomically(summary_path, summary.dump(2) + "\n");
  if (a.json) {
    summary["files"] = luts;
    summary["files"].push_back(summary_path.string());
    std::puts(summary.dump(2).c_str());
    return 0;
  }
  std::puts(fmt::format("reference {}: {} readings, model residual {:.3f} {} RMS", a.reference, target.fit.readings,
                        target.fit.model_rms, a.hdr ? "dE ITP" : "dE76")
                .c_str());
  std::puts(fmt::format("display {}: {} readings, model residual {:.3f}; {}³ LUT, {} nodes mapped into its gamut",
                        a.display, result.fit.readings, result.fit.model_rms, result.lut.size, result.mapped_nodes)
                .c_str());
  for (const std::string& note : result.notes) std::puts(("note: " + note).c_str());
  for (const std::string& path : luts) std::puts(("wrote " + path).c_str());
  std::puts(("wrote " + summary_path.string()).c_str());
  return 0;
}

}  // namespace

void add_match(CLI::App& app) {
  auto a = std::make_shared<MatchArgs>();
  CLI::App* cmd = app.add_subcommand(
      "match",
      "Match two displays. Compare two verification runs of the same patch set (A the reference, B the\n"
      "display; two displays, two probes or two dates) patch by patch: dE2000 (dE ITP for HDR), greyscale,\n"
      "white, black and peak, and a verdict; writes <name>.json and <name>.html. With --solve, read A's and\n"
      "B's measurements and write the LUT that makes B show what A shows for the same signal.\n"
      "Example: calkit match --reference suiteA/verify.json --display suiteB/verify.json -o match/\n"
      "Example: calkit match --solve --reference A.ti3 --display B.ti3 -o match/ --size 33 --format cube,clf");
  cmd->add_option("--reference,-a", a->reference, "A: verification JSON (with --solve: A's measurements .ti3/.json/.csv)")
      ->required();
  cmd->add_option("--display,-b", a->display, "B: verification JSON (with --solve: B's measurements)")->required();
  cmd->add_option("-o,--out", a->out_dir, "output folder")->required();
  cmd->add_option("--name", a->name, "base name of the files written")->capture_default_str();
  cmd->add_option("--max-mean-de2000", a->thresholds.mean_de2000, "SDR: largest mean dE2000 that passes")
      ->capture_default_str();
  cmd->add_option("--max-de2000", a->thresholds.max_de2000, "SDR: largest dE2000 of any patch")->capture_default_str();
  cmd->add_option("--max-white-de2000", a->thresholds.white_de2000, "SDR: largest dE2000 between the whites")
      ->capture_default_str();
  cmd->add_option("--max-mean-deitp", a->thresholds.mean_de_itp, "HDR: largest mean dE ITP")->capture_default_str();
  cmd->add_option("--max-deitp", a->thresholds.max_de_itp, "HDR: largest dE ITP of any patch (off unless given)");
  cmd->add_flag("--strict", a->strict, "exit 1 when the match fails");
  cmd->add_flag("--json", a->json, "print the verdict (or, with --solve, the solve summary) as JSON");
  cmd->add_flag("--solve", a->solve, "write a LUT for B that makes it match A (from measurements)");
  cmd->add_option("--size,-s", a->size, "--solve: 3D LUT nodes per axis; default 33 for SDR targets, 65 for PQ");
  cmd->add_option("--format,-f", a->formats, "--solve: comma-separated LUT formats: cube, 3dl, clf, icc, ocio")
      ->capture_default_str();
  cmd->add_flag("--hdr", a->hdr, "--solve: the signal is PQ (fit and map in ICtCp)");
  cmd->add_flag("--quiet,-q", a->quiet, "no progress");
  cmd->callback([a] {
    int code = a->solve ? run_solve(*a) : run_compare(*a);
    if (code != 0) throw CommandFailed{code, ""};  // --strict FAIL
  });
}

}  // namespace calkit::cli
