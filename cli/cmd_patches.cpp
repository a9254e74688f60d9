// `calkit patches`: writes a patch set (.ti1 or .json) for a measurement session.
#include <cstdio>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "formats/measurement_file.hpp"
#include "patches/patch_set_table.hpp"
#include "patches/patch_sets.hpp"
#include "solver/adaptive.hpp"
#include "solver/match_plan.hpp"
#include "solver/target.hpp"

namespace calkit::cli {
namespace {

struct PatchesArgs {
  std::string set = "recommended";
  int count = 0;  // 0: the set's default
  std::string target = "bt1886";
  std::string order = "auto";
  std::uint64_t seed = 1;
  std::string output;
  bool json = false;
  int next = -1;             // --next N: the next adaptive batch (-1: not asked)
  std::string measurements;  // the readings so far
};

// --next (issue 20): without readings, the starting set of an adaptive run; with them, the
// next batch (solver/adaptive.hpp).
void run_next(const PatchesArgs& args) {
  if (args.next < 1 || args.next > 20000) throw ValueError("--next", "must be 1..20000");
  Target target = target_by_name_or_file(args.target, {});
  nlohmann::json out{{"out", args.output}, {"target", target.name}};
  PatchSet set;
  if (args.measurements.empty()) {
    // --count: the run's budget (default: the starting set's share of it, solver/adaptive.hpp).
    int budget = args.count > 0 ? args.count : std::max(32, args.next * 5 / 2);
    if (budget < args.next) throw ValueError("--count", "the run's budget must be at least --next");
    set = adaptive_starting_set(target.hdr(), budget, args.next);
  } else {
    AdaptiveOptions options;
    options.count = args.next;
    options.seed = args.seed;
    AdaptiveBatch next = next_adaptive_batch(read_measurements(args.measurements), target, options);
    set = PatchSet{fmt::format("adaptive batch of {} patches after {} readings", next.rgb.size(), next.readings),
                   next.rgb};
    out["readings"] = next.readings;
    out["fit_rms"] = next.fit_rms;
    out["predicted_rms"] = next.predicted_rms;
    out["chi2"] = next.chi2;
  }
  write_patches(args.output, set);
  out["patches"] = set.rgb.size();
  out["description"] = set.description;
  if (args.json)
    std::puts(out.dump(2).c_str());
  else
    std::fprintf(stderr, "calkit: wrote %zu patches (%s) to %s\n", set.rgb.size(), set.description.c_str(),
                 args.output.c_str());
}

void run(const PatchesArgs& args) {
  if (args.next >= 0) return run_next(args);
  ChartEncoding encoding = chart_encoding_by_name(args.target);
  if (args.order != "auto" && args.order != "nearest" && args.order != "none")
    throw ValueError("--order", fmt::format("'{}': use auto, nearest or none", args.order));
  PatchSet set = patch_set_by_name(args.set, args.count, encoding, args.seed);
  // Profiling sets are measured in a similarity tour; ramps and charts keep their natural order.
  bool order = args.order == "nearest" || (args.order == "auto" && patch_set_kind(args.set).ordered);
  if (order) set = order_for_measurement(set);
  write_patches(args.output, set);
  if (args.json)
    std::puts(nlohmann::json{{"out", args.output},
                             {"set", patch_set_kind(args.set).name},
                             {"patches", set.rgb.size()},
                             {"description", set.description},
                             {"ordered", order}}
                  .dump(2)
                  .c_str());
  else
    std::fprintf(stderr, "calkit: wrote %zu patches (%s) to %s\n", set.rgb.size(), set.description.c_str(),
                 args.output.c_str());
}

}  // namespace

void add_patches(CLI::App& app) {
  auto args = std::make_shared<PatchesArgs>();
  auto* cmd =
      app.add_subcommand("patches",
                         "Write a patch set (device RGB) for `calkit measure`.\n"
                         "Example: calkit patches --set optimised --count 1000 -o set.ti1\n"
                         "         calkit patches --set colorchecker --target pq-p3d65 -o cc.ti1\n"
                         "         calkit patches --next 25 --measurements so-far.ti3 --target bt1886 -o next.ti1");
  cmd->add_option("--set", args->set, fmt::format("which set: {}", fmt::join(patch_set_names(), ", ")))
      ->capture_default_str();
  cmd->add_option("--count", args->count,
                  "patches, steps (ramps, sweeps) or points per side (cube); default: the set's (calkit "
                  "patches --list)");
  cmd->add_option("--target", args->target,
                  "bt1886, pq-p3d65 or pq-rec2020: encoding of the charts and SDR/HDR recommended set (with --next, "
                  "also a calkit-target file)")
      ->capture_default_str();
  cmd->add_option("--order", args->order,
                  "auto (profiling sets in a nearest-neighbour tour from black), nearest or none")
      ->capture_default_str();
  cmd->add_option(
      "--next", args->next,
      "adaptive measurement: the next N patches given --measurements (without: the starting set of a run of "
      "--count patches)");
  cmd->add_option("--measurements", args->measurements,
                  "with --next: the readings so far (.ti3, .json, .csv); the batch goes where the display model "
                  "fitted to them is least sure, among the colours the --target's LUT sends")
      ->needs("--next");
  cmd->add_option("--seed", args->seed, "seed of the random choices")->capture_default_str();
  cmd->add_option("-o,--out", args->output, "output .ti1 or .json")->required();
  cmd->add_flag("--json", args->json, "print what was written as JSON");
  cmd->callback([args] { run(*args); });
}

}  // namespace calkit::cli
