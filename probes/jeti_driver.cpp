#include "probes/jeti_driver.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

#include "probes/jeti_protocol.hpp"
#include "probes/spectral_reading.hpp"

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
  while (end && (*end == ' ' || *end == '\t')) ++end;
  if (token.empty() || !end || *end != '\0' || !std::isfinite(v))
    throw protocol_error(fmt::format("{}: '{}' is not a number", what, token));
  return v;
}

// The number after the last ':' ("Predefined start wave:\t350", "mhead: 0"), or the whole line.
double value_after_colon(const std::string& line, const std::string& what) {
  std::string v = line.substr(line.rfind(':') == std::string::npos ? 0 : line.rfind(':') + 1);
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.erase(0, 1);
  return parse_number(v, what);
}

int model_of(const std::string& idn) {
  if (idn.rfind("SB05", 0) == 0) return 1201;
  if (idn.find("SDCM3") != std::string::npos || idn.find("DCM3_JETI") != std::string::npos ||
      idn.find("JETI_1501") != std::string::npos)
    throw protocol_error("a spectraval 1501/1511 (" + idn + "): its 15x1 command set is not supported yet");
  int model = 0;
  if (idn.size() >= 11 && std::sscanf(idn.c_str(), "JETI_SB%d", &model) == 1 && (model == 1201 || model == 1211))
    return model;
  throw protocol_error("not a JETI specbos 1201/1211 (identifies as '" + idn + "')");
}

}  // namespace

JetiDriver::JetiDriver(std::unique_ptr<SerialTransport> transport, Clock& clock, JetiOptions options)
    : transport_(std::move(transport)), clock_(clock), options_(options) {}

std::string JetiDriver::send(const std::string& cmd) {
  transport_->discard_input();  // what an earlier reply left (A flushes before every command)
  transport_->write(std::string_view(cmd + "\r"));
  return cmd;
}

// One reply up to a terminator, ENQs dropped; a NAK becomes the error it stands for.
std::string JetiDriver::reply(const std::string& cmd, const std::string& terminators, int timeout_ms) {
  std::string r = without_enq(transport_->read_until(terminators + kNak, 8192, timeout_ms));
  if (r.back() == kNak) fail(cmd, error_code());
  r.pop_back();
  return r;
}

int JetiDriver::error_code() {
  send("*stat:err?");
  std::string line = without_enq(transport_->read_until("\r", 256, kReplyTimeoutMs));
  std::size_t digits = line.find_first_of("-0123456789");
  if (digits == std::string::npos) throw protocol_error("unreadable error status '" + line + "'");
  return std::atoi(line.c_str() + digits);
}

void JetiDriver::fail(const std::string& cmd, int code) {
  last_error_ = code;
  if (code == kErrorOverexposed)
    throw ProbeError(ProbeErrorKind::Saturated, "JETI: overexposed (too bright) at the shortest exposure");
  if (code == kErrorUnderexposed)
    throw ProbeError(ProbeErrorKind::TooDark, "JETI: underexposed (too dark) at the longest exposure");
  if (code == kErrorAdaptiveIntegration)
    throw ProbeError(ProbeErrorKind::TooDark,
                     "JETI: the adaptive integration time failed (error 123): too dark or unsteady");
  throw protocol_error(fmt::format("{} refused with error {}", cmd, code));
}

std::string JetiDriver::query(const std::string& cmd) { return reply(send(cmd), "\r", kReplyTimeoutMs); }

void JetiDriver::set(const std::string& cmd) { reply(send(cmd), std::string(1, kAck), kReplyTimeoutMs); }

double JetiDriver::wavelength(const std::string& cmd) { return value_after_colon(query(cmd), cmd); }

void JetiDriver::set_range(int start_nm, int end_nm) {
  set(fmt::format("*conf:wran {} {} {}", start_nm, end_nm, kStepNm));
  start_nm_ = start_nm;
  end_nm_ = end_nm;
}

void JetiDriver::open() {
  if (open_) return;
  std::string idn;
  for (int baud : kBauds) {  // ArgyllCMS's order: fastest first
    transport_->set_baud(baud);
    try {
      send("*idn?");
      idn = without_enq(transport_->read_until("\r", 128, kIdentifyTimeoutMs));
      idn.pop_back();
      baud_ = baud;
      break;
    } catch (const ProbeError& e) {
      if (e.kind() != ProbeErrorKind::Timeout) throw;
    }
  }
  if (!baud_) throw ProbeError(ProbeErrorKind::NotFound, "JETI: no answer to *idn? at 921600, 115200 or 38400 baud");
  model_ = model_of(idn);
  identity_.model = fmt::format("JETI specbos {}", model_);
  identity_.serial = query("*para:spnum?");
  if (std::size_t colon = identity_.serial.find(':'); colon != std::string::npos) identity_.serial.erase(0, colon + 1);
  while (!identity_.serial.empty() && (identity_.serial.front() == ' ' || identity_.serial.front() == '\t'))
    identity_.serial.erase(0, 1);
  set("*conf:default");
  set("*para:calibn 0");
  set("*para:expo 1");  // auto-exposure
  const int maxtin = model_ == 1201 ? kMaxIntegrationMs1201 : kMaxIntegrationMs1211;
  try {
    set(fmt::format("*conf:maxtin {}", maxtin));
  } catch (const ProbeError& e) {
    if (model_ != 1201 || e.kind() != ProbeErrorKind::Protocol) throw;  // old 1201 firmware lacks it
  }
  set("*conf:func 6");  // radiometric
  set("*conf:form 4");  // ASCII
  const double begin = wavelength("*para:wavbeg?");
  const double end = std::min(wavelength("*para:wavend?"), kLongestEndNm);
  if (!(begin >= 200 && end > begin + 10)) throw protocol_error(fmt::format("implausible range {}..{} nm", begin, end));
  set_range(static_cast<int>(std::lround(begin)), static_cast<int>(std::lround(end)));
  set("*conf:aver 1");
  identity_.firmware = query("*vers?");
  fell_back_ = false;
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

// *init and its BEL; after error 141 once, the range cut to 380..780 nm and again.
void JetiDriver::measure() {
  const int timeout = model_ == 1201 ? kMeasureTimeoutMs1201 : kMeasureTimeoutMs1211;
  last_error_ = 0;
  try {
    reply(send("*init"), std::string(1, kBel), timeout);  // ACK on accept, BEL when done
  } catch (const ProbeError&) {
    if (fell_back_ || last_error_ != kErrorExceedsCalWavelength) throw;
    fell_back_ = true;
    set_range(std::max(start_nm_, kFallbackStartNm), std::min(end_nm_, kFallbackEndNm));
    reply(send("*init"), std::string(1, kBel), timeout);
  }
}

Spectrum JetiDriver::fetch_spectrum() {
  const int n = (end_nm_ - start_nm_) / kStepNm + 1;
  for (int attempt = 1;; ++attempt) {
    try {
      send("*fetch:sprad");
      Spectrum s{static_cast<double>(start_nm_), static_cast<double>(kStepNm), {}};
      for (int i = 0; i < n + 2; ++i) {
        std::string token = reply("*fetch:sprad", "\r", kSpectrumTimeoutMs);
        if (i >= 2) s.values.push_back(parse_number(token, "spectral value"));  // two header lines
      }
      return s;  // the one more terminator that follows goes with the next flush
    } catch (const ProbeError& e) {
      // An overrun loses bytes: values run together or the reply comes up short. Ask again.
      if ((e.kind() != ProbeErrorKind::Protocol && e.kind() != ProbeErrorKind::Timeout) || attempt >= kSpectrumTries)
        throw;
    }
  }
}

ProbeReading JetiDriver::read() {
  check_open();
  const double t0 = clock_.now_s();
  const double head = value_after_colon(query("*contr:mhead?"), "*contr:mhead?");
  if (head != 0)
    throw ProbeError(
        ProbeErrorKind::Protocol,
        "JETI: the ambient measuring head is in place: turn it to the emissive position to read a display");
  set("*contr:laser 0");  // the target laser off
  set("*conf:aver 1");
  measure();
  ProbeReading reading = reading_from_spectrum(fetch_spectrum(), options_.observer);
  const Spectrum& s = reading.spectrum;
  luminance_ = XYZ_from_spectrum(s.values, s.start_nm, s.step_nm)[1];
  reading.integration_s = clock_.now_s() - t0;
  return reading;
}

// Three lines, " X: …", "Y: …", "Z: …"; a reply with all three on one line is read too.
Vec3 JetiDriver::device_XYZ() {
  check_open();
  std::string text = query("*fetch:XYZ");
  const char* keys[3] = {"X:", "Y:", "Z:"};
  for (int line = 1; line < 3 && text.find(keys[2]) == std::string::npos; ++line)
    text += " " + reply("*fetch:XYZ", "\r", kReplyTimeoutMs);
  Vec3 out;
  for (int c = 0; c < 3; ++c) {
    std::size_t at = text.find(keys[c]);
    if (at == std::string::npos) throw protocol_error("unreadable XYZ reply '" + text + "'");
    char* end = nullptr;
    out[c] = std::strtod(text.c_str() + at + 2, &end);
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
