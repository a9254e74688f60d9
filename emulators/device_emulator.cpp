#include "emulators/device_emulator.hpp"

#include <fmt/format.h>

#include <cmath>

#include "color/observer.hpp"
#include "core/device_spec.hpp"
#include "core/error.hpp"
#include "sim/display_model.hpp"

namespace calkit {

DeviceFaults parse_emulator_options(const std::string& device, const std::vector<SpecOption>& options,
                                    const std::function<bool(const SpecOption&)>& extra, const std::string& usage) {
  DeviceFaults f;
  for (const SpecOption& o : options) {
    if (o.key == "disconnect-after")
      f.disconnect_after_commands = spec_int(o, 0, 1 << 30);
    else if (o.key == "mute-after")
      f.mute_after_commands = spec_int(o, 0, 1 << 30);
    else if (o.key == "garble-after")
      f.garble_after_commands = spec_int(o, 0, 1 << 30);
    else if (o.key == "busy")
      f.busy = spec_flag(o);
    else if (o.key == "permission")
      f.permission_denied = spec_flag(o);
    else if (!extra || !extra(o))
      bad_spec_option(o, fmt::format("unknown {} option (known: disconnect-after=N, mute-after=N, garble-after=N, "
                                     "busy, permission{}{})",
                                     device, usage.empty() ? "" : ", ", usage));
  }
  return f;
}

void throw_open_fault(const DeviceFaults& faults, const std::string& path) {
  if (faults.permission_denied) throw permission_error(path);
  if (faults.busy)
    throw ProbeError(ProbeErrorKind::Busy, path + " is busy: another program holds it open (close it and retry)");
}

FaultSchedule::Action FaultSchedule::next_command() {
  if (disconnected_) return Action::Disconnect;
  const auto n = static_cast<int>(commands_++);
  if (faults_.disconnect_after_commands >= 0 && n >= faults_.disconnect_after_commands) {
    disconnected_ = true;
    return Action::Disconnect;
  }
  if (n == faults_.mute_after_commands) return Action::Mute;
  if (n == faults_.garble_after_commands) return Action::Garble;
  return Action::Answer;
}

// ---- SerialDeviceEmulator ----------------------------------------------------------------------

SerialDeviceEmulator::SerialDeviceEmulator(std::string path, const DeviceFaults& faults, Clock& clock, int device_baud)
    : clock_(clock), path_(std::move(path)), schedule_(faults), device_baud_(device_baud), baud_(device_baud) {
  throw_open_fault(faults, path_);
}

void SerialDeviceEmulator::set_baud(int baud) {
  if (schedule_.disconnected()) throw ProbeError(ProbeErrorKind::Disconnected, path_ + ": device disconnected");
  baud_ = baud;
}

void SerialDeviceEmulator::write(std::span<const std::uint8_t> bytes) {
  if (schedule_.disconnected()) throw ProbeError(ProbeErrorKind::Disconnected, path_ + ": device disconnected");
  if (baud_ != device_baud_) return;  // framing errors: the device sees noise and stays silent
  input_.append(bytes.begin(), bytes.end());
  consume(input_);
}

bool SerialDeviceEmulator::begin_command() {
  pending_ = schedule_.next_command();
  return pending_ == FaultSchedule::Action::Answer || pending_ == FaultSchedule::Action::Garble;
}

void SerialDeviceEmulator::answer(std::string bytes) {
  if (schedule_.disconnected()) {  // unplugged while sending: half a reply, then nothing
    output_ += bytes.substr(0, bytes.size() / 2);
    return;
  }
  if (pending_ == FaultSchedule::Action::Garble)  // line noise over the echo/header and the middle
    for (std::size_t i : {std::size_t{0}, std::size_t{1}, bytes.size() / 2, bytes.size() / 2 + 1})
      if (i < bytes.size()) bytes[i] = static_cast<char>(bytes[i] ^ 0x5A);
  pending_ = FaultSchedule::Action::Answer;
  output_ += bytes;
}

std::string SerialDeviceEmulator::take(std::size_t n) {
  std::string s = output_.substr(0, n);
  output_.erase(0, n);
  return s;
}

void SerialDeviceEmulator::run_dry(int timeout_ms, std::size_t have) {
  if (schedule_.disconnected())
    throw ProbeError(ProbeErrorKind::Disconnected, path_ + ": device disconnected in the middle of a read");
  clock_.sleep_s(timeout_ms / 1000.0);
  output_.clear();
  throw ProbeError(ProbeErrorKind::Timeout,
                   fmt::format("{}: no complete reply within {} ms (got {} bytes)", path_, timeout_ms, have));
}

std::string SerialDeviceEmulator::read_until(std::string_view terminators, std::size_t max_length, int timeout_ms) {
  for (;;) {
    std::size_t end = output_.find_first_of(terminators);
    if (end != std::string::npos && end < max_length) return take(end + 1);
    if (output_.size() >= max_length) return take(max_length);
    if (!produce_more()) run_dry(timeout_ms, output_.size());
  }
}

std::string SerialDeviceEmulator::read_exact(std::size_t count, int timeout_ms) {
  while (output_.size() < count)
    if (!produce_more()) run_dry(timeout_ms, output_.size());
  return take(count);
}

// ---- FilterSensor ------------------------------------------------------------------------------

FilterSensor::FilterSensor(Vec3 shift_nm, double leak) : shift_(shift_nm), leak_(leak) {}

Vec3 FilterSensor::response(const Spectrum& s) const {
  Vec3 r = Vec3::Zero();
  for (std::size_t i = 0; i < s.values.size(); ++i) {
    const double nm = s.start_nm + s.step_nm * static_cast<double>(i);
    const Vec3 x = cmf(nm - shift_[0]), y = cmf(nm - shift_[1]), z = cmf(nm - shift_[2]);
    r += s.values[i] * s.step_nm * Vec3(x[0] + leak_ * y[1], y[1], z[2]);
  }
  return r;
}

Mat3 FilterSensor::response_per_XYZ(const std::string& technology) const {
  DisplayModel model;
  model.technology = technology;
  DisplaySpectralModel spectra(model);
  Mat3 per_band, weights;
  for (int k = 0; k < 3; ++k) {
    per_band.col(k) = response(spectra.bands()[k]);
    weights.col(k) = spectra.weights_of(Vec3::Unit(k));
  }
  return per_band * weights;
}

Mat3 FilterSensor::matrix_for(const std::string& technology) const { return response_per_XYZ(technology).inverse(); }

}  // namespace calkit
