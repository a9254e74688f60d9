// The local window backend under Xvfb (tests/patterns/xvfb_screen.hpp): every case starts its
// own X server, shows patches, and reads the screen back with `xwd -root`; the expected codes are
// worked by hand from the patch definitions.
#include <doctest/doctest.h>

#include <array>
#include <string>

#include "core/error.hpp"
#include "patterns/window_pattern_generator.hpp"
#include "tests/patterns/xvfb_screen.hpp"

using namespace calkit;
using namespace calkit::test;

namespace {

Patch patch8(int r, int g, int b, double percent, Background bg = {}, SignalRange range = SignalRange::Full) {
  Patch p;
  p.code = {r, g, b};
  p.bits = 8;
  p.range = range;
  p.window_percent = percent;
  p.background = bg;
  return p;
}

WindowOptions quiet() {
  WindowOptions o;
  o.log = [](const std::string&) {};
  return o;
}

}  // namespace

TEST_CASE("window shows 8-bit full-range patches with exact codes and area percent centred") {
  Xvfb x("640x480x24");
  WindowPatternGenerator window(quiet());
  CHECK(window.width() == 640);
  CHECK(window.height() == 480);
  CHECK(window.output_bits() == 8);
  struct Case {
    std::array<int, 3> code;
    double percent;
  };
  for (Case c : {Case{{255, 255, 255}, 10}, Case{{1, 2, 3}, 25}, Case{{254, 0, 127}, 4}, Case{{17, 200, 93}, 50},
                 Case{{128, 128, 128}, 1}}) {
    window.show(patch8(c.code[0], c.code[1], c.code[2], c.percent));
    Screen s = grab(x, "full");
    CHECK(s.channel_bits == 8);
    check_frame(s, c.percent, c.code, {0, 0, 0});
  }
  // Full field: every pixel is the patch.
  window.show(patch8(12, 34, 56, 100));
  Found f = classify(grab(x, "field"), {12, 34, 56}, {-1, -1, -1});
  CHECK(f.patch == 640L * 480);
  window.close();
  // A second window opens in the same process once the first is closed.
  WindowPatternGenerator again(quiet());
  again.show(patch8(9, 9, 9, 100));
  CHECK(classify(grab(x, "again"), {9, 9, 9}, {-1, -1, -1}).patch == 640L * 480);
}

TEST_CASE("window shows 10-bit codes on an 8-bit framebuffer shifted right by two and never dithered") {
  Xvfb x("640x480x24");
  WindowPatternGenerator window(quiet());
  REQUIRE(window.output_bits() == 8);
  struct Case {
    std::array<int, 3> code10;
    std::array<int, 3> code8;  // the top 8 of the 10 bits, by hand
    SignalRange range;
  };
  for (Case c : {Case{{1023, 512, 0}, {255, 128, 0}, SignalRange::Full},
                 Case{{940, 64, 502}, {235, 16, 125}, SignalRange::Legal},  // legal white/black stay exact
                 Case{{3, 601, 1022}, {0, 150, 255}, SignalRange::Full}}) {
    Patch p;
    p.code = c.code10;
    p.bits = 10;
    p.range = c.range;
    p.window_percent = 20;
    p.background = {BackgroundKind::Black, 0};
    window.show(p);
    // Legal black is 64 at 10 bits, 16 at 8 bits.
    std::array<int, 3> black =
        c.range == SignalRange::Legal ? std::array<int, 3>{16, 16, 16} : std::array<int, 3>{0, 0, 0};
    check_frame(grab(x, "ten"), 20, c.code8, black);
    // A reading of this patch is filed under the codes the screen holds (PatternGenerator::shown).
    Patch shown = window.shown(p);
    CHECK(shown.bits == 8);
    CHECK(shown.code == c.code8);
    CHECK(shown.range == c.range);
  }
}

TEST_CASE("window background: grey level and constant APL surround") {
  Xvfb x("640x480x24");
  WindowPatternGenerator window(quiet());
  // Grey 0.5 full range: round(0.5 * 255) = 128 (half away from zero).
  window.show(patch8(255, 255, 255, 10, {BackgroundKind::Grey, 0.5}));
  check_frame(grab(x, "grey"), 10, {255, 255, 255}, {128, 128, 128});
  // Grey 0.5 legal: 16 + 219 * 0.5 = 125.5 -> 126 (BT.709 item 6.10).
  window.show(patch8(235, 235, 235, 10, {BackgroundKind::Grey, 0.5}, SignalRange::Legal));
  check_frame(grab(x, "greylegal"), 10, {235, 235, 235}, {126, 126, 126});
  // Constant APL 18 % around a 10 % white window (patterns.md section 5): bg = (0.18 - 0.1 * 1) /
  // (1 - 0.1) = 0.0889, * 255 = 22.67 -> 23.
  window.show(patch8(255, 255, 255, 10, {BackgroundKind::ConstantApl, 0.18}));
  check_frame(grab(x, "apl"), 10, {255, 255, 255}, {23, 23, 23});
  // Around a 25 % window of (0, 0, 51), mean signal 0.0667: bg = (0.18 - 0.25 * 0.0667) / 0.75 =
  // 0.2178, * 255 = 55.53 -> 56.
  window.show(patch8(0, 0, 51, 25, {BackgroundKind::ConstantApl, 0.18}));
  check_frame(grab(x, "apl2"), 25, {0, 0, 51}, {56, 56, 56});
}

TEST_CASE("window on a 30-bit X screen shows 10-bit codes exactly and 12-bit codes shifted right by two") {
  Xvfb x("640x480x30");
  WindowPatternGenerator window(quiet());
  // Debian 12's Mesa offers 10-bit GLX visuals on a depth-30 screen: the request must get one.
  REQUIRE(window.output_bits() == 10);
  Patch p;
  p.code = {940, 64, 513};
  p.bits = 10;
  p.window_percent = 10;
  window.show(p);
  Screen s = grab(x, "deep");
  REQUIRE(s.channel_bits == 10);
  check_frame(s, 10, {940, 64, 513}, {0, 0, 0});
  p.code = {4095, 2051, 3};  // 12-bit: 1023, 512, 0
  p.bits = 12;
  p.background = {BackgroundKind::Grey, 0.5};  // 12-bit round(0.5 * 4095) = 2048 -> 512
  window.show(p);
  check_frame(grab(x, "deep12"), 10, {1023, 512, 0}, {512, 512, 512});
  CHECK(window.shown(p).bits == 10);
  CHECK(window.shown(p).code == std::array<int, 3>{1023, 512, 0});
  // An 8-bit patch on the 10-bit framebuffer: full range widened to the same signal (255 -> 1023).
  window.show(patch8(255, 0, 0, 100));
  CHECK(classify(grab(x, "deep8"), {1023, 0, 0}, {-1, -1, -1}).patch == 640L * 480);
  CHECK(window.shown(patch8(255, 0, 0, 100)).code == std::array<int, 3>{1023, 0, 0});
}

TEST_CASE("window spec: options and bad input") {
  WindowOptions o = parse_window_spec("window:display=1,fullscreen");
  CHECK(o.display == 1);
  CHECK(o.fullscreen);
  o = parse_window_spec("window:windowed,size=800x600");
  CHECK(!o.fullscreen);
  CHECK(o.width == 800);
  CHECK(o.height == 600);
  CHECK(!parse_window_spec("window:size=320x200").fullscreen);
  CHECK(parse_window_spec("window:bits=8").request_bits == 8);
  CHECK(parse_window_spec("window").fullscreen);
  CHECK(is_window_pattern("window"));
  CHECK(!is_window_pattern("windowed"));
  CHECK_THROWS_AS(parse_window_spec("window:display=x"), InputError);
  CHECK_THROWS_AS(parse_window_spec("window:size=800"), InputError);
  CHECK_THROWS_AS(parse_window_spec("window:size=800x600x2"), InputError);
  CHECK_THROWS_AS(parse_window_spec("window:bits=9"), InputError);
  CHECK_THROWS_AS(parse_window_spec("window:colour=on"), InputError);
}

TEST_CASE("window: a display index the X server does not have is bad input") {
  Xvfb x("320x240x24");
  WindowOptions o = quiet();
  o.display = 3;
  CHECK_THROWS_AS(WindowPatternGenerator{o}, InputError);
  // The failed open released SDL: a window on display 0 opens afterwards.
  o.display = 0;
  WindowPatternGenerator window(o);
  CHECK(window.width() == 320);
}

TEST_CASE("window: windowed mode fills the pixels of the window only") {
  Xvfb x("640x480x24");
  WindowOptions o = quiet();
  o.fullscreen = false;
  o.width = 320;
  o.height = 200;
  WindowPatternGenerator window(o);
  REQUIRE(window.width() == 320);
  REQUIRE(window.height() == 200);
  window.show(patch8(200, 100, 50, 100, {BackgroundKind::Grey, 0.2}));  // the whole window
  Found f = classify(grab(x, "windowed"), {200, 100, 50}, {-1, -1, -1});
  CHECK(f.patch == 320L * 200);
  CHECK(f.right - f.left + 1 == 320);
  CHECK(f.bottom - f.top + 1 == 200);
}
