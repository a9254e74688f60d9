#pragma once
// The local window backend: an SDL2 window with an OpenGL context, fullscreen on a chosen
// display or windowed, that shows each patch with exact code values. Solid rectangles are drawn
// with glClear inside a scissor box (no textures, no scaling, no blending), dithering and sRGB
// conversion are off, and the cursor is hidden. A thread owns the window: it keeps pumping events
// (so the window manager never marks the window hung) and redraws on expose.
#include <functional>
#include <memory>
#include <string>

#include "patterns/pattern_generator.hpp"

namespace calkit {

struct WindowOptions {
  int display = 0;         // SDL display index
  bool fullscreen = true;  // borderless, the size of the display (no mode change)
  int width = 800;         // windowed size
  int height = 600;
  int request_bits = 10;                        // framebuffer depth asked for; 8 is used when the system has no 10-bit
  std::function<void(const std::string&)> log;  // default: one line on stderr
};

// "window[:display=1,fullscreen|windowed,size=800x600,bits=8|10]". Throws InputError.
bool is_window_pattern(const std::string& spec);
WindowOptions parse_window_spec(const std::string& spec);
std::string window_pattern_usage();

// The framebuffer code for a patch code: a deeper code is shifted right (10-bit -> 8-bit is
// code >> 2: the 8 most significant bits, never dithered, so 8-bit legal 16-235 stays exact);
// a shallower code is widened by convert_code (legal by bit shift, full range 255 -> 1023).
int window_output_code(int code, int bits, int output_bits, SignalRange range);

// The centred patch rectangle in pixels, top-left origin: sides sqrt(pct / 100) of the screen's
// (patterns.md section 5: N % window = N % of the area).
struct PixelRect {
  int x = 0, y = 0, width = 0, height = 0;
};
PixelRect patch_rect(int screen_width, int screen_height, double window_percent);
// The patch's rectangle at its position (Patch::centre_x/y): the same size, its centre on the
// nearest pixel to the asked one, moved inside the screen. A centred patch gives patch_rect above.
PixelRect patch_rect(int screen_width, int screen_height, const Patch& patch);

enum class WindowKey { None, Next, Back, Quit };

class WindowPatternGenerator : public PatternGenerator {
 public:
  // Opens the window (throws std::runtime_error when there is no display or no GL context).
  explicit WindowPatternGenerator(WindowOptions options = {});
  ~WindowPatternGenerator() override;
  WindowPatternGenerator(const WindowPatternGenerator&) = delete;
  WindowPatternGenerator& operator=(const WindowPatternGenerator&) = delete;

  std::string name() const override;  // "window:0 1920x1080 10-bit"
  // Returns after the frame is presented (swap + glFinish). Throws std::runtime_error when the
  // user has closed the window.
  void show(const Patch& patch) override;
  Patch shown(const Patch& patch) const override;  // at output_bits(), as window_output_code reduces it
  void close() override;                           // full-field black, then the window closes

  int output_bits() const;  // bits per channel of the framebuffer (8 or 10)
  int width() const;        // drawable size in pixels
  int height() const;
  // Waits up to `timeout_s` (< 0: forever) for a key: space/right/Enter = Next, left/backspace =
  // Back, q/Esc/closing the window = Quit. Events keep being handled meanwhile.
  WindowKey wait_key(double timeout_s);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Opens a window backend from a spec (see parse_window_spec).
std::unique_ptr<WindowPatternGenerator> open_window_pattern(const std::string& spec);

}  // namespace calkit
