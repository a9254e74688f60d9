// `calkit package`: copies a calibration's LUTs, reports and measurements into a folder with an
// ASC MHL manifest; `calkit package verify` proves a received folder intact (exit 1 if not).
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "records/package.hpp"

namespace calkit::cli {

namespace {

// Who writes a generation of the package's history (ASC MHL <creatorinfo>).
struct CustodyArgs {
  std::string author, email, phone, role, location, comment;

  GenerationInfo generation() const {
    GenerationInfo info;
    if (!author.empty())
      info.authors.push_back({author, email, phone, role});
    else if (!email.empty() || !phone.empty() || !role.empty())
      throw ValueError("--author", "--email, --phone and --role describe an --author: name them");
    info.location = location;
    info.comment = comment;
    return info;
  }
};

void add_custody_options(CLI::App* cmd, CustodyArgs& a) {
  cmd->add_option("--author", a.author, "who writes this generation (ASC MHL <author>)");
  cmd->add_option("--email", a.email, "the author's e-mail");
  cmd->add_option("--phone", a.phone, "the author's phone");
  cmd->add_option("--role", a.role, "the author's role, e.g. DIT, colorist");
  cmd->add_option("--location", a.location, "where, e.g. the suite");
  cmd->add_option("--comment", a.comment, "a note (verify --record writes the result here by default)");
}

struct PackageArgs {
  std::string source;
  std::string output;
  std::string hashes = "xxh64,md5";
  CustodyArgs custody;
  bool json = false;
};

struct PackageVerifyArgs {
  std::string directory;
  bool record = false;
  CustodyArgs custody;
  bool json = false;
};

std::vector<std::string> split_formats(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string f; std::getline(in, f, ',');)
    if (!f.empty()) out.push_back(f);
  return out;
}

void run_package(const PackageArgs& args) {
  if (args.source.empty()) throw ValueError("SRC_DIR", "give the folder to package (or: package verify DIR)");
  if (args.output.empty()) throw ValueError("output", "give the package folder with -o");
  PackageOptions options;
  options.formats = split_formats(args.hashes);
  options.generation = args.custody.generation();
  create_output_folder(args.output);
  PackageResult result = create_package(args.source, args.output, options);
  if (args.json) {
    nlohmann::json out{{"directory", result.directory.string()},
                       {"manifest", result.manifest.string()},
                       {"chain", result.chain.string()},
                       {"generation", result.generation},
                       {"files", nlohmann::json::array()}};
    for (const auto& file : result.list.files) {
      nlohmann::json entry{{"path", file.path}, {"size", *file.size}};
      for (const auto& hash : file.hashes) entry[hash.format] = hash.value;
      out["files"].push_back(entry);
    }
    std::puts(out.dump(2).c_str());
    return;
  }
  for (const auto& file : result.list.files) {
    for (const auto& hash : file.hashes) std::printf("%s  ", hash.value.c_str());
    std::printf("%s\n", file.path.c_str());
  }
  std::printf("packaged %zu files into %s (generation %d)\nmanifest %s\n", result.list.files.size(),
              result.directory.string().c_str(), result.generation, result.manifest.string().c_str());
}

void run_verify(const PackageVerifyArgs& args) {
  GenerationInfo record;
  if (args.record) record = args.custody.generation();
  PackageCheck check = verify_package(args.directory, args.record ? &record : nullptr);
  if (args.json) {
    nlohmann::json out{{"format", "calkit-package-check"},      {"version", 2},
                       {"directory", check.directory.string()}, {"manifest", check.manifest.string()},
                       {"generation", check.generation},        {"generations", check.generations},
                       {"files_listed", check.files_listed},    {"intact", check.intact()},
                       {"recorded", check.recorded.string()},   {"missing", nlohmann::json::array()},
                       {"changed", nlohmann::json::array()},    {"extra", nlohmann::json::array()},
                       {"link", nlohmann::json::array()}};
    for (const auto& problem : check.problems) {
      auto& list = out[package_problem_kind_name(problem.kind)];
      if (problem.kind == PackageProblemKind::Changed)
        list.push_back({{"path", problem.path}, {"fields", problem.fields}});
      else if (problem.kind == PackageProblemKind::Link)
        list.push_back({{"path", problem.path}, {"target", problem.fields.front()}});
      else
        list.push_back(problem.path);
    }
    std::puts(out.dump(2).c_str());
  } else {
    for (const auto& problem : check.problems) std::printf("%s\n", package_problem_line(problem).c_str());
    if (check.intact())
      std::printf("intact: %zu files match their original hashes (%d generations, newest %s)\n", check.files_listed,
                  check.generations, check.manifest.string().c_str());
    else
      std::printf("FAILED: %zu problems (%d generations, newest %s)\n", check.problems.size(), check.generations,
                  check.manifest.string().c_str());
    if (!check.recorded.empty()) std::printf("recorded %s\n", check.recorded.string().c_str());
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
      "history (DEST_DIR/ascmhl/); a folder that has one gets its next generation.\n"
      "Example: calkit package demo-out/ -o suiteB-2026-11-21/ --author \"Ann Op\" --role DIT   then: calkit "
      "package verify suiteB-2026-11-21/ --record");
  cmd->add_option("SRC_DIR", args->source, "the folder to package (e.g. the -o folder of calkit calibrate)");
  cmd->add_option("-o,--out", args->output, "the package folder (new, or a package to add to)");
  cmd->add_option("--hash", args->hashes, "hash formats of new files: c4, md5, sha1, xxh128, xxh3, xxh64")
      ->capture_default_str();
  add_custody_options(cmd, args->custody);
  cmd->add_flag("--json", args->json, "print the packaged files and their hashes as JSON");

  auto verify_args = std::make_shared<PackageVerifyArgs>();
  auto* verify = cmd->add_subcommand(
      "verify",
      "Re-hash a package against the original hashes of its ASC MHL history; print each missing, changed "
      "or extra file and each link. Exit 0 intact, 1 on any problem, 2 on a malformed manifest.\n"
      "Example: calkit package verify suiteB-2026-11-21/ --record --author \"Bo Client\" --location \"Suite B\"");
  verify->add_option("DIR", verify_args->directory, "the package folder")->required();
  verify->add_flag("--record", verify_args->record,
                   "add a generation to the history saying who verified it, where, and what was found");
  add_custody_options(verify, verify_args->custody);
  verify->add_flag("--json", verify_args->json, "print the result as JSON");
  verify->callback([verify_args] { run_verify(*verify_args); });

  cmd->callback([cmd, verify, args] {
    if (cmd->got_subcommand(verify)) return;
    run_package(*args);
  });
}

}  // namespace calkit::cli
