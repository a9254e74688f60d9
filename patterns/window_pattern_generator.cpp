#include "patterns/window_pattern_generator.hpp"

#include <SDL.h>
#include <SDL_opengl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "core/device_spec.hpp"
#include "core/error.hpp"
#include "patterns/patch_codes.hpp"

#ifndef GL_FRAMEBUFFER_SRGB
#define GL_FRAMEBUFFER_SRGB 0x8DB9
#endif
#ifndef GL_MULTISAMPLE
#define GL_MULTISAMPLE 0x809D
#endif

namespace calkit {

// --- Spec ------------------------------------------------------------------------------------

bool is_window_pattern(const std::string& spec) { return spec == "window" || spec.rfind("window:", 0) == 0; }

WindowOptions parse_window_spec(const std::string& spec) {
  if (!is_window_pattern(spec)) throw ValueError("--pattern", "'" + spec + "' is not a window spec");
  WindowOptions options;
  bool fullscreen_given = false;
  bool size_given = false;
  for (const SpecOption& o : split_spec_options(spec.size() > 7 ? spec.substr(7) : "", "--pattern")) {
    if (o.key == "display") {
      options.display = spec_int(o, 0, 63);
    } else if (o.key == "fullscreen" && o.value.empty()) {
      options.fullscreen = true;
      fullscreen_given = true;
    } else if (o.key == "windowed" && o.value.empty()) {
      options.fullscreen = false;
    } else if (o.key == "size") {
      int w = 0, h = 0;
      char tail = 0;
      if (std::sscanf(o.value.c_str(), "%dx%d%c", &w, &h, &tail) != 2 || w < 16 || h < 16 || w > 16384 || h > 16384)
        bad_spec_option(o, "'" + o.value + "' is not WIDTHxHEIGHT in pixels (16..16384)");
      options.width = w;
      options.height = h;
      size_given = true;
    } else if (o.key == "bits") {
      options.request_bits = spec_int(o, 8, 10);
      if (options.request_bits != 8 && options.request_bits != 10) bad_spec_option(o, "must be 8 or 10");
    } else {
      bad_spec_option(o, "unknown window option (display=N, fullscreen, windowed, size=WxH, bits=8|10)");
    }
  }
  if (size_given && !fullscreen_given) options.fullscreen = false;  // a size means a window
  return options;
}

std::string window_pattern_usage() { return "window[:display=N,fullscreen|windowed,size=WxH,bits=8|10]"; }

int window_output_code(int code, int bits, int output_bits, SignalRange range) {
  if (bits > output_bits) return code >> (bits - output_bits);
  return convert_code(code, bits, output_bits, range);
}

PixelRect patch_rect(int screen_width, int screen_height, double window_percent) {
  double side = window_side(window_percent);
  PixelRect r;
  r.width = std::clamp(static_cast<int>(std::lround(screen_width * side)), 0, screen_width);
  r.height = std::clamp(static_cast<int>(std::lround(screen_height * side)), 0, screen_height);
  r.x = (screen_width - r.width) / 2;
  r.y = (screen_height - r.height) / 2;
  return r;
}

PixelRect patch_rect(int screen_width, int screen_height, const Patch& patch) {
  PixelRect r = patch_rect(screen_width, screen_height, patch.window_percent);
  if (is_centred(patch)) return r;
  auto place = [](double centre, int size, int screen) {
    long left = std::lround(centre * screen - size / 2.0);
    return static_cast<int>(std::clamp<long>(left, 0, screen - size));
  };
  r.x = place(patch.centre_x, r.width, screen_width);
  r.y = place(patch.centre_y, r.height, screen_height);
  return r;
}

// --- The window thread -----------------------------------------------------------------------

// GL 1.1 entry points, loaded through SDL so that calkit does not link libGL itself. Outside the
// anonymous namespace: WindowPatternGenerator::State holds one.
struct GlFunctions {
  void(APIENTRY* ClearColor)(GLclampf, GLclampf, GLclampf, GLclampf) = nullptr;
  void(APIENTRY* Clear)(GLbitfield) = nullptr;
  void(APIENTRY* Scissor)(GLint, GLint, GLsizei, GLsizei) = nullptr;
  void(APIENTRY* Viewport)(GLint, GLint, GLsizei, GLsizei) = nullptr;
  void(APIENTRY* Enable)(GLenum) = nullptr;
  void(APIENTRY* Disable)(GLenum) = nullptr;
  void(APIENTRY* Finish)() = nullptr;
  GLenum(APIENTRY* GetError)() = nullptr;
};

namespace {

std::atomic<bool> window_open{false};  // SDL video is process-wide: one window backend at a time

template <class F>
void load_gl(F& f, const char* name) {
  f = reinterpret_cast<F>(SDL_GL_GetProcAddress(name));
  if (!f) throw std::runtime_error(fmt::format("window: OpenGL function {} is missing", name));
}

WindowKey key_action(SDL_Keycode key) {
  switch (key) {
    case SDLK_SPACE:
    case SDLK_RIGHT:
    case SDLK_RETURN:
    case SDLK_PAGEDOWN:
    case SDLK_DOWN:
      return WindowKey::Next;
    case SDLK_LEFT:
    case SDLK_BACKSPACE:
    case SDLK_PAGEUP:
    case SDLK_UP:
      return WindowKey::Back;
    case SDLK_q:
    case SDLK_ESCAPE:
      return WindowKey::Quit;
    default:
      return WindowKey::None;
  }
}

}  // namespace

struct WindowPatternGenerator::State {
  WindowOptions options;
  std::thread thread;
  std::mutex mutex;
  std::condition_variable changed;
  // Set once by the thread at start.
  bool started = false;
  std::exception_ptr start_error;
  int output_bits = 8;
  int width = 0, height = 0;
  std::string name;
  // Requests and their results.
  std::optional<Patch> patch;  // what the window shows (null: black)
  std::uint64_t requested = 0, presented = 0;
  bool stop = false;
  bool user_closed = false;
  std::deque<WindowKey> keys;
  Uint32 wake_event = 0;

  SDL_Window* window = nullptr;
  SDL_GLContext context = nullptr;
  GlFunctions gl;

  void log(const std::string& line) const {
    if (options.log)
      options.log(line);
    else
      std::fprintf(stderr, "calkit: window: %s\n", line.c_str());
  }

  void run();
  void open();
  bool try_create(int bits, const SDL_Rect& bounds);
  void draw(const std::optional<Patch>& p);
  void handle(const SDL_Event& e, bool& redraw);
  void destroy();
};

bool WindowPatternGenerator::State::try_create(int bits, const SDL_Rect& bounds) {
  SDL_GL_ResetAttributes();
  SDL_GL_SetAttribute(SDL_GL_RED_SIZE, bits);
  SDL_GL_SetAttribute(SDL_GL_GREEN_SIZE, bits);
  SDL_GL_SetAttribute(SDL_GL_BLUE_SIZE, bits);
  SDL_GL_SetAttribute(SDL_GL_ALPHA_SIZE, 0);
  SDL_GL_SetAttribute(SDL_GL_DEPTH_SIZE, 0);
  SDL_GL_SetAttribute(SDL_GL_STENCIL_SIZE, 0);
  SDL_GL_SetAttribute(SDL_GL_DOUBLEBUFFER, 1);
  SDL_GL_SetAttribute(SDL_GL_MULTISAMPLEBUFFERS, 0);
  SDL_GL_SetAttribute(SDL_GL_MULTISAMPLESAMPLES, 0);
  SDL_GL_SetAttribute(SDL_GL_FRAMEBUFFER_SRGB_CAPABLE, 0);  // no linear-to-sRGB encoding on write
  // A 2.1 compatibility context: glClear and glScissor are all it needs.
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MAJOR_VERSION, 2);
  SDL_GL_SetAttribute(SDL_GL_CONTEXT_MINOR_VERSION, 1);
  Uint32 flags = SDL_WINDOW_OPENGL | SDL_WINDOW_ALLOW_HIGHDPI | SDL_WINDOW_SHOWN;
  int x, y, w, h;
  if (options.fullscreen) {
    // Desktop fullscreen: the display keeps its mode, so the signal format does not change.
    flags |= SDL_WINDOW_BORDERLESS | SDL_WINDOW_FULLSCREEN_DESKTOP;
    x = bounds.x, y = bounds.y, w = bounds.w, h = bounds.h;
  } else {
    x = static_cast<int>(SDL_WINDOWPOS_CENTERED_DISPLAY(options.display));
    y = x, w = options.width, h = options.height;
  }
  window = SDL_CreateWindow("calkit patterns", x, y, w, h, flags);
  if (!window) return false;
  context = SDL_GL_CreateContext(window);
  if (!context) {
    SDL_DestroyWindow(window);
    window = nullptr;
    return false;
  }
  return true;
}

void WindowPatternGenerator::State::open() {
  SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0");  // keep showing when the user clicks elsewhere
  SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "1");
  SDL_SetHint(SDL_HINT_VIDEO_ALLOW_SCREENSAVER, "0");
  if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0)
    throw std::runtime_error(fmt::format("window: no video display ({})", SDL_GetError()));
  int displays = SDL_GetNumVideoDisplays();
  if (options.display >= displays)
    throw ValueError("--pattern display", fmt::format("display {} does not exist ({} display(s): 0..{})",
                                                      options.display, displays, displays - 1));
  SDL_Rect bounds;
  if (SDL_GetDisplayBounds(options.display, &bounds) != 0)
    throw std::runtime_error(fmt::format("window: display {}: {}", options.display, SDL_GetError()));
  if (!(options.request_bits > 8 && try_create(options.request_bits, bounds)) && !try_create(8, bounds))
    throw std::runtime_error(fmt::format("window: cannot open an OpenGL window ({})", SDL_GetError()));
  SDL_GL_MakeCurrent(window, context);
  load_gl(gl.ClearColor, "glClearColor");
  load_gl(gl.Clear, "glClear");
  load_gl(gl.Scissor, "glScissor");
  load_gl(gl.Viewport, "glViewport");
  load_gl(gl.Enable, "glEnable");
  load_gl(gl.Disable, "glDisable");
  load_gl(gl.Finish, "glFinish");
  load_gl(gl.GetError, "glGetError");
  int r = 0, g = 0, b = 0;
  SDL_GL_GetAttribute(SDL_GL_RED_SIZE, &r);
  SDL_GL_GetAttribute(SDL_GL_GREEN_SIZE, &g);
  SDL_GL_GetAttribute(SDL_GL_BLUE_SIZE, &b);
  output_bits = std::min({r, g, b}) >= 10 ? 10 : 8;
  if (options.request_bits > output_bits)
    log(
        fmt::format("no {}-bit framebuffer on display {}; showing 8 bits per channel (deeper codes are "
                    "shifted right, never dithered)",
                    options.request_bits, options.display));
  SDL_ShowCursor(SDL_DISABLE);
  SDL_GL_SetSwapInterval(1);  // present on vertical blank where the driver can
  // Exact code values: no dithering, no sRGB encoding, no multisampling.
  gl.Disable(GL_DITHER);
  gl.Disable(GL_FRAMEBUFFER_SRGB);
  gl.Disable(GL_MULTISAMPLE);
  gl.Disable(GL_BLEND);
  gl.GetError();  // GL_FRAMEBUFFER_SRGB / GL_MULTISAMPLE are unknown to some contexts: not an error here
  SDL_GL_GetDrawableSize(window, &width, &height);
  name = fmt::format("window:{} {}x{} {}-bit", options.display, width, height, output_bits);
  wake_event = SDL_RegisterEvents(1);
}

void WindowPatternGenerator::State::draw(const std::optional<Patch>& p) {
  SDL_GL_GetDrawableSize(window, &width, &height);
  const double scale = (1 << output_bits) - 1;
  auto clear = [&](const std::array<int, 3>& c) {
    gl.ClearColor(static_cast<GLclampf>(c[0] / scale), static_cast<GLclampf>(c[1] / scale),
                  static_cast<GLclampf>(c[2] / scale), 1.0f);
    gl.Clear(GL_COLOR_BUFFER_BIT);
  };
  gl.Viewport(0, 0, width, height);
  gl.Disable(GL_SCISSOR_TEST);
  if (!p) {
    clear({0, 0, 0});
  } else {
    // The whole frame is made at the patch's depth, then reduced to the framebuffer's one rule.
    int bg = window_output_code(background_code(*p, p->bits), p->bits, output_bits, p->range);
    std::array<int, 3> fg{};
    for (int c = 0; c < 3; ++c) fg[c] = window_output_code(p->code[c], p->bits, output_bits, p->range);
    PixelRect r = patch_rect(width, height, *p);
    clear({bg, bg, bg});
    if (r.width > 0 && r.height > 0) {
      gl.Enable(GL_SCISSOR_TEST);
      gl.Scissor(r.x, height - r.y - r.height, r.width, r.height);  // GL's origin is bottom-left
      clear(fg);
      gl.Disable(GL_SCISSOR_TEST);
    }
  }
  SDL_GL_SwapWindow(window);
  gl.Finish();
}

void WindowPatternGenerator::State::handle(const SDL_Event& e, bool& redraw) {
  std::lock_guard lock(mutex);
  if (e.type == SDL_QUIT) {
    user_closed = true;
    keys.push_back(WindowKey::Quit);
  } else if (e.type == SDL_WINDOWEVENT) {
    if (e.window.event == SDL_WINDOWEVENT_CLOSE) {
      user_closed = true;
      keys.push_back(WindowKey::Quit);
    } else if (e.window.event == SDL_WINDOWEVENT_EXPOSED || e.window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
               e.window.event == SDL_WINDOWEVENT_RESTORED) {
      redraw = true;
    }
  } else if (e.type == SDL_KEYDOWN) {
    WindowKey k = key_action(e.key.keysym.sym);
    if (k != WindowKey::None) keys.push_back(k);
  } else {
    return;
  }
  changed.notify_all();
}

void WindowPatternGenerator::State::destroy() {
  if (context) SDL_GL_DeleteContext(context);
  if (window) SDL_DestroyWindow(window);
  context = nullptr;
  window = nullptr;
  SDL_QuitSubSystem(SDL_INIT_VIDEO);
  SDL_Quit();
}

void WindowPatternGenerator::State::run() {
  try {
    open();
    draw(std::nullopt);
  } catch (...) {
    destroy();
    std::lock_guard lock(mutex);
    start_error = std::current_exception();
    started = true;
    changed.notify_all();
    return;
  }
  {
    std::lock_guard lock(mutex);
    started = true;
  }
  changed.notify_all();
  // Keep handling events between patches (answers the window manager's pings) and wake for a
  // new patch (wake_event) or a stop.
  bool redraw = false;
  for (;;) {
    SDL_Event e;
    if (SDL_WaitEventTimeout(&e, 100)) {
      handle(e, redraw);
      while (SDL_PollEvent(&e)) handle(e, redraw);
    }
    std::optional<Patch> p;
    std::uint64_t request = 0;
    {
      std::lock_guard lock(mutex);
      if (stop) break;
      if (requested == presented && !redraw) continue;
      p = patch;
      request = requested;
    }
    redraw = false;
    draw(p);
    {
      std::lock_guard lock(mutex);
      presented = request;
    }
    changed.notify_all();
  }
  destroy();
}

// --- The backend -----------------------------------------------------------------------------

WindowPatternGenerator::WindowPatternGenerator(WindowOptions options) : state_(std::make_unique<State>()) {
  if (window_open.exchange(true)) throw std::runtime_error("window: a pattern window is already open in this process");
  state_->options = std::move(options);
  state_->thread = std::thread([s = state_.get()] { s->run(); });
  std::unique_lock lock(state_->mutex);
  state_->changed.wait(lock, [&] { return state_->started; });
  if (state_->start_error) {
    std::exception_ptr error = state_->start_error;
    lock.unlock();
    state_->thread.join();
    window_open = false;
    std::rethrow_exception(error);
  }
}

WindowPatternGenerator::~WindowPatternGenerator() {
  if (state_->thread.joinable()) {
    {
      std::lock_guard lock(state_->mutex);
      state_->stop = true;
    }
    state_->thread.join();
    window_open = false;
  }
}

std::string WindowPatternGenerator::name() const { return state_->name; }
int WindowPatternGenerator::output_bits() const { return state_->output_bits; }

int WindowPatternGenerator::width() const {
  std::lock_guard lock(state_->mutex);
  return state_->width;
}

int WindowPatternGenerator::height() const {
  std::lock_guard lock(state_->mutex);
  return state_->height;
}

Patch WindowPatternGenerator::shown(const Patch& patch) const {
  Patch out = patch;
  out.bits = output_bits();
  for (int c = 0; c < 3; ++c) out.code[c] = window_output_code(patch.code[c], patch.bits, out.bits, patch.range);
  return out;
}

void WindowPatternGenerator::show(const Patch& patch) {
  (void)patch.signal();  // throws InputError for a bad bit depth before anything is drawn
  std::unique_lock lock(state_->mutex);
  if (!state_->thread.joinable()) throw std::runtime_error("window: the pattern window is closed");
  if (state_->user_closed) throw std::runtime_error("window: the pattern window was closed by the user");
  state_->patch = patch;
  std::uint64_t request = ++state_->requested;
  SDL_Event wake{};
  wake.type = state_->wake_event;
  SDL_PushEvent(&wake);  // thread-safe; wakes SDL_WaitEventTimeout at once
  state_->changed.wait(lock, [&] { return state_->presented >= request || state_->user_closed; });
  if (state_->presented < request) throw std::runtime_error("window: the pattern window was closed by the user");
}

void WindowPatternGenerator::close() {
  if (!state_->thread.joinable()) return;
  bool user_closed;
  {
    std::lock_guard lock(state_->mutex);
    user_closed = state_->user_closed;
  }
  if (!user_closed) {
    Patch black;
    try {
      show(black);
    } catch (const std::runtime_error&) {
      // closed meanwhile: nothing left to blank
    }
  }
  {
    std::lock_guard lock(state_->mutex);
    state_->stop = true;
  }
  state_->thread.join();
  window_open = false;
}

WindowKey WindowPatternGenerator::wait_key(double timeout_s) {
  std::unique_lock lock(state_->mutex);
  auto ready = [&] { return !state_->keys.empty() || !state_->thread.joinable(); };
  if (timeout_s < 0)
    state_->changed.wait(lock, ready);
  else
    state_->changed.wait_for(lock, std::chrono::duration<double>(timeout_s), ready);
  if (state_->keys.empty()) return state_->thread.joinable() ? WindowKey::None : WindowKey::Quit;
  WindowKey k = state_->keys.front();
  state_->keys.pop_front();
  return k;
}

std::unique_ptr<WindowPatternGenerator> open_window_pattern(const std::string& spec) {
  return std::make_unique<WindowPatternGenerator>(parse_window_spec(spec));
}

}  // namespace calkit
