// `calkit history`: the verification runs recorded for a display (by `calkit verify` and
// `calkit calibrate`), as a table of drift over time, JSON for scripts, or an HTML page of charts.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "records/history.hpp"
#include "report/html/history_page.hpp"

namespace calkit::cli {

namespace {

struct HistoryArgs {
  std::string display;
  std::string probe, target;
  std::string db;
  std::string html;
  bool list = false;
  bool json = false;
};

nlohmann::json json_number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

std::string cell(double v, int decimals) { return std::isfinite(v) ? fmt::format("{:.{}f}", v, decimals) : "-"; }

void list_displays(const HistoryDb& db, bool json) {
  std::vector<HistoryDisplay> displays = db.displays();
  if (json) {
    nlohmann::json out{{"database", db.path().string()}, {"displays", nlohmann::json::array()}};
    for (const auto& d : displays)
      out["displays"].push_back(
          {{"display", d.display}, {"runs", d.runs}, {"first", d.first_date}, {"last", d.last_date}});
    std::puts(out.dump(2).c_str());
    return;
  }
  if (displays.empty()) std::printf("no runs recorded in %s\n", db.path().c_str());
  for (const auto& d : displays)
    std::printf("%-28s %5d run%s  %s .. %s\n", d.display.c_str(), d.runs, d.runs == 1 ? " " : "s", d.first_date.c_str(),
                d.last_date.c_str());
}

nlohmann::json run_json(const HistoryRun& r, const HistoryRun& reference) {
  return {
      {"id", r.id},
      {"date", r.date},
      {"display", r.display},
      {"probe", r.probe},
      {"correction", r.correction},
      {"target", r.target},
      {"label", r.label},
      {"lut_file", r.lut_file},
      {"lut_xxh64", r.lut_xxh64},
      {"hdr", r.hdr},
      {"white_xy", {json_number(r.white_xy.x), json_number(r.white_xy.y)}},
      {"white_nits", json_number(r.white_nits)},
      {"black_nits", json_number(r.black_nits)},
      {"peak_nits", json_number(r.peak_nits)},
      {"contrast", json_number(r.contrast)},
      {"de2000",
       {{"mean", json_number(r.mean_de2000)}, {"p95", json_number(r.p95_de2000)}, {"max", json_number(r.max_de2000)}}},
      {"de_itp",
       {{"mean", json_number(r.mean_de_itp)}, {"p95", json_number(r.p95_de_itp)}, {"max", json_number(r.max_de_itp)}}},
      {"greyscale_max_de2000", json_number(r.greyscale_max_de2000)},
      {"pass", r.pass},
      {"verdict", r.verdict},
      {"json", r.json_path},
      {"drift",
       {{"reference_id", reference.id},
        {"white_de2000", json_number(white_drift_de2000(reference, r))},
        {"white_delta_xy",
         json_number(std::hypot(r.white_xy.x - reference.white_xy.x, r.white_xy.y - reference.white_xy.y))},
        {"white_nits_pct", json_number(100 * (r.white_nits / reference.white_nits - 1))}}}};
}

void print_table(const std::vector<HistoryRun>& runs, const std::vector<std::size_t>& refs) {
  std::printf("%-20s  %-14s  %-10s  %-12s  %7s %7s  %6s  %8s  %7s  %6s  %6s  %s\n", "date", "probe", "target", "label",
              "white x", "y", "dE00", "white", "peak", "mean", "ITP", "verdict");
  std::printf("%-20s  %-14s  %-10s  %-12s  %7s %7s  %6s  %8s  %7s  %6s  %6s\n", "", "", "", "", "", "", "drift",
              "cd/m²", "cd/m²", "dE00", "mean");
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const HistoryRun& r = runs[i];
    std::printf("%-20s  %-14s  %-10s  %-12s  %7s %7s  %6s  %8s  %7s  %6s  %6s  %s\n", r.date.c_str(), r.probe.c_str(),
                r.target.c_str(), r.label.c_str(), cell(r.white_xy.x, 4).c_str(), cell(r.white_xy.y, 4).c_str(),
                cell(white_drift_de2000(runs[refs[i]], r), 2).c_str(), cell(r.white_nits, 1).c_str(),
                r.hdr ? cell(r.peak_nits, 0).c_str() : "-", cell(r.mean_de2000, 2).c_str(),
                r.hdr ? cell(r.mean_de_itp, 2).c_str() : "-", r.pass ? "PASS" : "FAIL");
  }
}

void run(const HistoryArgs& args) {
  std::filesystem::path path = args.db.empty() ? default_history_path() : std::filesystem::path(args.db);
  HistoryDb db(path, HistoryDb::Mode::Existing);
  if (args.list) {
    list_displays(db, args.json);
    return;
  }
  if (args.display.empty()) throw ValueError("DISPLAY", "name a display (calkit history --list shows them)");
  std::vector<HistoryRun> runs = db.runs({args.display, args.probe, args.target});
  if (runs.empty())
    throw InputError(path.string(), 0, "DISPLAY",
                     "no runs of '" + args.display + "'" + (args.probe.empty() ? "" : " with probe " + args.probe) +
                         (args.target.empty() ? "" : " and target " + args.target) +
                         " (calkit history --list shows the displays)");
  std::vector<std::size_t> refs = drift_references(runs);
  if (!args.html.empty()) write_history_html(args.html, args.display, runs);
  if (args.json) {
    nlohmann::json out{{"format", "calkit-history"},
                       {"version", 1},
                       {"database", path.string()},
                       {"display", args.display},
                       {"runs", nlohmann::json::array()}};
    if (!args.html.empty()) out["html"] = args.html;
    for (std::size_t i = 0; i < runs.size(); ++i) out["runs"].push_back(run_json(runs[i], runs[refs[i]]));
    std::puts(out.dump(2).c_str());
    return;
  }
  print_table(runs, refs);
  if (!args.html.empty()) std::printf("wrote %s\n", args.html.c_str());
}

}  // namespace

void add_history(CLI::App& app) {
  auto args = std::make_shared<HistoryArgs>();
  auto* cmd = app.add_subcommand(
      "history",
      "Show the verifications recorded for a display over time: white point and its drift (dE2000 from the "
      "first run of the same probe, target and label), luminance, mean dE, verdict. calkit verify and calibrate record "
      "every run (see --history, --no-history there).\n"
      "Example: calkit history sim:woled-tv --html woled-history.html\n"
      "         calkit history --list");
  cmd->add_option("display", args->display, "the display, as verify recorded it (--display)");
  cmd->add_option("--probe", args->probe, "only runs with this probe (its name as the table shows it)");
  cmd->add_option("--target,-t", args->target, "only runs against this target");
  cmd->add_option("--db", args->db,
                  "history database (default: $CALKIT_HISTORY, else $XDG_DATA_HOME/calkit/history.db or "
                  "~/.local/share/calkit/history.db)");
  cmd->add_option("--html", args->html, "also write a page with charts of the drift to this file");
  cmd->add_flag("--list", args->list, "list the displays with their number of runs");
  cmd->add_flag("--json", args->json, "print JSON");
  cmd->callback([args] { run(*args); });
}

}  // namespace calkit::cli
