// `calkit match`: two displays (or probes, or dates) compared through their verification runs of
// the same patch set, patch by patch, with a verdict; and `calkit match --solve`: the LUT that
// makes display B show what display A shows (A's measured response as the target).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/json.hpp"
#include "core/progress.hpp"
#include "formats/measurement_file.hpp"
#include "luts/lut_io.hpp"
#include "report/html/match_page.hpp"
#include "report/match.hpp"
#include "report/report_json.hpp"
#include "solver/invert.hpp"
#include "solver/match_plan.hpp"
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

// A verification JSON (`calkit verify`, `calibrate`'s verify-*.json), else readings in any
// format read_measurements takes (.ti3, calkit measurements JSON such as verify-*-readings.json,
// .csv).
bool is_verification_file(const std::string& path) {
  if (fs::path(path).extension() != ".json") return false;
  nlohmann::json doc = nlohmann::json::parse(read_file_text(path), nullptr, false);
  return doc.is_object() && doc.contains("format") && doc["format"] == "calkit-verification";
}

VerificationResult read_run(const std::string& path, bool hdr) {
  return is_verification_file(path) ? read_verification_json(path) : run_from_readings(read_measurements(path), hdr);
}

MeasurementSet read_readings(const std::string& path) {
  return is_verification_file(path) ? readings_of_run(read_verification_json(path)) : read_measurements(path);
}

int run_compare(const MatchArgs& a) {
  VerificationResult reference = read_run(a.reference, a.hdr);
  VerificationResult display = read_run(a.display, a.hdr);
  MatchOptions options;
  options.thresholds = a.thresholds;
  options.reference_file = a.reference;
  options.display_file = a.display;
  MatchResult result = compare_runs(reference, display, options);
  create_output_folder(a.out_dir);
  fs::path json_path = fs::path(a.out_dir) / (a.name + ".json");
  fs::path html_path = fs::path(a.out_dir) / (a.name + ".html");
  write_file_atomically(json_path, format_match_json(result));
  write_match_html(html_path, result);
  if (a.json) {
    nlohmann::json out{{"pass", result.verdict.pass},
                       {"verdict", result.verdict.line},
                       {"probes_differ", result.probes_differ},
                       {"notes", result.notes},
                       {"advice", result.advice},
                       {"not_shown", result.not_shown},
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
    for (const auto& line : result.advice) std::puts(("advice: " + line).c_str());
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
  MeasurementSet reference = read_readings(a.reference);
  MatchTarget target = match_target(reference, file_name(a.reference), target_options);
  MeasurementSet display = read_readings(a.display);

  create_output_folder(a.out_dir);
  SolveOptions options;
  options.lut_size = a.size;
  Progress progress("solving LUT nodes", 100, a.quiet || a.json);
  options.progress = [&progress](double done) { progress.update_fraction(done); };
  SolveResult result;
  try {
    result = solve(display, target.target, options);
  } catch (const InputError& e) {
    if (e.file().empty()) throw e.in_file(a.display);
    throw;
  }
  progress.finish();
  for (const std::string& path : luts) write_lut3d(path, result.lut);
  // A's colours B cannot show (beyond its gamut, brighter than its white, darker than its black):
  // listed, so that a verification through the LUT is read knowing them.
  DeviceMapper mapper(result.model, result.target, result.fit.model_rms);
  nlohmann::json not_shown = nlohmann::json::array();
  for (const Reading& r : reference.readings) {
    Vec3 wanted = target.target.XYZ(r.rgb);
    if (!mapper.shows(wanted))
      not_shown.push_back({{"signal", vec_json(r.rgb)},
                           {"reference_XYZ", vec_json(r.XYZ)},
                           {"target_XYZ", vec_json(wanted)},
                           {"display_shows_XYZ", vec_json(mapper.mapped_XYZ(wanted))}});
  }
  nlohmann::json summary = nlohmann::json::parse(solve_summary_json(result));
  summary["not_shown"] = not_shown;
  summary["reference"] = {{"file", a.reference},
                          {"readings", target.fit.readings},
                          {"model_rms", target.fit.model_rms},
                          {"max_residual", target.fit.max_residual},
                          {"white_XYZ",
                           {target.model->XYZ(Vec3::Ones()).x(), target.model->XYZ(Vec3::Ones()).y(),
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
  std::puts(fmt::format("B cannot show {} of A's {} colours (listed in {} as not_shown){}", not_shown.size(),
                        reference.readings.size(), (a.name + "-solve.json"), not_shown.empty() ? "" : ":")
                .c_str());
  for (std::size_t i = 0; i < not_shown.size() && i < 8; ++i)
    std::puts(fmt::format("  signal {} {} {}", not_shown[i]["signal"][0].get<double>(),
                          not_shown[i]["signal"][1].get<double>(), not_shown[i]["signal"][2].get<double>())
                  .c_str());
  if (not_shown.size() > 8) std::puts(fmt::format("  ... and {} more", not_shown.size() - 8).c_str());
  for (const std::string& path : luts) std::puts(("wrote " + path).c_str());
  std::puts(("wrote " + summary_path.string()).c_str());
  return 0;
}

struct PlanArgs {
  std::string a, b;
  std::string out_dir;
  std::string name = "target";
  MatchPlanOptions options;
  bool json = false;
};

int run_plan(const PlanArgs& p) {
  MatchPlan plan = plan_match(read_readings(p.a), p.a, read_readings(p.b), p.b, p.options);
  fs::create_directories(p.out_dir);
  fs::path path = fs::path(p.out_dir) / (p.name + ".json");
  std::string text = format_target_file(plan);
  write_file_atomically(path, text);
  if (p.json) {
    nlohmann::json out = nlohmann::json::parse(text);
    out["file"] = path.string();
    std::puts(out.dump(2).c_str());
    return 0;
  }
  std::puts(("target: " + plan.target.description()).c_str());
  for (const auto& reason : plan.reasons) std::puts(("why: " + reason).c_str());
  std::puts(("wrote " + path.string()).c_str());
  std::puts(
      fmt::format("next: calkit calibrate --target {} ... in each room, then calkit match", path.string()).c_str());
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
      "Example: calkit match --solve --reference A/verify-after.json --display B/profile.ti3 -o match/ --format "
      "cube,clf\n"
      "Example: calkit match plan A/profile.ti3 B/profile.ti3 -o plan/");
  cmd->add_option("--reference,-a", a->reference,
                  "A: a verification JSON or readings (.ti3, calkit readings .json, .csv); with --solve, A's readings "
                  "as calibrated");
  cmd->add_option("--display,-b", a->display, "B: the same (with --solve: B's profile readings)");
  cmd->add_option("-o,--out", a->out_dir, "output folder");
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
  cmd->add_flag("--hdr", a->hdr, "the signal is PQ (--solve: fit and map in ICtCp; readings files: judge by dE ITP)");
  cmd->add_flag("--quiet,-q", a->quiet, "no progress");

  auto p = std::make_shared<PlanArgs>();
  CLI::App* plan = cmd->add_subcommand(
      "plan",
      "Propose the target two rooms can both reach, from each display's readings as it is (uncalibrated: a\n"
      "profile .ti3, or a verification without a LUT; black, white and the full primaries are needed): the\n"
      "white luminance both show, the higher black shared by both, the gamut both show. Writes a target file\n"
      "for calibrate/solve/verify --target FILE in both rooms, and says why.\n"
      "Example: calkit match plan roomA/profile.ti3 roomB/profile.ti3 -o plan/ && calkit calibrate --target "
      "plan/target.json ...");
  plan->add_option("A", p->a, "room A's readings")->required();
  plan->add_option("B", p->b, "room B's readings")->required();
  plan->add_option("-o,--out", p->out_dir, "output folder")->required();
  plan->add_option("--name", p->name, "base name of the target file")->capture_default_str();
  plan->add_option("--white-nits", p->options.white_nits, "the white wanted (lowered to what both rooms show)")
      ->capture_default_str();
  plan->add_option("--gamma", p->options.gamma, "BT.1886 exponent")->capture_default_str();
  plan->add_flag("--pure-power", p->options.pure_power, "black + (white - black)·V^gamma instead of BT.1886");
  plan->add_flag("--json", p->json, "print the target file and its path as JSON");
  plan->callback([p] { run_plan(*p); });

  cmd->callback([cmd, plan, a] {
    if (cmd->got_subcommand(plan)) return;
    if (a->reference.empty() || a->display.empty() || a->out_dir.empty())
      throw ValueError("reference",
                       "match needs --reference A, --display B and -o DIR (or: calkit match plan A B -o DIR)");
    int code = a->solve ? run_solve(*a) : run_compare(*a);
    if (code != 0) throw CommandFailed{code, ""};  // --strict FAIL
  });
}

}  // namespace calkit::cli
