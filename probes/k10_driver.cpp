#include "probes/k10_driver.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>

#include "core/error.hpp"
#include "probes/k10_protocol.hpp"

namespace calkit {

using namespace k10;

namespace {

ProbeError protocol_error(const std::string& what) { return ProbeError(ProbeErrorKind::Protocol, "K10: " + what); }

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && s[i] == ' ') ++i;
  return s.substr(i);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

const std::uint8_t* bytes(const std::string& s, std::size_t at) {
  return reinterpret_cast<const std::uint8_t*>(s.data() + at);
}

}  // namespace

K10Driver::K10Driver(std::unique_ptr<SerialTransport> transport, Clock& clock, K10Options options)
    : transport_(std::move(transport)), clock_(clock), options_(std::move(options)) {}

std::string K10Driver::command(const std::string& cmd, std::size_t reply_length, int timeout_ms, char* error) {
  transport_->discard_input();  // whatever an earlier reply left (every driver does this)
  transport_->write(std::string_view(cmd + "\r"));
  std::string r = transport_->read_exact(reply_length, timeout_ms);
  if (r.compare(0, 2, cmd, 0, 2) != 0)
    throw protocol_error(fmt::format("reply to {} does not echo it (got '{}')", cmd, r.substr(0, 2)));
  if (reply_length < 5) return r;
  const std::size_t n = r.size();
  if (r[n - 3] != '<' || r[n - 1] != '>') throw protocol_error(fmt::format("reply to {} has no <e> status", cmd));
  const char e = r[n - 2];
  if (error)
    *error = e;
  else if (e != kOk)
    throw protocol_error(fmt::format("{} failed: {}", cmd, error_text(e)));
  return r;
}

void K10Driver::open() {
  if (open_) return;
  transport_->set_baud(kBaud);
  std::string id = command("P0", kIdentifyLength, kIdentifyTimeoutMs);
  identity_.model = trimmed(id.substr(2, 7));
  identity_.serial = trimmed(id.substr(9, 9));
  if (identity_.model != "K-10" && identity_.model != "K-10-A" && identity_.model != "KV-10-A")
    throw protocol_error(fmt::format("not a Klein K10 (model '{}')", identity_.model));
  std::string list = command("D7", kCalListLength, kCalListTimeoutMs);
  calibrations_.clear();
  for (std::size_t i = 0; i < kCalSlots; ++i) {
    std::string name = list.substr(2 + i * kCalNameLength, kCalNameLength);
    if (static_cast<unsigned char>(name[0]) == 0xFF) continue;  // empty slot
    calibrations_.push_back({static_cast<int>(i + 1), trimmed(name), Mat3::Identity()});
  }
  // Aiming lights off: some units answer it, with any code, some not at all (k10_protocol.hpp).
  transport_->discard_input();
  transport_->write(std::string_view("L0\r"));
  try {
    transport_->read_exact(kShortLength, kLightsTimeoutMs);
  } catch (const ProbeError& e) {
    if (e.kind() != ProbeErrorKind::Timeout) throw;
  }
  set_auto_range();
  identity_.firmware = trimmed(command("P2", kFirmwareLength, kFirmwareTimeoutMs).substr(2, 8));
  k10_model_ = identity_.model;
  identity_.model = "Klein " + identity_.model;
  open_ = true;
  selected_ = {};
  if (!options_.calibration.empty()) set_display_mode(options_.calibration);
}

void K10Driver::check_open() const {
  if (!open_) throw protocol_error("the probe is not open");
}

ProbeCapabilities K10Driver::capabilities() const {
  ProbeCapabilities caps;
  for (const K10Calibration& c : calibrations_) caps.display_modes.push_back(c.name);
  return caps;
}

K10Calibration K10Driver::read_calibration(int index) {
  check_open();
  if (index < 1 || index > static_cast<int>(kCalSlots))
    throw protocol_error(fmt::format("no calibration slot {}", index));
  command("D1", kCalAckLength, kCalTimeoutMs);
  const char idx[2] = {static_cast<char>(index), '\r'};
  transport_->write(std::string_view(idx, 2));
  std::string r = transport_->read_exact(kCalLength, kCalTimeoutMs);
  if (r.compare(kCalLength - 3, 3, "<0>") != 0) throw protocol_error(fmt::format("calibration {} read failed", index));
  K10Calibration cal{index, trimmed(r.substr(2, kCalFormatFlag - 2)), Mat3::Identity()};
  for (int i = 0; i < 9; ++i) {
    double v;
    if (r[kCalFormatFlag] == 'C') {  // CalMan format: float64 LE
      std::uint64_t u = 0;
      for (int b = 7; b >= 0; --b) u = u << 8 | static_cast<std::uint8_t>(r[kCalManMatrix + 8 * i + b]);
      std::memcpy(&v, &u, 8);
    } else {
      v = decode_float(bytes(r, kKleinMatrix + 3 * i), true);
    }
    if (!std::isfinite(v)) throw protocol_error(fmt::format("calibration {} holds a non-finite number", index));
    cal.matrix(i / 3, i % 3) = v;
  }
  return cal;
}

void K10Driver::set_display_mode(const std::string& mode) {
  check_open();
  if (mode.empty() || lower(mode) == "factory") {
    selected_ = {};
    return;
  }
  for (const K10Calibration& c : calibrations_)
    if (lower(c.name) == lower(mode)) {
      selected_ = read_calibration(c.index);
      return;
    }
  std::vector<std::string> names;
  for (const K10Calibration& c : calibrations_) names.push_back(c.name);
  throw ValueError("--probe", fmt::format("the K10 holds no calibration '{}' (on board: factory, {})", mode,
                                          fmt::join(names, ", ")));
}

void K10Driver::set_fixed_range(int range) {
  check_open();
  if (range < 0 || range > 6) throw protocol_error(fmt::format("no range {}", range));
  command("J7", kShortLength, kRangeTimeoutMs);
  auto_range_ = false;
  if (range > 0) command(fmt::format("J{}", range), kShortLength, kRangeTimeoutMs);
}

void K10Driver::set_auto_range() {
  command("J8", kShortLength, kRangeTimeoutMs);
  auto_range_ = true;
}

Vec3 K10Driver::measure_factory_XYZ(std::array<int, 3>* ranges) {
  check_open();
  for (int attempt = 1;; ++attempt) {
    char e = kOk;
    std::string r = command("N5", kMeasureLength, kMeasureTimeoutMs, &e);
    if (e == kOk) {
      if (ranges) *ranges = decode_ranges(static_cast<std::uint8_t>(r[11]));
      return {decode_float(bytes(r, 2)), decode_float(bytes(r, 5)), decode_float(bytes(r, 8))};
    }
    if (e == kOverHighRange) throw ProbeError(ProbeErrorKind::Saturated, "K10: too bright: " + error_text(e));
    if ((e == kTopOverRange || e == kBottomUnderRange) && attempt < kRangeTries) continue;
    if (e == kTopOverRange)
      throw ProbeError(ProbeErrorKind::Saturated, "K10: over the selected range (use auto-range)");
    throw protocol_error("measurement failed: " + error_text(e));
  }
}

// Averaged by ArgyllCMS's schedule; the uncertainty is the larger of Klein's noise floor for
// that many readings and the standard error of their mean, through the selected matrix.
ProbeReading K10Driver::read() {
  check_open();
  if (!auto_range_) set_auto_range();  // a flicker capture left the ranges fixed
  ProbeReading reading;
  const double t0 = clock_.now_s();
  std::vector<Vec3> readings = {measure_factory_XYZ()};
  const int want = options_.average_when_dark ? readings_to_average(readings[0].maxCoeff()) : 1;
  while (static_cast<int>(readings.size()) < want) readings.push_back(measure_factory_XYZ());
  const auto n = static_cast<double>(readings.size());
  Vec3 mean = Vec3::Zero(), spread = Vec3::Zero();
  for (const Vec3& r : readings) mean += r / n;
  for (const Vec3& r : readings) spread += (r - mean).cwiseAbs2();
  Vec3 sigma = noise_floor(k10_model_, static_cast<int>(n));
  if (n > 1) sigma = sigma.cwiseMax((spread / (n - 1) / n).cwiseSqrt());
  reading.XYZ = selected_.matrix * mean;
  reading.uncertainty = (selected_.matrix.cwiseAbs2() * sigma.cwiseAbs2()).cwiseSqrt();
  reading.integration_s = clock_.now_s() - t0;
  reading.valid = true;
  return reading;
}

// ArgyllCMS's sequence (k10_protocol.hpp): the ranges from an N5, fixed there, then the stream.
std::vector<double> K10Driver::read_flicker(std::size_t count) {
  check_open();
  if (!auto_range_) set_auto_range();
  std::array<int, 3> ranges{};
  measure_factory_XYZ(&ranges);
  set_fixed_range(ranges[1]);  // the green (Y) channel's range
  transport_->discard_input();
  transport_->write(std::string_view("T2\r"));
  std::vector<double> out;
  while (out.size() < count) {
    std::string packet = transport_->read_exact(kFlickerPacket, kFlickerTimeoutMs);
    for (std::size_t i = 0; i < kFlickerPacket / 3 && out.size() < count; ++i)
      out.push_back((static_cast<std::uint8_t>(packet[3 * i + 1]) << 8 | static_cast<std::uint8_t>(packet[3 * i + 2])) /
                    65535.0);
  }
  // N5 stops the stream; drain what is in flight up to the end of the N5 reply ("N5" ... "<e>").
  transport_->write(std::string_view("N5\r"));
  std::string tail;
  auto n5_reply_at_end = [&] {
    const std::size_t n = tail.size();
    return n >= kMeasureLength && tail.compare(n - kMeasureLength, 2, "N5") == 0 && tail[n - 3] == '<';
  };
  while (!n5_reply_at_end()) {
    tail += transport_->read_until(">", 4096, kFlickerTimeoutMs);
    if (tail.size() > 65536) throw protocol_error("the flicker stream did not stop");
  }
  return out;
}

K10Options k10_options(const std::vector<SpecOption>& options) {
  K10Options o;
  for (const SpecOption& option : options)
    if (option.key == "mode") o.calibration = option.value;
  return o;
}

std::unique_ptr<Probe> make_k10_probe(ProbeWire wire, Clock& clock, const std::vector<SpecOption>& options) {
  return std::make_unique<K10Driver>(take_wire<SerialTransport>(wire, "k10"), clock, k10_options(options));
}

}  // namespace calkit
