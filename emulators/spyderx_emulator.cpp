#include "emulators/spyderx_emulator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "color/colorimetry.hpp"
#include "color/observer.hpp"
#include "probes/i1d3_protocol.hpp"
#include "probes/spyderx_protocol.hpp"

namespace calkit {

using namespace spyderx;

namespace {

constexpr int kDefaultIntegrationMs = 714;  // ≈714 ms, quantised to 2.8 ms
constexpr std::array<std::uint8_t, 4> kTrim = {0x1A, 0x2B, 0x3C, 0x4D};
constexpr std::array<std::uint8_t, 4> kBlackSubtraction = {21, 24, 19, 7};
// The display types the four on-board matrices were fitted on (display_spectrum.cpp bands).
constexpr std::array<const char*, 4> kCalibrationTechnology = {"reference", "lcd-white-led", "miniled", "qd-oled"};

const FilterSensor& spyderx_filters() {
  static const FilterSensor sensor({-1.8, 1.4, 2.2}, 0.02);
  return sensor;
}

ProbeError usb_fault(const std::string& what) {
  return ProbeError(ProbeErrorKind::Protocol, "emulated:spyderx: " + what);
}

}  // namespace

SpyderxEmulatorOptions parse_spyderx_emulator_options(const std::vector<SpecOption>& options) {
  SpyderxEmulatorOptions o;
  o.faults = parse_emulator_options(
      "emulated:spyderx", options,
      [&](const SpecOption& option) {
        const std::string& key = option.key;
        if (key == "lux")
          o.ambient_lux = spec_double(option, 0, 1e6);
        else if (key == "forget-cap")
          o.user_forgets_cap = spec_flag(option);
        else if (key == "diffuser") {
        }  // `calkit ambient` asks for it; the ambient sensor is always exposed
        else if (key == "counts-per-nit")
          o.counts_per_nit = spec_double(option, 1e-6, 1e9);
        else if (key == "reset" && (option.value == "ok" || option.value == "stall"))
          o.reset_stalls = option.value == "stall";
        else if (key == "dark") {
          std::istringstream in(option.value);
          char colon = ':';
          for (int c = 0; c < 3; ++c)
            if (!(in >> o.dark[c]) || (c < 2 && !(in >> colon && colon == ':')) || std::abs(o.dark[c]) > 1000)
              bad_spec_option(option, "expected dark=R:G:B, counts within ±1000");
        } else
          return false;
        return true;
      },
      "lux=L, forget-cap, counts-per-nit=K, reset=ok|stall, dark=R:G:B");
  return o;
}

SpyderxEmulator::SpyderxEmulator(VirtualDisplay& display, SpyderxEmulatorOptions options)
    : display_(display), options_(std::move(options)), schedule_(options_.faults) {
  throw_open_fault(options_.faults, path());
  // Scale so that 1 cd/m² of the display's white gives counts_per_nit counts on the Y filter.
  const Mat3 response = spyderx_filters().response_per_XYZ(display.model().technology);
  const double k = options_.counts_per_nit / (response.row(1) * XYZ_from_xyY(display.model().white, 1.0));
  counts_per_XYZ_ = k * response;
  for (std::size_t i = 0; i < calibrations_.size(); ++i)
    calibrations_[i] = spyderx_filters().matrix_for(kCalibrationTechnology[i]) / k;
}

int SpyderxEmulator::control_transfer(std::uint8_t request_type, std::uint8_t request, std::uint16_t value,
                                      std::uint16_t, std::span<std::uint8_t>, int) {
  if (schedule_.disconnected()) throw ProbeError(ProbeErrorKind::Disconnected, path() + ": device disconnected");
  if (request_type != kResetRequestType || request != kResetRequest || value != kResetValue)
    throw usb_fault(fmt::format("control request 0x{:02x}/0x{:02x} stalled", request_type, request));
  ++resets_;
  reply_.reset();
  if (options_.reset_stalls) throw usb_fault("control request 0x41/0x02 stalled (LIBUSB_ERROR_PIPE)");
  return 0;
}

void SpyderxEmulator::reset_device() {
  if (schedule_.disconnected()) throw ProbeError(ProbeErrorKind::Disconnected, path() + ": device disconnected");
  ++device_resets_;
  DeviceFaults gone;  // re-enumerated: this handle is gone
  gone.disconnect_after_commands = 0;
  schedule_ = FaultSchedule(gone);
  schedule_.next_command();
}

int SpyderxEmulator::bulk_write(std::uint8_t endpoint, std::span<const std::uint8_t> data, int) {
  if (schedule_.disconnected()) throw ProbeError(ProbeErrorKind::Disconnected, path() + ": device disconnected");
  if (endpoint != kOutEndpoint) throw usb_fault(fmt::format("no OUT endpoint 0x{:02x}", endpoint));
  Frame f = decode_command(data);
  const FaultSchedule::Action action = schedule_.next_command();
  if (action == FaultSchedule::Action::Disconnect || action == FaultSchedule::Action::Mute)
    return static_cast<int>(data.size());
  std::uint8_t status = kStatusOk;
  Bytes payload = handle(f, status);
  Reply r{f.nonce, status, payload};
  if (action == FaultSchedule::Action::Garble) r.nonce ^= 0x5A5A;
  reply_ = encode_reply(r);
  return static_cast<int>(data.size());
}

Bytes SpyderxEmulator::bulk_read(std::uint8_t endpoint, std::size_t max_length, int timeout_ms) {
  if (schedule_.disconnected())
    throw ProbeError(ProbeErrorKind::Disconnected, path() + ": device disconnected in the middle of a read");
  if (endpoint != kInEndpoint) throw usb_fault(fmt::format("no IN endpoint 0x{:02x}", endpoint));
  if (!reply_) {
    display_.clock().sleep_s(timeout_ms / 1000.0);
    throw ProbeError(ProbeErrorKind::Timeout, fmt::format("{}: no reply within {} ms", path(), timeout_ms));
  }
  Bytes r = std::move(*reply_);
  reply_.reset();
  if (r.size() > max_length) r.resize(max_length);  // the host's buffer was too small: overflow, cut
  return r;
}

int SpyderxEmulator::interrupt_write(std::uint8_t, std::span<const std::uint8_t>, int) {
  throw usb_fault("the SpyderX has no interrupt endpoints");
}
Bytes SpyderxEmulator::interrupt_read(std::uint8_t, std::size_t, int) {
  throw usb_fault("the SpyderX has no interrupt endpoints");
}

Bytes SpyderxEmulator::handle(const Frame& f, std::uint8_t& status) {
  switch (f.cmd) {
    case kHardwareVersion: {
      Bytes p(kHardwareVersionLength, 0);
      const std::string v = "2.07";
      std::copy(v.begin(), v.end(), p.begin());
      return p;
    }
    case kSerialNumber: {
      Bytes p(kSerialLength, 0);
      std::copy(options_.serial.begin(), options_.serial.begin() + std::min<std::size_t>(8, options_.serial.size()),
                p.begin() + 4);
      return p;
    }
    case kGetCalibration: {
      if (f.payload.size() != 1 || f.payload[0] > 3) break;
      const int ix = f.payload[0];
      Bytes p(kCalibrationLength, 0);
      p[0] = f.payload[0];
      p[1] = kSetupV1;
      put_u16be(p, 2, kDefaultIntegrationMs);
      for (int i = 0; i < 9; ++i) i1d3::put_f32le(p, 4 + 4 * i, static_cast<float>(calibrations_[ix](i / 3, i % 3)));
      p.back() = checksum(std::span(p).first(kCalibrationLength - 1));
      return p;
    }
    case kMeasureSetup: {
      if (f.payload.size() != 1 || f.payload[0] > kSetupV1) break;
      if (f.payload[0] < kSetupV1) return Bytes(kSetupLength, 0xFF);  // documented junk
      Bytes p(kSetupLength, 0);
      p[0] = f.payload[0];
      std::copy(kTrim.begin(), kTrim.end(), p.begin() + 1);
      std::copy(kBlackSubtraction.begin(), kBlackSubtraction.end(), p.begin() + 5);
      p.back() = checksum(std::span(p).first(kSetupLength - 1));
      setup_done_ = true;
      return p;
    }
    case kMeasure:
      return measure(f.payload, status);
    case kAmbient: {
      if (f.payload.size() != 2 || gain_of(f.payload[1]) == 0) break;
      const int inttime = f.payload[0];
      const double gain = gain_of(f.payload[1]);
      // lux = 0.813·c0/cpl with c1 = 0.1·c0 (a little IR): c0 = lux·cpl/0.813.
      const double cpl = inttime * gain / (44.0 * 60.0);
      const double c0 = std::min(65535.0, std::round(options_.ambient_lux * cpl / (1 - 1.87 * 0.1)));
      const double c1 = std::min(65535.0, std::round(0.1 * c0));
      Bytes p(kAmbientLength, 0);
      put_u16be(p, 0, static_cast<std::uint16_t>(c0));
      put_u16be(p, 2, static_cast<std::uint16_t>(c1));
      p[4] = f.payload[0];
      p[5] = f.payload[1];
      display_.clock().sleep_s(inttime * 2.73e-3);
      return p;
    }
    default:
      break;
  }
  status = kStatusBad;
  return {};
}

Bytes SpyderxEmulator::measure(const Bytes& req, std::uint8_t& status) {
  if (req.size() != 7 || !setup_done_ || req[2] != kSetupV1 ||
      !std::equal(kTrim.begin(), kTrim.end(), req.begin() + 3)) {
    status = kStatusBad;
    return {};
  }
  const int ms = u16be(req, 0);
  display_.clock().sleep_s(ms / 1000.0);
  const Vec3 light =
      cap_on_ ? Vec3::Zero() : Vec3(counts_per_XYZ_ * display_.emitted_XYZ() * (ms / double(kDefaultIntegrationMs)));
  Bytes p(kMeasureLength, 0);
  for (int c = 0; c < 4; ++c) {
    const double signal = c < 3 ? light[c] + options_.dark[c] : 0.05 * light[0];
    const double raw = std::clamp(std::round(kBlackSubtraction[c] + signal), 0.0, 65535.0);
    put_u16be(p, 2 * c, static_cast<std::uint16_t>(raw));
  }
  return p;
}

std::unique_ptr<SpyderxDriver> make_emulated_spyderx(VirtualDisplay& display, const std::string& options_tail,
                                                     SpyderxOptions driver_options, SpyderxEmulator** emulator) {
  auto device = std::make_unique<SpyderxEmulator>(
      display, parse_spyderx_emulator_options(split_spec_options(options_tail, "--probe")));
  SpyderxEmulator* d = device.get();
  if (emulator) *emulator = d;
  if (!driver_options.ask_user)
    driver_options.ask_user = [d](SpyderxStep step) { d->set_cap(step == SpyderxStep::PutCapOn && !d->forgets_cap()); };
  return std::make_unique<SpyderxDriver>(std::move(device), display.clock(), std::move(driver_options));
}

}  // namespace calkit
