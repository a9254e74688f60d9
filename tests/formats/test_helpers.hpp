#pragma once
// Scratch directories and small helpers shared by the formats tests.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "color/input_error.hpp"

namespace calkit::test {

// A fresh directory under CALKIT_TEST_TMP, unique per test case (cases run in parallel).
inline std::filesystem::path scratch_dir(const std::string& name) {
  std::filesystem::path dir = std::filesystem::path(CALKIT_TEST_TMP) / ("formats-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline void write_text(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

inline bool have_program(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

// Runs a shell command in dir, returns its exit status.
inline int run_in(const std::filesystem::path& dir, const std::string& command) {
  std::string full = "cd '" + dir.string() + "' && " + command + " > log.txt 2>&1";
  int status = std::system(full.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The InputError a call throws, or a default one (file "", line -1) when it throws none.
template <class F>
InputError error_of(F&& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e;
  }
  return InputError("", -1, "", "no error thrown");
}

}  // namespace calkit::test
