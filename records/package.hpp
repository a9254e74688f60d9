#pragma once
// Calibration packages: the LUTs, reports and measurement files of a calibration copied into one
// folder with an ASC MHL v2.0 manifest (formats/mhl.hpp) in its ascmhl/ subfolder, so the site
// that receives the folder can prove every file arrived intact.
#include <cstddef>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "formats/mhl.hpp"

namespace calkit {

// True for the files a package carries, by extension (case-insensitive): LUTs (.cube .3dl .clf
// .icc .icm .ocio), reports (.html .json), measurements and patch sets (.ti1 .ti3 .csv) and
// probe corrections (.ccmx .ccss). Journals and temp files are left out.
bool is_package_file(const std::filesystem::path& path);

// The package files below `source`, relative and '/' separated, sorted; skips any ascmhl/ folder
// and the folder `skip` (the destination when it lies inside the source).
std::vector<std::string> collect_package_files(const std::filesystem::path& source,
                                               const std::filesystem::path& skip = {});

struct PackageOptions {
  std::string hostname;  // empty: this machine's name
  std::time_t now = 0;   // 0: the current time
};

struct PackageResult {
  std::filesystem::path directory;
  std::filesystem::path manifest;  // <directory>/ascmhl/0001_<name>_<date>Z.mhl
  std::filesystem::path chain;     // <directory>/ascmhl/ascmhl_chain.xml
  MhlHashList list;
};

// Copies the package files of `source` into `destination` (keeping relative paths and
// modification times), hashes every copy (xxh64 and md5, in parallel) and writes generation 1 of
// the manifest and the chain. Throws InputError when source is not a folder, holds no package
// file, or destination already has an ascmhl/ folder.
PackageResult create_package(const std::filesystem::path& source, const std::filesystem::path& destination,
                             const PackageOptions& options = {});

enum class PackageProblemKind { Missing, Changed, Extra };

struct PackageProblem {
  PackageProblemKind kind;
  std::string path;                 // relative to the package folder
  std::vector<std::string> fields;  // Changed: what differs (size, xxh64, md5, c4)
};

struct PackageCheck {
  std::filesystem::path directory;
  std::filesystem::path manifest;  // the newest generation that was checked
  int generation = 0;
  std::size_t files_listed = 0;
  std::vector<PackageProblem> problems;  // missing, then changed, then extra; each by path

  bool intact() const { return problems.empty(); }
};

// Re-hashes every file the newest manifest generation lists, checks the chain's hash of that
// manifest and looks for unlisted files. Throws InputError for a folder without ascmhl/ or a
// malformed manifest or chain (naming file, line and field).
PackageCheck verify_package(const std::filesystem::path& directory);

// "missing: x.cube", "changed: x.cube (xxh64, md5)", "extra: notes.txt".
std::string package_problem_line(const PackageProblem& problem);
const char* package_problem_kind_name(PackageProblemKind kind);

}  // namespace calkit
