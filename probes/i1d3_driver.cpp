#include "probes/i1d3_driver.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

#include "color/colorimetry.hpp"
#include "color/observer.hpp"
#include "core/error.hpp"
#include "probes/i1d3_protocol.hpp"

namespace calkit {

using namespace i1d3;

namespace {

constexpr double kSensorStepNm = 1.0;

// Linear interpolation of a spectrum at nm; zero outside its range.
double value_at(const Spectrum& s, double nm) {
  double x = (nm - s.start_nm) / s.step_nm;
  if (x < 0 || x > static_cast<double>(s.values.size() - 1)) return 0;
  auto i = static_cast<std::size_t>(x);
  if (i + 1 >= s.values.size()) return s.values.back();
  double f = x - static_cast<double>(i);
  return s.values[i] * (1 - f) + s.values[i + 1] * f;
}

std::string ascii_at(const Bytes& b, std::size_t at, std::size_t max) {
  std::string s;
  for (std::size_t i = at; i < b.size() && i < at + max && b[i] >= 0x20 && b[i] < 0x7F; ++i)
    s += static_cast<char>(b[i]);
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

ProbeError protocol_error(const std::string& what) { return ProbeError(ProbeErrorKind::Protocol, "i1d3: " + what); }

}  // namespace

Mat3 i1d3_matrix_from_spectra(const std::array<std::vector<double>, 3>& sensors, const std::vector<Spectrum>& samples) {
  if (samples.size() < 3) throw protocol_error("a display-type calibration needs at least 3 spectra");
  const auto n = static_cast<Eigen::Index>(samples.size());
  Eigen::MatrixXd rgb(3, n), xyz(3, n);
  for (Eigen::Index k = 0; k < n; ++k) {
    const Spectrum& s = samples[static_cast<std::size_t>(k)];
    for (int c = 0; c < 3; ++c) {
      double sum = 0;
      for (std::size_t i = 0; i < sensors[c].size(); ++i)
        sum += sensors[c][i] * value_at(s, kSensorStartNm + static_cast<double>(i) * kSensorStepNm) * kSensorStepNm;
      rgb(c, k) = sum;
    }
    xyz.col(k) = XYZ_from_spectrum(s.values, s.start_nm, s.step_nm);  // CIE 15:2004 eq. 7.1-7.3
  }
  // Spectra that do not span three colours (all alike, or dark) give no matrix, not a NaN one.
  if (Eigen::FullPivLU<Mat3>(rgb * rgb.transpose()).rank() < 3)
    throw InputError("the display spectra do not span three colours for the i1d3's sensors");
  if (n == 3) return xyz * rgb.inverse();
  return (xyz * rgb.transpose()) * (rgb * rgb.transpose()).inverse();
}

Mat3 i1d3_default_matrix(const std::array<std::vector<double>, 3>& sensors) {
  std::vector<Spectrum> samples;
  for (const std::vector<double>& s : sensors) samples.push_back({kSensorStartNm, kSensorStepNm, s});
  return i1d3_matrix_from_spectra(sensors, samples);
}

I1d3Driver::I1d3Driver(std::unique_ptr<HidTransport> transport, Clock& clock, I1d3Options options)
    : transport_(std::move(transport)), clock_(clock), options_(options) {}

Bytes I1d3Driver::command(std::uint16_t code, Bytes request, int timeout_ms) {
  if (is_write_command(code)) throw protocol_error("refusing to send an EEPROM-write command");  // never
  request.resize(kReportSize, 0);
  request[0] = static_cast<std::uint8_t>(code >> 8);
  if (request[0] == 0) request[1] = static_cast<std::uint8_t>(code & 0xFF);
  transport_->write_report(request);
  Bytes reply = transport_->read_report(timeout_ms);
  if (code == kPeriodMeasure && !reply.empty() && reply[0] == kStatusNoEdges) return reply;
  std::string problem;
  if (reply.size() < kReportSize)
    problem = fmt::format("short reply ({} bytes) to 0x{:04x}", reply.size(), code);
  else if (reply[0] != kStatusOk)
    problem = fmt::format("command 0x{:04x} failed with status 0x{:02x}", code, reply[0]);
  else if (reply_has_echo(code) && reply[1] != reply_echo(code))
    problem = fmt::format("reply to 0x{:04x} echoes 0x{:02x}, not 0x{:02x}", code, reply[1], reply_echo(code));
  if (problem.empty()) return reply;
  try {  // a reply out of step may have another behind it: drop it (A i1d3_command)
    transport_->read_report(200);
  } catch (const ProbeError& e) {
    if (e.kind() != ProbeErrorKind::Timeout) throw;
  }
  throw protocol_error(problem);
}

std::string I1d3Driver::text_reply(std::uint16_t code) { return ascii_at(command(code), 2, 62); }

void I1d3Driver::unlock() {
  auto is_unlocked = [&] {
    Bytes r = command(kLockStatus);
    return r[2] != 0 || r[3] == 0;
  };
  if (is_unlocked()) {
    key_name_ = "none (unlocked)";
    return;
  }
  for (const UnlockKey& key : unlock_keys()) {  // OEM variants differ only in the key
    Bytes challenge = command(kGetLockChallenge);
    auto response = unlock_response(challenge, key);
    Bytes reply = command(kSendLockResponse, Bytes(response.begin(), response.end()));
    if (reply[2] == kUnlockAccepted && is_unlocked()) {
      key_name_ = key.name;
      return;
    }
  }
  throw protocol_error(
      fmt::format("the probe rejected all {} known unlock keys: an OEM variant calkit does not know, or not an i1d3",
                  unlock_keys().size()));
}

Bytes I1d3Driver::read_internal_eeprom() {
  Bytes out;
  for (std::size_t addr = 0; addr < kInternalEepromSize; addr += 60) {
    std::size_t len = std::min<std::size_t>(60, kInternalEepromSize - addr);
    Bytes req(kReportSize, 0);
    req[1] = static_cast<std::uint8_t>(addr);
    req[2] = static_cast<std::uint8_t>(len);
    Bytes r = command(kReadInternalEeprom, req);
    out.insert(out.end(), r.begin() + 4, r.begin() + 4 + static_cast<long>(len));
  }
  return out;
}

Bytes I1d3Driver::read_external_eeprom(std::size_t length) {
  Bytes out;
  for (std::size_t addr = 0; addr < length; addr += 59) {
    std::size_t len = std::min<std::size_t>(59, length - addr);
    Bytes req(kReportSize, 0);
    req[1] = static_cast<std::uint8_t>(addr >> 8);  // big-endian address
    req[2] = static_cast<std::uint8_t>(addr);
    req[3] = static_cast<std::uint8_t>(len);
    Bytes r = command(kReadExternalEeprom, req);
    out.insert(out.end(), r.begin() + 5, r.begin() + 5 + static_cast<long>(len));
  }
  return out;
}

void I1d3Driver::decode_eeproms(const Bytes& internal, const Bytes& external) {
  identity_.serial = ascii_at(internal, kSerialOffset, kSerialLength);
  revision_ = ascii_at(internal, kRevisionOffset, kRevisionLength);
  const std::uint16_t stored = u16le(external, kChecksumOffset);
  if (stored == eeprom_checksum(external, kChecksumEndFull)) {
    checksum_status_ = fmt::format("matches 0x0004..0x{:04X}", kChecksumEndFull);
  } else if (checksum_must_match(revision_)) {
    throw protocol_error(fmt::format(
        "calibration EEPROM checksum mismatch on a revision {} unit (stored 0x{:04x}, computed 0x{:04x} over "
        "0x0004..0x{:04x}): the sensor data cannot be trusted; replug the probe and retry",
        revision_, stored, eeprom_checksum(external, kChecksumEndFull), kChecksumEndFull));
  } else if (stored == eeprom_checksum(external, kChecksumEndShort)) {
    checksum_status_ = fmt::format("matches 0x0004..0x{:04X}", kChecksumEndShort);
  } else {
    checksum_status_ = fmt::format("mismatch (ignored on revision {}, as ArgyllCMS does)", revision_);
  }
  for (int c = 0; c < 3; ++c) {
    sensors_.rgb[c].resize(kSensorBands);
    for (int i = 0; i < kSensorBands; ++i) sensors_.rgb[c][i] = f32le(external, kSensorOffset[c] + 4 * i);
  }
  sensors_.diffuser.resize(kSensorBands);
  for (int i = 0; i < kSensorBands; ++i) sensors_.diffuser[i] = f32le(external, kDiffuserOffset + 4 * i);
  for (int c = 0; c < 3; ++c)
    for (double v : sensors_.rgb[c])
      if (!std::isfinite(v)) throw protocol_error("sensor sensitivities in the EEPROM are not finite numbers");
}

void I1d3Driver::open() {
  if (open_) return;
  Bytes status = command(kGetStatus);
  if (status[2] == 0 && u16le(status, 3) < 5) throw protocol_error("the probe reports a bad status; replug it");
  const std::string name = text_reply(kProductName);
  const std::uint16_t type = u16le(command(kProductType), 3);
  const std::string version = text_reply(kFirmwareVersion);  // in this order on the wire
  identity_.firmware = version + " " + text_reply(kFirmwareDate);
  unlock();
  identity_.model = type == 2 || name.rfind("ColorMunki", 0) == 0 ? "ColorMunki Display" : "i1Display Pro";
  if (key_name_ != "i1display-pro" && key_name_ != "colormunki-display" && key_name_.rfind("none", 0) != 0)
    identity_.model += " (" + key_name_ + ")";
  // Internal, then external, as ArgyllCMS (i1d3_init_inst) does; named first, because the order
  // in which function arguments are evaluated is the compiler's.
  Bytes internal = read_internal_eeprom();
  Bytes external = read_external_eeprom(kChecksumEndFull + 1);
  decode_eeproms(internal, external);
  default_matrix_ = i1d3_default_matrix(sensors_.rgb);
  matrix_ = default_matrix_;
  std::array<std::vector<double>, 3> ambient = sensors_.rgb;  // diffuser-weighted curves
  for (auto& s : ambient)
    for (std::size_t i = 0; i < s.size(); ++i) s[i] *= sensors_.diffuser[i];
  ambient_matrix_ = i1d3_default_matrix(ambient);
  open_ = true;
  if (options_.refresh_sync) refresh_hz_ = detect_refresh_rate();
}

void I1d3Driver::close() {
  if (!open_) return;
  open_ = false;
  try {
    transport_->reset_device();  // or it may not open again (A i1d3_init_coms: reset before close)
  } catch (const ProbeError&) {
    // best effort: a probe that cannot be reset is closed all the same
  }
}

void I1d3Driver::check_open() const {
  if (!open_) throw ProbeError(ProbeErrorKind::Protocol, "i1d3: the probe is not open");
}

ProbeCapabilities I1d3Driver::capabilities() const {
  ProbeCapabilities caps;
  caps.ambient = true;
  caps.refresh_sync = identity_.model.rfind("ColorMunki", 0) != 0;  // the ColorMunki cannot sync
  return caps;
}

void I1d3Driver::set_display_spectra(const DisplaySpectra& ccss) {
  check_open();
  matrix_ = i1d3_matrix_from_spectra(sensors_.rgb, ccss.samples);
}

// Frequency mode: edges (both) counted over a gate of whole 12 MHz clocks, at most 20 s. The count
// starts with the gate, so it truncates: +0.5 makes the error ±0.5 edge (A i1d3_freq_measure),
// a 1-sigma of 1/√12 edge.
I1d3Driver::Rates I1d3Driver::frequency_measure(double seconds, double* actual_s) {
  const auto clocks = static_cast<std::uint32_t>(std::llround(std::min(seconds, 20.0) * kClockHz));
  Bytes req(kReportSize, 0);
  put_u32le(req, 1, clocks);
  Bytes r = command(kFreqMeasure, req, kMeasureTimeoutMs);
  const double t = clocks / kClockHz;
  if (actual_s) *actual_s += t;
  Rates rates;
  for (int c = 0; c < 3; ++c) {
    rates.hz[c] = 0.5 * (u32le(r, 2 + 4 * c) + 0.5) / t;
    rates.sigma[c] = 0.5 / (t * std::sqrt(12.0));
  }
  return rates;
}

// Period mode: the 12 MHz clocks each channel took for its edge count, all three channels
// always (mask 0x07): A and O disagree on which bit is which channel (i1d3_protocol.hpp).
std::optional<I1d3Driver::Rates> I1d3Driver::period_measure(const std::array<int, 3>& edges, double* actual_s) {
  Bytes req(kReportSize, 0);
  for (int c = 0; c < 3; ++c) put_u16le(req, 1 + 2 * c, static_cast<std::uint16_t>(edges[c]));
  req[7] = kPeriodMaskAll;
  Bytes r = command(kPeriodMeasure, req, kMeasureTimeoutMs);
  if (r[0] == kStatusNoEdges) return std::nullopt;
  Rates rates;
  double longest = 0;
  for (int c = 0; c < 3; ++c) {
    const std::uint32_t clocks = u32le(r, 2 + 4 * c);
    rates.hz[c] = clocks == 0 ? 0.0 : 0.5 * edges[c] * kClockHz / clocks;
    rates.sigma[c] = rates.hz[c] / (edges[c] * std::sqrt(12.0));  // ±0.5 edge of start phase
    longest = std::max(longest, clocks / kClockHz);
  }
  if (actual_s) *actual_s += longest;
  return rates;
}

double I1d3Driver::whole_periods(double seconds) const {
  return refresh_hz_ > 0 ? std::ceil(seconds * refresh_hz_) / refresh_hz_ : seconds;
}

// Channels with fewer than 200 edges in the gate, re-measured as ArgyllCMS does (A
// i1d3_take_emis_measurement): a 2-edge period pre-measure when the count is under 20 (10 on a
// ColorMunki), then a period measure over a time raised from the gate towards 200 edges along a
// square-root blend from gate/6 edges, at most 6 s, in whole refresh periods. With a refresh rate
// and at least 100 edges expected, a frequency gate over that time instead. No edges before the
// device's timeout: 10 s of frequency.
I1d3Driver::Rates I1d3Driver::dim_channels(const Rates& first, double gate, double* used) {
  const bool munki = identity_.model.rfind("ColorMunki", 0) == 0;
  std::array<bool, 3> low{};
  const double brightest_edges = 2 * first.hz.maxCoeff() * gate;
  for (int c = 0; c < 3; ++c) {
    const double edges = 2 * first.hz[c] * gate;
    // Our addition: beside a well-measured channel, one under 1e-4 of it adds less than that
    // one's quantisation (pure red leaves the blue sensor dark): not worth seconds of period mode.
    low[c] = edges < options_.min_edges &&
             !(brightest_edges >= options_.min_edges && first.hz[c] < 1e-4 * first.hz.maxCoeff());
  }
  if (!low[0] && !low[1] && !low[2]) return first;
  Rates rates = first;
  const auto no_edges = [&] {  // the device saw no edges before its timeout
    return frequency_measure(whole_periods(10.0), used);
  };
  bool pre = false;
  for (int c = 0; c < 3; ++c) pre = pre || (low[c] && 2 * first.hz[c] * gate < (munki ? 10 : 20));
  if (pre) {
    std::optional<Rates> trial = period_measure({2, 2, 2}, used);
    if (!trial) return no_edges();
    for (int c = 0; c < 3; ++c)
      if (low[c]) rates.hz[c] = trial->hz[c], rates.sigma[c] = trial->sigma[c];
  }
  double longest = gate;
  std::array<double, 3> target{gate, gate, gate};
  for (int c = 0; c < 3; ++c) {
    const double expected = 2 * rates.hz[c] * gate;  // edges in the gate
    if (!low[c] || rates.hz[c] <= 0 || expected >= options_.min_edges) continue;
    const double least = gate / 6;
    const double blend = std::sqrt(std::max(0.0, (expected - least) / (options_.min_edges - least)));
    const double edges = blend * (options_.min_edges - least) + least;
    target[c] = whole_periods(std::min(edges / (2 * rates.hz[c]), options_.max_period_s));
    longest = std::max(longest, target[c]);
  }
  std::array<int, 3> edges{2, 2, 2};
  int fewest = 65534;
  for (int c = 0; c < 3; ++c) {
    if (!low[c] || rates.hz[c] <= 0) continue;
    edges[c] = 2 * static_cast<int>(std::floor(std::clamp(2 * rates.hz[c] * longest, 2.0, 65534.0) / 2));
    fewest = std::min(fewest, edges[c]);
  }
  if (refresh_hz_ > 0 && fewest >= 100) {
    Rates again = frequency_measure(longest, used);
    for (int c = 0; c < 3; ++c)
      if (low[c]) rates.hz[c] = again.hz[c], rates.sigma[c] = again.sigma[c];
    return rates;
  }
  std::optional<Rates> fine = period_measure(edges, used);
  if (!fine) return no_edges();
  for (int c = 0; c < 3; ++c)
    if (low[c] && fine->hz[c] > 0) rates.hz[c] = fine->hz[c], rates.sigma[c] = fine->sigma[c];
  return rates;
}

Vec3 I1d3Driver::measure_frequencies(double* seconds, Vec3* sigma_hz) {
  check_open();
  double used = 0;
  // Whole refresh periods, so the flicker integrates out.
  const double gate = refresh_hz_ > 0 ? whole_periods(options_.refresh_integration_s) : options_.integration_s;
  Rates rates = dim_channels(frequency_measure(gate, &used), gate, &used);
  for (int c = 0; c < 3; ++c)
    if (rates.hz[c] > kSaturationHz)
      throw ProbeError(ProbeErrorKind::Saturated, fmt::format("i1d3: too bright ({:.0f} Hz on sensor {}, limit {:.0f})",
                                                              rates.hz[c], c, kSaturationHz));
  if (seconds) *seconds = used;
  if (sigma_hz) *sigma_hz = rates.sigma;
  return rates.hz;
}

void I1d3Driver::require_diffuser(int position) {
  const std::uint8_t at = command(kGetDiffuserPos)[1];
  if (at == position) return;
  if (position == kDiffuserDisplay)
    throw ProbeError(ProbeErrorKind::Protocol,
                     "i1d3: the ambient diffuser is over the sensor: swing it away to measure the display");
  throw ProbeError(ProbeErrorKind::Protocol, "i1d3: swing the ambient diffuser over the sensor for an ambient reading");
}

// XYZ = M·Hz; each channel's quantisation is independent: σ_i² = Σ_j M_ij² σ_j².
ProbeReading I1d3Driver::read() {
  check_open();
  require_diffuser(kDiffuserDisplay);  // A i1d3_take_XYZ_measurement refuses otherwise
  ProbeReading reading;
  Vec3 sigma;
  const Vec3 hz = measure_frequencies(&reading.integration_s, &sigma);
  reading.XYZ = matrix_ * hz;
  reading.uncertainty = (matrix_.cwiseAbs2() * sigma.cwiseAbs2()).cwiseSqrt();
  reading.valid = true;
  return reading;
}

bool I1d3Driver::diffuser_in_ambient_position() { return command(kGetDiffuserPos)[1] == kDiffuserAmbient; }

AmbientReading I1d3Driver::read_ambient() {
  check_open();
  require_diffuser(kDiffuserAmbient);
  const double saved = refresh_hz_;
  refresh_hz_ = 0;
  Vec3 hz = measure_frequencies();
  refresh_hz_ = saved;
  Vec3 XYZ = ambient_matrix_ * hz;  // irradiance through the diffuser: Y is illuminance in lux
  return {XYZ[1], xy_from_XYZ(XYZ)};
}

// Short, randomly timed frequency samples; the refresh rate is the strongest line of their
// periodogram (non-uniform sampling avoids aliasing), moved down to a sub-harmonic that is
// nearly as strong (a pulse-width-modulated backlight has strong harmonics).
double I1d3Driver::detect_refresh_rate() {
  check_open();
  constexpr int kSamples = 600;
  std::vector<double> t(kSamples), x(kSamples);
  std::uint32_t lcg = 12345;
  for (int i = 0; i < kSamples; ++i) {
    lcg = lcg * 1664525u + 1013904223u;
    const double gate = 0.0008 + 0.0032 * (lcg >> 8) / 16777216.0;  // 0.8..4 ms
    const double t0 = clock_.now_s();
    x[i] = frequency_measure(gate, nullptr).hz[1];
    t[i] = 0.5 * (t0 + clock_.now_s());
  }
  double mean = 0;
  for (double v : x) mean += v / kSamples;
  if (mean < 100) return 0;  // too dark to see a flicker
  auto power = [&](double f) {
    std::complex<double> sum = 0;
    for (int i = 0; i < kSamples; ++i) sum += (x[i] - mean) * std::polar(1.0, -2 * std::numbers::pi * f * t[i]);
    return std::norm(sum);
  };
  const double f_lo = 20, f_hi = 250, step = 0.05;
  std::vector<double> p;
  double total = 0, best = 0;
  std::size_t best_i = 0;
  for (double f = f_lo; f <= f_hi; f += step) {
    p.push_back(power(f));
    total += p.back();
    if (p.back() > best) best = p.back(), best_i = p.size() - 1;
  }
  if (best < 30 * total / static_cast<double>(p.size())) return 0;  // no line above the noise
  double f = f_lo + step * static_cast<double>(best_i);
  if (best_i > 0 && best_i + 1 < p.size()) {  // parabolic peak refinement
    double a = p[best_i - 1], b = p[best_i], c = p[best_i + 1];
    double d = a - 2 * b + c;
    if (d != 0) f += step * 0.5 * (a - c) / d;
  }
  for (int n = 4; n >= 2; --n)
    if (f / n >= f_lo && power(f / n) > 0.3 * best) return f / n;
  return f;
}

}  // namespace calkit

namespace calkit {
I1d3Options i1d3_options(const std::vector<SpecOption>& options) {
  I1d3Options o;
  for (const SpecOption& option : options)
    if (option.key == "sync") o.refresh_sync = spec_flag(option);
  return o;
}

std::unique_ptr<Probe> make_i1d3_probe(ProbeWire wire, Clock& clock, const std::vector<SpecOption>& options) {
  return std::make_unique<I1d3Driver>(take_wire<HidTransport>(wire, "i1d3"), clock, i1d3_options(options));
}
}  // namespace calkit
