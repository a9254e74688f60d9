#include "emulators/pgenerator_emulator.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <set>

#include <fmt/format.h>

#include "patterns/patch_codes.hpp"

namespace calkit {
namespace {

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (;;) {
    std::size_t end = text.find(sep, start);
    out.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return out;
    start = end + 1;
  }
}

bool to_int(const std::string& text, int& out) {
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && ptr == text.data() + text.size() && !text.empty();
}

// n comma-separated integers within lo..hi, or false.
bool ints(const std::string& text, std::size_t n, int lo, int hi, std::vector<int>& out) {
  out.clear();
  for (const std::string& item : split(text, ',')) {
    int v;
    if (!to_int(item, v) || v < lo || v > hi) return false;
    out.push_back(v);
  }
  return out.size() == n;
}

// The configuration keys PGenerator accepts and the values this emulator checks.
const std::map<std::string, std::set<int>>& conf_keys() {
  static const std::map<std::string, std::set<int>> keys{{"IS_SDR", {0, 1}},
                                                         {"IS_HDR", {0, 1}},
                                                         {"EOTF", {0, 1, 2, 3}},
                                                         {"PRIMARIES", {}},
                                                         {"MAX_LUMA", {}},
                                                         {"MIN_LUMA", {}},
                                                         {"MAX_CLL", {}},
                                                         {"MAX_FALL", {}},
                                                         {"COLOR_FORMAT", {}},
                                                         {"COLORIMETRY", {}},
                                                         {"RGB_QUANT_RANGE", {1, 2}},
                                                         {"MAX_BPC", {8, 10, 12}},
                                                         {"MODE_IDX", {}}};
  return keys;
}

Vec3 decode(const std::vector<int>& codes, int bits, SignalRange range) {
  Patch p;
  p.code = {codes[0], codes[1], codes[2]};
  p.bits = bits;
  p.range = range;
  return p.signal();
}

}  // namespace

PGeneratorEmulator::PGeneratorEmulator(VirtualDisplay* display, PGeneratorEmulatorOptions options)
    : display_(display), options_(std::move(options)), listener_("127.0.0.1", 0) {
  if (options_.discovery) udp_ = std::make_unique<UdpSocket>("127.0.0.1", 0);
  thread_ = std::thread([this] { run(); });
}

PGeneratorEmulator::~PGeneratorEmulator() { stop(); }

void PGeneratorEmulator::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

std::vector<std::string> PGeneratorEmulator::commands() const {
  std::lock_guard lock(mutex_);
  return commands_;
}

std::vector<std::string> PGeneratorEmulator::errors() const {
  std::lock_guard lock(mutex_);
  return errors_;
}

std::map<std::string, std::string> PGeneratorEmulator::conf() const {
  std::lock_guard lock(mutex_);
  return conf_;
}

std::string PGeneratorEmulator::show_rgb(const std::string& body) {
  auto f = split(body, ';');
  if (f.size() < 6 || f.size() > 7) return "ERR:RGB needs DRAW;W,H;RES;R,G,B;BG;X,Y[;TEXT]";
  int bits = 8;
  if (f[0] == "RECTANGLE10bit")
    bits = 10;
  else if (f[0] == "TEXT")
    return "OK";
  else if (f[0] != "RECTANGLE")
    return "ERR:unknown draw '" + f[0] + "'";
  int max = (1 << bits) - 1;
  std::vector<int> size, rgb, bg, pos;
  int res;
  if (!ints(f[1], 2, 1, std::max(options_.width, options_.height), size) || size[0] > options_.width ||
      size[1] > options_.height)
    return "ERR:bad size '" + f[1] + "'";
  if (!to_int(f[2], res) || res < 0) return "ERR:bad resolution field '" + f[2] + "'";
  if (!ints(f[3], 3, 0, max, rgb)) return "ERR:bad colour '" + f[3] + "'";
  if (!ints(f[4], 3, 0, max, bg)) return "ERR:bad background '" + f[4] + "'";
  if (f[5] != "-1,-1") {
    if (!ints(f[5], 2, 0, std::max(options_.width, options_.height), pos) || pos[0] + size[0] > options_.width ||
        pos[1] + size[1] > options_.height)
      return "ERR:bad position '" + f[5] + "'";
  }
  if (display_) {
    SignalRange range = conf()["RGB_QUANT_RANGE"] == "1" ? SignalRange::Legal : SignalRange::Full;
    bool full = size[0] == options_.width && size[1] == options_.height;
    double window =
        full ? 100 : window_percent_from_area(double(size[0]) * size[1] / (double(options_.width) * options_.height));
    double background = full ? 0 : std::clamp(decode(bg, bits, range).mean(), 0.0, 1.0);
    double centre_x = 0.5, centre_y = 0.5;  // -1,-1: centred
    if (!pos.empty() && !full) {
      centre_x = (pos[0] + size[0] / 2.0) / options_.width;
      centre_y = (pos[1] + size[1] / 2.0) / options_.height;
    }
    std::lock_guard lock(display_mutex_);
    display_->show_at(decode(rgb, bits, range), window, background, centre_x, centre_y, repeat_);
  }
  return "OK";
}

std::string PGeneratorEmulator::handle(const std::string& command) {
  std::string reply;
  const std::string set = "CMD:SET_PGENERATOR_CONF_";
  if (command.rfind("RGB=", 0) == 0) {
    reply = show_rgb(command.substr(4));
  } else if (command == "CMD:GET_RESOLUTION") {
    reply = fmt::format("OK:{}x{}", options_.width, options_.height);
  } else if (command == "IS_ALIVE") {
    reply = "ALIVE";
  } else if (command.rfind(set, 0) == 0) {
    std::string rest = command.substr(set.size());
    std::size_t colon = rest.find(':');
    std::string key = rest.substr(0, colon);
    std::string value = colon == std::string::npos ? "" : rest.substr(colon + 1);
    int v;
    auto known = conf_keys().find(key);
    if (known == conf_keys().end())
      reply = "ERR:unknown configuration key " + key;
    else if (!to_int(value, v) || v < 0 || (!known->second.empty() && !known->second.count(v)))
      reply = "ERR:bad value '" + value + "' for " + key;
    else {
      std::lock_guard lock(mutex_);
      conf_[key] = value;
      reply = "OK";
    }
  } else {
    reply = "ERR:unknown command";
  }
  std::lock_guard lock(mutex_);
  commands_.push_back(command);
  if (reply.rfind("ERR", 0) == 0) errors_.push_back(reply);
  return reply;
}

void PGeneratorEmulator::serve_client(TcpStream& client, std::string& pending) {
  char buffer[1024];
  std::size_t n = client.recv_some(buffer, sizeof buffer, 0.02);
  pending.append(buffer, n);
  for (;;) {
    std::size_t end = pending.find(kPGeneratorEnd);
    if (end == std::string::npos) break;
    std::string command = pending.substr(0, end);
    pending.erase(0, end + kPGeneratorEnd.size());
    client.send_all(handle(command) + kPGeneratorEnd, 2);
  }
  if (pending.size() > kPGeneratorMaxMessage) {
    {
      std::lock_guard lock(mutex_);
      errors_.push_back("ERR:command too long");
    }
    client.send_all("ERR:command too long" + kPGeneratorEnd, 2);
    client.abort_close();
  }
}

void PGeneratorEmulator::run() {
  TcpStream client;
  std::string pending;
  while (!stop_) {
    try {
      if (udp_) {
        std::string datagram, from;
        int from_port = 0;
        if (udp_->recv_from(datagram, from, 0, &from_port) && datagram.rfind("Who is a PGenerator", 0) == 0)
          udp_->send_to("I am a PGenerator " + options_.name, from, from_port);
      }
      if (!client.is_open()) {
        client = listener_.accept(0.02);
        pending.clear();
        continue;
      }
      serve_client(client, pending);
    } catch (const NetworkError&) {
      client.abort_close();  // the client went away or broke the stream: wait for the next
    }
  }
}

EmulatedPGenerator::EmulatedPGenerator(VirtualDisplay& display, PGeneratorOptions options) {
  emulator_ = std::make_unique<PGeneratorEmulator>(&display);
  options.host = "127.0.0.1";
  options.port = emulator_->port();
  if (!options.log) options.log = [](const std::string&) {};
  client_ = std::make_unique<PGeneratorClient>(options);
}

void EmulatedPGenerator::show(const Patch& patch) {
  emulator_->set_repeat(patch.repeat);
  client_->show(patch);
  std::lock_guard lock(emulator_->display_mutex());  // orders the display write before our reads
}

void EmulatedPGenerator::close() {
  client_->close();
  std::lock_guard lock(emulator_->display_mutex());
}

}  // namespace calkit
