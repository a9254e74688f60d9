#include "emulators/jeti_emulator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "color/observer.hpp"
#include "probes/jeti_protocol.hpp"

namespace calkit {

using namespace jeti;

namespace {
constexpr double kMinExposureMs = 0.1;
constexpr double kFullScale = 65535;
}  // namespace

JetiEmulatorOptions parse_jeti_emulator_options(const std::vector<SpecOption>& options) {
  JetiEmulatorOptions o;
  o.faults = parse_emulator_options(
      "emulated:jeti", options,
      [&](const SpecOption& option) {
        if (option.key == "baud")
          o.baud = spec_int(option, 1, 4000000);
        else if (option.key == "gain")
          o.gain = spec_double(option, 1e-6, 1e6);
        else if (option.key == "model" && (option.value == "1201" || option.value == "1211"))
          o.idn = "JETI_SB" + option.value;
        else if (option.key == "old-firmware")
          o.old_firmware = spec_flag(option);
        else if (option.key == "mhead" && (option.value == "ambient" || option.value == "emissive"))
          o.ambient_head = option.value == "ambient";
        else if (option.key == "third-party-cal")
          o.third_party_cal = spec_flag(option);
        else
          return false;
        return true;
      },
      "baud=921600|115200|38400, gain=G, model=1201|1211, old-firmware, mhead=ambient|emissive, third-party-cal");
  return o;
}

JetiEmulator::JetiEmulator(VirtualDisplay& display, JetiEmulatorOptions options)
    : SerialDeviceEmulator("emulated:jeti", options.faults, display.clock(), options.baud),
      display_(display),
      options_(std::move(options)),
      spectra_(display.model()) {}

void JetiEmulator::consume(std::string& input) {
  for (std::size_t cr; (cr = input.find('\r')) != std::string::npos;) {
    std::string cmd = input.substr(0, cr);
    input.erase(0, cr + 1);
    if (begin_command()) handle(cmd);
  }
}

void JetiEmulator::nak(int code) {
  error_ = code;
  answer(std::string(1, kNak));
}

void JetiEmulator::handle(const std::string& cmd) {
  auto line = [&](const std::string& text) { answer(text + "\r"); };
  const std::string ack(1, kAck);
  if (cmd == "*idn?") return line(options_.idn);
  if (cmd == "*para:spnum?") return line("spectrometer number: " + options_.serial);
  if (cmd == "*vers?") return line(options_.firmware);
  if (cmd == "*stat:err?") return line(fmt::format("Error Code: {}", error_));
  if (cmd == "*contr:mhead?") return line(fmt::format("mhead: {}", options_.ambient_head ? 1 : 0));
  if (cmd == "*contr:laser?") return line(fmt::format("laser: {}", laser_ ? 1 : 0));
  if (cmd == "*para:wavbeg?") return line(fmt::format("Predefined start wave: {}", kFirstNm));
  if (cmd == "*para:wavend?") return line(fmt::format("Predefined end wave: {}", kLastNm));
  if (cmd == "*conf:default" || cmd == "*para:calibn 0" || cmd == "*para:expo 1" || cmd == "*conf:func 6" ||
      cmd == "*conf:form 4" || cmd == "*conf:aver 1")
    return answer(ack);
  std::istringstream args(cmd);
  std::string verb;
  args >> verb;
  if (verb == "*contr:laser") {
    int on = 0;
    if (!(args >> on) || on < 0 || on > 1) return nak(kErrorCommand);
    laser_ = on == 1;
    return answer(ack);
  }
  if (verb == "*conf:maxtin") {
    double ms = 0;
    if (options_.old_firmware || !(args >> ms) || ms < 1 || ms > 60000) return nak(kErrorCommand);
    max_exposure_ms_ = ms;
    return answer(ack);
  }
  if (verb == "*conf:wran") {
    int a = 0, b = 0, s = 0;
    if (!(args >> a >> b >> s) || s < 1 || a >= b || a < kFirstNm || b > kLastNm) return nak(kErrorCommand);
    start_nm_ = a, end_nm_ = b, step_nm_ = s;
    return answer(ack);
  }
  if (cmd == "*init") return measure();
  if (cmd == "*fetch:sprad") {
    if (last_.empty()) return nak(kErrorCommand);
    std::string out = "Spectral radiance\r" + std::to_string(last_.values.size()) + "\r";
    for (double v : last_.values) out += fmt::format("{:.6e}\r", v);
    return answer(out + "\r");  // one terminator more than the values
  }
  if (cmd == "*fetch:XYZ") {
    if (last_.empty()) return nak(kErrorCommand);
    Vec3 XYZ = XYZ_from_spectrum(last_.values, last_.start_nm, last_.step_nm);
    return answer(fmt::format("X: {:.6f}\rY: {:.6f}\rZ: {:.6f}\r", XYZ[0], XYZ[1], XYZ[2]));
  }
  nak(kErrorCommand);
}

// Auto-exposure: the longest exposure (<= maxtin) that keeps the brightest pixel under 80 % of
// full scale. Shortest exposure still saturating: overexposed; under 10 counts at maxtin: under.
void JetiEmulator::measure() {
  if (options_.third_party_cal && (start_nm_ < 380 || end_nm_ > 780)) return nak(kErrorExceedsCalWavelength);
  answer(std::string(1, kAck));
  const Spectrum light = spectra_.spectrum_of(display_.emitted_XYZ());  // 380..780 nm, 1 nm
  const double peak = *std::max_element(light.values.begin(), light.values.end());
  const double sensitivity = kCountsPerRadianceMs * options_.gain;
  exposure_ms_ = peak > 0 ? std::min(max_exposure_ms_, 0.8 * kFullScale / (sensitivity * peak)) : max_exposure_ms_;
  display_.clock().sleep_s(0.05 + 2 * exposure_ms_ / 1000);  // pre-exposure + exposure
  if (exposure_ms_ < kMinExposureMs) return nak(kErrorOverexposed);
  if (peak * sensitivity * exposure_ms_ < 10) return nak(kErrorUnderexposed);
  const double scale = sensitivity * exposure_ms_;
  last_ = {static_cast<double>(start_nm_), static_cast<double>(step_nm_), {}};
  for (int nm = start_nm_; nm <= end_nm_; nm += step_nm_) {
    const double v = nm >= 380 && nm <= 780 ? light.values[static_cast<std::size_t>(nm - 380)] : 0.0;
    last_.values.push_back(std::round(v * scale) / scale);  // whole counts of the array
  }
  answer(std::string(1, kBel));
}

std::unique_ptr<JetiDriver> make_emulated_jeti(VirtualDisplay& display, const std::string& options_tail,
                                               JetiOptions driver_options, JetiEmulator** emulator) {
  auto device =
      std::make_unique<JetiEmulator>(display, parse_jeti_emulator_options(split_spec_options(options_tail, "--probe")));
  if (emulator) *emulator = device.get();
  return std::make_unique<JetiDriver>(std::move(device), display.clock(), driver_options);
}

}  // namespace calkit
