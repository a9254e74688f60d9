#include "patterns/resolve_server.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include <fmt/format.h>

#include "core/device_spec.hpp"
#include "core/error.hpp"
#include "patterns/patch_codes.hpp"

namespace calkit {
namespace {

constexpr const char* kLoopback = "127.0.0.1";
constexpr double kAcceptPoll_s = 30;  // accept() waits in slices of this length

bool is_ipv4(const std::string& text) {
  in_addr addr{};
  return inet_pton(AF_INET, text.c_str(), &addr) == 1;
}

bool is_loopback(const std::string& ip) {
  in_addr addr{};
  return inet_pton(AF_INET, ip.c_str(), &addr) == 1 && (ntohl(addr.s_addr) >> 24) == 127;
}

// Where to listen: bind= if given; else loopback, unless allow= names an address that can only
// reach this machine through another interface (then every interface, and accept() refuses the
// rest).
std::string listen_address(const ResolveOptions& options) {
  if (!options.bind.empty()) return options.bind;
  const bool remote =
      std::any_of(options.allow.begin(), options.allow.end(), [](const std::string& ip) { return !is_loopback(ip); });
  return remote ? "0.0.0.0" : kLoopback;
}

struct Geometry {
  double x, y, cx, cy;
};

Geometry patch_geometry(const Patch& patch) {
  WindowGeometry g = window_geometry(patch);
  return {g.x, g.y, g.width, g.height};
}

std::string geometry_attributes(const Geometry& g) {
  return fmt::format("x=\"{:.4f}\" y=\"{:.4f}\" cx=\"{:.4f}\" cy=\"{:.4f}\"", g.x, g.y, g.cx, g.cy);
}

// CM: the exact byte layout DisplayCAL sends (patterns.md section 1), at 8 or 10 bits.
std::string cm_xml(const Patch& patch) {
  int bits = resolve_wire_bits(patch, ResolveDialect::Cm);
  auto rgb = codes_at_bits(patch, bits);
  int bg = background_code(patch, bits);
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"utf-8\"?><calibration>"
      "<color red=\"{}\" green=\"{}\" blue=\"{}\" bits=\"{}\"/>"
      "<background red=\"{}\" green=\"{}\" blue=\"{}\" bits=\"{}\"/>"
      "<geometry {}/></calibration>",
      rgb[0], rgb[1], rgb[2], bits, bg, bg, bg, bits, geometry_attributes(patch_geometry(patch)));
}

std::string ls_rectangle(const std::array<int, 3>& rgb, const Geometry& g) {
  return fmt::format("<rectangle><color red=\"{}\" green=\"{}\" blue=\"{}\" /><geometry {} /></rectangle>", rgb[0],
                     rgb[1], rgb[2], geometry_attributes(g));
}

// LS: DisplayCAL's layout at 8 bits; a non-black background goes first as a full-frame
// rectangle (the two-rectangle form PGenerator+ parses, patterns.md section 1, uncertain).
std::string ls_xml(const Patch& patch) {
  std::string shapes;
  int bg = background_code(patch, 8);
  int black = Patch::from_rgb(Vec3::Zero(), 8, patch.range).code[0];
  if (bg != black && patch.window_percent < 100) shapes += ls_rectangle({bg, bg, bg}, {0, 0, 1, 1});
  shapes += ls_rectangle(codes_at_bits(patch, resolve_wire_bits(patch, ResolveDialect::Ls)), patch_geometry(patch));
  return "<?xml version=\"1.0\" encoding=\"UTF-8\" ?><calibration><shapes>" + shapes + "</shapes></calibration>";
}

}  // namespace

ResolveOptions parse_resolve_spec(const std::string& spec, bool* emulate) {
  if (emulate) *emulate = false;
  if (spec.rfind("resolve", 0) != 0 || (spec.size() > 7 && spec[7] != ':'))
    throw ValueError("--pattern", "'" + spec + "' is not a resolve spec");
  ResolveOptions options;
  for (const SpecOption& o : split_spec_options(spec.size() > 8 ? spec.substr(8) : "", "--pattern")) {
    if (o.key == "port") {
      options.port = spec_int(o, 0, 65535);
    } else if (o.key == "bind") {
      if (!is_ipv4(o.value)) bad_spec_option(o, "'" + o.value + "' is not an IPv4 address");
      options.bind = o.value;
    } else if (o.key == "allow") {
      std::size_t start = 0;
      while (start <= o.value.size()) {
        std::size_t end = std::min(o.value.find('+', start), o.value.size());
        std::string ip = o.value.substr(start, end - start);
        if (!is_ipv4(ip)) bad_spec_option(o, "'" + ip + "' is not an IPv4 address");
        options.allow.push_back(ip);
        start = end + 1;
      }
      if (options.allow.empty()) bad_spec_option(o, "needs at least one address");
    } else if (o.key == "dialect") {
      if (o.value == "cm")
        options.dialect = ResolveDialect::Cm;
      else if (o.value == "ls")
        options.dialect = ResolveDialect::Ls;
      else
        bad_spec_option(o, "'" + o.value + "' is not cm or ls");
    } else if (o.key == "emulate" && o.value.empty() && emulate) {
      *emulate = true;
    } else {
      bad_spec_option(o,
                      "unknown resolve option (port, bind, allow, dialect" + std::string(emulate ? ", emulate)" : ")"));
    }
  }
  return options;
}

int resolve_wire_bits(const Patch& patch, ResolveDialect dialect) {
  return dialect == ResolveDialect::Cm ? std::min(patch.bits, 10) : 8;
}

std::string resolve_xml(const Patch& patch, ResolveDialect dialect) {
  return dialect == ResolveDialect::Cm ? cm_xml(patch) : ls_xml(patch);
}

std::string resolve_frame(const std::string& xml) {
  std::uint32_t n = static_cast<std::uint32_t>(xml.size());
  std::string out{static_cast<char>(n >> 24), static_cast<char>(n >> 16), static_cast<char>(n >> 8),
                  static_cast<char>(n)};
  return out + xml;
}

ResolveServer::ResolveServer(ResolveOptions options)
    : options_(std::move(options)), listener_(listen_address(options_), options_.port) {}

ResolveServer::~ResolveServer() {
  try {
    close();
  } catch (...) {  // a destructor must not throw; the peer is gone anyway
  }
}

std::string ResolveServer::name() const {
  return fmt::format("resolve:{}@{}:{}", options_.dialect == ResolveDialect::Cm ? "cm" : "ls", listener_.bind_address(),
                     listener_.port());
}

std::string ResolveServer::connect_instructions() const {
  std::string address = listener_.bind_address() == "0.0.0.0" ? "this machine's address" : listener_.bind_address();
  return fmt::format(
      "waiting for DaVinci Resolve on {}:{}. In Resolve: Color page > Workspace > Monitor Calibration > "
      "CalMAN, IP {}, port {}, Connect.{}",
      listener_.bind_address(), listener_.port(), address, listener_.port(),
      options_.allow.empty() ? " Only 127.0.0.1 is accepted (add allow=IP for another machine)." : "");
}

void ResolveServer::log(const std::string& line) const {
  if (options_.log)
    options_.log(line);
  else
    std::fprintf(stderr, "calkit: resolve: %s\n", line.c_str());
}

bool ResolveServer::allowed(const std::string& peer) const {
  return peer == kLoopback || std::find(options_.allow.begin(), options_.allow.end(), peer) != options_.allow.end();
}

void ResolveServer::drop_client(const std::string& why) {
  log(fmt::format("{} ({}); waiting for Resolve to reconnect", why, client_.peer()));
  client_.abort_close();
  incoming_ = 0;
}

// Resolve never sends anything: drain what arrives, notice a closed peer, drop a chatty one.
void ResolveServer::check_client() {
  if (!client_.is_open()) return;
  char buffer[1024];
  try {
    for (;;) {
      std::size_t n = client_.recv_some(buffer, sizeof buffer, 0);
      if (n == 0) return;
      incoming_ += n;
      if (incoming_ > options_.max_incoming_bytes) {
        drop_client(fmt::format("peer sent {} unexpected bytes", incoming_));
        return;
      }
    }
  } catch (const NetworkError&) {
    drop_client("Resolve disconnected");
  }
}

void ResolveServer::accept_client() {
  log(connect_instructions());
  double waited = 0;
  while (!client_.is_open()) {
    double slice = kAcceptPoll_s;
    if (options_.accept_timeout_s >= 0) {
      if (waited >= options_.accept_timeout_s)
        throw NetworkError(
            fmt::format("no DaVinci Resolve connected to port {} within {} s", port(), options_.accept_timeout_s));
      slice = std::min(slice, options_.accept_timeout_s - waited);
    }
    auto start = std::chrono::steady_clock::now();
    TcpStream peer = listener_.accept(slice);
    waited += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!peer.is_open()) continue;  // the instructions were given once: a log gets no repeats
    if (!allowed(peer.peer())) {
      ++rejected_;
      log("rejected a connection from " + peer.peer() + " (not 127.0.0.1 and not in allow=)");
      peer.abort_close();
      continue;
    }
    client_ = std::move(peer);
    incoming_ = 0;
    ++connections_;
    log("Resolve connected from " + client_.peer());
  }
}

bool ResolveServer::send_current() {
  try {
    client_.send_all(resolve_frame(resolve_xml(current_, options_.dialect)), options_.send_timeout_s);
    ++frames_sent_;
    return true;
  } catch (const NetworkError& e) {
    drop_client(std::string("sending failed: ") + e.what());
    return false;
  }
}

void ResolveServer::wait_for_client() {
  check_client();
  if (client_.is_open()) return;
  accept_client();
  if (has_current_) send_current();
}

bool ResolveServer::client_connected() {
  check_client();
  return client_.is_open();
}

Patch ResolveServer::shown(const Patch& patch) const {
  return patch_at_bits(patch, resolve_wire_bits(patch, options_.dialect));
}

void ResolveServer::show(const Patch& patch) {
  current_ = patch;
  has_current_ = true;
  closed_ = false;
  do {
    check_client();
    if (!client_.is_open()) accept_client();
  } while (!send_current());
}

void ResolveServer::close() {
  if (closed_) return;
  closed_ = true;
  check_client();
  if (!client_.is_open()) return;
  Patch black = Patch::from_rgb(Vec3::Zero(), has_current_ ? current_.bits : 10,
                                has_current_ ? current_.range : SignalRange::Full);
  current_ = black;
  if (send_current()) client_.shutdown_and_close();
}

}  // namespace calkit
