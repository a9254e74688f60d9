#pragma once
// An in-process Photo Research PR-655 at the serial boundary, as the manual and the independent
// drivers describe it (probes/pr655_protocol.hpp): silent until "PHOTO" (as single characters or
// not) puts it in remote mode, answered by " REMOTE MODE" with no line end; then D110/D111
// ("00000,<value>"), M2 (XYZ), M5 (measure + spectrum at 380..780 nm / 4 nm), D5 (last spectrum),
// Q (back to local). Status codes of the manual: 0, -8 weak light, -2 overload. The measurement
// time grows in the dark, as the instrument's adaptive exposure does. The spectrum is the virtual
// display's light (DisplaySpectralModel).
#include <string>

#include "emulators/device_emulator.hpp"
#include "probes/pr655_driver.hpp"
#include "sim/virtual_display.hpp"

namespace calkit {

struct Pr655EmulatorOptions {
  std::string model = "PR-655";
  std::string serial = "65512345";
  double min_luminance = 1e-4;  // below: weak light (-8)
  double low_luminance = 0.2;   // below: the adaptive exposure takes long
  double max_luminance = 5000;  // above: overload (-2)
  DeviceFaults faults;
};

// "disconnect-after=N,mute-after=N,garble-after=N,busy,permission,model=PR-670,max-luminance=L".
Pr655EmulatorOptions parse_pr655_emulator_options(const std::vector<SpecOption>& options);

class Pr655Emulator : public SerialDeviceEmulator {
 public:
  Pr655Emulator(VirtualDisplay& display, Pr655EmulatorOptions options = {});
  bool remote() const { return remote_; }

 protected:
  void consume(std::string& input) override;

 private:
  void handle(const std::string& cmd);
  int measure();  // quality code; fills last_
  std::string spectrum_lines() const;

  VirtualDisplay& display_;
  Pr655EmulatorOptions options_;
  DisplaySpectralModel spectra_;
  bool remote_ = false;
  Spectrum last_;
  Vec3 last_XYZ_ = Vec3::Zero();
};

std::unique_ptr<Pr655Driver> make_emulated_pr655(VirtualDisplay& display, const std::string& options_tail = "",
                                                 Pr655Options driver_options = {}, Pr655Emulator** emulator = nullptr);

}  // namespace calkit
