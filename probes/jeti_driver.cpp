#include "probes/jeti_driver.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

#include "probes/jeti_protocol.hpp"

namespace calkit {

using namespace jeti;

namespace {

ProbeError protocol_error(const std::string& what) { return ProbeError(ProbeErrorKind::Protocol, "JETI: " + what); }

std::string without_enq(std::string s) {
  std::erase(s, kEnq);
  return s;
}

double parse_number(const std::string& token, const std::string& what) {
  char* end = nullptr;
  const double v = std::strtod(token.c_str(), &end);
  if (token.empty() || end != token.c_str() + token.size() || !std::isfinite(v))
    throw protocol_error(fmt::format("{}: '{}' is not a number", what, token));
  return v;
}

std::string model_of(const std::string& idn) {
  if (idn.find("SB1211") != std::string::npos) return "JETI specbos 1211";
  if (idn.find("SB1201") != std::string::npos || idn == "SB05") return "JETI specbos 1201";
  if (idn.find("SDCM3") != std::string::npos || idn.find("DCM3_JETI") != std::string::npos ||
      idn.find("1501") != std::string::npos)
    throw protocol_error("a spectraval 1501/1511 (" + idn + "): its 15x1 command set is not supported yet");
  throw protocol_error("not a JETI specbos (identifies as '" + idn + "')");
}

}  // namespace

JetiDriver::JetiDriver(std::unique_ptr<SerialTransport> transport, Clock& clock, JetiOptions options)
    : transport_(std::move(transport)), clock_(clock), options_(options) {}

int JetiDriver::error_code() {
  transport_->write(std::string_view("*stat:err?\r"));
  std::string line = without_enq(transport_->read_until("\r", 256, options_.reply_timeout_ms));
  std::size_t digits = line.find_first_of("-0123456789");
  if (digits == std::string::npos) throw protocol_error("unreadable error status '" + line + "'");
  return std::atoi(line.c_str() + digits);
}

void JetiDriver::fail(const std::string& cmd, int code) {
  if (code == kErrorOverexposed) throw ProbeError(ProbeErrorKind::Saturated, "JETI: overexposed (too bright) at the shortest exposure");
  if (code == kErrorUnderexposed) throw ProbeError(ProbeErrorKind::TooDark, "JETI: underexposed (too dark) at the longest exposure");
  throw protocol_error(fmt::format("{} refused with error {}", cmd, code));
}

std::string JetiDriver::query(const std::string& cmd) {
  transport_->write(std::string_view(cmd + "\r"));
  std::string line = without_enq(transport_->read_until(std::string("\r") + kNak, 4096, options_.reply_timeout_ms));
  if (line.back() == kNak) fail(cmd, error_code());
  line.pop_back();
  return line;
}

void JetiDriver::set(const std::string& cmd) {
  transport_->write(std::string_view(cmd + "\r"));
  std::string r = without_enq(transport_->read_until(std::string() + kAck + kNak, 64, options_.reply_timeout_ms));
  if (r.back() == kNak) fail(cmd, error_code());
}

void JetiDriver::open() {
  if (open_) return;
  std::string idn;
  for (int baud : kBauds) {  // Argyll's order: fastest first
    transport_->set_baud(baud);
    transport_->discard_input();
    try {
      transport_->write(std::string_view("*idn?\r"));
      idn = without_enq(transport_->read_until("\r", 128, options_.baud_probe_timeout_ms));
      idn.pop_back();
      baud_ = baud;
      break;
    } catch (const ProbeError& e) {
      if (e.kind() != ProbeErrorKind::Timeout) throw;
    }
  }
  if (!baud_) throw ProbeError(ProbeErrorKind::NotFound, "JETI: no answer to *idn? at 921600, 115200 or 38400 baud");
  identity_.model = model_of(idn);
  identity_.serial = query("*para:spnum?");
  if (std::size_t colon = identity_.serial.find(':'); colon != std::string::npos) identity_.serial.erase(0, colon + 1);
  while (!identity_.serial.empty() && identity_.serial.front() == ' ') identity_.serial.erase(0, 1);
  identity_.firmware = query("*vers?");
  set("*conf:default");
  set("*para:calibn 0");
  set("*para:expo 1");  // auto-exposure
  set(fmt::format("*conf:maxtin {}", options_.max_integration_ms));
  set("*conf:func 6");  // radiometric
  set("*conf:form 4");
  set(fmt::format("*conf:wran {} {} {}", kStartNm, kEndNm, kStepNm));
  set("*conf:aver 1");
  open_ = true;
}

void JetiDriver::check_open() const {
  if (!open_) throw protocol_error("the probe is not open");
}

ProbeCapabilities JetiDriver::capabilities() const {
  ProbeCapabilities caps;
  caps.spectral = true;
  return caps;
}

Spectrum JetiDriver::fetch_spectrum() {
  const int n = (kEndNm - kStartNm) / kStepNm + 1;
  for (int attempt = 1;; ++attempt) {
    try {
      transport_->write(std::string_view("*fetch:sprad\r"));
      Spectrum s{kStartNm, kStepNm, {}};
      const std::string ends = std::string("\r") + kNak;
      for (int i = 0; i < n + 2; ++i) {
        std::string token = without_enq(transport_->read_until(ends, 256, options_.reply_timeout_ms));
        if (token.back() == kNak) fail("*fetch:sprad", error_code());
        token.pop_back();
        if (i >= 2) s.values.push_back(parse_number(token, "spectral value"));  // two header tokens
      }
      return s;
    } catch (const ProbeError& e) {
      // An overrun loses bytes: values run together or the reply comes up short. Ask again.
      if ((e.kind() != ProbeErrorKind::Protocol && e.kind() != ProbeErrorKind::Timeout) ||
          attempt >= options_.spectrum_retries)
        throw;
      transport_->discard_input();
    }
  }
}

ProbeReading JetiDriver::read() {
  check_open();
  const double t0 = clock_.now_s();
  transport_->write(std::string_view("*init\r"));
  std::string ack = without_enq(transport_->read_until(std::string() + kAck + kNak, 64, options_.reply_timeout_ms));
  if (ack.back() == kNak) fail("*init", error_code());
  std::string done = without_enq(transport_->read_until(std::string() + kBel + kNak, 64,
                                                        options_.max_integration_ms * 2 + 10000));
  if (done.back() == kNak) fail("*init", error_code());
  ProbeReading reading;
  reading.spectrum = fetch_spectrum();
  const Spectrum& s = reading.spectrum;
  reading.XYZ = XYZ_from_spectrum(s.values, s.start_nm, s.step_nm, options_.observer);  // CIE 15:2004 eq. 7.1-7.3
  luminance_ = XYZ_from_spectrum(s.values, s.start_nm, s.step_nm)[1];
  reading.integration_s = clock_.now_s() - t0;
  reading.valid = true;
  return reading;
}

Vec3 JetiDriver::device_XYZ() {
  check_open();
  std::string line = query("*fetch:XYZ");  // " X: %lf Y: %lf Z: %lf"
  Vec3 out;
  const char* keys[3] = {"X:", "Y:", "Z:"};
  for (int c = 0; c < 3; ++c) {
    std::size_t at = line.find(keys[c]);
    if (at == std::string::npos) throw protocol_error("unreadable XYZ reply '" + line + "'");
    char* end = nullptr;
    out[c] = std::strtod(line.c_str() + at + 2, &end);
  }
  return out;
}

JetiOptions jeti_options(const std::vector<SpecOption>& options) {
  JetiOptions o;
  for (const SpecOption& option : options)
    if (option.key == "observer") o.observer = observer_named(option.value, "--probe observer");
  return o;
}

std::unique_ptr<Probe> make_jeti_probe(ProbeWire wire, Clock& clock, const std::vector<SpecOption>& options) {
  return std::make_unique<JetiDriver>(take_wire<SerialTransport>(wire, "jeti"), clock, jeti_options(options));
}

}  // namespace calkit
