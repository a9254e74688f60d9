// `calkit solve`: readings (.ti3 from calkit or ArgyllCMS dispread, calkit JSON, CSV) + a target
// -> calibration LUT(s) and a JSON summary of the fitted display model and its residuals.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "color/colorimetry.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/progress.hpp"
#include "formats/measurement_file.hpp"
#include "luts/lut_io.hpp"
#include "solver/display_profile.hpp"
#include "solver/match_plan.hpp"
#include "solver/solve.hpp"

namespace calkit::cli {

namespace {

struct SolveCliOptions {
  std::string measurements;
  std::string target = "bt1886";
  int size = 0;
  std::string formats = "cube";
  int icc_version = 0;  // 0: 4 for device links, 2 for display profiles
  std::string out_dir;
  std::string name = "calibration";
  double white_nits = 100;
  double gamma = 2.4;
  bool pure_power = false;
  std::string white_xy;
  std::string primaries;
  std::string container;
  std::string roll_off = "bt2390";
  double mastering_peak = 1000;
  std::string range = "full";
  int lut1d = 0;
  int threads = 0;
  bool json = false;
  bool quiet = false;
};

std::vector<double> numbers(const std::string& text, size_t count, const std::string& field) {
  std::vector<double> out;
  std::stringstream ss(text);
  std::string cell;
  while (std::getline(ss, cell, ',')) {
    try {
      size_t used = 0;
      out.push_back(std::stod(cell, &used));
      if (used != cell.size()) throw std::invalid_argument(cell);
    } catch (const std::exception&) {
      throw ValueError(field, "'" + text + "' is not a comma-separated list of numbers");
    }
  }
  if (out.size() != count) throw ValueError(field, fmt::format("expected {} numbers, got '{}'", count, text));
  return out;
}

std::vector<std::string> split(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream ss(text);
  std::string cell;
  while (std::getline(ss, cell, ','))
    if (!cell.empty()) out.push_back(cell);
  return out;
}

// First file extension of a LUT format, by its name ("cube" -> ".cube").
std::string extension_for(const std::string& format) {
  for (const LutFormatInfo& f : lut_formats())
    if (f.name == format) return f.extensions.substr(0, f.extensions.find(' '));
  std::string known;
  for (const std::string& n : lut_format_names()) known += (known.empty() ? "" : ", ") + n;
  throw ValueError("format", "unknown LUT format '" + format + "' (known: " + known + ")");
}

Target target_from(const SolveCliOptions& o) {
  TargetOptions t;
  t.white_nits = o.white_nits;
  t.gamma = o.gamma;
  t.pure_power = o.pure_power;
  t.mastering_peak = o.mastering_peak;
  t.container = o.container;
  t.roll_off = roll_off_by_name(o.roll_off);
  if (!o.white_xy.empty()) {
    auto v = numbers(o.white_xy, 2, "white-xy");
    t.white_xy = Xy{v[0], v[1]};
  }
  if (!o.primaries.empty()) {
    auto v = numbers(o.primaries, 6, "primaries");
    for (double c : v)
      if (!(c > 0 && c < 1)) throw ValueError("primaries", "chromaticities must lie in (0, 1)");
    t.primaries = RgbSpace{"custom", {v[0], v[1]}, {v[2], v[3]}, {v[4], v[5]}, kD65};
  }
  return target_by_name_or_file(o.target, t);
}

void run_solve(const SolveCliOptions& o) {
  SolveOptions options;
  options.lut_size = o.size;
  options.lut1d_size = o.lut1d;
  options.threads = o.threads;
  if (o.range == "full")
    options.range = LutRange::Full;
  else if (o.range == "legal")
    options.range = LutRange::Legal;
  else
    throw ValueError("range", "expected full or legal, got '" + o.range + "'");
  std::vector<std::string> formats = split(o.formats);
  // Two outputs are not 3D LUTs: the display profile and the calibration curves (.cal).
  auto take = [&](const std::string& name) {
    auto found = std::find(formats.begin(), formats.end(), name);
    if (found == formats.end()) return false;
    formats.erase(found);
    return true;
  };
  const bool display_profile = take("icc-display"), curves = take("cal");
  if (formats.empty() && !display_profile && !curves) throw ValueError("format", "no LUT format given");
  if (curves) options.lut1d_size = std::max(options.lut1d_size, 256);
  std::vector<std::string> extensions;
  for (const std::string& f : formats) extensions.push_back(extension_for(f));
  Target target = target_from(o);
  MeasurementSet set = read_measurements(o.measurements);

  create_output_folder(o.out_dir);
  Progress progress("solving LUT nodes", 100, o.quiet || o.json);
  options.progress = [&progress](double done) { progress.update_fraction(done); };
  SolveResult result;
  try {
    result = solve(set, target, options);
  } catch (const InputError& e) {
    // Name the measurement file the bad readings came from.
    if (e.file().empty()) throw e.in_file(o.measurements);
    throw;
  }
  progress.finish();
  for (const std::string& warning : result.warnings) std::fprintf(stderr, "calkit: warning: %s\n", warning.c_str());

  std::vector<std::string> written;
  for (const std::string& ext : extensions) {
    auto path = std::filesystem::path(o.out_dir) / (o.name + ext);
    write_lut3d(path, result.lut, {o.icc_version ? o.icc_version : 4});
    written.push_back(path.string());
  }
  if (o.lut1d > 0) {
    auto path = std::filesystem::path(o.out_dir) / (o.name + "-greyscale.cube");
    write_lut1d(path, result.lut1d);
    written.push_back(path.string());
  }
  if (curves) {
    auto path = std::filesystem::path(o.out_dir) / (o.name + ".cal");
    write_lut1d(path, result.lut1d);
    written.push_back(path.string());
  }
  if (display_profile) {
    DisplayProfileOptions d;
    d.icc_version = o.icc_version ? o.icc_version : 2;
    d.description = "calkit " + o.name + (curves ? " (with its calibration curves)" : "");
    if (curves) d.calibration = result.lut1d;
    auto path = std::filesystem::path(o.out_dir) / (o.name + "-display.icc");
    write_file_atomically(path, display_profile_icc(result.model, d));
    written.push_back(path.string());
  }
  auto summary_path = std::filesystem::path(o.out_dir) / (o.name + "-solve.json");
  write_file_atomically(summary_path, solve_summary_json(result));
  written.push_back(summary_path.string());

  if (o.json) {
    nlohmann::json j = nlohmann::json::parse(solve_summary_json(result));
    j["files"] = written;
    std::puts(j.dump(2).c_str());
    return;
  }
  std::puts(fmt::format("{}: {} readings, model residual {:.3f} {} RMS (predicted {:.3f})", o.measurements,
                        result.fit.readings, result.fit.model_rms, target.hdr() ? "dE ITP" : "dE76", result.fit.gcv_rms)
                .c_str());
  std::puts(fmt::format("target: {}", result.target.description()).c_str());
  std::puts(fmt::format("{}³ LUT, {} nodes mapped into the display's gamut, fit {:.2f} s, LUT {:.2f} s",
                        result.lut.size, result.mapped_nodes, result.fit_seconds, result.lut_seconds)
                .c_str());
  for (const std::string& note : result.notes) std::puts(("note: " + note).c_str());
  for (const std::string& f : written) std::puts(("wrote " + f).c_str());
}

}  // namespace

void add_pq_target_options(CLI::App* cmd, double& mastering_peak, std::string& roll_off) {
  cmd->add_option("--mastering-peak", mastering_peak,
                  "PQ: the content's mastering peak, cd/m² (docs/targets.md: how to choose)")
      ->capture_default_str();
  cmd->add_option("--roll-off", roll_off,
                  "PQ onto a display whose peak is below the mastering peak: bt2390 (ITU-R BT.2390 EETF onto the "
                  "display's measured black and peak) or clip (absolute PQ, clipped at the display's peak)")
      ->capture_default_str();
}

void add_solve(CLI::App& app) {
  auto o = std::make_shared<SolveCliOptions>();
  CLI::App* cmd = app.add_subcommand(
      "solve",
      "Fit a display model to readings and invert it into a calibration 3D LUT (and optionally a\n"
      "greyscale-only 1D LUT). The LUT's input is the target-encoded signal, its output the signal\n"
      "the display receives, both full range unless --range legal.\n"
      "Example: calkit solve --measurements meas.ti3 --target bt1886 --size 33 --format cube,clf,icc -o out/");
  cmd->add_option("--measurements,-m", o->measurements, "readings: .ti3 (calkit or ArgyllCMS dispread), .json, .csv")
      ->required();
  cmd->add_option("--target,-t", o->target,
                  "bt1886, pq-p3d65, pq-p3d65-rec2020, pq-rec2020, or a target file (calkit match plan)")
      ->capture_default_str();
  cmd->add_option("--size,-s", o->size,
                  "3D LUT nodes per axis (17, 33, 65, ...); default 33 for SDR targets, 65 for PQ");
  cmd->add_option("--format,-f", o->formats,
                  "comma-separated: cube, 3dl, clf, icc, ocio (3D LUTs); cal (1D calibration curves, ArgyllCMS); "
                  "icc-display (an ICC display profile of the display, through the .cal curves when both)")
      ->capture_default_str();
  cmd->add_option("--icc-version", o->icc_version,
                  "ICC version, 2 or 4 (default: 4 for device links, 2 for display profiles, which every desktop "
                  "and ArgyllCMS 2.3 read)")
      ->check(CLI::IsMember({2, 4}));
  cmd->add_option("-o,--out", o->out_dir, "output folder")->required();
  cmd->add_option("--name", o->name, "base name of the files written")->capture_default_str();
  cmd->add_option("--white-nits", o->white_nits, "SDR white luminance, cd/m²")->capture_default_str();
  cmd->add_option("--gamma", o->gamma, "BT.1886 / power-law exponent")->capture_default_str();
  cmd->add_flag("--pure-power", o->pure_power, "SDR: pure power law over the display's black instead of BT.1886");
  cmd->add_option("--white-xy", o->white_xy, "white point override, CIE 1931 x,y (e.g. 0.3127,0.3290)");
  cmd->add_option("--primaries", o->primaries, "custom primaries rx,ry,gx,gy,bx,by");
  cmd->add_option("--container", o->container, "PQ: encoding container (rec2020) when the gamut is smaller");
  add_pq_target_options(cmd, o->mastering_peak, o->roll_off);
  cmd->add_option("--range", o->range, "full or legal (video-range input and output)")->capture_default_str();
  cmd->add_option("--lut1d", o->lut1d, "also write a greyscale-only 1D LUT of this many entries (e.g. 1024)");
  cmd->add_option("--threads", o->threads, "worker threads (0: all cores)")->capture_default_str();
  cmd->add_flag("--json", o->json, "print the model summary as JSON");
  cmd->add_flag("--quiet,-q", o->quiet, "no progress");
  cmd->callback([o] { run_solve(*o); });
}

}  // namespace calkit::cli
