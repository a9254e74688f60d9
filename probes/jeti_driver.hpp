#pragma once
// JETI specbos 1201/1211 spectroradiometer over its FTDI serial port (probes.md §4a). open():
// find the baud rate (921600, 115200, 38400), identify, configure radiometric 380..780 nm at 1 nm
// with auto-exposure. read(): "*init", wait for BEL, fetch the spectral radiance and integrate
// XYZ (CIE 1931 2°, or 1964 10° when asked) host-side; the luminance comes with it.
#include <memory>
#include <string>

#include "color/observer.hpp"
#include "core/device_spec.hpp"
#include "probes/probe.hpp"
#include "probes/transport/transport.hpp"
#include "core/clock.hpp"

namespace calkit {

struct JetiOptions {
  Observer observer = Observer::Cie1931_2deg;
  int max_integration_ms = 5000;  // auto-exposure limit (*conf:maxtin)
  int reply_timeout_ms = 2000;
  int baud_probe_timeout_ms = 400;
  int spectrum_retries = 5;  // the FT232R can overrun on long replies
};

class JetiDriver : public Probe {
 public:
  JetiDriver(std::unique_ptr<SerialTransport> transport, Clock& clock, JetiOptions options = {});

  void open() override;
  void close() override { open_ = false; }
  ProbeIdentity identity() const override { return identity_; }
  ProbeCapabilities capabilities() const override;
  ProbeReading read() override;

  int baud() const { return baud_; }
  // Luminance (cd/m², CIE 1931 ȳ) of the last reading, whatever observer XYZ uses.
  double last_luminance() const { return luminance_; }
  // The device's own XYZ of the last measurement (*fetch:XYZ), CIE 1931 2°.
  Vec3 device_XYZ();

 private:
  std::string query(const std::string& cmd);  // one '\r'-terminated line
  void set(const std::string& cmd);            // ACK, or NAK -> ProbeError with the error code
  int error_code();
  [[noreturn]] void fail(const std::string& cmd, int code);
  Spectrum fetch_spectrum();
  void check_open() const;

  std::unique_ptr<SerialTransport> transport_;
  Clock& clock_;
  JetiOptions options_;
  bool open_ = false;
  int baud_ = 0;
  ProbeIdentity identity_;
  double luminance_ = 0;
};

// The specbos on `path` (e.g. /dev/ttyUSB0), not yet opened.
// The driver's own --probe options: observer=1931|1964.
JetiOptions jeti_options(const std::vector<SpecOption>& options);
// The probe-table row's driver (probe_table.cpp) on an open wire.
std::unique_ptr<Probe> make_jeti_probe(ProbeWire wire, Clock& clock, const std::vector<SpecOption>& options);

}  // namespace calkit
