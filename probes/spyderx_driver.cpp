#include "probes/spyderx_driver.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <limits>

#include "core/error.hpp"
#include "probes/i1d3_protocol.hpp"
#include "probes/spyderx_protocol.hpp"

namespace calkit {

using namespace spyderx;

namespace {

ProbeError protocol_error(const std::string& what) { return ProbeError(ProbeErrorKind::Protocol, "SpyderX: " + what); }

void ask_on_terminal(SpyderxStep step) {
  std::fprintf(stderr, "%s, then press Enter... ",
               step == SpyderxStep::PutCapOn ? "Put the cap on the SpyderX (black calibration)"
                                             : "Take the cap off and place the SpyderX on the screen");
  std::string line;
  std::getline(std::cin, line);
}

}  // namespace

SpyderxDriver::SpyderxDriver(std::unique_ptr<UsbTransport> transport, Clock& clock, SpyderxOptions options)
    : transport_(std::move(transport)), clock_(clock), options_(std::move(options)) {
  if (!options_.ask_user) options_.ask_user = ask_on_terminal;
}

Bytes SpyderxDriver::command(std::uint8_t cmd, const Bytes& payload, std::size_t reply_length, int timeout_ms) {
  const auto nonce = ++nonce_;
  transport_->bulk_write(kOutEndpoint, encode_command(cmd, nonce, payload), options_.timeout_ms);
  Reply r = decode_reply(transport_->bulk_read(kInEndpoint, 5 + reply_length, timeout_ms));
  if (r.nonce != nonce)
    throw protocol_error(fmt::format("reply to 0x{:02x} carries nonce {:04x}, sent {:04x}", cmd, r.nonce, nonce));
  if (r.status != kStatusOk)
    throw protocol_error(fmt::format("command 0x{:02x} failed with status 0x{:02x}", cmd, r.status));
  if (r.payload.size() != reply_length)
    throw protocol_error(
        fmt::format("reply to 0x{:02x} has {} bytes, expected {}", cmd, r.payload.size(), reply_length));
  return r.payload;
}

// The reset's outcome is ignored, as every independent driver does (spyderx_protocol.hpp).
void SpyderxDriver::reset() {
  try {
    transport_->control_transfer(kResetRequestType, kResetRequest, kResetValue, 0, {}, options_.timeout_ms);
  } catch (const ProbeError& e) {
    if (e.kind() == ProbeErrorKind::Disconnected) throw;  // not a reset that failed: the probe is gone
  }
  clock_.sleep_s(kResetSettleS);
}

void SpyderxDriver::setup() {
  Bytes setup = command(kMeasureSetup, {v1_}, kSetupLength, options_.timeout_ms);
  if (checksum(std::span(setup).first(kSetupLength - 1)) != setup.back())
    throw protocol_error("setup checksum mismatch");
  s1_ = setup[0];
  std::copy(setup.begin() + 1, setup.begin() + 5, s2_.begin());
  std::copy(setup.begin() + 5, setup.begin() + 9, s3_.begin());
}

void SpyderxDriver::load_calibration(int index) {
  if (index < 0 || index >= static_cast<int>(kCalibrationNames.size()))
    throw protocol_error(fmt::format("no on-board calibration {}", index));
  Bytes cal = command(kGetCalibration, {static_cast<std::uint8_t>(index)}, kCalibrationLength, options_.timeout_ms);
  if (checksum(std::span(cal).first(kCalibrationLength - 1)) != cal.back())
    throw protocol_error("calibration checksum mismatch");
  if (cal[0] != index) throw protocol_error(fmt::format("asked for calibration {}, got {}", index, cal[0]));
  v1_ = cal[1];
  v2_ = u16be(cal, 2);
  for (int i = 0; i < 9; ++i) matrix_(i / 3, i % 3) = i1d3::f32le(cal, 4 + 4 * i);  // row-major float32 LE
  if (!matrix_.allFinite() || v2_ == 0) throw protocol_error("the on-board calibration holds invalid numbers");
  options_.calibration = index;
}

void SpyderxDriver::close() {
  if (!open_) return;
  open_ = false;
  try {
    transport_->reset_device();  // A resets the SpyderX before closing it too (spydX_init_coms)
  } catch (const ProbeError&) {
    // best effort
  }
}

void SpyderxDriver::open() {
  if (open_) return;
  reset();
  Bytes hw = command(kHardwareVersion, {}, kHardwareVersionLength, options_.timeout_ms);
  identity_.model = "Datacolor SpyderX";
  identity_.firmware =
      fmt::format("{}.{}{}", static_cast<char>(hw[0]), static_cast<char>(hw[2]), static_cast<char>(hw[3]));
  Bytes serial = command(kSerialNumber, {}, kSerialLength, options_.timeout_ms);
  identity_.serial = std::string(serial.begin() + 4, serial.begin() + 12);
  load_calibration(options_.calibration);
  command(kAmbient, {kAmbientIntegration, kAmbientInitGain}, kAmbientLength,
          options_.timeout_ms);  // "to initialize it"
  open_ = true;
  black_calibrate();
}

void SpyderxDriver::check_open() const {
  if (!open_) throw protocol_error("the probe is not open");
}

ProbeCapabilities SpyderxDriver::capabilities() const {
  ProbeCapabilities caps;
  caps.display_modes.assign(kCalibrationNames.begin(), kCalibrationNames.end());
  caps.ambient = true;
  return caps;
}

void SpyderxDriver::set_display_mode(const std::string& mode) {
  check_open();
  for (std::size_t i = 0; i < kCalibrationNames.size(); ++i)
    if (mode == kCalibrationNames[i]) return load_calibration(static_cast<int>(i));
  throw ValueError("--probe", fmt::format("unknown SpyderX display type '{}' (on board: {})", mode,
                                          fmt::join(kCalibrationNames, ", ")));
}

std::array<std::uint16_t, 4> SpyderxDriver::measure_raw() {
  check_open();
  setup();
  reset();
  Bytes req(7);
  put_u16be(req, 0, static_cast<std::uint16_t>(v2_));
  req[2] = s1_;
  std::copy(s2_.begin(), s2_.end(), req.begin() + 3);
  Bytes r = command(kMeasure, req, kMeasureLength, options_.timeout_ms + v2_);
  return {u16be(r, 0), u16be(r, 2), u16be(r, 4), u16be(r, 6)};
}

// Signed, unclamped and unlimited, as every independent driver keeps it (spyderx_protocol.hpp).
void SpyderxDriver::black_calibrate() {
  options_.ask_user(SpyderxStep::PutCapOn);
  auto raw = measure_raw();
  for (int c = 0; c < 3; ++c) black_[c] = static_cast<double>(raw[c]) - s3_[c];
  black_time_s_ = clock_.now_s();
  options_.ask_user(SpyderxStep::TakeCapOff);
}

ProbeReading SpyderxDriver::read() {
  check_open();
  if (clock_.now_s() - black_time_s_ > options_.black_expiry_s) black_calibrate();  // the black drifts with temperature
  auto raw = measure_raw();
  for (int c = 0; c < 3; ++c)
    if (raw[c] == kRawSaturated)
      throw ProbeError(ProbeErrorKind::Saturated, fmt::format("SpyderX: too bright (sensor {} saturated)", c));
  Vec3 counts;
  for (int c = 0; c < 3; ++c) counts[c] = static_cast<double>(raw[c]) - s3_[c] - black_[c];
  ProbeReading reading;
  reading.XYZ = matrix_ * counts;
  // Whole counts, in the reading and in the black calibration: 1/√12 each, √(2/12) together.
  reading.uncertainty = matrix_.cwiseAbs() * Vec3::Constant(std::sqrt(2.0 / 12.0));
  reading.integration_s = v2_ / 1000.0;
  reading.valid = true;
  return reading;
}

AmbientReading SpyderxDriver::read_ambient() {
  check_open();
  for (std::uint8_t gain : kGainCodes) {  // most sensitive first; step down while saturated
    Bytes r = command(kAmbient, {kAmbientIntegration, gain}, kAmbientLength, options_.timeout_ms);
    const double c0 = u16be(r, 0), c1 = u16be(r, 2);
    if (r[4] != kAmbientIntegration || r[5] != gain) throw protocol_error("ambient reply does not echo its settings");
    if (c0 >= 65535 && gain != kGainCodes.back()) continue;
    if (c0 >= 65535) throw ProbeError(ProbeErrorKind::Saturated, "SpyderX: ambient light too bright");
    const double nan = std::numeric_limits<double>::quiet_NaN();
    return {ambient_lux(c0, c1, kAmbientIntegration, gain_of(gain)), {nan, nan}, false};
  }
  throw protocol_error("no ambient gain");
}

SpyderxOptions spyderx_options(const std::vector<SpecOption>& options) {
  SpyderxOptions o;
  for (const SpecOption& option : options) {
    if (option.key != "mode") continue;
    auto it = std::find(kCalibrationNames.begin(), kCalibrationNames.end(), option.value);
    if (it == kCalibrationNames.end())
      bad_spec_option(option, fmt::format("unknown SpyderX mode '{}' (on board: {})", option.value,
                                          fmt::join(kCalibrationNames, ", ")));
    o.calibration = static_cast<int>(it - kCalibrationNames.begin());
  }
  return o;
}

std::unique_ptr<Probe> make_spyderx_probe(ProbeWire wire, Clock& clock, const std::vector<SpecOption>& options) {
  return std::make_unique<SpyderxDriver>(take_wire<UsbTransport>(wire, "spyderx"), clock, spyderx_options(options));
}

}  // namespace calkit
