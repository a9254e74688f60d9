#include "patterns/web_pattern.hpp"

#include <httplib.h>
// <resolv.h>, which httplib.h includes, defines _res as a macro, and Eigen names parameters _res.
#undef _res

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/device_spec.hpp"
#include "core/error.hpp"
#include "patterns/patch_codes.hpp"

namespace calkit {

struct WebPatternServer::State {
  WebPatternOptions options;
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::mutex mutex;
  std::condition_variable changed;
  long long patch_id = 0, painted_id = 0;
  nlohmann::json patch = {{"id", 0},    {"rgb", {0, 0, 0}}, {"background", {0, 0, 0}}, {"x", 0}, {"y", 0},
                          {"width", 1}, {"height", 1}};
  bool closing = false;
  std::atomic<bool> listen_returned{false};
};

namespace {

// The page: a canvas over the whole window, one patch at a time (long-polled), painted, then
// acknowledged after two animation frames (the first frame after the paint is on screen).
constexpr const char* kPage = R"HTML(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>calkit patterns</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>html,body{margin:0;height:100%;background:#000;overflow:hidden;cursor:none}
canvas{display:block;width:100vw;height:100vh}
#hint{position:fixed;top:1em;left:1em;color:#888;font:14px sans-serif}</style></head>
<body><canvas id="c"></canvas><div id="hint">calkit patterns: double-click for full screen</div>
<script>
const c = document.getElementById('c'), g = c.getContext('2d', {alpha: false});
let last = 0;
document.addEventListener('dblclick', () => document.documentElement.requestFullscreen());
function rgb(v) { return 'rgb(' + v[0] + ',' + v[1] + ',' + v[2] + ')'; }
function paint(p) {
  c.width = window.innerWidth; c.height = window.innerHeight;
  g.fillStyle = rgb(p.background); g.fillRect(0, 0, c.width, c.height);
  g.fillStyle = rgb(p.rgb);
  g.fillRect(Math.round(p.x * c.width), Math.round(p.y * c.height),
             Math.round(p.width * c.width), Math.round(p.height * c.height));
  if (p.id > 0) document.getElementById('hint').style.display = 'none';
}
async function loop() {
  for (;;) {
    try {
      const r = await fetch('patch?after=' + last);
      const p = await r.json();
      if (p.id === last) continue;
      paint(p);
      await new Promise(ok => requestAnimationFrame(() => requestAnimationFrame(ok)));
      last = p.id;
      await fetch('painted?id=' + p.id, {method: 'POST'});
    } catch (e) { await new Promise(ok => setTimeout(ok, 500)); }
  }
}
loop();
</script></body></html>)HTML";

}  // namespace

const char* web_pattern_page() { return kPage; }

std::string web_pattern_usage() { return "web[:port=8765,bind=ADDR,timeout=S] (a browser page paints the patches)"; }

WebPatternOptions parse_web_pattern_spec(const std::string& spec) {
  WebPatternOptions o;
  std::string rest = spec.size() > 3 ? spec.substr(4) : "";
  if (spec.rfind("web", 0) != 0 || (spec.size() > 3 && spec[3] != ':'))
    throw ValueError("--pattern", "not a web pattern spec: " + web_pattern_usage());
  for (const SpecOption& option : split_spec_options(rest, "--pattern")) {
    if (option.key == "port")
      o.port = spec_int(option, 0, 65535);
    else if (option.key == "bind" && !option.value.empty())
      o.bind = option.value;
    else if (option.key == "timeout")
      o.ack_timeout_s = spec_double(option, 1, 86400);
    else
      bad_spec_option(option, "unknown option (" + web_pattern_usage() + ")");
  }
  return o;
}

WebPatternServer::WebPatternServer(const WebPatternOptions& options) : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.options = options;
  s.server.Get("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(kPage, "text/html; charset=utf-8");
    res.set_header("Cache-Control", "no-store");
  });
  s.server.Get("/patch", [&s](const httplib::Request& req, httplib::Response& res) {
    long long after = req.has_param("after") ? std::atoll(req.get_param_value("after").c_str()) : -1;
    std::unique_lock<std::mutex> lock(s.mutex);
    // Long poll: answer at once with a newer patch, else after 10 s with the current one.
    s.changed.wait_for(lock, std::chrono::seconds(10), [&] { return s.patch_id != after || s.closing; });
    res.set_content(s.patch.dump(), "application/json");
    res.set_header("Cache-Control", "no-store");
  });
  s.server.Post("/painted", [&s](const httplib::Request& req, httplib::Response& res) {
    long long id = req.has_param("id") ? std::atoll(req.get_param_value("id").c_str()) : 0;
    {
      std::lock_guard<std::mutex> lock(s.mutex);
      if (id == s.patch_id) s.painted_id = id;
    }
    s.changed.notify_all();
    res.set_content("ok", "text/plain");
  });
  s.port = options.port == 0 ? s.server.bind_to_any_port(options.bind.c_str())
                             : (s.server.bind_to_port(options.bind.c_str(), options.port) ? options.port : -1);
  if (s.port <= 0) throw NetworkError(fmt::format("web patterns: cannot listen on {}:{}", options.bind, options.port));
  s.thread = std::thread([&s] {
    s.server.listen_after_bind();
    s.listen_returned = true;
  });
  std::fprintf(stderr,
               "calkit: web patterns: open %s in a browser on the screen to measure (double-click: full screen)\n",
               url().c_str());
}

WebPatternServer::~WebPatternServer() { close(); }

std::string WebPatternServer::name() const { return "web:" + std::to_string(state_->port); }
int WebPatternServer::port() const { return state_->port; }
std::string WebPatternServer::url() const {
  std::string host = state_->options.bind == "0.0.0.0" ? "THIS-COMPUTER" : state_->options.bind;
  return fmt::format("http://{}:{}/", host, state_->port);
}

Patch WebPatternServer::shown(const Patch& patch) const { return patch_at_bits(patch, 8); }

void WebPatternServer::show(const Patch& patch) {
  State& s = *state_;
  std::array<int, 3> rgb = codes_at_bits(patch, 8);
  int bg = background_code(patch, 8);
  WindowGeometry w = window_geometry(patch);
  long long id;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    id = ++s.patch_id;
    s.patch = {{"id", id}, {"rgb", rgb},       {"background", {bg, bg, bg}}, {"x", w.x},
               {"y", w.y}, {"width", w.width}, {"height", w.height}};
  }
  s.changed.notify_all();
  std::unique_lock<std::mutex> lock(s.mutex);
  if (!s.changed.wait_for(lock, std::chrono::duration<double>(s.options.ack_timeout_s),
                          [&] { return s.painted_id >= id || s.closing; }))
    throw NetworkError(
        fmt::format("web patterns: no page at {} painted the patch within {} s", url(), s.options.ack_timeout_s));
}

void WebPatternServer::close() {
  State& s = *state_;
  if (!s.thread.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(s.mutex);
    s.closing = true;
  }
  s.changed.notify_all();
  // httplib's stop() does nothing before listen has begun, and listen would then never return:
  // a server closed right after it was made hung here.
  while (!s.server.is_running() && !s.listen_returned) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  s.server.stop();
  s.thread.join();
}

}  // namespace calkit
