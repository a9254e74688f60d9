#pragma once
// JETI specbos 1201/1211 spectroradiometer over its FTDI serial port (wire facts:
// probes/jeti_protocol.hpp, cited to ArgyllCMS). open(): find the baud rate (921600, 115200,
// 38400), identify, configure radiometric spectra over the device's own range (to 830 nm) at
// 1 nm with auto-exposure capped as ArgyllCMS caps it. read(): check the emissive head, laser
// off, "*init", wait for BEL, fetch the spectral radiance and integrate XYZ (CIE 1931 2°, or 1964
// 10° when asked) host-side; the luminance comes with it.
#include <memory>
#include <string>

#include "color/observer.hpp"
#include "core/clock.hpp"
#include "core/device_spec.hpp"
#include "probes/probe.hpp"
#include "probes/transport/transport.hpp"

namespace calkit {

struct JetiOptions {
  Observer observer = Observer::Cie1931_2deg;
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
  int model() const { return model_; }  // 1201 or 1211
  // Luminance (cd/m², CIE 1931 ȳ) of the last reading, whatever observer XYZ uses.
  double last_luminance() const { return luminance_; }
  // The device's own XYZ of the last measurement (*fetch:XYZ), CIE 1931 2°.
  Vec3 device_XYZ();

 private:
  std::string send(const std::string& cmd);   // flush, then the command
  std::string query(const std::string& cmd);  // one '\r'-terminated line
  void set(const std::string& cmd);           // ACK, or NAK -> ProbeError with the error code
  std::string reply(const std::string& cmd, const std::string& terminators, int timeout_ms);
  int error_code();
  [[noreturn]] void fail(const std::string& cmd, int code);
  double wavelength(const std::string& cmd);
  void set_range(int start_nm, int end_nm);
  void measure();
  Spectrum fetch_spectrum();
  void check_open() const;

  std::unique_ptr<SerialTransport> transport_;
  Clock& clock_;
  JetiOptions options_;
  bool open_ = false;
  int baud_ = 0;
  int model_ = 0;
  int start_nm_ = 0, end_nm_ = 0;
  bool fell_back_ = false;  // range cut to 380..780 after error 141
  int last_error_ = 0;      // the code of the last NAK
  ProbeIdentity identity_;
  double luminance_ = 0;
};

// The driver's own --probe options: observer=1931|1964.
JetiOptions jeti_options(const std::vector<SpecOption>& options);
// The probe-table row's driver (probe_table.cpp) on an open wire.
std::unique_ptr<Probe> make_jeti_probe(ProbeWire wire, Clock& clock, const std::vector<SpecOption>& options);

}  // namespace calkit
