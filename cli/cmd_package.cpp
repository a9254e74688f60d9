// `calkit package`: copies a calibration's LUTs, reports and measurements into a folder with an
// ASC MHL manifest; `calkit package verify` proves a received folder intact (exit 1 if not).
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "records/package.hpp"

namespace calkit::cli {

namespace {

struct PackageArgs {
  std::string source;
  std::string output;
  bool json = false;
};

struct PackageVerifyArgs {
  std::string directory;
  bool json = false;
};

void run_package(const PackageArgs& args) {
  if (args.source.empty()) throw ValueError("SRC_DIR", "give the folder to package (or: package verify DIR)");
  if (args.output.empty()) throw ValueError("output", "give the package folder with -o");
  PackageResult result = create_package(args.source, args.output);
  if (args.json) {
    nlohmann::json out{{"directory", result.directory.string()},
                       {"manifest", result.manifest.string()},
                       {"chain", result.chain.string()},
                       {"files", nlohmann::json::array()}};
    for (const auto& file : result.list.files)
      out["files"].push_back({{"path", file.path}, {"size", *file.size},
                              {"xxh64", file.find("xxh64")->value}, {"md5", file.find("md5")->value}});
    std::puts(out.dump(2).c_str());
    return;
  }
  for (const auto& file : result.list.files)
    std::printf("%s  %s  %s\n", file.find("xxh64")->value.c_str(), file.find("md5")->value.c_str(), file.path.c_str());
  std::printf("packaged %zu files into %s\nmanifest %s\n", result.list.files.size(),
              result.directory.string().c_str(), result.manifest.string().c_str());
}

void run_verify(const PackageVerifyArgs& args) {
  PackageCheck check = verify_package(args.directory);
  if (args.json) {
    nlohmann::json out{{"format", "calkit-package-check"}, {"version", 1},
                       {"directory", check.directory.string()}, {"manifest", check.manifest.string()},
                       {"generation", check.generation}, {"files_listed", check.files_listed},
                       {"intact", check.intact()}, {"missing", nlohmann::json::array()},
                       {"changed", nlohmann::json::array()}, {"extra", nlohmann::json::array()}};
    for (const auto& problem : check.problems) {
      auto& list = out[package_problem_kind_name(problem.kind)];
      if (problem.kind == PackageProblemKind::Changed)
        list.push_back({{"path", problem.path}, {"fields", problem.fields}});
      else
        list.push_back(problem.path);
    }
    std::puts(out.dump(2).c_str());
  } else {
    for (const auto& problem : check.problems) std::printf("%s\n", package_problem_line(problem).c_str());
    if (check.intact())
      std::printf("intact: %zu files match %s\n", check.files_listed, check.manifest.string().c_str());
    else
      std::printf("FAILED: %zu problems against %s\n", check.problems.size(), check.manifest.string().c_str());
  }
  std::fflush(stdout);
  if (!check.intact()) throw CommandFailed{1, ""};
}

}  // namespace

void add_package(CLI::App& app) {
  auto args = std::make_shared<PackageArgs>();
  auto* cmd = app.add_subcommand(
      "package",
      "Copy a calibration's LUTs, reports and measurement files into a folder with an ASC MHL v2.0 "
      "manifest (xxh64 and md5 of every file, in DEST_DIR/ascmhl/).\n"
      "Example: calkit package demo-out/ -o suiteB-2026-11-21/   then: calkit package verify suiteB-2026-11-21/");
  cmd->add_option("SRC_DIR", args->source, "the folder to package (e.g. the -o folder of calkit calibrate)");
  cmd->add_option("-o,--out", args->output, "the new package folder");
  cmd->add_flag("--json", args->json, "print the packaged files and their hashes as JSON");

  auto verify_args = std::make_shared<PackageVerifyArgs>();
  auto* verify = cmd->add_subcommand(
      "verify",
      "Re-hash a package against its newest ASC MHL manifest; print each missing, changed or extra "
      "file. Exit 0 intact, 1 on any mismatch, 2 on a malformed manifest.\n"
      "Example: calkit package verify suiteB-2026-11-21/ --json");
  verify->add_option("DIR", verify_args->directory, "the package folder")->required();
  verify->add_flag("--json", verify_args->json, "print the result as JSON");
  verify->callback([verify_args] { run_verify(*verify_args); });

  cmd->callback([cmd, verify, args] {
    if (cmd->got_subcommand(verify)) return;
    run_package(*args);
  });
}

}  // namespace calkit::cli
