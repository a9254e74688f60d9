#pragma once
// Scratch directories and small helpers shared by the formats tests (the general ones are in
// tests/support/calkit_test_support.hpp).
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.hpp"
#include "tests/support/calkit_test_support.hpp"

namespace calkit::test {

// A fresh directory under CALKIT_TEST_TMP, unique per test case (cases run in parallel).
inline std::filesystem::path scratch_dir(const std::string& name) { return scratch_dir("formats", name); }

inline void write_text(const std::filesystem::path& path, const std::string& text) { write_file_bytes(path, text); }

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
