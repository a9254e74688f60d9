// `calkit adjust` as a person meets it: in a pseudo-terminal, a scripted user presses the keys of
// the simulated display's menu that the screen names until it says "close enough", then Ctrl-C.
// The oracle is the virtual display's own light with the controls those keys set (computed here,
// in-process), judged with CIE 15:2004's u′v′ written out in the test; and the terminal must be
// left as it was found. With --json, one object per reading.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "color/colorimetry.hpp"
#include "core/clock.hpp"
#include "sim/display_model.hpp"
#include "sim/virtual_display.hpp"
#include "tests/support/calkit_test_support.hpp"

using namespace calkit;

namespace {

// CIE 15:2004 (5.3).
double delta_uv_cie(Xy a, Xy b) {
  auto u = [](Xy c) { return 4 * c.x / (-2 * c.x + 12 * c.y + 3); };
  auto v = [](Xy c) { return 9 * c.y / (-2 * c.x + 12 * c.y + 3); };
  return std::hypot(u(a) - u(b), v(a) - v(b));
}

// The simulated display's menu as `calkit adjust --help` documents it: r/R g/G b/B lower/raise a
// gain by 0.5 % of full drive, l/L the light by 2 %.
void press(DisplayControls& c, char key) {
  const std::string gains = "rgb";
  char lower = char(std::tolower(key));
  double sign = std::isupper(static_cast<unsigned char>(key)) ? 1 : -1;
  if (gains.find(lower) != std::string::npos) c.gain[gains.find(lower)] += sign * 0.005;
  if (lower == 'l') c.light *= 1 + sign * 0.02;
}

struct PtyRun {
  pid_t pid = -1;
  int master = -1;
  std::string output;

  // Reads what the program wrote for up to `ms`.
  void pump(int ms) {
    auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    char buffer[8192];
    while (std::chrono::steady_clock::now() < until) {
      pollfd p{master, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      ssize_t n = ::read(master, buffer, sizeof buffer);
      if (n <= 0) return;
      output.append(buffer, size_t(n));
    }
  }
  // The last complete screen: the text between the last two clear-screen sequences.
  std::string last_screen() const {
    const std::string clear = "\x1b[H\x1b[J";
    size_t last = output.rfind(clear);
    if (last == std::string::npos || last == 0) return "";
    size_t before = output.rfind(clear, last - 1);
    return before == std::string::npos ? "" : output.substr(before + clear.size(), last - before - clear.size());
  }
  size_t screens() const {
    size_t n = 0;
    for (size_t at = output.find("\x1b[H\x1b[J"); at != std::string::npos; at = output.find("\x1b[H\x1b[J", at + 1))
      ++n;
    return n;
  }
};

PtyRun start_in_pty(const std::string& args) {
  PtyRun run;
  winsize size{30, 110, 0, 0};
  run.pid = forkpty(&run.master, nullptr, nullptr, &size);
  REQUIRE(run.pid >= 0);
  if (run.pid == 0) {
    ::setenv("TERM", "xterm", 1);
    std::string command = std::string(CALKIT_BINARY) + " " + args;
    ::execl("/bin/sh", "sh", "-c", ("exec " + command).c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return run;
}

}  // namespace

TEST_CASE("adjust in a terminal: the keys the screen names reach close enough, Ctrl-C leaves cleanly") {
  PtyRun run = start_in_pty("adjust --probe sim --display sim:ips-lcd --target bt1886 --white-nits 100");
  DisplayControls controls;  // what the keys sent have set on the simulated display
  const std::regex key_hint(R"(\[press ([rgbRGBlL])\])");
  size_t answered = 0;
  bool close_enough = false;
  for (int round = 0; round < 400 && !close_enough; ++round) {
    run.pump(60);
    size_t screens = run.screens();
    if (screens <= answered + 1) continue;  // wait for a screen drawn after the last keys
    std::string screen = run.last_screen();
    if (screen.find("close enough: press q") != std::string::npos) {
      close_enough = true;
      break;
    }
    std::smatch m;
    if (!std::regex_search(screen, m, key_hint)) continue;
    // A person presses the named key a few times, then looks again.
    std::string keys(4, m[1].str()[0]);
    for (char k : keys) press(controls, k);
    REQUIRE(::write(run.master, keys.data(), keys.size()) == ssize_t(keys.size()));
    answered = run.screens();
  }
  REQUIRE(close_enough);
  CHECK(run.screens() > 5);  // it redraws in place, reading after reading

  // Ctrl-C: the terminal's interrupt character, delivered as SIGINT by the line discipline.
  REQUIRE(::write(run.master, "\x03", 1) == 1);
  // Up to 10 s of wall time: once the program has closed the terminal, pump() returns at once, and
  // the child is only reaped a moment later (longer on a loaded machine).
  int status = -1;
  for (auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
       std::chrono::steady_clock::now() < until;) {
    run.pump(50);
    if (::waitpid(run.pid, &status, WNOHANG) == run.pid) break;
    status = -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(status != -1);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(run.output.find("\x1b[?25h") != std::string::npos);  // the cursor is back
  termios after{};
  REQUIRE(::tcgetattr(run.master, &after) == 0);
  CHECK((after.c_lflag & ICANON) != 0);  // line editing and echo as before
  CHECK((after.c_lflag & ECHO) != 0);
  ::close(run.master);

  // The display's own light with those controls: what "close enough" claims, checked outside
  // calkit's guidance, to the screen's tolerances (Δu′v′ 0.002, light ±3 %).
  SimulatedClock clock;
  VirtualDisplay display(load_display_model("sim:ips-lcd"), clock);
  display.set_controls(controls);
  Vec3 white = display.steady_XYZ(Vec3::Ones(), 10);
  MESSAGE("after ", run.screens(), " screens: ", white.y(), " cd/m², Δu′v′ ", delta_uv_cie(xy_from_XYZ(white), kD65));
  CHECK(white.y() == doctest::Approx(100).epsilon(0.03));
  CHECK(delta_uv_cie(xy_from_XYZ(white), kD65) < 0.002);
  // Before: 320 cd/m² and 0.0048 from D65 (sim/builtin_displays.cpp's white).
  VirtualDisplay untouched(load_display_model("sim:ips-lcd"), clock);
  CHECK(delta_uv_cie(xy_from_XYZ(untouched.steady_XYZ(Vec3::Ones(), 10)), kD65) > 0.004);
}

TEST_CASE("adjust --json: one object per reading, --count stops, Δu′v′ as CIE 15 computes it") {
  test::CalkitOutput out = test::run_calkit("adjust --probe sim --display sim:ips-lcd --json --count 6");
  REQUIRE(out.status == 0);
  std::istringstream lines(out.output);
  int n = 0;
  for (std::string line; std::getline(lines, line); ++n) {
    nlohmann::json j = nlohmann::json::parse(line);
    CHECK(j["reading"] == n + 1);
    Xy xy{j["white"]["xy"][0], j["white"]["xy"][1]};
    CHECK(double(j["white"]["delta_uv"]) == doctest::Approx(delta_uv_cie(xy, kD65)).epsilon(1e-6));
    CHECK(j["close_enough"] == false);
    CHECK(j["steps"].back()["control"] == "light");  // 320 cd/m² against 100
    CHECK(double(j["steps"].back()["change"]) == doctest::Approx(100 / double(j["white"]["nits"]) - 1));
    if (n + 1 >= 4) CHECK(double(j["black"]["nits"]) > 0);
  }
  CHECK(n == 6);
}
