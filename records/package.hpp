#pragma once
// Calibration packages: the LUTs, reports and measurement files of a calibration copied into one
// folder with an ASC MHL v2.0 history (formats/mhl.hpp) in its ascmhl/ subfolder, so every site
// that receives the folder can prove every file is what the first site sent, and add its own
// generation to the chain of custody.
//
// The history follows the ASC MHL specification v1.0 (and its reference tool, ascmhl 1.1): a file
// is judged against the hashes its earliest generation recorded as "original" (§5.3.3: the
// generations together are the record); every generation the chain lists must be present and
// match its C4 ID; generations are numbered by their file names. A package never follows a
// symbolic link: links are listed as problems and never read.
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
// and the folder `skip` (the destination when it lies inside the source). InputError for a
// package file that is a symbolic link (package the file it points to instead).
std::vector<std::string> collect_package_files(const std::filesystem::path& source,
                                               const std::filesystem::path& skip = {});

// Who writes a generation and how (spec §6.4.2).
struct GenerationInfo {
  std::vector<MhlAuthor> authors;
  std::string location;
  std::string comment;
  std::string hostname;  // empty: this machine's name
  std::time_t now = 0;   // 0: the current time
};

struct PackageOptions {
  GenerationInfo generation;
  std::vector<std::string> formats = {"xxh64", "md5"};  // hashes of new files (records/checksum.hpp)
};

struct PackageResult {
  std::filesystem::path directory;
  std::filesystem::path manifest;  // <directory>/ascmhl/NNNN_<name>_<date>Z.mhl
  std::filesystem::path chain;     // <directory>/ascmhl/ascmhl_chain.xml
  int generation = 0;
  MhlHashList list;
};

// Copies the package files of `source` into `destination` (keeping relative paths and
// modification times), hashes every copy and its original (in parallel; a copy that differs is an
// IoError) and writes the next generation of the manifest (process "transfer", spec §6.4.6) and
// the chain: generation 1 in a new folder; in a folder that already has a history, the next one,
// continuing its chain. A file the history already records is copied again only when it is the
// same (recorded as "verified"); a different file of that name is refused (InputError) before
// anything is copied. InputError when source is not a folder or holds no package file.
PackageResult create_package(const std::filesystem::path& source, const std::filesystem::path& destination,
                             const PackageOptions& options = {});

enum class PackageProblemKind { Missing, Changed, Extra, Link };

struct PackageProblem {
  PackageProblemKind kind;
  std::string path;                 // relative to the package folder
  std::vector<std::string> fields;  // Changed: what differs (size, a hash format, c4 of a manifest); Link: its target
};

struct PackageCheck {
  std::filesystem::path directory;
  std::filesystem::path manifest;        // the newest generation of the history
  int generation = 0;                    // its number
  int generations = 0;                   // how many the history holds (before a --record)
  std::size_t files_listed = 0;          // files the history records
  std::vector<PackageProblem> problems;  // missing, changed, extra, links; each by path
  std::filesystem::path recorded;        // the generation `record` wrote, if any

  bool intact() const { return problems.empty(); }
};

// Re-hashes every file the history records against its original hashes (any of the six ASC MHL
// formats), checks every generation the chain lists, and looks for unrecorded files and links.
// With `record`, appends a generation saying what was found: each present file with the hashes it
// has now, "verified" where they match the original and "failed" where not (spec §5.6.4), and a
// comment with the result line. InputError for a folder without ascmhl/, a malformed manifest or
// chain (naming file, line and field), or an ascmhl/ that is a link.
PackageCheck verify_package(const std::filesystem::path& directory, const GenerationInfo* record = nullptr);

// "missing: x.cube", "changed: x.cube (xxh64, md5)", "extra: notes.txt", "link: etc -> /etc".
std::string package_problem_line(const PackageProblem& problem);
const char* package_problem_kind_name(PackageProblemKind kind);

}  // namespace calkit
