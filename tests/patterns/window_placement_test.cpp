// The window backend places a patch where Patch::centre_x/y asks, checked pixel by pixel on an
// Xvfb screen read back with `xwd -root` (tests/patterns/xvfb_screen.hpp). Expected rectangles are
// worked by hand: side round(sqrt(area) * screen side), centre on the nearest pixel, inside.
#include <doctest/doctest.h>

#include <string>

#include "patterns/window_pattern_generator.hpp"
#include "tests/patterns/xvfb_screen.hpp"

using namespace calkit;
using namespace calkit::test;

TEST_CASE("window places the patch at its centre position, moved inside the screen at the edges") {
  Xvfb x("640x480x24");
  WindowOptions o;
  o.log = [](const std::string&) {};
  WindowPatternGenerator window(o);
  struct Case {
    double cx, cy;
    int left, top;  // expected top-left pixel of the 128 x 96 patch (4 % of 640 x 480)
  };
  // 3x3 grid zone centres (1/6, 1/2, 5/6): 640/6 = 106.67 - 64 = 42.67 -> 43; 480/6 = 80 - 48 = 32.
  for (Case c : {Case{1.0 / 6, 1.0 / 6, 43, 32}, Case{5.0 / 6, 1.0 / 6, 469, 32}, Case{1.0 / 6, 5.0 / 6, 43, 352},
                 Case{0.5, 0.5, 256, 192}, Case{0.0, 1.0, 0, 384}, Case{0.99, 0.02, 512, 0}}) {
    CAPTURE(c.cx);
    CAPTURE(c.cy);
    Patch p;
    p.code = {200, 100, 50};
    p.bits = 8;
    p.window_percent = 4;
    p.centre_x = c.cx;
    p.centre_y = c.cy;
    window.show(p);
    Found f = classify(grab(x, "placed"), {200, 100, 50}, {0, 0, 0});
    CHECK(f.other == 0);
    CHECK(f.patch == 128L * 96);
    CHECK(f.left == c.left);
    CHECK(f.top == c.top);
    CHECK(f.right == c.left + 127);
    CHECK(f.bottom == c.top + 95);
  }
  window.close();
}
