#pragma once
// Photo Research PR-655 / PR-670 spectroradiometer over USB CDC-ACM serial (wire facts:
// probes/pr655_protocol.hpp, cited to Photo Research's manual and independent drivers). open():
// "PHOTO" remote mode, model (D111) and serial (D110). read(): "M5" measures and returns the
// spectrum; XYZ (CIE 1931 2°, or 1964 10° when asked) is integrated host-side. close() leaves
// remote mode ("Q") so the instrument's keypad works again.
#include <memory>
#include <string>

#include "color/observer.hpp"
#include "core/clock.hpp"
#include "core/device_spec.hpp"
#include "probes/probe.hpp"
#include "probes/transport/transport.hpp"

namespace calkit {

struct Pr655Options {
  Observer observer = Observer::Cie1931_2deg;
};

class Pr655Driver : public Probe {
 public:
  Pr655Driver(std::unique_ptr<SerialTransport> transport, Clock& clock, Pr655Options options = {});

  void open() override;
  void close() override;
  ProbeIdentity identity() const override { return identity_; }
  ProbeCapabilities capabilities() const override;
  ProbeReading read() override;

  double last_luminance() const { return luminance_; }  // cd/m², CIE 1931 ȳ
  int last_quality() const { return quality_; }         // 0, or 18 (light low, PR-650 style)
  Vec3 measure_XYZ();                                   // "M2": the instrument's own XYZ (CIE 1931 2°)

 private:
  void send(const std::string& text);  // one character at a time
  std::string line(int timeout_ms);    // one reply line without CR/LF
  std::string query(const std::string& cmd, int timeout_ms);
  std::string field_after_status(const std::string& cmd);  // D110/D111: "00000,<value>"
  std::vector<std::string> fields_checked(const std::string& cmd, const std::string& reply);
  void check_open() const;

  std::unique_ptr<SerialTransport> transport_;
  Clock& clock_;
  Pr655Options options_;
  bool open_ = false;
  ProbeIdentity identity_;
  double luminance_ = 0;
  int quality_ = 0;
};

// The driver's own --probe options: observer=1931|1964.
Pr655Options pr655_options(const std::vector<SpecOption>& options);
// The probe-table row's driver (probe_table.cpp) on an open wire.
std::unique_ptr<Probe> make_pr655_probe(ProbeWire wire, Clock& clock, const std::vector<SpecOption>& options);

}  // namespace calkit
