#include "emulators/k10_emulator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "probes/k10_protocol.hpp"

namespace calkit {

using namespace k10;

namespace {

constexpr double kMeasureSeconds = 0.1;
const FilterSensor& k10_filters() {
  static const FilterSensor sensor({1.2, -0.8, 1.5}, 0.01);
  return sensor;
}

std::string padded(const std::string& s, std::size_t n) { return (s + std::string(n, ' ')).substr(0, n); }

void put_float(std::string& out, std::size_t at, double v, bool calibration = false) {
  auto b = encode_float(v, calibration);
  for (int i = 0; i < 3; ++i) out[at + i] = static_cast<char>(b[i]);
}

}  // namespace

K10EmulatorOptions parse_k10_emulator_options(const std::vector<SpecOption>& options) {
  K10EmulatorOptions o;
  o.faults = parse_emulator_options(
      "emulated:k10", options,
      [&](const SpecOption& option) {
        if (option.key == "refresh")
          o.refresh_hz = spec_double(option, 0, 1000);
        else if (option.key == "flicker")
          o.flicker_depth = spec_double(option, 0, 1);
        else
          return false;
        return true;
      },
      "refresh=HZ, flicker=DEPTH");
  return o;
}

const std::vector<K10Emulator::Slot>& K10Emulator::slots() {
  static const std::vector<Slot> s = {{"WOLED", "woled"},
                                      {"QD-OLED", "qd-oled"},
                                      {"Mini-LED LCD", "miniled"},
                                      {"DLP projector", "dlp"},
                                      {"Reference monitor", "reference"}};
  return s;
}

double K10Emulator::range_top(int range) { return 0.06 * std::pow(10.0, range - 1); }

K10Emulator::K10Emulator(VirtualDisplay& display, K10EmulatorOptions options)
    : SerialDeviceEmulator("emulated:k10", options.faults, display.clock(), kBaud),
      display_(display),
      options_(std::move(options)) {
  factory_ = k10_filters().matrix_for("lcd-white-led");
  response_per_XYZ_ = k10_filters().response_per_XYZ(display.model().technology);
  // An on-board matrix takes factory XYZ to true XYZ for its display type.
  for (const Slot& s : slots()) slot_matrices_.push_back(k10_filters().matrix_for(s.technology) * factory_.inverse());
}

void K10Emulator::consume(std::string& input) {
  for (;;) {
    if (awaiting_index_) {  // D1's second part: a binary index byte, then '\r'
      if (input.size() < 2) return;
      const int idx = static_cast<std::uint8_t>(input[0]);
      input.erase(0, 2);
      awaiting_index_ = false;
      if (!begin_command()) continue;
      std::string r(kCalLength, '\0');
      r.replace(0, 2, "D1");
      const bool ok = idx >= 1 && idx <= static_cast<int>(slots().size());
      if (ok) {
        r.replace(2, kCalFormatFlag - 2, padded(slots()[idx - 1].name, kCalFormatFlag - 2));
        r[kCalFormatFlag] = ' ';  // Klein format
        for (int i = 0; i < 9; ++i) put_float(r, kKleinMatrix + 3 * i, slot_matrices_[idx - 1](i / 3, i % 3), true);
      }
      r.replace(kCalLength - 3, 3, status(ok ? kOk : 'X'));
      answer(r);
      continue;
    }
    std::size_t cr = input.find('\r');
    if (cr == std::string::npos) return;
    std::string cmd = input.substr(0, cr);
    input.erase(0, cr + 1);
    if (!begin_command()) continue;
    handle(cmd);
  }
}

void K10Emulator::handle(const std::string& cmd) {
  streaming_ = false;  // any command (N5 by the book) stops the flicker stream
  if (cmd == "P0") return answer("P0" + padded(options_.model, 7) + padded(options_.serial, 9) + status(kOk));
  if (cmd == "P2") return answer("P2" + padded(options_.firmware, 8) + status(kOk));
  // "Strangely the L0/1 command may return irrelevant error codes" (A k10_init_inst): it does here.
  if (cmd == "L0" || cmd == "L1") return answer(cmd + status(kTopOverRange));
  if (cmd == "J8") {
    auto_range_ = true;
    return answer(cmd + status(kOk));
  }
  if (cmd == "J7") {
    auto_range_ = false;
    return answer(cmd + status(kOk));
  }
  if (cmd.size() == 2 && cmd[0] == 'J' && cmd[1] >= '1' && cmd[1] <= '6') {
    auto_range_ = false;
    ranges_.fill(cmd[1] - '0');
    return answer(cmd + status(kOk));
  }
  if (cmd == "N5") return answer(measure());
  if (cmd == "D7") {
    std::string r = "D7";
    for (std::size_t i = 0; i < kCalSlots; ++i)
      r += i < slots().size() ? padded(slots()[i].name, kCalNameLength) : std::string(kCalNameLength, '\xFF');
    return answer(r + status(kOk));
  }
  if (cmd == "D1") {
    awaiting_index_ = true;
    return answer("D1");
  }
  if (cmd == "T2") {
    streaming_ = true;
    stream_t_ = clock_.now_s();
    return;
  }
  // Unknown or deliberately unsupported (B7 writes flash): a firmware error.
  answer(padded(cmd, 2) + status('X'));
}

Vec3 K10Emulator::factory_XYZ(double t) {
  double gain = 1;
  if (options_.refresh_hz > 0)
    gain += options_.flicker_depth * std::sin(2 * std::numbers::pi * options_.refresh_hz * t);
  return gain * (factory_ * (response_per_XYZ_ * display_.emitted_XYZ()));
}

std::string K10Emulator::measure() {
  clock_.sleep_s(kMeasureSeconds);
  // Whole refresh periods are not guaranteed: the mean over the gate is what the sensor integrates.
  Vec3 v = Vec3::Zero();
  constexpr int kSteps = 16;
  for (int i = 0; i < kSteps; ++i) v += factory_XYZ(clock_.now_s() - kMeasureSeconds * (i + 0.5) / kSteps) / kSteps;
  std::array<int, 3> wanted{};
  for (int c = 0; c < 3; ++c) {
    wanted[c] = 1;
    while (wanted[c] <= 6 && std::fabs(v[c]) >= range_top(wanted[c])) ++wanted[c];
  }
  char e = kOk;
  if (*std::max_element(wanted.begin(), wanted.end()) > 6) {
    e = kOverHighRange;
  } else if (auto_range_) {
    for (int c = 0; c < 3; ++c)
      if (wanted[c] != ranges_[c] && e != kTopOverRange) e = wanted[c] > ranges_[c] ? kTopOverRange : kBottomUnderRange;
  } else {
    for (int c = 0; c < 3; ++c)
      if (wanted[c] > ranges_[c]) e = kTopOverRange;
  }
  std::string r(kMeasureLength, '\0');
  r.replace(0, 2, "N5");
  for (int c = 0; c < 3; ++c) {  // a 15-bit converter per range
    const double top = range_top(ranges_[c]);
    const double q = std::clamp(std::round(v[c] / top * 32768), -32767.0, 32767.0) * top / 32768;
    put_float(r, 2 + 3 * c, q);
  }
  r[11] = static_cast<char>(encode_ranges(ranges_));
  r.replace(12, 3, status(e));
  if (auto_range_ && e != kOverHighRange)
    for (int c = 0; c < 3; ++c) ranges_[c] = wanted[c];  // switches now; the next reading is good
  return r;
}

bool K10Emulator::produce_more() {
  if (!streaming_) return false;
  std::string packet(kFlickerPacket, '\0');
  const double top = range_top(ranges_[1]);
  for (std::size_t i = 0; i < kFlickerPacket / 3; ++i) {
    clock_.sleep_s(1 / kFlickerRateHz);
    const double y = std::clamp(factory_XYZ(clock_.now_s())[1] / top, 0.0, 1.0);
    const auto u = static_cast<unsigned>(std::lround(y * 65535));
    packet[3 * i + 1] = static_cast<char>(u >> 8);
    packet[3 * i + 2] = static_cast<char>(u);
  }
  answer(packet);
  return true;
}

std::unique_ptr<K10Driver> make_emulated_k10(VirtualDisplay& display, const std::string& options_tail,
                                             K10Options driver_options, K10Emulator** emulator) {
  auto device =
      std::make_unique<K10Emulator>(display, parse_k10_emulator_options(split_spec_options(options_tail, "--probe")));
  if (emulator) *emulator = device.get();
  return std::make_unique<K10Driver>(std::move(device), display.clock(), std::move(driver_options));
}

}  // namespace calkit
