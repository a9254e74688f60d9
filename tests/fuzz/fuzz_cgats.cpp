// libFuzzer target: the CGATS parser and the ArgyllCMS readers on top of it (.ti1, .ti3, .ccmx,
// .ccss). Malformed input must end in calkit::InputError; anything else (crash, other
// exception, sanitizer report) is a bug. What parses must also write and parse back.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/error.hpp"
#include "formats/ccmx.hpp"
#include "formats/ccss.hpp"
#include "formats/cgats.hpp"
#include "formats/ti1.hpp"
#include "formats/ti3.hpp"

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
    calkit::CgatsFile file = calkit::parse_cgats(text, "fuzz.cgats");
    std::string again = calkit::format_cgats(file);
    calkit::CgatsFile back = calkit::parse_cgats(again, "fuzz-again.cgats");  // must not throw
    if (back.tables.size() != file.tables.size()) std::abort();
  });
  expect_input_error_only([&] {
    calkit::MeasurementSet set = calkit::parse_ti3(text, "fuzz.ti3");
    calkit::parse_ti3(calkit::format_ti3(set), "fuzz-again.ti3");
  });
  expect_input_error_only([&] { calkit::parse_ti1(text, "fuzz.ti1"); });
  expect_input_error_only([&] { calkit::parse_ccmx(text, "fuzz.ccmx"); });
  expect_input_error_only([&] { calkit::parse_ccss(text, "fuzz.ccss"); });
  return 0;
}
