#include "records/package.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <exception>
#include <functional>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include <fmt/core.h>
#include <fnmatch.h>
#include <unistd.h>

#include "core/error.hpp"
#include "core/files.hpp"
#include "records/checksum.hpp"

namespace calkit {

namespace fs = std::filesystem;

namespace {

constexpr const char* kPackageExtensions[] = {".cube", ".3dl", ".clf", ".icc", ".icm", ".ocio",
                                              ".html", ".json", ".ti1", ".ti3", ".csv", ".ccmx",
                                              ".ccss"};

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

// The digest `format` of a file, for the formats calkit computes.
std::string file_digest(const fs::path& file, const std::string& format) {
  if (format == "xxh64") return xxh64_hex(file);
  if (format == "md5") return md5_hex(file);
  if (format == "c4") return c4_id(file);
  return "";
}

bool can_check(const MhlHashValue& hash) { return hash.format == "xxh64" || hash.format == "md5" || hash.format == "c4"; }

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

std::vector<std::string> all_files(const fs::path& directory) {
  std::vector<std::string> files;
  for (auto it = fs::recursive_directory_iterator(directory); it != fs::recursive_directory_iterator(); ++it) {
    if (it.depth() == 0 && it->is_directory() && it->path().filename() == kMhlFolder) {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_directory()) files.push_back(it->path().lexically_relative(directory).generic_string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

fs::path folder_of(const fs::path& directory) {
  fs::path normal = fs::absolute(directory).lexically_normal();
  if (normal.filename().empty()) normal = normal.parent_path();
  return normal;
}

struct NewestManifest {
  fs::path path;
  int generation = 0;
  const MhlChainEntry* chained = nullptr;
};

// The generation files on disk when the chain is lost: NNNN_*.mhl, the highest NNNN.
NewestManifest newest_on_disk(const fs::path& mhl_folder) {
  NewestManifest newest;
  for (const auto& entry : fs::directory_iterator(mhl_folder)) {
    std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".mhl" || name.size() < 5 || name[4] != '_' ||
        !std::all_of(name.begin(), name.begin() + 4, [](unsigned char c) { return std::isdigit(c); }))
      continue;
    int generation = std::stoi(name.substr(0, 4));
    if (generation > newest.generation) newest = {entry.path(), generation, nullptr};
  }
  if (newest.generation == 0)
    throw InputError(mhl_folder.string(), 0, "", "holds neither ascmhl_chain.xml nor a generation file");
  return newest;
}

void add_problem(std::vector<PackageProblem>& problems, PackageProblemKind kind, std::string path,
                 std::vector<std::string> fields = {}) {
  problems.push_back({kind, std::move(path), std::move(fields)});
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
  if (fs::exists(destination / kMhlFolder))
    throw InputError((destination / kMhlFolder).string(), 0, "output",
                     "already exists: package into a new folder");
  std::vector<std::string> files = collect_package_files(source, destination);
  if (files.empty())
    throw InputError(source.string(), 0, "SRC_DIR", "holds no LUT, report or measurement file");

  std::time_t now = options.now != 0 ? options.now : std::time(nullptr);
  PackageResult result;
  result.directory = destination;
  MhlHashList& list = result.list;
  list.creation_date = mhl_date_time(now);
  list.hostname = options.hostname.empty() ? this_hostname() : options.hostname;
  list.tool_name = "calkit";
  list.tool_version = CALKIT_VERSION;
  list.process = "in-place";
  list.ignore_patterns = {kMhlFolder, std::string(kMhlFolder) + "/"};
  list.files.resize(files.size());

  for (const auto& file : files) fs::create_directories((destination / file).parent_path());
  parallel_for(files.size(), [&](std::size_t i) {
    fs::path from = source / files[i], to = destination / files[i];
    fs::copy_file(from, to, fs::copy_options::overwrite_existing);
    fs::last_write_time(to, fs::last_write_time(from));
    MhlFileHash& entry = list.files[i];
    entry.path = files[i];
    entry.size = fs::file_size(to);
    entry.last_modification_date = modification_date(to);
    entry.hashes = {{"xxh64", xxh64_hex(to), "original", list.creation_date},
                    {"md5", md5_hex(to), "original", list.creation_date}};
    if (xxh64_hex(from) != entry.hashes[0].value)
      throw std::runtime_error(fmt::format("the copy of {} differs from the original", from.string()));
  });

  fs::path mhl_folder = destination / kMhlFolder;
  fs::create_directories(mhl_folder);
  result.manifest = mhl_folder / mhl_generation_file_name(1, folder_of(destination).filename().string(), now);
  write_file_atomically(result.manifest, format_mhl(list));
  MhlChain chain;
  chain.generations.push_back({1, result.manifest.filename().string(), {"c4", c4_id(result.manifest), "", ""}, 0});
  result.chain = mhl_folder / kMhlChainFile;
  write_file_atomically(result.chain, format_mhl_chain(chain));
  return result;
}

PackageCheck verify_package(const fs::path& directory) {
  if (!fs::is_directory(directory)) throw InputError(directory.string(), 0, "DIR", "is not a folder");
  fs::path mhl_folder = directory / kMhlFolder;
  if (!fs::is_directory(mhl_folder))
    throw InputError(mhl_folder.string(), 0, "", "no ASC MHL manifest (ascmhl/ folder) in the package");

  PackageCheck check;
  check.directory = directory;
  std::vector<PackageProblem> problems;
  const std::string mhl_prefix = std::string(kMhlFolder) + "/";

  MhlChain chain;
  NewestManifest newest;
  fs::path chain_path = mhl_folder / kMhlChainFile;
  if (fs::exists(chain_path)) {
    chain = read_mhl_chain(chain_path);
    auto last = std::max_element(chain.generations.begin(), chain.generations.end(),
                                 [](const auto& a, const auto& b) { return a.sequence_number < b.sequence_number; });
    newest = {mhl_folder / last->path, last->sequence_number, &*last};
    if (!can_check(last->hash))
      throw InputError(chain_path.string(), last->line, last->hash.format, "calkit checks c4, xxh64 or md5 only");
    if (!fs::exists(newest.path)) {
      add_problem(problems, PackageProblemKind::Missing, mhl_prefix + last->path);
      newest = newest_on_disk(mhl_folder);
    } else if (file_digest(newest.path, last->hash.format) != last->hash.value) {
      add_problem(problems, PackageProblemKind::Changed, mhl_prefix + last->path, {last->hash.format});
    }
  } else {
    add_problem(problems, PackageProblemKind::Missing, mhl_prefix + kMhlChainFile);
    newest = newest_on_disk(mhl_folder);
  }
  check.manifest = newest.path;
  check.generation = newest.generation;

  MhlHashList list = read_mhl(newest.path);
  check.files_listed = list.files.size();
  for (const auto& file : list.files)
    if (std::none_of(file.hashes.begin(), file.hashes.end(), can_check))
      throw InputError(newest.path.string(), file.line, "hash",
                       fmt::format("'{}' has no xxh64, md5 or c4 hash calkit can check", file.path));

  std::vector<std::vector<std::string>> differences(list.files.size());
  std::vector<char> missing(list.files.size(), 0);
  parallel_for(list.files.size(), [&](std::size_t i) {
    const MhlFileHash& file = list.files[i];
    fs::path path = directory / file.path;
    if (!fs::is_regular_file(path)) {
      missing[i] = 1;
      return;
    }
    if (file.size && fs::file_size(path) != *file.size) differences[i].push_back("size");
    for (const auto& hash : file.hashes)
      if (can_check(hash) && file_digest(path, hash.format) != hash.value) differences[i].push_back(hash.format);
  });

  std::set<std::string> listed;
  for (std::size_t i = 0; i < list.files.size(); ++i) {
    listed.insert(list.files[i].path);
    if (missing[i]) add_problem(problems, PackageProblemKind::Missing, list.files[i].path);
  }
  for (std::size_t i = 0; i < list.files.size(); ++i)
    if (!differences[i].empty())
      add_problem(problems, PackageProblemKind::Changed, list.files[i].path, differences[i]);
  for (const auto& file : all_files(directory))
    if (!listed.count(file) && !ignored(file, list.ignore_patterns))
      add_problem(problems, PackageProblemKind::Extra, file);

  std::stable_sort(problems.begin(), problems.end(), [](const auto& a, const auto& b) {
    return a.kind != b.kind ? a.kind < b.kind : a.path < b.path;
  });
  check.problems = std::move(problems);
  return check;
}

const char* package_problem_kind_name(PackageProblemKind kind) {
  switch (kind) {
    case PackageProblemKind::Missing: return "missing";
    case PackageProblemKind::Changed: return "changed";
    case PackageProblemKind::Extra: return "extra";
  }
  return "?";
}

std::string package_problem_line(const PackageProblem& problem) {
  std::string line = fmt::format("{}: {}", package_problem_kind_name(problem.kind), problem.path);
  if (!problem.fields.empty()) {
    line += " (";
    for (std::size_t i = 0; i < problem.fields.size(); ++i) line += (i ? ", " : "") + problem.fields[i];
    line += ")";
  }
  return line;
}

}  // namespace calkit
