// libFuzzer target: CLF at scale. The first byte says how many times (times 64) the rest is
// repeated inside a ProcessList ahead of a small valid LUT3D, so the fuzzer builds documents of
// about 4,000 copies of whatever elements it finds: reading them must stay linear (a slow unit
// is what libFuzzer's -report_slow_units and the replay's time show) and end in a LUT or
// calkit::InputError.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "expect_input_error.hpp"
#include "luts/lut_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0 || size > 4096) return 0;
  static const std::string path =
      (std::filesystem::temp_directory_path() / ("fuzz_clf_" + std::to_string(getpid()) + ".clf")).string();
  const std::string element(reinterpret_cast<const char*>(data) + 1, size - 1);
  const int copies = 1 + data[0] / 4 * 64;
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << "<?xml version=\"1.0\"?>\n<ProcessList id=\"fuzz\" compCLFversion=\"3\">\n";
    for (int i = 0; i < copies; ++i) out << element;
    out << "<LUT3D inBitDepth=\"32f\" outBitDepth=\"32f\"><Array dim=\"2 2 2 3\">"
           "0 0 0 0 0 1 0 1 0 0 1 1 1 0 0 1 0 1 1 1 0 1 1 1</Array></LUT3D>\n</ProcessList>\n";
  }
  calkit::fuzz::expect_input_error_only([&] { (void)calkit::read_lut3d(path); });
  return 0;
}
