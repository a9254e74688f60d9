#pragma once
// An in-process JETI specbos 1211 at the serial boundary (probes.md §4a): answers only at its own
// baud rate, "*idn?"-style queries, ACK/NAK setters with "*stat:err?", "*init" with ACK then BEL
// after an auto-exposed integration (overexposed 120 / underexposed 121 as NAK), "*fetch:sprad"
// (two header tokens, then one value per '\r') and "*fetch:XYZ". The spectrum is the virtual
// display's light through DisplaySpectralModel, quantised to the counts of a 16-bit array.
#include <string>

#include "emulators/device_emulator.hpp"
#include "probes/jeti_driver.hpp"
#include "sim/virtual_display.hpp"

namespace calkit {

struct JetiEmulatorOptions {
  int baud = 921600;
  std::string idn = "JETI_SB1211";
  std::string serial = "8675309";
  std::string firmware = "3.51";
  double gain = 1;  // multiplies kCountsPerRadianceMs (a more sensitive head saturates sooner)
  DeviceFaults faults;
};

// "disconnect-after=N,mute-after=N,garble-after=N,busy,permission,baud=B,gain=G".
JetiEmulatorOptions parse_jeti_emulator_options(const std::vector<SpecOption>& options);

class JetiEmulator : public SerialDeviceEmulator {
 public:
  JetiEmulator(VirtualDisplay& display, JetiEmulatorOptions options = {});
  // Counts per W/(sr·m²·nm) per ms of exposure; full scale 65535; exposure 0.1 ms .. maxtin.
  static constexpr double kCountsPerRadianceMs = 2e6;
  double last_exposure_ms() const { return exposure_ms_; }

 protected:
  void consume(std::string& input) override;

 private:
  void handle(const std::string& cmd);
  void nak(int code);
  void measure();

  VirtualDisplay& display_;
  JetiEmulatorOptions options_;
  DisplaySpectralModel spectra_;
  int error_ = 0;
  int start_nm_ = 380, end_nm_ = 780, step_nm_ = 1;
  double max_exposure_ms_ = 1000;
  double exposure_ms_ = 0;
  Spectrum last_;
};

std::unique_ptr<JetiDriver> make_emulated_jeti(VirtualDisplay& display, const std::string& options_tail = "",
                                               JetiOptions driver_options = {}, JetiEmulator** emulator = nullptr);

}  // namespace calkit
