#include "emulators/i1d3_emulator.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <numbers>
#include <sstream>

#include "color/observer.hpp"
#include "core/error.hpp"

namespace calkit {
namespace {

using namespace i1d3;

// The emulated filter curves: CIE 1931 CMFs shifted by a few nm and mixed, as a real filter set
// only approximates the observer (this mismatch is what CCSS/CCMX corrections fix).
double sensitivity(int channel, double nm) {
  constexpr double k = 10000;  // Hz per W/(sr·m²·nm) at the CMF peak
  switch (channel) {
    case 0:
      return k * (0.9 * cmf(nm - 0.8)[0] + 0.02 * cmf(nm)[1]);
    case 1:
      return k * (1.0 * cmf(nm + 1.0)[1] + 0.01 * cmf(nm)[2]);
    default:
      return k * 1.25 * cmf(nm - 1.0)[2];
  }
}

// Byte 1 echoes the major code: 0x00 for every 0x00xx command (i1d3_protocol.hpp).
Bytes reply_for(std::uint16_t code, std::uint8_t status = kStatusOk) {
  Bytes r(kReportSize, 0);
  r[0] = status;
  r[1] = reply_echo(code);
  return r;
}

// The range the stored checksum sums, by revision: A-01 units 4..0x1799; A-02 4..0x178D; later
// ones another range that the drivers do not know (A i1d3_decode_extEE notes "0xf - 0x1792").
std::pair<std::size_t, std::size_t> stored_checksum_range(const std::string& revision) {
  if (revision == "A-01") return {4, kChecksumEndFull};
  if (revision == "A-02") return {4, kChecksumEndShort};
  return {0x0F, 0x1792};
}

void put_text(Bytes& r, std::size_t at, const std::string& s) {
  std::memcpy(r.data() + at, s.data(), std::min(s.size(), r.size() - at));
}

}  // namespace

I1d3EmulatorOptions parse_i1d3_emulator_options(const std::vector<SpecOption>& options) {
  I1d3EmulatorOptions o;
  auto extra = [&](const SpecOption& option) {
    const std::string& key = option.key;
    if (key == "wrong-unlock")
      o.faults.wrong_unlock = spec_flag(option);
    else if (key == "corrupt-eeprom")
      o.faults.corrupt_eeprom = spec_flag(option);
    else if (key == "variant")
      o.variant = unlock_key(option.value).name;
    else if (key == "locked")
      o.locked = spec_flag(option);
    else if (key == "refresh")
      o.refresh_hz = spec_double(option, 0, 1000);
    else if (key == "flicker")
      o.flicker_depth = spec_double(option, 0, 1);
    else if (key == "diffuser")
      o.diffuser_ambient = option.value == "ambient";
    else if (key == "revision")
      o.hardware_revision = option.value;
    else if (key == "lux")
      o.ambient_lux = spec_double(option, 0, 1e6);
    else if (key == "kelvin")
      o.ambient_kelvin = spec_double(option, 1000, 100000);
    else
      return false;
    return true;
  };
  DeviceFaults shared = parse_emulator_options(
      "emulated:i1d3", options, extra,
      "wrong-unlock, corrupt-eeprom, variant=NAME, locked=yes|no, refresh=HZ, flicker=DEPTH, diffuser=ambient, "
      "lux=L, kelvin=K, revision=A-01|A-02|B-02");
  shared.wrong_unlock = o.faults.wrong_unlock;
  shared.corrupt_eeprom = o.faults.corrupt_eeprom;
  o.faults = shared;
  return o;
}

I1d3Emulator::I1d3Emulator(VirtualDisplay& display, I1d3EmulatorOptions options)
    : display_(display),
      options_(std::move(options)),
      spectra_(display.model()),
      locked_(options_.locked),
      schedule_(options_.faults) {
  throw_open_fault(options_.faults, path());
  unlock_key(options_.variant);  // validates the name
  for (int c = 0; c < 3; ++c)
    for (int i = 0; i < kSensorBands; ++i) sensor_[c].push_back(static_cast<float>(sensitivity(c, 380.0 + i)));
  for (int i = 0; i < kSensorBands; ++i)  // a flat-ish opal diffuser, a little bluer-absorbing
    diffuser_.push_back(static_cast<float>(0.25 + 0.05 * i / (kSensorBands - 1.0)));

  // Hz per unit emission-band weight, then per XYZ (the display's light is always a band mix).
  Mat3 hz_per_band;
  for (int c = 0; c < 3; ++c)
    for (int k = 0; k < 3; ++k) {
      double sum = 0;
      for (int i = 0; i < kSensorBands; ++i) sum += sensor_[c][i] * spectra_.bands()[k].values[i];
      hz_per_band(c, k) = sum;
    }
  Mat3 weights;
  for (int j = 0; j < 3; ++j) weights.col(j) = spectra_.weights_of(Vec3::Unit(j));
  XYZ_to_hz_ = hz_per_band * weights;

  // The room: a blackbody of ambient_kelvin scaled to ambient_lux (E_v = Km ∫ E_e ȳ dλ, CIE 15).
  std::vector<double> room(kSensorBands + 50);
  for (std::size_t i = 0; i < room.size(); ++i)
    room[i] = planck_radiance(380.0 + static_cast<double>(i), options_.ambient_kelvin);
  double scale = options_.ambient_lux / XYZ_from_spectrum(room, 380, 1)[1];
  for (int c = 0; c < 3; ++c) {
    double sum = 0;
    for (int i = 0; i < kSensorBands; ++i) sum += sensor_[c][i] * diffuser_[i] * room[i] * scale;
    ambient_hz_[c] = sum;
  }
  build_eeproms();
}

void I1d3Emulator::build_eeproms() {
  internal_eeprom_.assign(kInternalEepromSize, 0);
  std::fill(internal_eeprom_.begin() + 4, internal_eeprom_.begin() + 16, 0xFF);  // no black offsets
  std::memcpy(internal_eeprom_.data() + kSerialOffset, options_.serial.data(),
              std::min(options_.serial.size(), kSerialLength));
  std::memcpy(internal_eeprom_.data() + kRevisionOffset, options_.hardware_revision.data(),
              std::min(options_.hardware_revision.size(), kRevisionLength));

  external_eeprom_.assign(kExternalEepromSize, 0xFF);
  std::fill(external_eeprom_.begin(), external_eeprom_.begin() + 0x1800, 0);
  put_u32le(external_eeprom_, 0x1E, 1700000000u);  // calibration date
  for (int c = 0; c < 3; ++c)
    for (int i = 0; i < kSensorBands; ++i) put_f32le(external_eeprom_, kSensorOffset[c] + 4 * i, sensor_[c][i]);
  for (int i = 0; i < kSensorBands; ++i) put_f32le(external_eeprom_, kDiffuserOffset + 4 * i, diffuser_[i]);
  std::string signature = std::string("calkit emulated ") + options_.variant;
  std::memcpy(external_eeprom_.data() + kOemSignatureOffset, signature.data(),
              std::min<std::size_t>(signature.size(), 0x48));
  const auto [from, to] = stored_checksum_range(options_.hardware_revision);
  std::uint32_t sum = 0;
  for (std::size_t i = from; i <= to; ++i) sum += external_eeprom_[i];
  put_u16le(external_eeprom_, kChecksumOffset, static_cast<std::uint16_t>(sum));
  if (options_.faults.corrupt_eeprom) external_eeprom_[kSensorOffset[1] + 401] ^= 0x5A;
}

void I1d3Emulator::reset_device() {
  if (disconnected_) throw ProbeError(ProbeErrorKind::Disconnected, path() + ": device disconnected");
  ++resets_;
  disconnected_ = true;  // it re-enumerates: this handle is gone
}

void I1d3Emulator::write_report(std::span<const std::uint8_t> report) {
  if (disconnected_) throw ProbeError(ProbeErrorKind::Disconnected, path() + ": device disconnected");
  if (report.size() != kReportSize || reply_)
    throw ProbeError(ProbeErrorKind::Protocol, path() + ": expected one 64-byte report per reply");
  const FaultSchedule::Action action = schedule_.next_command();
  if (action == FaultSchedule::Action::Disconnect) {
    disconnected_ = true;  // the command goes out, the device is gone before it answers
    return;
  }
  std::uint16_t code = report[0] ? static_cast<std::uint16_t>(report[0] << 8) : report[1];
  commands_.push_back(code);
  Bytes reply = handle(code, report);
  if (action == FaultSchedule::Action::Mute) return;              // no reply: the read times out
  if (action == FaultSchedule::Action::Garble) reply[1] ^= 0xA5;  // a corrupted echo byte
  reply_ = std::move(reply);
}

Bytes I1d3Emulator::read_report(int timeout_ms) {
  if (disconnected_)
    throw ProbeError(ProbeErrorKind::Disconnected, path() + ": device disconnected in the middle of a read");
  if (!reply_) throw ProbeError(ProbeErrorKind::Timeout, fmt::format("{}: no reply within {} ms", path(), timeout_ms));
  Bytes r = std::move(*reply_);
  reply_.reset();
  return r;
}

Bytes I1d3Emulator::handle(std::uint16_t code, std::span<const std::uint8_t> cmd) {
  if (is_write_command(code)) {
    write_command_seen_ = true;  // a driver must never get here
    return reply_for(code, kStatusUnknownCommand);
  }
  const bool needs_unlock =
      code == kFreqMeasure || code == kPeriodMeasure || code == kReadInternalEeprom || code == kReadExternalEeprom;
  if (needs_unlock && locked_) return reply_for(code, 0x02);  // assumed: a locked unit refuses
  const std::string product = options_.variant == "colormunki-display" ? "ColorMunki Display" : "i1Display3 ";
  Bytes r = reply_for(code);
  switch (code) {
    case kGetInfo:
      put_text(r, 2, product + " v2.28 17Jul15");
      return r;
    case kGetStatus:
      r[2] = 1;
      return r;
    case kProductName:
      put_text(r, 2, product);
      return r;
    case kProductType:
      put_u16le(r, 3, options_.variant == "colormunki-display" ? 2 : 1);
      return r;
    case kFirmwareVersion:
      put_text(r, 2, "v2.28");
      return r;
    case kFirmwareDate:
      put_text(r, 2, "17Jul15");
      return r;
    case kLockStatus:
      r[2] = 0;
      r[3] = locked_ ? 1 : 0;
      return r;
    case kSetLed:
      return r;
    case kGetDiffuserPos:
      r[1] = options_.diffuser_ambient ? kDiffuserAmbient : kDiffuserDisplay;
      return r;
    case kGetLockChallenge: {
      Bytes c = r;
      std::uint64_t x = 0x9E3779B97F4A7C15ULL * (++challenges_ + 7);
      for (std::size_t i = 2; i < kReportSize; ++i) {
        x ^= x >> 29;
        x *= 0xBF58476D1CE4E5B9ULL;
        x ^= x >> 32;
        c[i] = static_cast<std::uint8_t>(x);
      }
      challenge_ = c;
      return c;
    }
    case kSendLockResponse: {
      bool ok = false;
      if (challenge_ && !options_.faults.wrong_unlock) {
        auto expected = unlock_response(*challenge_, unlock_key(options_.variant));
        ok = std::equal(expected.begin() + 24, expected.begin() + 40, cmd.begin() + 24);
      }
      challenge_.reset();
      if (ok) locked_ = false;
      r[2] = ok ? kUnlockAccepted : 0x00;
      return r;
    }
    case kReadInternalEeprom: {
      std::size_t addr = cmd[1], len = cmd[2];
      if (len > 60 || addr + len > kInternalEepromSize) return reply_for(code, 0x01);
      std::memcpy(r.data() + 4, internal_eeprom_.data() + addr, len);
      return r;
    }
    case kReadExternalEeprom: {
      std::size_t addr = static_cast<std::size_t>(cmd[1] << 8 | cmd[2]), len = cmd[3];
      if (len > 59 || addr + len > kExternalEepromSize) return reply_for(code, 0x01);
      std::memcpy(r.data() + 5, external_eeprom_.data() + addr, len);
      return r;
    }
    case kFreqMeasure:
      return frequency_measure(cmd);
    case kPeriodMeasure:
      return period_measure(cmd);
    default:
      return reply_for(code, kStatusUnknownCommand);
  }
}

Vec3 I1d3Emulator::frequencies_now() {
  if (options_.diffuser_ambient) return ambient_hz_;
  return XYZ_to_hz_ * display_.emitted_XYZ();
}

double I1d3Emulator::flicker_integral(double t0, double t1) const {
  if (options_.refresh_hz <= 0) return t1 - t0;
  const double w = 2 * std::numbers::pi * options_.refresh_hz;
  return (t1 - t0) + options_.flicker_depth * (std::cos(w * t0) - std::cos(w * t1)) / w;
}

// Edges are counted from the start of the gate (start-synchronised), so the count truncates.
Bytes I1d3Emulator::frequency_measure(std::span<const std::uint8_t> cmd) {
  const double t = u32le(cmd, 1) / kClockHz;
  Clock& clock = display_.clock();
  const double t0 = clock.now_s();
  Vec3 hz0 = frequencies_now();
  clock.sleep_s(t);
  Vec3 hz = 0.5 * (hz0 + frequencies_now());
  const double light_time = options_.diffuser_ambient ? t : flicker_integral(t0, t0 + t);
  Bytes r = reply_for(kFreqMeasure);
  for (int c = 0; c < 3; ++c)
    put_u32le(r, 2 + 4 * c, static_cast<std::uint32_t>(std::floor(2 * std::max(hz[c], 0.0) * light_time)));
  return r;
}

Bytes I1d3Emulator::period_measure(std::span<const std::uint8_t> cmd) {
  Vec3 hz = frequencies_now();
  const std::uint8_t mask = cmd[7];
  double longest = 0;
  Bytes r = reply_for(kPeriodMeasure);
  for (int c = 0; c < 3; ++c) {
    if (!(mask & (1 << c))) continue;
    const double edges = u16le(cmd, 1 + 2 * c);
    const double seconds = hz[c] > 0 ? edges / (2 * hz[c]) : 1e9;
    if (seconds > options_.device_timeout_s) {
      display_.clock().sleep_s(options_.device_timeout_s);
      return reply_for(kPeriodMeasure, kStatusNoEdges);
    }
    longest = std::max(longest, seconds);
    put_u32le(r, 2 + 4 * c, static_cast<std::uint32_t>(std::llround(seconds * kClockHz)));
  }
  display_.clock().sleep_s(longest);
  return r;
}

}  // namespace calkit

namespace calkit {
std::unique_ptr<I1d3Driver> make_emulated_i1d3(VirtualDisplay& display, const std::string& options_tail,
                                               I1d3Options driver_options, I1d3Emulator** emulator) {
  I1d3EmulatorOptions options = parse_i1d3_emulator_options(split_spec_options(options_tail, "--probe"));
  if (options.refresh_hz > 0) driver_options.refresh_sync = true;
  auto device = std::make_unique<I1d3Emulator>(display, options);
  if (emulator) *emulator = device.get();
  return std::make_unique<I1d3Driver>(std::move(device), display.clock(), driver_options);
}
}  // namespace calkit
