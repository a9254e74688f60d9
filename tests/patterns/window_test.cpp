// The local window backend under Xvfb: every case starts its own X server (Xvfb -displayfd picks a
// free display number), shows patches, and reads the screen back with `xwd -root`, a separate
// program that asks the X server for the root window's pixels. Xvfb missing is a failure, not a
// skip: scripts/install-deps installs it.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include "color/input_error.hpp"
#include "patterns/window_pattern_generator.hpp"

using namespace calkit;

namespace {

// An X server of its own for one test case; killed (bounded wait) when the case ends.
class Xvfb {
 public:
  explicit Xvfb(const std::string& screen) {
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::close(fds[0]);
      int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, 1);
      ::dup2(null, 2);
      std::string fd = std::to_string(fds[1]);
      ::execlp("Xvfb", "Xvfb", "-displayfd", fd.c_str(), "-screen", "0", screen.c_str(), "-nolisten", "tcp",
               "-noreset", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(fds[1]);
    std::string number;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fds[0], POLLIN, 0};
      if (::poll(&p, 1, 200) <= 0) continue;
      char c;
      if (::read(fds[0], &c, 1) != 1) break;  // EOF: Xvfb exited (missing, or failed)
      if (c == '\n') break;
      number += c;
    }
    ::close(fds[0]);
    INFO("Xvfb did not start (is it installed? scripts/install-deps installs package xvfb)");
    REQUIRE(!number.empty());
    display_ = ":" + number;
    ::setenv("DISPLAY", display_.c_str(), 1);
    ::unsetenv("WAYLAND_DISPLAY");
    ::setenv("SDL_VIDEODRIVER", "x11", 1);
    ::setenv("LIBGL_ALWAYS_SOFTWARE", "1", 1);
  }
  ~Xvfb() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    for (int i = 0; i < 100; ++i) {
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
  }
  const std::string& display() const { return display_; }

 private:
  pid_t pid_ = -1;
  std::string display_;
};

// The root window as the X server holds it, decoded from xwd's XWD format (X11 XWDFile.h: a
// header of 25 big-endian CARD32, the window name, `ncolors` 12-byte colour entries, then the
// image in the server's byte order).
struct Screen {
  int width = 0, height = 0;
  int channel_bits = 0;
  std::vector<std::array<int, 3>> pixels;  // row-major from the top-left
  const std::array<int, 3>& at(int x, int y) const { return pixels[static_cast<std::size_t>(y) * width + x]; }
};

std::uint32_t be32(const std::vector<unsigned char>& b, std::size_t at) {
  return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) | (std::uint32_t{b[at + 2]} << 8) | b[at + 3];
}

Screen grab(const Xvfb& x, const std::string& tag) {
  std::string path = std::string(CALKIT_TEST_TMP) + "/window-" + tag + "-" + std::to_string(::getpid()) + ".xwd";
  std::string cmd = "timeout 30 xwd -root -silent -display " + x.display() + " -out " + path;
  REQUIRE(std::system(cmd.c_str()) == 0);
  std::ifstream in(path, std::ios::binary);
  std::vector<unsigned char> b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::remove(path.c_str());
  REQUIRE(b.size() >= 100);
  auto field = [&](int i) { return be32(b, 4 * static_cast<std::size_t>(i)); };
  std::uint32_t header_size = field(0), version = field(1), format = field(2), byte_order = field(7);
  std::uint32_t bits_per_pixel = field(11), bytes_per_line = field(12);
  std::uint32_t masks[3] = {field(14), field(15), field(16)};
  std::uint32_t ncolors = field(19);
  REQUIRE(version == 7);
  REQUIRE(format == 2);  // ZPixmap
  REQUIRE((bits_per_pixel == 24 || bits_per_pixel == 32));
  const std::size_t bytes = bits_per_pixel / 8;
  Screen s;
  s.width = static_cast<int>(field(4));
  s.height = static_cast<int>(field(5));
  s.channel_bits = std::popcount(masks[0]);
  std::size_t data = header_size + 12 * std::size_t{ncolors};
  REQUIRE(b.size() >= data + std::size_t{bytes_per_line} * s.height);
  s.pixels.resize(static_cast<std::size_t>(s.width) * s.height);
  for (int y = 0; y < s.height; ++y)
    for (int x0 = 0; x0 < s.width; ++x0) {
      std::size_t at = data + std::size_t{bytes_per_line} * y + bytes * std::size_t(x0);
      std::uint32_t v = 0;
      for (std::size_t k = 0; k < bytes; ++k)  // byte_order 0: least significant byte first
        v |= std::uint32_t{b[at + k]} << (8 * (byte_order == 0 ? k : bytes - 1 - k));
      for (int c = 0; c < 3; ++c) s.pixels[std::size_t(y) * s.width + x0][c] = int((v & masks[c]) >> std::countr_zero(masks[c]));
    }
  return s;
}

struct Found {
  long patch = 0, background = 0, other = 0;
  int left = 1 << 30, right = -1, top = 1 << 30, bottom = -1;  // bounding box of patch pixels
};

// Sorts every pixel of the screen into patch, background or neither.
Found classify(const Screen& s, std::array<int, 3> patch, std::array<int, 3> background) {
  Found f;
  for (int y = 0; y < s.height; ++y)
    for (int x = 0; x < s.width; ++x) {
      const auto& p = s.at(x, y);
      if (p == patch) {
        ++f.patch;
        f.left = std::min(f.left, x), f.right = std::max(f.right, x);
        f.top = std::min(f.top, y), f.bottom = std::max(f.bottom, y);
      } else if (p == background) {
        ++f.background;
      } else {
        ++f.other;
      }
    }
  return f;
}

// The patch must cover `percent` of the area (within one pixel row and column of rounding), be a
// solid rectangle with the screen's aspect, centred to a pixel; everything else background.
void check_frame(const Screen& s, double percent, std::array<int, 3> patch, std::array<int, 3> background) {
  INFO("patch " << patch[0] << "," << patch[1] << "," << patch[2] << " on " << background[0] << " at " << percent << " %");
  Found f = classify(s, patch, background);
  CHECK(f.other == 0);
  long total = long(s.width) * s.height;
  CHECK(f.patch + f.background == total);
  REQUIRE(f.patch > 0);
  int w = f.right - f.left + 1, h = f.bottom - f.top + 1;
  CHECK(long(w) * h == f.patch);  // solid rectangle
  double area = double(f.patch) / total;
  CHECK(std::abs(area - percent / 100) <= double(s.width + s.height + 1) / total);
  CHECK(std::abs(double(w) / h - double(s.width) / s.height) < 0.02);
  int right_margin = s.width - 1 - f.right, bottom_margin = s.height - 1 - f.bottom;
  CHECK(std::abs(f.left - right_margin) <= 1);
  CHECK(std::abs(f.top - bottom_margin) <= 1);
}

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

TEST_CASE("window shows 8-bit full-range patches with exact codes, area percent and centring") {
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

TEST_CASE("window shows 10-bit codes on an 8-bit framebuffer shifted right by two, never dithered") {
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
    std::array<int, 3> black = c.range == SignalRange::Legal ? std::array<int, 3>{16, 16, 16} : std::array<int, 3>{0, 0, 0};
    check_frame(grab(x, "ten"), 20, c.code8, black);
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

TEST_CASE("window on a 30-bit X screen shows 10-bit codes exactly, 12-bit codes shifted right by two") {
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
  // An 8-bit patch on the 10-bit framebuffer: full range widened to the same signal (255 -> 1023).
  window.show(patch8(255, 0, 0, 100));
  CHECK(classify(grab(x, "deep8"), {1023, 0, 0}, {-1, -1, -1}).patch == 640L * 480);
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

TEST_CASE("window: windowed mode draws the patch centred in the window's own pixels") {
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
