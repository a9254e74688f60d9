#pragma once
// Helpers shared by the tests of several folders: scratch directories under CALKIT_TEST_TMP, running
// the calkit binary (CALKIT_BINARY) and reading what it wrote, and killing a run mid-measurement.
// Every TEST_CASE runs as its own ctest process in parallel: scratch names must be unique per case.
#include <doctest/doctest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace calkit::test {

// A fresh, empty directory CALKIT_TEST_TMP/<prefix>-<name>.
inline std::filesystem::path scratch_dir(const std::string& prefix, const std::string& name) {
  std::filesystem::path dir = std::filesystem::path(CALKIT_TEST_TMP) / (prefix + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// The whole file, byte for byte ("" when it cannot be opened).
inline std::string read_file_bytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_file_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

inline bool have_program(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

inline std::size_t count_lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

// An outside oracle vendored in ../shared/oracles (not part of calkit), or "" when ../shared is
// absent: a test then skips it with a message.
inline std::string shared_oracle(const std::string& name) {
  std::filesystem::path dir = std::filesystem::path(CALKIT_SHARED) / "oracles" / name;
  return std::filesystem::is_directory(dir) ? std::filesystem::canonical(dir).string() : "";
}

// Runs a shell command; its exit status (-1 when killed), its stdout+stderr in *output if given.
inline int run_shell(const std::string& command, std::string* output = nullptr) {
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  int status = ::pclose(pipe);
  if (output) *output = out;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Where a run's stderr goes: away, into the captured output, or to the test's own stderr.
enum class Stderr { Discard, Capture, Inherit };

struct CalkitOutput {
  int status = -1;  // exit status, -1 when killed by a signal
  std::string output;
};

// Runs `CALKIT_BINARY args` through the shell and captures its stdout. `prefix` goes before the
// binary: environment assignments ("CALKIT_HISTORY=x.db"), "env -u ...", "timeout 120".
inline CalkitOutput run_calkit(const std::string& args, Stderr err = Stderr::Discard, const std::string& prefix = "") {
  std::string command = (prefix.empty() ? "" : prefix + " ") + std::string(CALKIT_BINARY) + " " + args;
  if (err == Stderr::Discard) command += " 2>/dev/null";
  if (err == Stderr::Capture) command += " 2>&1";
  CalkitOutput out;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.output.append(buffer, n);
  int status = ::pclose(pipe);
  out.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

// "a b  c" -> {"a", "b", "c"} (arguments without quoting).
inline std::vector<std::string> split_words(const std::string& text) {
  std::istringstream words(text);
  std::vector<std::string> out;
  for (std::string w; words >> w;) out.push_back(w);
  return out;
}

// Starts CALKIT_BINARY with `args` (no shell); returns its pid, for waitpid.
inline pid_t spawn_calkit(const std::vector<std::string>& args) {
  std::vector<std::string> argv_s{CALKIT_BINARY};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, CALKIT_BINARY, nullptr, nullptr, argv.data(), environ) == 0);
  return pid;
}

// Starts CALKIT_BINARY with `args` (no shell) and kills it with SIGKILL as soon as `journal` has
// `kill_after` lines, polling every `poll`. Returns false when the run ended before that.
inline bool spawn_calkit_and_kill(const std::vector<std::string>& args, const std::filesystem::path& journal,
                                  std::size_t kill_after, std::chrono::microseconds poll) {
  pid_t pid = spawn_calkit(args);
  for (;;) {
    if (count_lines(journal) >= kill_after) break;
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return false;
    std::this_thread::sleep_for(poll);
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  return true;
}

}  // namespace calkit::test
