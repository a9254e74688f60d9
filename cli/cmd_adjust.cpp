// `calkit adjust`: live readings of the display's white and black while a person moves the
// display's own controls (white balance gains, backlight or OLED light), with the control to move
// and when it is close enough (measure/adjust.hpp). A screen that redraws in place on a terminal,
// one line per reading otherwise, JSON lines with --json. `calkit calibrate` runs it first.
#include <poll.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/rig.hpp"
#include "cli/verify_steps.hpp"
#include "core/error.hpp"
#include "measure/adjust.hpp"
#include "measure/session.hpp"

namespace calkit::cli {
namespace {

// Keys read one at a time without echo while the screen runs; the terminal is restored however
// the screen ends (Ctrl-C still signals: ISIG stays on). From a pipe (`calkit serve` runs adjust
// with the page's buttons behind one) keys are read as they come.
class KeyReader {
 public:
  KeyReader() : terminal_(::isatty(STDIN_FILENO) != 0) {
    struct stat st {};
    pipe_ = !terminal_ && ::fstat(STDIN_FILENO, &st) == 0 && S_ISFIFO(st.st_mode);
    if (!terminal_ || ::tcgetattr(STDIN_FILENO, &saved_) != 0) {
      terminal_ = false;
      return;
    }
    termios raw = saved_;
    raw.c_lflag &= ~tcflag_t(ICANON | ECHO);
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 0;
    ::tcsetattr(STDIN_FILENO, TCSANOW, &raw);
  }
  ~KeyReader() {
    if (terminal_) ::tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
  }
  KeyReader(const KeyReader&) = delete;
  KeyReader& operator=(const KeyReader&) = delete;

  bool terminal() const { return terminal_; }
  bool pipe() const { return pipe_; }

  // The keys pressed so far, waiting up to `wait` for the first.
  std::string keys(std::chrono::milliseconds wait) {
    std::string out;
    if (!terminal_ && !pipe_) {
      std::this_thread::sleep_for(wait);
      return out;
    }
    pollfd p{STDIN_FILENO, POLLIN, 0};
    int timeout = int(wait.count());
    char buffer[64];
    while (::poll(&p, 1, timeout) > 0 && (p.revents & POLLIN)) {
      ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
      if (n <= 0) {
        pipe_ = false;  // the writer has gone: no more keys
        break;
      }
      out.append(buffer, size_t(n));
      timeout = 0;
    }
    return out;
  }

 private:
  bool terminal_, pipe_ = false;
  termios saved_{};
};

struct AdjustArgs {
  ChainArgs chain;
  double tolerance_uv = 0.002;
  double tolerance_light = 3;  // %
  bool json = false;
  int count = 0;
};

// A simulated display's menu, moved by keys, so that the screen can be tried (and tested) end to
// end: r/R g/G b/B lower/raise a gain by 0.5 %, l/L the light by 2 %.
constexpr double kGainKeyStep = 0.005, kLightKeyStep = 0.02;

std::string key_for(const AdjustStep& step) {
  char key = step.control == "light" ? 'l' : step.control[0];
  return std::string(1, step.change < 0 ? key : char(std::toupper(key)));
}

void press_simulated_controls(VirtualDisplay& display, const std::string& keys) {
  DisplayControls c = display.controls();
  for (char k : keys) {
    int channel = k == 'r' || k == 'R' ? 0 : k == 'g' || k == 'G' ? 1 : k == 'b' || k == 'B' ? 2 : -1;
    double sign = std::isupper(static_cast<unsigned char>(k)) ? 1 : -1;
    if (channel >= 0) c.gain[channel] += sign * kGainKeyStep;
    if (k == 'l' || k == 'L') c.light *= 1 + sign * kLightKeyStep;
  }
  display.set_controls(c);
}

nlohmann::json number_or_null(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json guidance_json(int reading, const AdjustGuidance& g, const std::optional<Vec3>& black,
                             const AdjustTarget& target) {
  nlohmann::json steps = nlohmann::json::array();
  for (const AdjustStep& s : g.steps) steps.push_back({{"control", s.control}, {"change", s.change}});
  nlohmann::json j{{"reading", reading},
                   {"white",
                    {{"nits", g.nits},
                     {"xy", {g.xy.x, g.xy.y}},
                     {"uv_prime", {g.uv.u, g.uv.v}},
                     {"delta_uv", g.delta_uv},
                     {"cct_k", number_or_null(g.cct)},
                     {"duv", number_or_null(g.duv)}}},
                   {"target", {{"xy", {target.white.x, target.white.y}}, {"nits", target.nits}}},
                   {"steps", steps},
                   {"white_close", g.white_close},
                   {"light_close", g.light_close},
                   {"close_enough", g.close_enough}};
  if (black) j["black"] = {{"nits", black->y()}, {"contrast", number_or_null(g.nits / black->y())}};
  return j;
}

std::string white_line(const AdjustGuidance& g) {
  std::string cct = std::isfinite(g.cct) ? fmt::format("CCT {:.0f} K  Duv {:+.4f}", g.cct, g.duv) : "no CCT";
  return fmt::format("white {:9.2f} cd/m²  x {:.4f} y {:.4f}  {}  Δu′v′ {:.4f}", g.nits, g.xy.x, g.xy.y, cct,
                     g.delta_uv);
}

std::string black_line(const std::optional<Vec3>& black, double white_nits) {
  if (!black) return "black (read every fourth reading)";
  double contrast = black->y() > 0 ? white_nits / black->y() : INFINITY;
  return fmt::format("black {:9.4f} cd/m²  contrast {}", black->y(),
                     std::isfinite(contrast) ? fmt::format("{:.0f}:1", contrast) : "∞");
}

// The whole screen, drawn from the top left over the previous one.
void draw_screen(const std::string& title, const AdjustTarget& target, const AdjustGuidance& g,
                 const std::optional<Vec3>& black, int reading, bool simulated, bool in_calibrate) {
  std::string s = "\x1b[H\x1b[J";
  s += title + "\n\n";
  s += fmt::format("target  x {:.4f} y {:.4f}  {}   close enough: Δu′v′ ≤ {:.4f}{}\n\n", target.white.x, target.white.y,
                   target.nits > 0 ? fmt::format("{:.1f} cd/m²", target.nits) : "as bright as set", target.tolerance_uv,
                   target.nits > 0 ? fmt::format(", light ±{:.0f} %", target.tolerance_light * 100) : "");
  s += white_line(g) + (g.white_close ? "  ✓" : "  ✗") + "\n";
  s += black_line(black, g.nits) + "\n\n";
  for (const AdjustStep& step : g.steps)
    s += fmt::format("  {} {}{}\n", step.change < 0 ? "↓" : "↑", describe_step(step),
                     simulated ? "   [press " + key_for(step) + "]" : "");
  if (g.close_enough)
    s += in_calibrate ? "  ✓ close enough: press Enter to profile the display\n"
                      : "  ✓ close enough: press q or Ctrl-C to leave\n";
  else if (g.steps.empty())
    s += "  (read the primaries again with p for the gains to move)\n";
  s += "\n";
  if (simulated) s += "simulated display menu: r/R g/G b/B lower/raise a gain 0.5 %, l/L the light 2 %\n";
  s += fmt::format("reading {}   p: read the primaries again   {}\n", reading,
                   in_calibrate ? "Enter: go on to profiling   Ctrl-C: stop" : "q or Ctrl-C: leave");
  std::fputs(s.c_str(), stdout);
  std::fflush(stdout);
}

}  // namespace

AdjustTarget adjust_target_for(const Target& target, double tolerance_uv, double tolerance_light) {
  AdjustTarget t;
  t.white = xy_from_XYZ(target.white_XYZ(1));
  t.nits = target.hdr() ? 0 : target.white_nits;
  t.tolerance_uv = tolerance_uv;
  t.tolerance_light = tolerance_light;
  return t;
}

AdjustGuidance run_adjust_screen(Rig& rig, const ChainArgs& chain, const AdjustTarget& target,
                                 const AdjustScreen& screen) {
  Session session(*rig.probe, *rig.pattern, *rig.clock, session_options(chain));
  const std::atomic<bool>* stop = install_stop_flag();
  KeyReader keys;
  const bool redraw = !screen.json && keys.terminal() && ::isatty(STDOUT_FILENO);
  // A simulated display reads instantly: pace it so that a person can follow the screen (or the page).
  const auto pause = std::chrono::milliseconds(rig.simulated && (redraw || keys.pipe()) ? 100 : 0);
  const std::string title = fmt::format("calkit adjust: {}", rig.description);

  auto read_primaries = [&] {
    Mat3 p;
    for (int c = 0; c < 3; ++c) p.col(c) = session.measure(Vec3::Unit(c)).XYZ;
    return p;
  };
  if (!screen.json && !redraw) std::fprintf(stderr, "calkit: reading the primaries, then the white\n");
  std::optional<Mat3> primaries = read_primaries();
  std::optional<Vec3> black;
  AdjustGuidance g;
  if (redraw) std::fputs("\x1b[?25l", stdout);  // no cursor blinking over the screen
  for (int reading = 1; !stop->load(); ++reading) {
    if (reading % 4 == 0) black = session.measure(Vec3::Zero()).XYZ;
    g = adjust_guidance(session.measure(Vec3::Ones()).XYZ, primaries, target);
    if (screen.json) {
      std::puts(guidance_json(reading, g, black, target).dump().c_str());
      std::fflush(stdout);
    } else if (redraw) {
      draw_screen(title, target, g, black, reading, rig.display != nullptr, screen.in_calibrate);
    } else {
      std::printf("%s  %s\n", white_line(g).c_str(), g.close_enough ? "close enough" : "");
      std::fflush(stdout);
    }
    if (screen.count > 0 && reading >= screen.count) break;
    std::string pressed = keys.keys(pause);
    if (pressed.find('q') != std::string::npos || pressed.find('\n') != std::string::npos) break;
    if (pressed.find('p') != std::string::npos) primaries = read_primaries();
    if (rig.display) press_simulated_controls(*rig.display, pressed);
  }
  if (redraw) std::fputs("\x1b[?25h\n", stdout);
  std::fflush(stdout);
  return g;
}

namespace {

void run(const AdjustArgs& a) {
  if (a.count < 0) throw ValueError("--count", "must be 0 (until Ctrl-C or q) or more");
  if (!(a.tolerance_uv > 0)) throw ValueError("--tolerance-uv", "must be above 0");
  if (!(a.tolerance_light > 0)) throw ValueError("--tolerance-light", "must be above 0");
  Target target = target_from(a.chain);
  Rig rig = build_rig(a.chain.rig);
  AdjustTarget t = adjust_target_for(target, a.tolerance_uv, a.tolerance_light / 100);
  AdjustGuidance last = run_adjust_screen(rig, a.chain, t, {a.json, a.count, false});
  rig.pattern->close();
  if (!a.json)
    std::fprintf(stderr, "calkit: %s\n",
                 last.close_enough ? "the display is close enough to the target: calibrate it now"
                                   : "left before the display was close enough to the target");
}

}  // namespace

void add_adjust(CLI::App& app) {
  auto a = std::make_shared<AdjustArgs>();
  auto* cmd = app.add_subcommand(
      "adjust",
      "Before calibrating: live readings of the white (cd/m², xy, CCT, Δu′v′ from the target white) and\n"
      "black while you move the display's own controls (RGB gains, backlight or OLED light), with the\n"
      "control to move and when it is close enough. A screen on a terminal (q or Ctrl-C leaves), one\n"
      "line per reading otherwise, JSON lines with --json. On a simulated display keys move its menu.\n"
      "Example: calkit adjust --probe i1d3 --pattern window --target bt1886 --white-nits 100\n"
      "         calkit adjust --probe sim --display sim:ips-lcd --json --count 5");
  // The part of the chain options that a white and a black reading use.
  add_rig_options(cmd, a->chain.rig);
  cmd->add_option("--target,-t", a->chain.target, "bt1886, pq-p3d65, pq-rec2020, or a target file: its white")
      ->capture_default_str();
  cmd->add_option("--white-nits", a->chain.white_nits, "SDR target white, cd/m²")->capture_default_str();
  cmd->add_option("--settle", a->chain.settle, "SECONDS (fixed wait) or stable[:SECONDS]")->capture_default_str();
  cmd->add_option("--window", a->chain.window, "patch area in % of the screen")->capture_default_str();
  cmd->add_option("--tolerance-uv", a->tolerance_uv, "close enough: the white's Δu′v′ from the target white")
      ->capture_default_str();
  cmd->add_option("--tolerance-light", a->tolerance_light, "close enough: the white's luminance error, %")
      ->capture_default_str();
  cmd->add_flag("--json", a->json, "print one JSON object per reading (JSON lines)");
  cmd->add_option("--count", a->count, "stop after N readings (0: until q or Ctrl-C)")->capture_default_str();
  cmd->callback([a] { run(*a); });
}

}  // namespace calkit::cli
