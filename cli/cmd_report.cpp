// `calkit report`: renders the HTML verification report from one or two verification JSON files
// (written by `calkit verify`); two files are shown side by side as before and after.
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
#include "report/html/verification_page.hpp"
#include "report/report_json.hpp"

namespace calkit::cli {

namespace {

struct ReportArgs {
  std::vector<std::string> inputs;
  std::string output;
  bool json = false;
};

void run(const ReportArgs& args) {
  if (args.inputs.empty() || args.inputs.size() > 2)
    throw ValueError("inputs", "give one verification JSON, or two (before and after)");
  std::vector<VerificationResult> runs;
  for (const auto& input : args.inputs) runs.push_back(read_verification_json(input));
  std::filesystem::path output = args.output;
  if (output.empty()) output = std::filesystem::path(args.inputs.back()).replace_extension(".html");
  write_html_report(output, runs);

  if (args.json) {
    nlohmann::json out{{"html", output.string()}, {"runs", nlohmann::json::array()}};
    for (std::size_t i = 0; i < runs.size(); ++i)
      out["runs"].push_back({{"file", args.inputs[i]},
                             {"label", runs[i].info.label},
                             {"pass", runs[i].verdict.pass},
                             {"verdict", runs[i].verdict.line}});
    std::puts(out.dump(2).c_str());
    return;
  }
  for (std::size_t i = 0; i < runs.size(); ++i)
    std::printf("%s: %s\n", args.inputs[i].c_str(), runs[i].verdict.line.c_str());
  std::printf("wrote %s\n", output.string().c_str());
}

}  // namespace

void add_report(CLI::App& app) {
  auto args = std::make_shared<ReportArgs>();
  auto* cmd = app.add_subcommand("report",
                                 "Render the HTML verification report from verification JSON (one run, or two: "
                                 "before and after).\n"
                                 "Example: calkit report uncalibrated.json calibrated.json -o report.html");
  cmd->add_option("inputs", args->inputs, "verification JSON files (as calkit verify writes them)")->required();
  cmd->add_option("-o,--out", args->output, "the HTML file (default: the last input with .html)");
  cmd->add_flag("--json", args->json, "print the verdicts and the output path as JSON");
  cmd->callback([args] { run(*args); });
}

}  // namespace calkit::cli
