// libFuzzer target: calkit's JSON measurement and patch files and the CSV reader. Malformed
// input must end in calkit::InputError; what parses must also write and parse back.
#include <cstdint>
#include <string>

#include "core/error.hpp"
#include "formats/measurement_csv.hpp"
#include "formats/measurement_json.hpp"

namespace {

template <class F>
void expect_input_error_only(F&& f) {
  try {
    f();
  } catch (const calkit::InputError&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  expect_input_error_only([&] {
    calkit::MeasurementSet set = calkit::parse_measurement_json(text, "fuzz.json");
    calkit::parse_measurement_json(calkit::format_measurement_json(set), "fuzz-again.json");
  });
  expect_input_error_only([&] {
    calkit::PatchSet patches = calkit::parse_patch_json(text, "fuzz.json");
    calkit::parse_patch_json(calkit::format_patch_json(patches), "fuzz-again.json");
  });
  expect_input_error_only([&] { calkit::parse_measurement_csv(text, "fuzz.csv"); });
  return 0;
}
