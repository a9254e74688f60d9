// libFuzzer target: the measurement journal (`<output>.journal`), which a crash, a full disk or a
// flipped bit may leave in any state. Reading it must end in its good prefix or in
// calkit::InputError (a header that cannot be trusted); every reading it keeps is plausible.
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "color/plausibility.hpp"
#include "expect_input_error.hpp"
#include "measure/journal.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 20) return 0;
  static const std::string path =
      (std::filesystem::temp_directory_path() / ("fuzz_journal_" + std::to_string(getpid()))).string();
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), std::streamsize(size));
  calkit::fuzz::expect_input_error_only([&] {
    calkit::JournalContents contents = calkit::read_journal(path);
    if (contents.valid_bytes > size) std::abort();
    for (const calkit::JournalEntry& e : contents.entries)
      if (e.index < 0 || e.index >= contents.header.patch_count || !calkit::implausible_reading(e.reading.XYZ).empty())
        std::abort();
  });
  return 0;
}
