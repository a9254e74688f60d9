#include "emulators/pr655_emulator.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "color/observer.hpp"
#include "probes/pr655_protocol.hpp"

namespace calkit {

using namespace pr655;

namespace {
constexpr int kStartNm = 380;  // the PR-655's grid (pr655_protocol.hpp)
constexpr int kStepNm = 4;
}  // namespace

Pr655EmulatorOptions parse_pr655_emulator_options(const std::vector<SpecOption>& options) {
  Pr655EmulatorOptions o;
  o.faults = parse_emulator_options(
      "emulated:pr655", options,
      [&](const SpecOption& option) {
        if (option.key == "model" && (option.value == "PR-655" || option.value == "PR-670"))
          o.model = option.value;
        else if (option.key == "max-luminance")
          o.max_luminance = spec_double(option, 1e-3, 1e7);
        else
          return false;
        return true;
      },
      "model=PR-655|PR-670, max-luminance=L");
  return o;
}

Pr655Emulator::Pr655Emulator(VirtualDisplay& display, Pr655EmulatorOptions options)
    : SerialDeviceEmulator("emulated:pr655", options.faults, display.clock(), kBaud),
      display_(display),
      options_(std::move(options)),
      spectra_(display.model()) {}

void Pr655Emulator::consume(std::string& input) {
  for (;;) {
    if (input.rfind(kRemoteCommand, 0) == 0 || (!remote_ && input.find(kRemoteCommand) != std::string::npos)) {
      input.erase(0, input.find(kRemoteCommand) + 5);
      if (!begin_command()) continue;
      remote_ = true;
      answer(" REMOTE MODE");  // no line end (the manual, and ML reading exactly 12 characters)
      continue;
    }
    if (!remote_) {  // local mode: the keypad rules, serial bytes are ignored
      if (input.size() > 4) input.erase(0, input.size() - 4);
      return;
    }
    std::size_t cr = input.find('\r');
    if (cr == std::string::npos) return;
    std::string cmd = input.substr(0, cr);
    input.erase(0, cr + 1);
    while (!cmd.empty() && (cmd.front() == '\n' || cmd.front() == ' ')) cmd.erase(0, 1);  // "PHOTO\n" leaves a LF
    if (begin_command()) handle(cmd);
  }
}

std::string Pr655Emulator::spectrum_lines() const {
  std::string out;
  for (std::size_t i = 0; i < last_.values.size(); ++i)
    out += fmt::format("{},{:.4e}\r\n", static_cast<int>(last_.start_nm + last_.step_nm * i), last_.values[i]);
  return out;
}

int Pr655Emulator::measure() {
  const Vec3 XYZ = display_.emitted_XYZ();
  const double Y = XYZ[1];
  // Adaptive integration: about 2 s in good light, much longer in the dark.
  display_.clock().sleep_s(Y < options_.low_luminance ? 12.0 : 2.0);
  if (Y < options_.min_luminance) return kWeakLight;
  if (Y > options_.max_luminance) return kOverload;
  const Spectrum light = spectra_.spectrum_of(XYZ);  // 380..780 nm at 1 nm
  last_ = {kStartNm, kStepNm, {}};
  for (int nm = kStartNm; nm <= kEndNm; nm += kStepNm)
    last_.values.push_back(light.values[static_cast<std::size_t>(nm - 380)]);
  last_XYZ_ = XYZ_from_spectrum(last_.values, last_.start_nm, last_.step_nm);
  return kOk;
}

void Pr655Emulator::handle(const std::string& cmd) {
  auto reply = [&](const std::string& s) { answer(s + "\r\n"); };
  if (cmd == "D111") return reply(fmt::format("{:05},{}", kOk, options_.model));
  if (cmd == "D110") return reply(fmt::format("{:05},{}", kOk, options_.serial));
  if (cmd == "Q") {
    remote_ = false;
    return;
  }
  if (cmd == "M2" || cmd == "M5") {
    const int q = measure();
    if (q != kOk) return reply(fmt::format("{:05}", q));
    if (cmd == "M2")
      return reply(fmt::format("{:05},0,{:.4e},{:.4e},{:.4e}", q, last_XYZ_[0], last_XYZ_[1], last_XYZ_[2]));
    auto peak = std::max_element(last_.values.begin(), last_.values.end()) - last_.values.begin();
    double integrated = 0;
    for (double v : last_.values) integrated += v * last_.step_nm;
    return answer(fmt::format("{:05},0,{},{:.4e}\r\n", q, kStartNm + kStepNm * peak, integrated) + spectrum_lines());
  }
  if (cmd == "D5" && !last_.empty()) return answer(fmt::format("{:05},0\r\n", kOk) + spectrum_lines());
  if (cmd == "D2" && !last_.empty())
    return reply(fmt::format("{:05},0,{:.4e},{:.4e},{:.4e}", kOk, last_XYZ_[0], last_XYZ_[1], last_XYZ_[2]));
  reply(fmt::format("{:05}", -1000));  // a parsing error (MAN p.122: from -1000 on)
}

std::unique_ptr<Pr655Driver> make_emulated_pr655(VirtualDisplay& display, const std::string& options_tail,
                                                 Pr655Options driver_options, Pr655Emulator** emulator) {
  auto device = std::make_unique<Pr655Emulator>(
      display, parse_pr655_emulator_options(split_spec_options(options_tail, "--probe")));
  if (emulator) *emulator = device.get();
  return std::make_unique<Pr655Driver>(std::move(device), display.clock(), driver_options);
}

}  // namespace calkit
