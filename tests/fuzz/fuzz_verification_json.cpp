// libFuzzer target: the verification JSON `calkit report` and `calkit match` read, possibly edited
// by hand or from another tool. Malformed input must end in calkit::InputError; what parses must
// render as the HTML report (which follows every patch index the file holds).
#include <cstdint>
#include <string>

#include "expect_input_error.hpp"
#include "report/html/verification_page.hpp"
#include "report/report_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 20) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  calkit::fuzz::expect_input_error_only([&] {
    calkit::VerificationResult run = calkit::parse_verification_json(text, "fuzz.json");
    (void)calkit::render_html({run});
    (void)calkit::parse_verification_json(calkit::format_verification_json(run), "fuzz-again.json");
  });
  return 0;
}
