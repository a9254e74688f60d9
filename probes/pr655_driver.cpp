#include "probes/pr655_driver.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "probes/pr655_protocol.hpp"
#include "probes/spectral_reading.hpp"

namespace calkit {

using namespace pr655;

namespace {

ProbeError protocol_error(const std::string& what) { return ProbeError(ProbeErrorKind::Protocol, "PR-655: " + what); }

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string f; std::getline(in, f, ',');) out.push_back(f);
  return out;
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(0, 1);
  return s;
}

double number(const std::string& token, const std::string& what) {
  char* end = nullptr;
  const double v = std::strtod(token.c_str(), &end);
  while (end && *end == ' ') ++end;
  if (token.empty() || !end || *end != '\0' || !std::isfinite(v))
    throw protocol_error(fmt::format("{}: '{}' is not a number", what, token));
  return v;
}

}  // namespace

Pr655Driver::Pr655Driver(std::unique_ptr<SerialTransport> transport, Clock& clock, Pr655Options options)
    : transport_(std::move(transport)), clock_(clock), options_(options) {}

void Pr655Driver::send(const std::string& text) {
  for (char c : text) {
    transport_->write(std::string_view(&c, 1));
    clock_.sleep_s(kCharacterPauseS);
  }
}

std::string Pr655Driver::line(int timeout_ms) {
  std::string s;
  do {  // replies end in CR LF; skip the empty remainder of a CR LF pair
    s = transport_->read_until("\n", 4096, timeout_ms);
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  } while (s.empty());
  return s;
}

std::string Pr655Driver::query(const std::string& cmd, int timeout_ms) {
  transport_->discard_input();
  send(cmd + "\r");
  return line(timeout_ms);
}

// "00000,PR-655": the status must be all zeros (4 or 5 digits); the value is what follows it.
std::string Pr655Driver::field_after_status(const std::string& cmd) {
  const std::string reply = query(cmd, kReplyTimeoutMs);
  const std::size_t comma = reply.find(',');
  const std::string status = trimmed(reply.substr(0, comma));
  if (status.empty() || status.find_first_not_of('0') != std::string::npos || comma == std::string::npos)
    throw protocol_error(fmt::format("{} answered '{}'", cmd, reply));
  return trimmed(reply.substr(comma + 1));
}

// A measurement reply "status,units,...": the codes of the manual, and the other readings of
// them that independent drivers make (pr655_protocol.hpp), become ProbeErrors.
std::vector<std::string> Pr655Driver::fields_checked(const std::string& cmd, const std::string& reply) {
  std::vector<std::string> f = split(reply);
  const int code = static_cast<int>(number(f.empty() ? "" : trimmed(f[0]), cmd + " status code"));
  switch (code) {
    case kOk:
    case kLightLowPr650:
      quality_ = code;
      return f;
    case kWeakLight:
    case kTooDarkPr650:
    case kAdaptiveTimeout:
      throw ProbeError(ProbeErrorKind::TooDark, fmt::format("PR-655: too dark to measure (code {})", code));
    case kNotConstant:
      throw ProbeError(ProbeErrorKind::TooDark,
                       "PR-655: weak or unsteady light (code -1: the manual's \"light source not constant\", "
                       "\"low light\" to older drivers)");
    case kOverload:
      throw ProbeError(ProbeErrorKind::Saturated, "PR-655: light overload (too bright, code -2)");
    case kCannotSync:
    case kSyncError:
    case kCannotAutoSync:
      throw protocol_error(fmt::format("cannot synchronise to the display (code {}); try without sync", code));
    default:
      throw protocol_error(fmt::format("{} failed with code {}", cmd, code));
  }
}

void Pr655Driver::open() {
  if (open_) return;
  transport_->set_baud(kBaud);
  transport_->discard_input();
  send(kRemoteCommand);
  // " REMOTE MODE", with or without a line end after it: read until the text is there.
  std::string hello;
  const double deadline = clock_.now_s() + kRemoteTimeoutMs / 1000.0;
  while (hello.find(kRemoteReply) == std::string::npos) {
    const int left = static_cast<int>(std::ceil((deadline - clock_.now_s()) * 1000));
    if (left <= 0 || hello.size() > 256) throw protocol_error("no remote-mode answer to PHOTO (got '" + hello + "')");
    hello += transport_->read_exact(1, left);
  }
  std::string model = field_after_status("D111");
  if (model.find("PR-6") == std::string::npos) throw protocol_error("not a Photo Research PR-6xx ('" + model + "')");
  identity_.model = "Photo Research " + model.substr(model.find("PR-6"));
  identity_.serial = field_after_status("D110");
  identity_.firmware.clear();
  open_ = true;
}

void Pr655Driver::close() {
  if (open_) {
    try {
      send("Q\r");  // back to local mode; there is no reply
    } catch (const ProbeError&) {
      // already gone: nothing to leave
    }
  }
  open_ = false;
}

void Pr655Driver::check_open() const {
  if (!open_) throw protocol_error("the probe is not open");
}

ProbeCapabilities Pr655Driver::capabilities() const {
  ProbeCapabilities caps;
  caps.spectral = true;
  return caps;
}

ProbeReading Pr655Driver::read() {
  check_open();
  const double t0 = clock_.now_s();
  fields_checked("M5", query("M5", kMeasureTimeoutMs));  // status,units,peak nm,integrated
  std::vector<double> nm, values;
  while (values.empty() || nm.back() < kEndNm) {
    std::vector<std::string> f = split(line(kReplyTimeoutMs));
    if (f.size() != 2) throw protocol_error("spectrum line is not 'nm,value'");
    nm.push_back(number(trimmed(f[0]), "wavelength"));
    values.push_back(number(trimmed(f[1]), "spectral radiance"));
    if (nm.size() > 1000) throw protocol_error("the spectrum does not end at 780 nm");
  }
  if (nm.size() < 3) throw protocol_error("a spectrum of fewer than 3 lines");
  const double step = nm[1] - nm[0];
  for (std::size_t i = 1; i < nm.size(); ++i)
    if (std::fabs(nm[i] - nm[i - 1] - step) > 1e-6 || step <= 0)
      throw protocol_error("the spectrum's wavelengths are not evenly spaced");
  ProbeReading reading = reading_from_spectrum({nm[0], step, values}, options_.observer);
  luminance_ = XYZ_from_spectrum(values, nm[0], step)[1];
  reading.integration_s = clock_.now_s() - t0;
  return reading;
}

Vec3 Pr655Driver::measure_XYZ() {
  check_open();
  std::vector<std::string> f = fields_checked("M2", query("M2", kMeasureTimeoutMs));  // status,units,X,Y,Z
  if (f.size() < 5) throw protocol_error("M2 reply has no X,Y,Z");
  return {number(trimmed(f[2]), "X"), number(trimmed(f[3]), "Y"), number(trimmed(f[4]), "Z")};
}

Pr655Options pr655_options(const std::vector<SpecOption>& options) {
  Pr655Options o;
  for (const SpecOption& option : options)
    if (option.key == "observer") o.observer = observer_named(option.value, "--probe observer");
  return o;
}

std::unique_ptr<Probe> make_pr655_probe(ProbeWire wire, Clock& clock, const std::vector<SpecOption>& options) {
  return std::make_unique<Pr655Driver>(take_wire<SerialTransport>(wire, "pr655"), clock, pr655_options(options));
}

}  // namespace calkit
