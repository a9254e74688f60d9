// `calkit verify`: measures a verification set through the display chain and compares it with
// the target: per-patch dE, greyscale, EOTF tracking, verdict; JSON and HTML. With a virtual
// display the LUT goes into its LUT slot; with a real chain it is already loaded in the monitor
// or grading system, and --lut only names it (its checksum goes into the report).
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/verify_steps.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "formats/measurement_file.hpp"
#include "luts/lut_io.hpp"
#include "measure/journal.hpp"
#include "measure/session.hpp"
#include "patches/patch_set_table.hpp"
#include "report/html/verification_page.hpp"
#include "report/report_json.hpp"
#include "solver/solve.hpp"

namespace calkit::cli {
namespace {

struct VerifyArgs {
  ChainArgs chain;
  std::string lut;
  std::string profile;
  std::string set;  // empty: hdr for PQ targets, extended for SDR
  std::uint64_t set_seed = 1;
  std::string out_dir;
  std::string name = "verify";
  std::string label;
  std::string before;
  bool resume = false;
  bool strict = false;
  bool json = false;
};

// A PQ display's black and peak, for a LUT that does not carry them (or none): white and black
// read once through the chain before the set (the LUT, if any, in the display's slot).
void measure_display_facts(Rig& rig, const VerifyArgs& args, const Lut3d* lut, const Lut1d* lut1d, Target& target) {
  load_display_luts(rig, lut, lut1d);
  Session session(*rig.probe, *rig.pattern, *rig.clock, session_options(args.chain));
  target.display_peak_nits = session.measure(Vec3::Ones()).XYZ.y();
  target.display_black_XYZ = session.measure(Vec3::Zero()).XYZ.cwiseMax(0.0);
  if (!(target.display_peak_nits > 0))
    throw IoError(args.chain.rig.display, "the display's white reads no light: is the probe on the patch?");
  if (!args.chain.quiet)
    std::fprintf(stderr, "calkit: display peak %.1f cd/m², black %.4f cd/m² (measured)\n", target.display_peak_nits,
                 target.display_black_XYZ.y());
}

void run(const VerifyArgs& args) {
  namespace fs = std::filesystem;
  Target target = target_from(args.chain);
  patch_set_kind(args.set.empty() ? "extended" : args.set);  // an unknown set stops the run before it measures
  // A 3D LUT goes into the display's 3D LUT slot, 1D curves (a .cal, a 1D .cube) into its 1D slot.
  std::optional<Lut3d> lut;
  std::optional<Lut1d> curves;
  if (!args.lut.empty()) {
    if (file_is_lut3d(args.lut))
      lut = read_lut3d(args.lut);
    else
      curves = read_lut1d(args.lut);
  }
  std::optional<VerificationResult> before;
  if (!args.before.empty()) before = read_verification_json(args.before);
  std::optional<MeasurementSet> profile;
  if (!args.profile.empty()) profile = read_measurements(args.profile);

  Rig rig = build_rig(args.chain.rig);
  if (!args.lut.empty() && !rig.display && !args.chain.quiet)
    std::fprintf(stderr, "calkit: %s must already be loaded in the display or grading system\n", args.lut.c_str());
  bool facts = lut ? take_lut_facts(target, lut->metadata) : curves && take_lut_facts(target, curves->metadata);
  if (target.hdr() && !facts)
    measure_display_facts(rig, args, lut ? &*lut : nullptr, curves ? &*curves : nullptr, target);
  Judged judged{target, profile ? shown_colours(*profile, target) : nullptr, facts};
  PatchSet patches = verification_patches(args.set, target, args.set_seed, "extended");
  create_output_folder(args.out_dir);
  VerifyRun run;
  run.judged = judged;
  run.label = !args.label.empty() ? args.label : !args.lut.empty() ? "calibrated" : "uncalibrated";
  run.readings = fs::path(args.out_dir) / (args.name + "-readings.json");
  run.result = fs::path(args.out_dir) / (args.name + ".json");
  if (!args.lut.empty()) {
    run.lut_file = args.lut;
    run.lut = lut ? &*lut : nullptr;
    run.lut1d = curves ? &*curves : nullptr;
  }
  run.resume = args.resume;
  run.stop = install_stop_flag();
  std::optional<VerificationResult> result = run_verification(rig, args.chain, patches, run);
  if (!result) throw_interrupted("verification", journal_path_for(run.readings).string());
  rig.pattern->close();

  fs::path html = fs::path(args.out_dir) / (args.name + ".html");
  std::vector<VerificationResult> runs;
  if (before) runs.push_back(*before);
  runs.push_back(*result);
  write_html_report(html, runs);

  if (args.json) {
    nlohmann::json out{{"pass", result->verdict.pass},
                       {"verdict", result->verdict.line},
                       {"readings", run.readings.string()},
                       {"json", run.result.string()},
                       {"html", html.string()},
                       {"mean_de2000", result->summary.de2000.mean},
                       {"max_de2000", result->summary.de2000.max},
                       {"mean_de_itp", result->summary.de_itp.mean},
                       {"p95_de_itp", result->summary.de_itp.p95},
                       {"max_de_itp", result->summary.de_itp.max}};
    std::puts(out.dump(2).c_str());
  } else {
    if (before) std::printf("before: %s\n", before->verdict.line.c_str());
    std::printf("%s\nwrote %s\nwrote %s\n", result->verdict.line.c_str(), run.result.c_str(), html.c_str());
  }
  std::fflush(stdout);
  if (args.strict && !result->verdict.pass) throw CommandFailed{1, ""};
}

}  // namespace

void add_verify(CLI::App& app) {
  auto args = std::make_shared<VerifyArgs>();
  auto* cmd = app.add_subcommand(
      "verify",
      "Measure a verification set through the display chain and compare it with the target:\n"
      "dE2000 (SDR) / dE ITP (HDR) per patch and in summary, greyscale, EOTF, white, black, verdict.\n"
      "The target lands on the display's black (and a PQ target's on its peak) that a calkit --lut was\n"
      "solved for (else BT.1886 takes the set's black reading, PQ reads black and peak first);\n"
      "with --profile, colours the display cannot show are reported, not judged.\n"
      "Writes <name>-readings.json, <name>.json (calkit report reads it) and <name>.html.\n"
      "Example: calkit verify --probe sim --display sim:woled-tv --target bt1886 --lut out/calibration.cube "
      "--set extended -o verify/");
  add_chain_options(cmd, args->chain);
  cmd->add_option("--lut", args->lut,
                  "the calibration LUT: a 3D LUT, or 1D curves (.cal, 1D .cube) for a display that takes no 3D LUT; "
                  "loaded into a virtual display's 3D or 1D LUT slot; with a real display it must already be loaded "
                  "(named in the report with its checksum)");
  cmd->add_option("--profile", args->profile,
                  "the readings the LUT was solved from: their display model decides which patches the display can "
                  "show (the others are reported, not judged)");
  cmd->add_option("--set", args->set,
                  "verification set: hdr (PQ default), extended (SDR default), colorchecker, greyscale, accuracy, ...");
  cmd->add_option("--set-seed", args->set_seed, "seed of the set's random colours")->capture_default_str();
  cmd->add_option("-o,--out", args->out_dir, "output folder")->required();
  cmd->add_option("--name", args->name, "base name of the files written")->capture_default_str();
  cmd->add_option("--label", args->label, "column title in the report (default: calibrated / uncalibrated)");
  cmd->add_option("--before", args->before, "an earlier verification JSON to show side by side (before/after)");
  cmd->add_flag("--resume", args->resume, "reuse the readings file, or continue its journal");
  cmd->add_flag("--strict", args->strict, "exit with status 1 when the verdict is FAIL");
  cmd->add_flag("--json", args->json, "print the verdict and files as JSON");
  cmd->callback([args] { run(*args); });
}

}  // namespace calkit::cli
