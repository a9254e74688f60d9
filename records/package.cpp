#include "records/package.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <thread>
#include <tuple>

#include <fmt/core.h>
#include <fnmatch.h>
#include <unistd.h>

#include "core/error.hpp"
#include "core/files.hpp"
#include "records/checksum.hpp"

namespace calkit {

namespace fs = std::filesystem;

namespace {

constexpr const char* kPackageExtensions[] = {".cube", ".3dl", ".clf", ".icc", ".icm",  ".ocio", ".html",
                                              ".json", ".ti1", ".ti3", ".csv", ".ccmx", ".ccss"};

// Runs task(0..count-1) on every core; the first exception is rethrown once all have stopped.
void parallel_for(std::size_t count, const std::function<void(std::size_t)>& task) {
  std::size_t workers = std::min<std::size_t>(std::max(1u, std::thread::hardware_concurrency()), count);
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto work = [&] {
    for (std::size_t i; (i = next++) < count;) {
      try {
        task(i);
      } catch (...) {
        std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
      }
    }
  };
  std::vector<std::thread> threads;
  for (std::size_t w = 1; w < workers; ++w) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

std::string this_hostname() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "localhost";
  return name;
}

std::string modification_date(const fs::path& file) {
  auto system_time = std::chrono::file_clock::to_sys(fs::last_write_time(file));
  return mhl_date_time(std::chrono::system_clock::to_time_t(
      std::chrono::time_point_cast<std::chrono::system_clock::duration>(system_time)));
}

// ascmhl's <ignore><pattern>: a name or glob matched against every component of the path.
bool ignored(const std::string& relative, const std::vector<std::string>& patterns) {
  for (const auto& part : fs::path(relative)) {
    for (std::string pattern : patterns) {
      if (!pattern.empty() && pattern.back() == '/') pattern.pop_back();
      if (!pattern.empty() && fnmatch(pattern.c_str(), part.c_str(), 0) == 0) return true;
    }
  }
  return false;
}

fs::path folder_of(const fs::path& directory) {
  fs::path normal = fs::absolute(directory).lexically_normal();
  if (normal.filename().empty()) normal = normal.parent_path();
  return normal;
}

std::string link_target(const fs::path& link) {
  std::error_code ec;
  fs::path target = fs::read_symlink(link, ec);
  return ec ? "?" : target.string();
}

void add_problem(std::vector<PackageProblem>& problems, PackageProblemKind kind, std::string path,
                 std::vector<std::string> fields = {}) {
  problems.push_back({kind, std::move(path), std::move(fields)});
}

// What is on disk below a package folder, links not followed: the regular files (relative,
// sorted) and the links, each a problem. The top-level ascmhl/ is the history's, not content.
struct DiskContent {
  std::vector<std::string> files;
  std::vector<PackageProblem> links;
};

DiskContent disk_content(const fs::path& directory) {
  DiskContent out;
  for (auto it = fs::recursive_directory_iterator(directory); it != fs::recursive_directory_iterator(); ++it) {
    const std::string relative = it->path().lexically_relative(directory).generic_string();
    if (it->is_symlink()) {
      add_problem(out.links, PackageProblemKind::Link, relative, {link_target(it->path())});
      continue;  // never followed: a directory link is not recursed into
    }
    if (it->is_directory()) {
      if (it.depth() == 0 && it->path().filename() == kMhlFolder) it.disable_recursion_pending();
      continue;
    }
    out.files.push_back(relative);
  }
  std::sort(out.files.begin(), out.files.end());
  return out;
}

struct Generation {
  int number = 0;
  fs::path path;
  MhlHashList list;
};

// A package's history: its generations (oldest first), its chain, and what is wrong with them.
struct History {
  fs::path folder;
  std::vector<Generation> generations;
  MhlChain chain;
  std::vector<PackageProblem> problems;

  int newest() const { return generations.empty() ? 0 : generations.back().number; }
  int next_sequence_number() const {
    int n = newest();
    for (const auto& g : chain.generations) n = std::max(n, g.sequence_number);
    return n + 1;
  }
};

History read_history(const fs::path& directory) {
  History history;
  history.folder = directory / kMhlFolder;
  const std::string prefix = std::string(kMhlFolder) + "/";
  if (fs::is_symlink(history.folder))
    throw InputError(history.folder.string(), 0, "",
                     "is a symbolic link: a package's history is never read through one");
  if (!fs::is_directory(history.folder))
    throw InputError(history.folder.string(), 0, "", "no ASC MHL history (ascmhl/ folder) in the package");

  std::map<std::string, int> listed;  // manifest file name -> sequence number, from the chain
  const fs::path chain_path = history.folder / kMhlChainFile;
  if (fs::is_symlink(chain_path)) {
    add_problem(history.problems, PackageProblemKind::Link, prefix + kMhlChainFile, {link_target(chain_path)});
  } else if (!fs::exists(chain_path)) {
    add_problem(history.problems, PackageProblemKind::Missing, prefix + kMhlChainFile);
  } else {
    history.chain = read_mhl_chain(chain_path);
    for (const MhlChainEntry& entry : history.chain.generations) {
      const fs::path manifest = history.folder / entry.path;
      listed[entry.path] = entry.sequence_number;
      if (fs::is_symlink(manifest))
        add_problem(history.problems, PackageProblemKind::Link, prefix + entry.path, {link_target(manifest)});
      else if (!fs::exists(manifest))
        add_problem(history.problems, PackageProblemKind::Missing, prefix + entry.path);
      else if (file_digest(manifest, entry.hash.format) != entry.hash.value)
        add_problem(history.problems, PackageProblemKind::Changed, prefix + entry.path, {entry.hash.format});
    }
  }
  // Every generation file on disk, as ascmhl reads them; numbered by its name (spec §6.3).
  for (const auto& entry : fs::directory_iterator(history.folder)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_symlink() || !entry.is_regular_file() || entry.path().extension() != ".mhl") continue;
    int number = mhl_generation_of(name);
    if (number == 0 && listed.count(name)) number = listed[name];
    if (number == 0) continue;
    history.generations.push_back({number, entry.path(), read_mhl(entry.path())});
  }
  if (history.generations.empty())
    throw InputError(history.folder.string(), 0, "", "holds no readable ASC MHL generation");
  std::sort(history.generations.begin(), history.generations.end(),
            [](const Generation& a, const Generation& b) { return a.number < b.number; });
  return history;
}

// A file as the history records it: its size and the hashes it had first (spec §5.3.3: the
// earliest "original" of each format; a "failed" hash is never a reference).
struct Recorded {
  std::optional<std::uint64_t> size;
  std::vector<MhlHashValue> reference;
};

std::map<std::string, Recorded> recorded_files(const History& history) {
  std::map<std::string, Recorded> files;
  for (const Generation& generation : history.generations)
    for (const MhlFileHash& file : generation.list.files) {
      Recorded& r = files[file.path];
      if (!r.size) r.size = file.size;
      for (const MhlHashValue& hash : file.hashes) {
        const bool usable =
            hash.action.empty() || hash.action == "original" || (hash.action == "verified" && r.reference.empty());
        const bool known = std::any_of(r.reference.begin(), r.reference.end(),
                                       [&](const MhlHashValue& h) { return h.format == hash.format; });
        if (usable && !known) r.reference.push_back(hash);
      }
    }
  return files;
}

MhlHashList new_generation(const GenerationInfo& info, std::time_t now, const std::string& process,
                           std::vector<std::string> ignore) {
  MhlHashList list;
  list.creation_date = mhl_date_time(now);
  list.hostname = info.hostname.empty() ? this_hostname() : info.hostname;
  list.tool_name = "calkit";
  list.tool_version = CALKIT_VERSION;
  list.authors = info.authors;
  list.location = info.location;
  list.comment = info.comment;
  list.process = process;
  list.ignore_patterns = std::move(ignore);
  return list;
}

// Writes `list` as the next generation of `history` and the chain with it, both atomically.
std::pair<fs::path, fs::path> append_generation(const History& history, const fs::path& directory,
                                                const MhlHashList& list, std::time_t now) {
  const int number = history.next_sequence_number();
  fs::create_directories(history.folder);
  const fs::path manifest =
      history.folder / mhl_generation_file_name(number, folder_of(directory).filename().string(), now);
  write_file_atomically(manifest, format_mhl(list));
  MhlChain chain = history.chain;
  chain.generations.push_back({number, manifest.filename().string(), {"c4", c4_id(manifest), "", ""}, 0});
  const fs::path chain_path = history.folder / kMhlChainFile;
  write_file_atomically(chain_path, format_mhl_chain(chain));
  return {manifest, chain_path};
}

}  // namespace

bool is_package_file(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(std::begin(kPackageExtensions), std::end(kPackageExtensions), extension) !=
         std::end(kPackageExtensions);
}

std::vector<std::string> collect_package_files(const fs::path& source, const fs::path& skip) {
  std::vector<std::string> files;
  for (auto it = fs::recursive_directory_iterator(source); it != fs::recursive_directory_iterator(); ++it) {
    if (it->is_symlink())
      throw InputError(it->path().string(), 0, "SRC_DIR",
                       "is a symbolic link to " + link_target(it->path()) + ": calkit packages no links");
    if (it->is_directory()) {
      std::error_code ec;
      if (it->path().filename() == kMhlFolder || (!skip.empty() && fs::equivalent(it->path(), skip, ec)))
        it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && is_package_file(it->path()))
      files.push_back(it->path().lexically_relative(source).generic_string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

PackageResult create_package(const fs::path& source, const fs::path& destination, const PackageOptions& options) {
  if (!fs::is_directory(source)) throw InputError(source.string(), 0, "SRC_DIR", "is not a folder");
  std::error_code ec;
  if (fs::exists(destination) && fs::equivalent(source, destination, ec))
    throw InputError(destination.string(), 0, "output", "must be another folder than the source");
  for (const std::string& format : options.formats)
    if (!is_hash_format(format))
      throw ValueError("--hash", "'" + format + "' is not c4, md5, sha1, xxh128, xxh3 or xxh64");
  if (options.formats.empty()) throw ValueError("--hash", "name at least one hash format");
  std::vector<std::string> files = collect_package_files(source, destination);
  if (files.empty()) throw InputError(source.string(), 0, "SRC_DIR", "holds no LUT, report or measurement file");

  // A folder with a history continues it; its history must be sound first.
  History history;
  history.folder = destination / kMhlFolder;
  std::map<std::string, Recorded> recorded;
  if (fs::exists(history.folder) || fs::is_symlink(history.folder)) {
    history = read_history(destination);
    if (!history.problems.empty())
      throw InputError(history.folder.string(), 0, "",
                       "the history does not verify (" + package_problem_line(history.problems.front()) +
                           "): run `calkit package verify` on it first");
    recorded = recorded_files(history);
  }

  const std::time_t now = options.generation.now != 0 ? options.generation.now : std::time(nullptr);
  PackageResult result;
  result.directory = destination;
  MhlHashList& list = result.list;
  list = new_generation(options.generation, now, "transfer", {".DS_Store", kMhlFolder, std::string(kMhlFolder) + "/"});
  list.files.resize(files.size());

  // A file already recorded may only be copied again unchanged: checked before anything is copied.
  parallel_for(files.size(), [&](std::size_t i) {
    auto it = recorded.find(files[i]);
    if (it == recorded.end()) return;
    for (const MhlHashValue& hash : it->second.reference)
      if (file_digest(source / files[i], hash.format) != hash.value)
        throw InputError((source / files[i]).string(), 0, "",
                         fmt::format("differs from the {} the package's history records ({}): package it into a "
                                     "new folder",
                                     files[i], hash.format));
  });

  for (const auto& file : files) fs::create_directories((destination / file).parent_path());
  parallel_for(files.size(), [&](std::size_t i) {
    const fs::path from = source / files[i], to = destination / files[i];
    auto known = recorded.find(files[i]);
    if (fs::is_symlink(to)) fs::remove(to);  // a link in the way is replaced, never written through
    fs::copy_file(from, to, fs::copy_options::overwrite_existing);
    fs::last_write_time(to, fs::last_write_time(from));
    MhlFileHash& entry = list.files[i];
    entry.path = files[i];
    entry.size = fs::file_size(to);
    entry.last_modification_date = modification_date(to);
    std::vector<std::string> formats = options.formats;
    if (known != recorded.end()) {
      formats.clear();
      for (const MhlHashValue& hash : known->second.reference) formats.push_back(hash.format);
    }
    for (const std::string& format : formats)
      entry.hashes.push_back(
          {format, file_digest(to, format), known == recorded.end() ? "original" : "verified", list.creation_date});
    if (file_digest(from, formats.front()) != entry.hashes.front().value)
      throw IoError(to.string(), "the copy differs from " + from.string());
  });

  result.generation = history.next_sequence_number();
  std::tie(result.manifest, result.chain) = append_generation(history, destination, list, now);
  return result;
}

PackageCheck verify_package(const fs::path& directory, const GenerationInfo* record) {
  if (!fs::is_directory(directory)) throw InputError(directory.string(), 0, "DIR", "is not a folder");
  History history = read_history(directory);
  const std::map<std::string, Recorded> recorded = recorded_files(history);

  PackageCheck check;
  check.directory = directory;
  check.manifest = history.generations.back().path;
  check.generation = history.newest();
  check.generations = static_cast<int>(history.generations.size());
  check.files_listed = recorded.size();
  std::vector<PackageProblem> problems = history.problems;

  DiskContent disk = disk_content(directory);
  std::set<std::string> links;
  for (const PackageProblem& link : disk.links) links.insert(link.path);
  problems.insert(problems.end(), disk.links.begin(), disk.links.end());

  // Each recorded file hashed now in the formats of its reference, in parallel.
  std::vector<const std::pair<const std::string, Recorded>*> entries;
  for (const auto& entry : recorded) entries.push_back(&entry);
  std::vector<std::vector<MhlHashValue>> now(entries.size());
  std::vector<std::vector<std::string>> differences(entries.size());
  std::vector<char> missing(entries.size(), 0);
  parallel_for(entries.size(), [&](std::size_t i) {
    const auto& [path, file] = *entries[i];
    const fs::path on_disk = directory / path;
    if (links.count(path)) return;  // listed as a link: never read
    std::error_code ec;
    if (fs::symlink_status(on_disk, ec).type() != fs::file_type::regular) {
      missing[i] = 1;
      return;
    }
    if (file.size && fs::file_size(on_disk) != *file.size) differences[i].push_back("size");
    for (const MhlHashValue& hash : file.reference) {
      std::string value = file_digest(on_disk, hash.format);
      if (value != hash.value) differences[i].push_back(hash.format);
      now[i].push_back({hash.format, value, value == hash.value ? "verified" : "failed", ""});
    }
  });
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (missing[i]) add_problem(problems, PackageProblemKind::Missing, entries[i]->first);
    if (!differences[i].empty()) add_problem(problems, PackageProblemKind::Changed, entries[i]->first, differences[i]);
  }
  const std::vector<std::string>& ignore = history.generations.back().list.ignore_patterns;
  for (const std::string& file : disk.files)
    if (!recorded.count(file) && !ignored(file, ignore)) add_problem(problems, PackageProblemKind::Extra, file);

  std::stable_sort(problems.begin(), problems.end(),
                   [](const auto& a, const auto& b) { return a.kind != b.kind ? a.kind < b.kind : a.path < b.path; });
  check.problems = std::move(problems);

  if (record) {
    const std::time_t time = record->now != 0 ? record->now : std::time(nullptr);
    MhlHashList list = new_generation(*record, time, "in-place", ignore);
    if (list.comment.empty())
      list.comment = check.intact() ? fmt::format("calkit package verify: intact, {} files", check.files_listed)
                                    : fmt::format("calkit package verify: FAILED, {} problems", check.problems.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (now[i].empty()) continue;  // missing or a link: nothing to record
      const fs::path on_disk = directory / entries[i]->first;
      MhlFileHash file{entries[i]->first, fs::file_size(on_disk), modification_date(on_disk), now[i], 0};
      for (MhlHashValue& hash : file.hashes) hash.hash_date = list.creation_date;
      list.files.push_back(std::move(file));
    }
    check.recorded = append_generation(history, directory, list, time).first;
  }
  return check;
}

const char* package_problem_kind_name(PackageProblemKind kind) {
  switch (kind) {
    case PackageProblemKind::Missing:
      return "missing";
    case PackageProblemKind::Changed:
      return "changed";
    case PackageProblemKind::Extra:
      return "extra";
    case PackageProblemKind::Link:
      return "link";
  }
  return "?";
}

std::string package_problem_line(const PackageProblem& problem) {
  std::string line = fmt::format("{}: {}", package_problem_kind_name(problem.kind), problem.path);
  if (problem.kind == PackageProblemKind::Link) return line + " -> " + problem.fields.front();
  if (!problem.fields.empty()) {
    line += " (";
    for (std::size_t i = 0; i < problem.fields.size(); ++i) line += (i ? ", " : "") + problem.fields[i];
    line += ")";
  }
  return line;
}

}  // namespace calkit
