// libFuzzer target: display-model JSON (`--display model.json`), hand-written by users. Malformed
// or absurd input must end in calkit::InputError; a model that loads must give finite light for
// any signal (a model that passes its checks and still gives NaN is a bug).
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/clock.hpp"
#include "expect_input_error.hpp"
#include "sim/display_model.hpp"
#include "sim/virtual_display.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 1 << 16) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  calkit::fuzz::expect_input_error_only([&] {
    calkit::DisplayModel model = calkit::display_model_from_json(text, "fuzz.json");
    calkit::SimulatedClock clock;
    calkit::VirtualDisplay display(model, clock);
    for (const calkit::Vec3& rgb : {calkit::Vec3(0, 0, 0), calkit::Vec3(1, 1, 1), calkit::Vec3(0.5, 0.1, 0.9)})
      if (!display.steady_XYZ(rgb, 10).allFinite()) std::abort();
  });
  return 0;
}
