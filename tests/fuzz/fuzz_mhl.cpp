// libFuzzer target: ASC MHL manifests and chain files (formats/mhl.hpp), which arrive from other
// sites with a calibration package. Malformed input must end in calkit::InputError; what parses
// must also write and parse back to the same paths and hashes.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "formats/mhl.hpp"
#include "tests/fuzz/expect_input_error.hpp"

using calkit::fuzz::expect_input_error_only;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  expect_input_error_only([&] {
    calkit::MhlHashList list = calkit::parse_mhl(text, "fuzz.mhl");
    calkit::MhlHashList again = calkit::parse_mhl(calkit::format_mhl(list), "fuzz-again.mhl");
    if (again.files.size() != list.files.size()) std::abort();
    for (std::size_t i = 0; i < list.files.size(); ++i)
      if (again.files[i].path != list.files[i].path || again.files[i].hashes.size() != list.files[i].hashes.size() ||
          !again.files[i].find(list.files[i].hashes[0].format) ||
          again.files[i].find(list.files[i].hashes[0].format)->value != list.files[i].hashes[0].value)
        std::abort();  // hashes are written in the schema's order: compared by format
  });
  expect_input_error_only([&] {
    calkit::MhlChain chain = calkit::parse_mhl_chain(text, "fuzz_chain.xml");
    calkit::MhlChain again = calkit::parse_mhl_chain(calkit::format_mhl_chain(chain), "fuzz_chain-again.xml");
    if (again.generations.size() != chain.generations.size()) std::abort();
  });
  return 0;
}
