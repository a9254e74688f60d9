#pragma once
// An in-process JETI specbos 1211 (or 1201) at the serial boundary, as the independent drivers
// describe it (probes/jeti_protocol.hpp): answers only at its own baud rate, "*idn?"-style
// queries, ACK/NAK setters with "*stat:err?", a 1201 with old firmware that NAKs *conf:maxtin, the
// measuring-head and laser controls, "*init" with ACK then BEL after an auto-exposed integration
// (overexposed 120 / underexposed 121 as NAK; 141 when asked beyond a third-party calibration's
// 380..780 nm), "*fetch:sprad" (two header lines, one value per band, one more '\r') and
// "*fetch:XYZ" (three lines). The spectrum is the virtual display's light through
// DisplaySpectralModel, quantised to the counts of a 16-bit array.
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
  double gain = 1;               // multiplies kCountsPerRadianceMs (a more sensitive head saturates sooner)
  bool old_firmware = false;     // a 1201 before V1.8.3: NAKs *conf:maxtin
  bool ambient_head = false;     // the ambient measuring head is in place (mhead: 1)
  bool third_party_cal = false;  // calibrated only over 380..780 nm: *init beyond it gives 141
  DeviceFaults faults;
};

// "disconnect-after=N,mute-after=N,garble-after=N,busy,permission,baud=B,gain=G,model=1201|1211,
// old-firmware,mhead=ambient,third-party-cal".
JetiEmulatorOptions parse_jeti_emulator_options(const std::vector<SpecOption>& options);

class JetiEmulator : public SerialDeviceEmulator {
 public:
  JetiEmulator(VirtualDisplay& display, JetiEmulatorOptions options = {});
  // Counts per W/(sr·m²·nm) per ms of exposure; full scale 65535; exposure 0.1 ms .. maxtin.
  static constexpr double kCountsPerRadianceMs = 2e6;
  double last_exposure_ms() const { return exposure_ms_; }
  bool laser_on() const { return laser_; }
  static constexpr int kFirstNm = 350;  // the device's predefined range (*para:wavbeg?, wavend?)
  static constexpr int kLastNm = 1000;

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
  int start_nm_ = 350, end_nm_ = 1000, step_nm_ = 1;
  bool laser_ = true;               // the target laser is on at power-up
  double max_exposure_ms_ = 60000;  // the firmware default (A specbos.c comments)
  double exposure_ms_ = 0;
  Spectrum last_;
};

std::unique_ptr<JetiDriver> make_emulated_jeti(VirtualDisplay& display, const std::string& options_tail = "",
                                               JetiOptions driver_options = {}, JetiEmulator** emulator = nullptr);

}  // namespace calkit
