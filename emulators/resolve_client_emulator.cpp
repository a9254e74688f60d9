#include "emulators/resolve_client_emulator.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>

#include <fmt/format.h>

#include "patterns/patch_codes.hpp"

namespace calkit {
namespace {

// The XML subset Resolve frames use: a declaration, elements and double-quoted attributes, no
// text, comments, entities or non-ASCII. Anything else is a protocol violation.
struct XmlElement {
  std::string name;
  std::map<std::string, std::string> attributes;
  std::vector<XmlElement> children;
};

class XmlReader {
 public:
  explicit XmlReader(const std::string& text) : s_(text) {}

  XmlElement document() {
    for (unsigned char c : s_)
      if (c >= 0x80 || (c < 0x20 && c != '\t' && c != '\n' && c != '\r')) fail("non-ASCII or control byte");
    if (s_.rfind("<?xml ", 0) != 0) fail("missing <?xml declaration");
    std::size_t end = s_.find("?>");
    if (end == std::string::npos) fail("unterminated <?xml declaration");
    pos_ = 6;
    std::map<std::string, std::string> decl;
    while (skip_space(), pos_ < end) read_attribute(decl);
    if (pos_ != end || decl.count("version") == 0 || decl["version"] != "1.0") fail("bad <?xml declaration");
    if (decl.count("encoding") && decl["encoding"] != "utf-8" && decl["encoding"] != "UTF-8")
      fail("encoding is not UTF-8");
    pos_ = end + 2;
    skip_space();
    XmlElement root = element();
    skip_space();
    if (pos_ != s_.size()) fail("content after the root element");
    return root;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw ProtocolError(fmt::format("malformed XML at byte {}: {}", pos_, why));
  }
  void skip_space() {
    while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\n' || s_[pos_] == '\r')) ++pos_;
  }
  void expect(char c) {
    if (pos_ >= s_.size() || s_[pos_] != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  std::string name() {
    std::size_t start = pos_;
    auto ok = [](char c, bool first) {
      return std::isalpha(static_cast<unsigned char>(c)) || c == '_' ||
             (!first && (std::isdigit(static_cast<unsigned char>(c)) || c == '-' || c == '.'));
    };
    while (pos_ < s_.size() && ok(s_[pos_], pos_ == start)) ++pos_;
    if (pos_ == start) fail("expected a name");
    return s_.substr(start, pos_ - start);
  }
  void read_attribute(std::map<std::string, std::string>& into) {
    std::string key = name();
    skip_space();
    expect('=');
    skip_space();
    expect('"');
    std::size_t end = s_.find('"', pos_);
    if (end == std::string::npos) fail("unterminated attribute value");
    std::string value = s_.substr(pos_, end - pos_);
    if (value.find_first_of("<&") != std::string::npos) fail("'<' or '&' in attribute " + key);
    if (!into.emplace(key, value).second) fail("duplicate attribute " + key);
    pos_ = end + 1;
  }
  XmlElement element() {
    expect('<');
    XmlElement e;
    e.name = name();
    for (;;) {
      std::size_t before = pos_;
      skip_space();
      if (pos_ >= s_.size()) fail("unterminated element <" + e.name + ">");
      if (s_[pos_] == '/') {
        ++pos_;
        expect('>');
        return e;
      }
      if (s_[pos_] == '>') {
        ++pos_;
        break;
      }
      if (pos_ == before) fail("expected a space before an attribute");
      read_attribute(e.attributes);
    }
    for (;;) {
      skip_space();
      if (s_.compare(pos_, 2, "</") == 0) {
        pos_ += 2;
        if (name() != e.name) fail("mismatched closing tag for <" + e.name + ">");
        skip_space();
        expect('>');
        return e;
      }
      if (pos_ >= s_.size()) fail("unterminated element <" + e.name + ">");
      if (s_[pos_] != '<') fail("text content in <" + e.name + ">");
      e.children.push_back(element());
    }
  }

  const std::string& s_;
  std::size_t pos_ = 0;
};

[[noreturn]] void bad(const std::string& why) { throw ProtocolError(why); }

void expect_attributes(const XmlElement& e, std::initializer_list<const char*> names) {
  if (e.attributes.size() != names.size()) bad("<" + e.name + "> has unexpected attributes");
  for (const char* n : names)
    if (!e.attributes.count(n)) bad("<" + e.name + "> lacks attribute " + n);
  if (!e.children.empty()) bad("<" + e.name + "> must be empty");
}

int integer(const XmlElement& e, const char* key, int lo, int hi) {
  const std::string& v = e.attributes.at(key);
  int out = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || ptr != v.data() + v.size() || out < lo || out > hi)
    bad(fmt::format("<{} {}=\"{}\"> is not an integer in {}..{}", e.name, key, v, lo, hi));
  return out;
}

double fraction(const XmlElement& e, const char* key) {
  const std::string& v = e.attributes.at(key);
  char* end = nullptr;
  double out = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0' || !std::isfinite(out) || out < 0 || out > 1)
    bad(fmt::format("<{} {}=\"{}\"> is not a fraction 0..1", e.name, key, v));
  return out;
}

std::array<int, 3> rgb(const XmlElement& e, int bits) {
  int max = (1 << bits) - 1;
  return {integer(e, "red", 0, max), integer(e, "green", 0, max), integer(e, "blue", 0, max)};
}

void read_geometry(const XmlElement& e, ResolveFrame& f) {
  expect_attributes(e, {"x", "y", "cx", "cy"});
  f.x = fraction(e, "x");
  f.y = fraction(e, "y");
  f.cx = fraction(e, "cx");
  f.cy = fraction(e, "cy");
  if (f.cx <= 0 || f.cy <= 0) bad("empty geometry");
  if (f.x + f.cx > 1.0001 || f.y + f.cy > 1.0001) bad("geometry outside the frame");
}

ResolveFrame cm_frame(const XmlElement& root) {
  ResolveFrame f;
  f.dialect = ResolveDialect::Cm;
  bool color = false, geometry = false;
  for (const XmlElement& e : root.children) {
    if (e.name == "color" && !color) {
      expect_attributes(e, {"red", "green", "blue", "bits"});
      f.bits = integer(e, "bits", 8, 12);
      f.color = rgb(e, f.bits);
      color = true;
    } else if (e.name == "background" && !f.background) {
      expect_attributes(e, {"red", "green", "blue", "bits"});
      f.background_bits = integer(e, "bits", 8, 12);
      f.background = rgb(e, f.background_bits);
    } else if (e.name == "geometry" && !geometry) {
      read_geometry(e, f);
      geometry = true;
    } else {
      bad("unexpected or repeated <" + e.name + "> in <calibration>");
    }
  }
  if (!color || !geometry) bad("<calibration> needs <color> and <geometry>");
  return f;
}

ResolveFrame ls_frame(const XmlElement& shapes) {
  if (!shapes.attributes.empty()) bad("<shapes> has attributes");
  if (shapes.children.empty() || shapes.children.size() > 2) bad("<shapes> needs one or two <rectangle>s");
  std::vector<ResolveFrame> rects;
  for (const XmlElement& r : shapes.children) {
    if (r.name != "rectangle" || !r.attributes.empty() || r.children.size() != 2 || r.children[0].name != "color" ||
        r.children[1].name != "geometry")
      bad("<rectangle> must hold <color> then <geometry>");
    ResolveFrame f;
    f.dialect = ResolveDialect::Ls;
    f.bits = 8;
    expect_attributes(r.children[0], {"red", "green", "blue"});
    f.color = rgb(r.children[0], 8);
    read_geometry(r.children[1], f);
    rects.push_back(f);
  }
  ResolveFrame f = rects.back();
  if (rects.size() == 2) {
    const ResolveFrame& bg = rects.front();
    if (bg.x != 0 || bg.y != 0 || bg.cx != 1 || bg.cy != 1) bad("the first of two rectangles must be full frame");
    f.background = bg.color;
    f.background_bits = 8;
  }
  return f;
}

double area_percent(const ResolveFrame& f) {
  if (f.cx >= 0.99 && f.cy >= 0.99) return 100;  // full field, as PGenerator+ treats it
  return window_percent_from_area(f.cx * f.cy);
}

Vec3 decode(const std::array<int, 3>& codes, int bits, SignalRange range) {
  Patch p;
  p.code = codes;
  p.bits = bits;
  p.range = range;
  return p.signal();
}

}  // namespace

ResolveFrame parse_resolve_xml(const std::string& xml) {
  XmlElement root = XmlReader(xml).document();
  if (root.name != "calibration" || !root.attributes.empty()) bad("root element is not <calibration>");
  if (root.children.size() == 1 && root.children[0].name == "shapes") return ls_frame(root.children[0]);
  return cm_frame(root);
}

std::string read_resolve_frame(TcpStream& stream, double timeout_s) {
  unsigned char header[4];
  stream.recv_exact(header, 1, timeout_s);
  try {
    stream.recv_exact(header + 1, 3, timeout_s);
  } catch (const PeerClosed&) {
    throw ProtocolError("peer closed inside a frame header");
  }
  std::uint32_t n =
      (std::uint32_t{header[0]} << 24) | (std::uint32_t{header[1]} << 16) | (std::uint32_t{header[2]} << 8) | header[3];
  if (n == 0 || n > kResolveMaxFrame)
    throw ProtocolError(fmt::format("frame length {} outside 1..{}", n, kResolveMaxFrame));
  std::string xml(n, '\0');
  try {
    stream.recv_exact(xml.data(), n, timeout_s);
  } catch (const PeerClosed&) {
    throw ProtocolError(fmt::format("peer closed inside a {}-byte frame", n));
  }
  return xml;
}

DisplayedPatch displayed_patch(const ResolveFrame& frame, SignalRange input_range) {
  DisplayedPatch out;
  out.signal = decode(frame.color, frame.bits, input_range);
  out.window_percent = area_percent(frame);
  if (frame.background && out.window_percent < 100) {
    Vec3 bg = decode(*frame.background, frame.background_bits, input_range);
    out.background_signal = std::clamp(bg.mean(), 0.0, 1.0);
  }
  // 4-decimal geometry: a centre within 1e-4 of the middle is the centred patch.
  auto centre = [](double x, double width) {
    double c = x + width / 2;
    return std::abs(c - 0.5) < 1e-4 ? 0.5 : c;
  };
  if (out.window_percent < 100) {
    out.centre_x = centre(frame.x, frame.cx);
    out.centre_y = centre(frame.y, frame.cy);
  }
  return out;
}

ResolveClientEmulator::ResolveClientEmulator(VirtualDisplay* display, ResolveEmulatorOptions options)
    : display_(display), options_(std::move(options)), input_range_(options_.input_range) {}

ResolveClientEmulator::~ResolveClientEmulator() { stop(); }

void ResolveClientEmulator::start() {
  stop();
  stop_mode_ = 0;
  {
    std::lock_guard lock(mutex_);
    finished_ = false;
    connected_ = false;
  }
  running_ = true;
  thread_ = std::thread([this] { run(); });
}

void ResolveClientEmulator::stop() {
  if (!thread_.joinable()) return;
  if (stop_mode_ == 0) stop_mode_ = 1;
  thread_.join();
  running_ = false;
}

void ResolveClientEmulator::vanish() {
  if (!thread_.joinable()) return;
  stop_mode_ = 2;
  thread_.join();
  running_ = false;
}

void ResolveClientEmulator::record_error(const std::string& error) {
  std::lock_guard lock(mutex_);
  errors_.push_back(error);
  changed_.notify_all();
}

void ResolveClientEmulator::run() {
  TcpStream stream;
  try {
    auto start = std::chrono::steady_clock::now();
    while (!stream.is_open() && stop_mode_ == 0) {
      try {
        stream = TcpStream::connect(options_.host, options_.port, 0.5, options_.source);
      } catch (const NetworkError&) {
        if (std::chrono::steady_clock::now() - start > std::chrono::duration<double>(options_.connect_timeout_s)) throw;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
    {
      std::lock_guard lock(mutex_);
      connected_ = stream.is_open();
      changed_.notify_all();
    }
    while (stop_mode_ == 0) {
      if (!stream.wait_readable(0.02)) continue;
      ResolveFrame frame = parse_resolve_xml(read_resolve_frame(stream, options_.frame_timeout_s));
      if (display_) {
        DisplayedPatch p = displayed_patch(frame, input_range_);
        std::lock_guard lock(display_mutex_);
        display_->show_at(p.signal, p.window_percent, p.background_signal, p.centre_x, p.centre_y, repeat_);
      }
      std::lock_guard lock(mutex_);
      ++frames_;
      last_ = frame;
      changed_.notify_all();
    }
  } catch (const PeerClosed&) {
    // the server closed between frames: the end of a session
  } catch (const std::exception& e) {
    record_error(e.what());
  }
  if (stop_mode_ == 2)
    stream.abort_close();
  else if (stop_mode_ == 1)
    stream.shutdown_and_close();
  else
    stream.abort_close();  // protocol violation or server gone: drop as PGenerator+ does
  std::lock_guard lock(mutex_);
  connected_ = false;
  finished_ = true;
  changed_.notify_all();
}

bool ResolveClientEmulator::wait_for_frames(std::uint64_t count, double timeout_s) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, std::chrono::duration<double>(timeout_s), [&] {
    return frames_ >= count || (finished_ && frames_ < count);
  }) && frames_ >= count;
}

bool ResolveClientEmulator::wait_connected(double timeout_s) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, std::chrono::duration<double>(timeout_s), [&] { return connected_ || finished_; }) &&
         connected_;
}

bool ResolveClientEmulator::wait_finished(double timeout_s) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, std::chrono::duration<double>(timeout_s), [&] { return finished_; });
}

std::uint64_t ResolveClientEmulator::frames() const {
  std::lock_guard lock(mutex_);
  return frames_;
}

std::optional<ResolveFrame> ResolveClientEmulator::last_frame() const {
  std::lock_guard lock(mutex_);
  return last_;
}

std::vector<std::string> ResolveClientEmulator::errors() const {
  std::lock_guard lock(mutex_);
  return errors_;
}

EmulatedResolve::EmulatedResolve(VirtualDisplay& display, ResolveOptions options) {
  options.port = 0;
  options.bind = "127.0.0.1";
  options.allow.clear();
  if (options.accept_timeout_s < 0) options.accept_timeout_s = 10;
  if (!options.log) options.log = [](const std::string&) {};  // in-process: nothing to tell the user
  server_ = std::make_unique<ResolveServer>(options);
  ResolveEmulatorOptions e;
  e.port = server_->port();
  emulator_ = std::make_unique<ResolveClientEmulator>(&display, e);
  emulator_->start();
}

EmulatedResolve::~EmulatedResolve() {
  try {
    close();
  } catch (...) {  // destructors must not throw
  }
  emulator_->stop();
}

std::string EmulatedResolve::name() const { return "resolve:emulate(" + server_->name() + ")"; }

void EmulatedResolve::wait_applied() {
  if (!emulator_->wait_for_frames(server_->frames_sent(), 10)) {
    auto errors = emulator_->errors();
    throw NetworkError("the Resolve emulator did not show the patch" +
                       (errors.empty() ? std::string() : ": " + errors.back()));
  }
  std::lock_guard lock(emulator_->display_mutex());  // orders the display write before our reads
}

void EmulatedResolve::show(const Patch& patch) {
  emulator_->set_input_range(patch.range);
  emulator_->set_repeat(patch.repeat);
  server_->show(patch);
  wait_applied();
}

void EmulatedResolve::close() {
  std::uint64_t before = server_->frames_sent();
  server_->close();
  if (server_->frames_sent() > before) wait_applied();
}

}  // namespace calkit
