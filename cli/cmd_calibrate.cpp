// `calkit calibrate`: the whole chain in one command: measure a profiling set → verify the
// uncalibrated display → solve the LUT → load it → verify again → before/after report. Every
// stage writes its file into the output folder; --resume skips the stages whose file exists and
// continues an interrupted measurement from its journal.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/calibrate_solve.hpp"
#include "cli/commands.hpp"
#include "cli/verify_steps.hpp"
#include "color/transfer.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "formats/measurement_file.hpp"
#include "luts/lut_io.hpp"
#include "measure/journal.hpp"
#include "measure/journaled_run.hpp"
#include "patches/patch_set_table.hpp"
#include "patches/patch_sets.hpp"
#include "report/html/verification_page.hpp"
#include "solver/adaptive.hpp"
#include "solver/solve.hpp"
#include "upload/upload_destinations.hpp"

namespace calkit::cli {
namespace {

namespace fs = std::filesystem;

struct CalibrateArgs {
  ChainArgs chain;
  int patches = 1000;
  std::string verify_set;  // empty: hdr for PQ targets, accuracy for SDR
  int size = 0;
  std::string lut_name = "calibration.cube";
  std::string out_dir;
  bool resume = false;
  bool no_wait = false;
  bool no_adjust = false;
  bool curves_only = false;
  bool adaptive = false;
  int icc_version = 0;  // 0: 4 for an ICC device link (--lut NAME.icc), 2 for the display profile
  std::string upload;   // --upload DEST (upload/upload_destinations.hpp)
  bool strict = false;
  bool json = false;
};

// Stage files in the output folder.
struct Files {
  fs::path patches, profile, lut, curves, solve_summary, before_readings, before, after_readings, after, report;
  explicit Files(const CalibrateArgs& a) {
    fs::path o = a.out_dir;
    patches = o / "patches.ti1";
    profile = o / "profile.ti3";
    lut = o / a.lut_name;
    curves = o / (fs::path(a.lut_name).stem().string() + "-curves.cube");  // --curves-only
    solve_summary = o / (fs::path(a.lut_name).stem().string() + "-solve.json");
    before_readings = o / "verify-before-readings.json";
    before = o / "verify-before.json";
    after_readings = o / "verify-after-readings.json";
    after = o / "verify-after.json";
    report = o / "report.html";
  }
};

void say(const CalibrateArgs& a, const std::string& line) {
  if (!a.chain.quiet) std::fprintf(stderr, "calkit: %s\n", line.c_str());
}

bool reuse(const CalibrateArgs& a, const fs::path& file) {
  if (!a.resume || !fs::exists(file)) return false;
  say(a, "resume: keeping " + file.string());
  return true;
}

// The recommended set for the target, scaled to where the LUT will drive a PQ-input display
// shown an SDR target.
PatchSet profiling_patches(const CalibrateArgs& a, const Files& f, const Target& target, const Rig& rig) {
  // Always regenerated (deterministic): a .ti1 holds 0..100 values, which do not read back to the
  // same doubles, and the journal is keyed on the exact values.
  PatchSet set = recommended_patch_set(target.hdr(), a.patches);
  if (rig.display && rig.display->model().eotf == PanelEotf::Pq && !target.hdr())
    scale_for_sdr_on_pq_input(set, target.white_nits);
  if (!reuse(a, f.patches)) write_patches(f.patches, set);
  return set;
}

// Measures `patches` into `out` (journaled: an interrupted run continues with --resume), and
// returns the readings as read back from it.
MeasurementSet measure_into(const CalibrateArgs& a, Rig& rig, const PatchSet& patches, const fs::path& patches_file,
                            const fs::path& out, const std::string& label, const std::atomic<bool>* stop) {
  if (reuse(a, out)) return read_measurements(out);
  load_display_luts(rig, nullptr, nullptr);  // the display as it is
  Session session(*rig.probe, *rig.pattern, *rig.clock, session_options(a.chain));
  JournaledRunOptions options;
  options.resume = a.resume;
  options.quiet = a.chain.quiet;
  options.label = label;
  options.stop = stop;
  options.rig = rig_binding(a.chain.rig, rig);
  options.info = {{"created_by", std::string("calkit calibrate ") + CALKIT_VERSION},
                  {"display", a.chain.rig.display},
                  {"probe", rig.probe->identity().model},
                  {"pattern_generator", rig.pattern->name()},
                  {"patches", patches_file.string()},
                  {"window_percent", fmt::format("{}", a.chain.window)}};
  SessionResult result = measure_journaled(session, patches, out, options);
  if (!result.complete) throw_interrupted("the " + label + " measurement", journal_path_for(out).string());
  // The solve reads the readings back from the file, as a resumed run does: .ti3 stores them
  // normalised to the white (ArgyllCMS's convention), which does not return every double to its
  // last bit, and an interrupted run must solve to the same bytes as an uninterrupted one.
  return read_measurements(out);
}

MeasurementSet measure_profile(const CalibrateArgs& a, const Files& f, Rig& rig, const PatchSet& patches,
                               const std::atomic<bool>* stop) {
  return measure_into(a, rig, patches, f.patches, f.profile, "profile", stop);
}

// --adaptive (issue 20, solver/adaptive.hpp): a starting set, then batches chosen from the
// readings so far until the budget is spent or the model predicts two batches in a row to within
// 1.2 times the meter's noise. Each batch is a pair of files, patches-batch-K.ti1 and
// profile-batch-K.ti3, and each choice is made from the batches before it as read back from their
// files, so a resumed run makes the same choices (the journal, keyed on the patch values, checks
// it). All batches together are profile.ti3.
MeasurementSet measure_profile_adaptively(const CalibrateArgs& a, const Files& f, Rig& rig, const Target& target,
                                          const std::atomic<bool>* stop) {
  if (reuse(a, f.profile)) return read_measurements(f.profile);
  const AdaptivePlan plan = adaptive_plan(a.patches);
  const bool sdr_on_pq = rig.display && rig.display->model().eotf == PanelEotf::Pq && !target.hdr();
  MeasurementSet all;
  std::vector<int> sizes;
  AdaptiveStop stop_rule;
  bool predicted_within_noise = false;
  for (int k = 0; int(all.readings.size()) < a.patches; ++k) {
    PatchSet batch;
    AdaptiveBatch next;
    if (k == 0) {
      batch = adaptive_starting_set(target.hdr(), a.patches, plan.start);
      if (sdr_on_pq) scale_for_sdr_on_pq_input(batch, target.white_nits);
    } else {
      AdaptiveOptions options;
      options.count = std::min(plan.batch, a.patches - int(all.readings.size()));
      next = next_adaptive_batch(all, target, options);
      say(a, fmt::format("batch {}: {} patches where the model fitted to {} readings is least sure (fit {:.3f} dE, "
                         "predicted error of a new reading {:.3f} dE, residuals {:.2f}x the noise's variance)",
                         k, next.rgb.size(), next.readings, next.fit_rms, next.predicted_rms, next.chi2));
      if (next.rgb.empty()) break;
      batch = PatchSet{fmt::format("adaptive batch {}", k), next.rgb};
    }
    const fs::path patches_file = fs::path(a.out_dir) / fmt::format("patches-batch-{}.ti1", k);
    if (!reuse(a, patches_file)) write_patches(patches_file, batch);
    MeasurementSet read =
        measure_into(a, rig, batch, patches_file, fs::path(a.out_dir) / fmt::format("profile-batch-{}.ti3", k),
                     fmt::format("profile batch {}", k), stop);
    if (k > 0) {
      BatchPrediction p = predict_batch(next.model, read);
      say(a, fmt::format("batch {}: the model predicted its {} readings to {:.3f} dE RMS ({:.2f}x the meter's noise)",
                         k, p.readings, p.rms, p.noise_units));
      predicted_within_noise = stop_rule.after(p);
    }
    if (all.info.empty()) all.info = read.info;
    all.readings.insert(all.readings.end(), read.readings.begin(), read.readings.end());
    sizes.push_back(int(read.readings.size()));
    if (predicted_within_noise) {
      say(a, fmt::format("stopping at {} of {} patches: the model predicts new readings within the meter's noise",
                         all.readings.size(), a.patches));
      break;
    }
  }
  all.info.erase("patch_set_hash");  // each batch file has its own
  all.info["patches"] = "patches-batch-*.ti1";
  all.info["adaptive_batches"] = fmt::format("{}", fmt::join(sizes, " "));
  write_measurements(f.profile, all);
  return read_measurements(f.profile);
}

// Solves and writes the LUT; the LUT verified is read back from its file, so what is verified
// (and checksummed in the report) is exactly what the file holds.
Lut3d solve_lut(const CalibrateArgs& a, const Files& f, const MeasurementSet& profile, const Target& target) {
  if (a.resume && fs::exists(f.lut) && (!a.curves_only || fs::exists(f.curves))) {
    // calkit writes LUTs atomically, but one torn by anything else is solved again, not kept.
    try {
      Lut3d kept = read_lut3d(f.lut);
      say(a, "resume: keeping " + f.lut.string());
      return kept;
    } catch (const InputError& e) {
      std::fprintf(stderr, "calkit: warning: resume: %s; solving it again\n", e.what());
    }
  }
  solve_to_files(profile, target, {a.size, a.curves_only, a.icc_version}, f.lut, f.solve_summary,
                 [&](const std::string& line) { say(a, line); });
  return read_lut3d(f.lut);
}

VerificationResult verify_stage(const CalibrateArgs& a, Rig& rig, const Judged& judged, const PatchSet& set,
                                const std::string& label, const fs::path& readings, const fs::path& result,
                                const Lut3d* lut, const Lut1d* curves, const fs::path& lut_file,
                                const std::atomic<bool>* stop) {
  VerifyRun run;
  run.judged = judged;
  run.label = label;
  run.readings = readings;
  run.result = result;
  run.lut = lut;
  run.lut1d = curves;
  run.lut_file = lut_file;
  run.resume = a.resume;
  run.stop = stop;
  std::optional<VerificationResult> out = run_verification(rig, a.chain, set, run);
  if (!out) throw_interrupted("verification (" + label + ")", journal_path_for(readings).string());
  return *out;
}

// The files the calibration depends on that another site needs (a probe correction, a target
// file shared by two rooms) are kept in the output folder, so that its package carries them.
void keep_input(const CalibrateArgs& a, const std::string& path) {
  if (path.empty() || !fs::is_regular_file(path)) return;  // a name, not a file
  fs::path kept = fs::path(a.out_dir) / fs::path(path).filename();
  if (fs::exists(kept) && fs::equivalent(kept, path)) return;
  write_file_atomically(kept, read_file_bytes(path));
  say(a, "kept " + kept.string() + " (the package carries it)");
}

void run(const CalibrateArgs& a) {
  if (a.patches < 20 || a.patches > 20000) throw ValueError("--patches", "must be 20..20000");
  Target target = target_from(a.chain);
  if (!a.upload.empty()) check_upload_spec(a.upload);       // a bad destination stops the run before it measures
  if (!a.verify_set.empty()) patch_set_kind(a.verify_set);  // an unknown set stops the run before it measures
  Rig rig = build_rig(a.chain.rig);
  create_output_folder(a.out_dir);
  keep_input(a, a.chain.rig.correction);
  keep_input(a, a.chain.target);
  Files f(a);
  const std::atomic<bool>* stop = install_stop_flag();

  // On a terminal, the display's own controls come first (issue 18): a white far from the
  // target's costs the LUT code range, which no calibration gives back.
  if (!a.no_adjust && !(a.resume && fs::exists(f.profile)) && ::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO)) {
    say(a, "first bring the display's white near the target with its own controls (--no-adjust skips this)");
    run_adjust_screen(rig, a.chain, adjust_target_for(target, 0.002, 0.03), {false, 0, true});
    if (stop->load())
      throw CommandFailed{kExitInterrupted, "interrupted while adjusting the display: nothing measured"};
  }
  MeasurementSet profile = a.adaptive ? measure_profile_adaptively(a, f, rig, target, stop)
                                      : measure_profile(a, f, rig, profiling_patches(a, f, target, rig), stop);
  // One target for the solve and both verifications: the LUT carries the display facts it was
  // solved for, and the profile's model says which colours the display shows.
  Lut3d lut = solve_lut(a, f, profile, target);
  const bool facts = take_lut_facts(target, lut.metadata);
  Judged judged{target, shown_colours(profile, target), facts};
  PatchSet verify_set = verification_patches(a.verify_set, target, 1, "accuracy");
  VerificationResult before =
      verify_stage(a, rig, judged, verify_set, "uncalibrated", f.before_readings, f.before, nullptr, nullptr, {}, stop);
  // The LUT the calibrated display applies: what the destination holds when it can be read back
  // (an LG TV's, as it decoded it), else the file's; with --curves-only, the curves file in the
  // display's 1D LUT (a destination that takes a 3D LUT gets the 3D LUT that applies them).
  std::optional<Lut3d> held;
  std::optional<Lut1d> curves;
  if (a.curves_only && a.upload.empty()) curves = read_lut1d(f.curves);
  const fs::path& loaded = curves ? f.curves : f.lut;
  if (!a.upload.empty()) {
    UploadRequest request{f.lut, lut, target.hdr(), [&](const std::string& line) { say(a, line); }};
    UploadResult uploaded = upload_lut(a.upload, request);
    say(a, uploaded.summary);
    held = uploaded.held_lut;
  }
  if (!rig.display && !held) {
    // A real chain: the user loads (or, uploaded to Resolve, picks) the LUT, then verifies.
    std::fprintf(stderr, "calkit: %s %s in the display or grading system, then press Enter\n",
                 a.upload.empty() ? "load" : "select", loaded.c_str());
    if (!a.no_wait) {
      std::string line;
      std::getline(std::cin, line);
    }
  }
  VerificationResult after = verify_stage(a, rig, judged, verify_set, "calibrated", f.after_readings, f.after,
                                          curves ? nullptr
                                          : held ? &*held
                                                 : &lut,
                                          curves ? &*curves : nullptr, loaded, stop);
  rig.pattern->close();
  write_html_report(f.report, {before, after});

  if (a.json) {
    nlohmann::json out{{"lut", f.lut.string()},
                       {"report", f.report.string()},
                       {"before", {{"pass", before.verdict.pass}, {"verdict", before.verdict.line}}},
                       {"after", {{"pass", after.verdict.pass}, {"verdict", after.verdict.line}}}};
    std::puts(out.dump(2).c_str());
  } else {
    std::printf("before (uncalibrated): %s\n", before.verdict.line.c_str());
    std::printf("after (calibrated):    %s\n", after.verdict.line.c_str());
    std::printf("LUT:    %s\nreport: %s\n", f.lut.c_str(), f.report.c_str());
  }
  std::fflush(stdout);
  if (a.strict && !after.verdict.pass) throw CommandFailed{1, ""};
}

}  // namespace

void add_calibrate(CLI::App& app) {
  auto a = std::make_shared<CalibrateArgs>();
  auto* cmd = app.add_subcommand(
      "calibrate",
      "Measure → solve → verify uncalibrated → load the LUT → verify, with a before/after report. Each\n"
      "stage writes its file into the output folder (patches.ti1, profile.ti3, the LUT, verify-before.json,\n"
      "verify-after.json, report.html); --resume skips finished stages and continues an interrupted\n"
      "measurement. Both verifications judge against the target the LUT was solved for (PQ: its\n"
      "mastering peak and roll-off onto the display's measured black and peak) and leave out colours\n"
      "the display cannot show (reported, not judged).\n"
      "Example: calkit calibrate --probe sim --display sim:woled-tv --target bt1886 --patches 1000 -o out/\n"
      "         calkit calibrate --probe sim --display sim:ips-lcd --adaptive --patches 250 -o out/\n"
      "         calkit calibrate --probe sim --display sim:ips-lcd --curves-only -o desk/\n"
      "         calkit calibrate --probe sim --display sim:ips-lcd --lut calibration.icc --icc-version 2 -o out/");
  add_chain_options(cmd, a->chain);
  cmd->add_option("--patches,-n", a->patches,
                  "profiling patches (the recommended set for the target); with --adaptive, the most measured")
      ->capture_default_str();
  cmd->add_flag("--adaptive", a->adaptive,
                "measure a starting set, then batches chosen where the model fitted to the readings so far is least "
                "sure (patches-batch-K.ti1, profile-batch-K.ti3); stops early when it predicts new readings within "
                "the meter's noise");
  cmd->add_option("--verify-set", a->verify_set,
                  "verification set: hdr (PQ default: greys over the PQ range, P3 colours at the display's levels), "
                  "accuracy (SDR default: as bench/accuracy), extended, colorchecker, greyscale, ...");
  cmd->add_option("--size,-s", a->size, "3D LUT nodes per axis; default 33 for SDR targets, 65 for PQ");
  cmd->add_option("--lut", a->lut_name, "LUT file name in the output folder; the extension picks the format")
      ->capture_default_str();
  cmd->add_option("-o,--out", a->out_dir, "output folder")->required();
  cmd->add_flag("--resume", a->resume, "skip stages whose file exists; continue an interrupted measurement");
  cmd->add_option("--upload", a->upload,
                  "put the LUT onto the display chain before the calibrated verification: " + upload_usage());
  cmd->add_flag("--curves-only", a->curves_only,
                "1D calibration curves (white point and tone) for displays that take no 3D LUT: <lut>.cal "
                "(ArgyllCMS, video card), <lut>-curves.cube (1D), verified through the display's 1D LUT; the LUT "
                "file is the 3D LUT that applies the same curves");
  cmd->add_option("--icc-version", a->icc_version,
                  "ICC version, 2 or 4, of the LUT when --lut names an .icc device link (default 4) and of the "
                  "display profile (default 2, which every desktop and ArgyllCMS 2.3 read)")
      ->check(CLI::IsMember({2, 4}));
  cmd->add_flag("--no-adjust", a->no_adjust,
                "do not start with the adjust screen (on a terminal, calibrate first shows `calkit adjust`)");
  cmd->add_flag("--no-wait", a->no_wait, "real displays: do not wait for Enter after writing the LUT");
  cmd->add_flag("--strict", a->strict, "exit with status 1 when the calibrated verdict is FAIL");
  cmd->add_flag("--json", a->json, "print the LUT, report and verdicts as JSON");
  cmd->callback([a] { run(*a); });
}

}  // namespace calkit::cli
