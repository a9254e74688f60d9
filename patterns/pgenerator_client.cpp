#include "patterns/pgenerator_client.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <regex>

#include <fmt/format.h>

#include "core/device_spec.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "patterns/patch_codes.hpp"

namespace calkit {
namespace {

int wire_bits(const PGeneratorOptions& options, const Patch& patch) {
  return options.bits ? options.bits : std::min(patch.bits, 10);
}

constexpr int kMaxScreenSide = 16384;

std::string conf(const std::string& key, const std::string& value) {
  return "CMD:SET_PGENERATOR_CONF_" + key + ":" + value;
}

}  // namespace

PGeneratorSpec parse_pgenerator_spec(const std::string& spec) {
  const std::string prefix = "pgenerator:";
  if (spec.rfind(prefix, 0) != 0 || spec.size() == prefix.size())
    throw ValueError("--pattern",
                     "'" + spec + "' needs a host: pgenerator:HOST, pgenerator:discover or pgenerator:emulate");
  PGeneratorSpec out;
  std::string rest = spec.substr(prefix.size());
  std::size_t colon = rest.find(':');
  std::string host = rest.substr(0, colon);
  if (host == "discover")
    out.discover = true;
  else if (host == "emulate")
    out.emulate = true;
  else
    out.options.host = host;
  for (const SpecOption& o :
       split_spec_options(colon == std::string::npos ? "" : rest.substr(colon + 1), "--pattern")) {
    if (o.key == "port")
      out.options.port = spec_int(o, 1, 65535);
    else if (o.key == "bits") {
      out.options.bits = spec_int(o, 8, 10);
      if (out.options.bits == 9) bad_spec_option(o, "must be 8 or 10");
    } else if (o.key == "hdr") {
      if (o.value == "pq")
        out.options.hdr = PGeneratorHdr::Pq;
      else if (o.value == "hlg")
        out.options.hdr = PGeneratorHdr::Hlg;
      else if (o.value == "sdr")
        out.options.hdr = PGeneratorHdr::Sdr;
      else
        bad_spec_option(o, "'" + o.value + "' is not pq, hlg or sdr");
    } else if (o.key == "maxcll")
      out.options.max_cll = spec_double(o, 1, 10000);
    else if (o.key == "maxfall")
      out.options.max_fall = spec_double(o, 1, 10000);
    else if (o.key == "maxluma")
      out.options.max_luma = spec_double(o, 1, 10000);
    else if (o.key == "minluma")
      out.options.min_luma = spec_double(o, 0.0001, 100);
    else if (o.key == "width")
      out.options.width = spec_int(o, 1, kMaxScreenSide);
    else if (o.key == "height")
      out.options.height = spec_int(o, 1, kMaxScreenSide);
    else
      bad_spec_option(o,
                      "unknown pgenerator option (port, bits, hdr, maxcll, maxfall, maxluma, minluma, width, height)");
  }
  return out;
}

std::string pgenerator_rgb_command(const Patch& patch, int width, int height, int bits) {
  auto rgb = codes_at_bits(patch, bits);
  int bg = background_code(patch, bits);
  double side = window_side(patch.window_percent);
  int w = std::clamp(static_cast<int>(std::lround(side * width)), 1, width);
  int h = std::clamp(static_cast<int>(std::lround(side * height)), 1, height);
  // X,Y: the rectangle's top-left pixel; -1,-1 centres it (PGenerator+ pattern.pm get_position).
  std::string position = "-1,-1";
  if (!is_centred(patch)) {
    auto place = [](double centre, int size, int screen) {
      return std::clamp<long>(std::lround(centre * screen - size / 2.0), 0, screen - size);
    };
    position = fmt::format("{},{}", place(patch.centre_x, w, width), place(patch.centre_y, h, height));
  }
  return fmt::format("RGB=RECTANGLE{};{},{};100;{},{},{};{},{},{};{}", bits == 10 ? "10bit" : "", w, h, rgb[0], rgb[1],
                     rgb[2], bg, bg, bg, position);
}

// CTA-861-G: EOTF codes 0 SDR, 2 SMPTE ST 2084, 3 HLG; quantisation range 1 limited, 2 full
// (PGenerator's keys and codes, patterns.md section 2). Luminances: MIN_LUMA in 0.0001 cd/m².
std::vector<std::string> pgenerator_output_commands(const PGeneratorOptions& options, int bits, SignalRange range) {
  std::vector<std::string> out{conf("MAX_BPC", std::to_string(bits)),
                               conf("RGB_QUANT_RANGE", range == SignalRange::Legal ? "1" : "2")};
  if (options.hdr == PGeneratorHdr::Unchanged) return out;
  bool hdr = options.hdr != PGeneratorHdr::Sdr;
  out.push_back(conf("IS_SDR", hdr ? "0" : "1"));
  out.push_back(conf("IS_HDR", hdr ? "1" : "0"));
  out.push_back(conf("EOTF", options.hdr == PGeneratorHdr::Pq ? "2" : options.hdr == PGeneratorHdr::Hlg ? "3" : "0"));
  if (!hdr) return out;
  if (options.max_luma > 0) out.push_back(conf("MAX_LUMA", std::to_string(std::lround(options.max_luma))));
  if (options.min_luma > 0) out.push_back(conf("MIN_LUMA", std::to_string(std::lround(options.min_luma * 10000))));
  if (options.max_cll > 0) out.push_back(conf("MAX_CLL", std::to_string(std::lround(options.max_cll))));
  if (options.max_fall > 0) out.push_back(conf("MAX_FALL", std::to_string(std::lround(options.max_fall))));
  return out;
}

std::vector<PGeneratorDevice> discover_pgenerators(const std::string& broadcast_address, int port, double timeout_s) {
  UdpSocket socket(broadcast_address.rfind("127.", 0) == 0 ? "127.0.0.1" : "0.0.0.0", 0, true);
  socket.send_to("Who is a PGenerator", broadcast_address, port);
  std::vector<PGeneratorDevice> found;
  auto start = std::chrono::steady_clock::now();
  for (;;) {
    double left = timeout_s - std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::string reply, from;
    if (left <= 0 || !socket.recv_from(reply, from, left)) break;
    const std::string hello = "I am a PGenerator";
    if (reply.rfind(hello, 0) != 0) continue;
    std::string name = printable(reply.substr(hello.size()));
    name.erase(0, name.find_first_not_of(' '));
    while (!name.empty() && (name.back() == '\r' || name.back() == '\n' || name.back() == '\x02')) name.pop_back();
    auto same = [&](const PGeneratorDevice& d) { return d.address == from; };
    if (std::none_of(found.begin(), found.end(), same)) found.push_back({from, name});
  }
  return found;
}

PGeneratorClient::PGeneratorClient(PGeneratorOptions options) : options_(std::move(options)) {
  stream_ = TcpStream::connect(options_.host, options_.port, options_.timeout_s);
  width_ = options_.width;
  height_ = options_.height;
  if (width_ == 0 || height_ == 0) {
    std::string reply = command("CMD:GET_RESOLUTION");
    std::smatch m;
    if (!std::regex_search(reply, m, std::regex("([0-9]{1,5})x([0-9]{1,5})")))
      throw ProtocolError("PGenerator resolution reply '" + printable(reply) + "' has no WIDTHxHEIGHT");
    width_ = std::stoi(m[1]);
    height_ = std::stoi(m[2]);
    // The same bounds as width= and height=: a 0x0 screen has no patch to place.
    if (width_ < 1 || width_ > kMaxScreenSide || height_ < 1 || height_ > kMaxScreenSide)
      throw ProtocolError(
          fmt::format("PGenerator reports a {}x{} screen (each side must be 1..{}): give width= and height=", width_,
                      height_, kMaxScreenSide));
  }
  log(fmt::format("connected to PGenerator {}:{} ({}x{})", options_.host, options_.port, width_, height_));
}

PGeneratorClient::~PGeneratorClient() {
  try {
    close();
  } catch (...) {  // destructors must not throw
  }
}

std::string PGeneratorClient::name() const { return fmt::format("pgenerator:{}:{}", options_.host, options_.port); }

void PGeneratorClient::log(const std::string& line) const {
  if (options_.log)
    options_.log(line);
  else
    std::fprintf(stderr, "calkit: pgenerator: %s\n", line.c_str());
}

std::string PGeneratorClient::read_reply() {
  auto start = std::chrono::steady_clock::now();
  for (;;) {
    std::size_t end = pending_.find(kPGeneratorEnd);
    if (end != std::string::npos) {
      std::string reply = pending_.substr(0, end);
      pending_.erase(0, end + kPGeneratorEnd.size());
      return reply;
    }
    if (pending_.size() > kPGeneratorMaxMessage) throw ProtocolError("PGenerator reply longer than 4096 bytes");
    double left = options_.timeout_s - std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (left <= 0)
      throw NetworkError("PGenerator did not answer within " + fmt::format("{}", options_.timeout_s) + " s");
    char buffer[512];
    std::size_t n = stream_.recv_some(buffer, sizeof buffer, left);
    pending_.append(buffer, n);
  }
}

std::string PGeneratorClient::command(const std::string& text) {
  if (!stream_.is_open()) throw NetworkError("PGenerator connection is closed");
  stream_.send_all(text + kPGeneratorEnd, options_.timeout_s);
  std::string reply = read_reply();
  if (reply == "OK") return "";
  if (reply == "ALIVE") return reply;  // the answer to IS_ALIVE
  if (reply.rfind("OK:", 0) == 0) return reply.substr(3);
  if (reply.rfind("ERR", 0) == 0) throw ProtocolError("PGenerator refused '" + text + "': " + printable(reply));
  throw ProtocolError("PGenerator answered '" + printable(reply) + "' to '" + text + "'");
}

Patch PGeneratorClient::shown(const Patch& patch) const { return patch_at_bits(patch, wire_bits(options_, patch)); }

void PGeneratorClient::show(const Patch& patch) {
  int bits = wire_bits(options_, patch);
  if (!shown_ || bits != configured_bits_ || patch.range != configured_range_) {
    for (const std::string& c : pgenerator_output_commands(options_, bits, patch.range)) command(c);
    configured_bits_ = bits;
    configured_range_ = patch.range;
  }
  command(pgenerator_rgb_command(patch, width_, height_, bits));
  last_ = patch;
  shown_ = true;
}

void PGeneratorClient::close() {
  if (!stream_.is_open()) return;
  if (shown_) {
    Patch black = Patch::from_rgb(Vec3::Zero(), last_.bits, last_.range);
    command(pgenerator_rgb_command(black, width_, height_, configured_bits_));
  }
  stream_.shutdown_and_close();
}

}  // namespace calkit
