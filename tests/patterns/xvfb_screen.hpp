#pragma once
// Test helpers for the local window: an Xvfb of the test's own (Xvfb -displayfd picks a free
// display number) and the screen read back with `xwd -root`, a separate program that asks the X
// server for the root window's pixels. Xvfb missing is a failure, not a skip: scripts/install-deps
// installs it. Used by tests/patterns/window_test.cpp and tests/cli/pattern_check_test.cpp.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

namespace calkit::test {

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
      ::execlp("Xvfb", "Xvfb", "-displayfd", fd.c_str(), "-screen", "0", screen.c_str(), "-nolisten", "tcp", "-noreset",
               static_cast<char*>(nullptr));
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

inline std::uint32_t be32(const std::vector<unsigned char>& b, std::size_t at) {
  return (std::uint32_t{b[at]} << 24) | (std::uint32_t{b[at + 1]} << 16) | (std::uint32_t{b[at + 2]} << 8) | b[at + 3];
}

inline Screen grab(const Xvfb& x, const std::string& tag) {
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
      for (int c = 0; c < 3; ++c)
        s.pixels[std::size_t(y) * s.width + x0][c] = int((v & masks[c]) >> std::countr_zero(masks[c]));
    }
  return s;
}

struct Found {
  long patch = 0, background = 0, other = 0;
  int left = 1 << 30, right = -1, top = 1 << 30, bottom = -1;  // bounding box of patch pixels
};

// Sorts every pixel of the screen into patch, background or neither.
inline Found classify(const Screen& s, std::array<int, 3> patch, std::array<int, 3> background) {
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
inline void check_frame(const Screen& s, double percent, std::array<int, 3> patch, std::array<int, 3> background) {
  INFO("patch " << patch[0] << "," << patch[1] << "," << patch[2] << " on " << background[0] << " at " << percent
                << " %");
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

}  // namespace calkit::test
