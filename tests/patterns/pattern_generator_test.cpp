// Patch code values against the published video levels, and the virtual pattern generator.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "emulators/virtual_pattern_generator.hpp"
#include "patterns/pattern_generator.hpp"
#include "sim/display_model.hpp"
#include "sim/virtual_display.hpp"

using namespace calkit;

TEST_CASE("legal range codes are the published video levels at 8 10 and 12 bits") {
  // ITU-R BT.709-6 item 6.10 (8-bit black 16, nominal peak 235) and ITU-R BT.2100-2 Table 9
  // (narrow range: 10-bit 64-940, 12-bit 256-3760).
  struct Level {
    int bits, black, white;
  };
  for (Level l : {Level{8, 16, 235}, Level{10, 64, 940}, Level{12, 256, 3760}}) {
    CAPTURE(l.bits);
    Patch black = Patch::from_rgb(Vec3::Zero(), l.bits, SignalRange::Legal);
    Patch white = Patch::from_rgb(Vec3::Ones(), l.bits, SignalRange::Legal);
    CHECK(black.code == std::array<int, 3>{l.black, l.black, l.black});
    CHECK(white.code == std::array<int, 3>{l.white, l.white, l.white});
    CHECK(black.signal() == Vec3::Zero());
    CHECK(white.signal() == Vec3::Ones());
  }
  // Full range: 0 .. 2^n - 1.
  CHECK(Patch::from_rgb(Vec3::Ones(), 8).code[0] == 255);
  CHECK(Patch::from_rgb(Vec3::Ones(), 10).code[0] == 1023);
  CHECK(Patch::from_rgb(Vec3::Ones(), 12).code[0] == 4095);
  // Sub-black and super-white codes decode outside 0..1 (the display clips them).
  Patch footroom;
  footroom.bits = 10;
  footroom.range = SignalRange::Legal;
  footroom.code = {4, 1019, 502};
  Vec3 s = footroom.signal();
  CHECK(s[0] == doctest::Approx((4 - 64) / 876.0));
  CHECK(s[1] == doctest::Approx((1019 - 64) / 876.0));
  CHECK(s[2] == doctest::Approx(0.5));
}

TEST_CASE("10-bit codes of the published PQ vectors") {
  // tests/data/pq_vectors.csv lists round(1023 E') and round(64 + 876 E') for each PQ signal E'.
  std::ifstream in(std::string(CALKIT_TEST_DATA) + "/pq_vectors.csv");
  REQUIRE(in);
  std::string line;
  int rows = 0;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    std::istringstream f(line);
    std::string nits, signal, full, narrow;
    std::getline(f, nits, ',');
    std::getline(f, signal, ',');
    std::getline(f, full, ',');
    std::getline(f, narrow, ',');
    double e = std::stod(signal);
    CAPTURE(nits);
    CHECK(Patch::from_rgb(Vec3::Constant(e), 10, SignalRange::Full).code[1] == std::stoi(full));
    CHECK(Patch::from_rgb(Vec3::Constant(e), 10, SignalRange::Legal).code[1] == std::stoi(narrow));
    ++rows;
  }
  CHECK(rows >= 10);
}

TEST_CASE("bad patch input throws InputError") {
  CHECK_THROWS_AS(Patch::from_rgb(Vec3::Ones(), 9), InputError);
  CHECK_THROWS_AS(Patch::from_rgb(Vec3(std::nan(""), 0, 0), 10), InputError);
  Patch p;
  p.bits = 16;
  CHECK_THROWS_AS(p.signal(), InputError);
}

TEST_CASE("code values round trip within half a code") {
  for (int bits : {8, 10, 12})
    for (SignalRange range : {SignalRange::Full, SignalRange::Legal})
      for (double v = 0; v <= 1.0; v += 0.0371) {
        Patch p = Patch::from_rgb(Vec3(v, 1 - v, v * v), bits, range);
        double step =
            range == SignalRange::Full ? 1 / (std::ldexp(1.0, bits) - 1) : 1 / (219 * std::ldexp(1.0, bits - 8));
        CHECK((p.signal() - Vec3(v, 1 - v, v * v)).cwiseAbs().maxCoeff() <= 0.5 * step + 1e-12);
      }
}

TEST_CASE("the virtual generator shows the decoded signal with its window and background") {
  SimulatedClock clock;
  VirtualDisplay display(load_display_model("sim:woled-tv"), clock);
  VirtualPatternGenerator generator(display);
  CHECK(generator.name() == "virtual:sim:woled-tv");

  Patch p = Patch::from_rgb(Vec3(0.25, 0.5, 0.75), 10, SignalRange::Legal);
  p.window_percent = 10;
  p.background = {BackgroundKind::Grey, 0.2};
  generator.show(p);
  CHECK(display.shown_signal() == p.signal());
  CHECK(display.shown_window_percent() == 10);
  CHECK(display.shown_background() == doctest::Approx(0.2));

  // Constant APL: the frame's mean signal stays at the requested level (Argyll "constant video").
  p.background = {BackgroundKind::ConstantApl, 0.18};
  generator.show(p);
  double area = 0.1;
  CHECK(area * p.signal().mean() + (1 - area) * display.shown_background() == doctest::Approx(0.18));

  generator.close();
  CHECK(display.shown_signal() == Vec3::Zero());
  CHECK(display.shown_window_percent() == 100);
}
