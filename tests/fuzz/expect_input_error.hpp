#pragma once
// For fuzz targets: run a parse and accept calkit::InputError as its only way to fail; any other
// exception or a crash is what the fuzzer looks for.
#include "core/error.hpp"

namespace calkit::fuzz {

template <class F>
void expect_input_error_only(F&& f) {
  try {
    f();
  } catch (const calkit::InputError&) {
  }
}

}  // namespace calkit::fuzz
