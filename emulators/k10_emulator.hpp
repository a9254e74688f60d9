#pragma once
// An in-process Klein K10-A at the serial boundary (probes.md §3): fixed-length replies with
// "<e>" status, auto-range with the transient 'v'/'u' codes while it switches, fixed ranges
// that report over-range, 'w' above the top range, the on-board calibration list (D7) and
// matrices (D1, Klein three-byte format), and the T2 flicker stream. Its filters only
// approximate the CIE observer (FilterSensor), so the factory XYZ is exact for white-LED LCD
// light and the on-board matrices correct it for the other display types.
#include <array>
#include <string>
#include <vector>

#include "emulators/device_emulator.hpp"
#include "probes/k10_driver.hpp"
#include "sim/virtual_display.hpp"

namespace calkit {

struct K10EmulatorOptions {
  std::string model = "K-10-A";
  std::string serial = "K10A04711";
  std::string firmware = "v01.09fh";
  double refresh_hz = 0;  // > 0: the light flickers at this rate
  double flicker_depth = 0.3;
  DeviceFaults faults;
};

// "disconnect-after=N,mute-after=N,garble-after=N,busy,permission,refresh=HZ,flicker=DEPTH".
K10EmulatorOptions parse_k10_emulator_options(const std::vector<SpecOption>& options);

class K10Emulator : public SerialDeviceEmulator {
 public:
  K10Emulator(VirtualDisplay& display, K10EmulatorOptions options = {});

  // Top of range r (1..6) in cd/m² (decades from 0.06); above range 6 the device reports 'w'.
  static double range_top(int range);
  // The on-board calibrations: name and the display technology each was made on.
  struct Slot {
    std::string name;
    std::string technology;
  };
  static const std::vector<Slot>& slots();
  const std::array<int, 3>& ranges() const { return ranges_; }
  bool streaming() const { return streaming_; }

 protected:
  void consume(std::string& input) override;
  bool produce_more() override;

 private:
  void handle(const std::string& cmd);
  std::string measure();
  Vec3 factory_XYZ(double t);
  std::string status(char e) const { return std::string("<") + e + ">"; }

  VirtualDisplay& display_;
  K10EmulatorOptions options_;
  Mat3 factory_;           // raw filter response -> factory XYZ (a white-LED LCD calibration)
  Mat3 response_per_XYZ_;  // what the filters see per unit XYZ of this display's light
  std::vector<Mat3> slot_matrices_;
  std::array<int, 3> ranges_{3, 3, 3};
  bool auto_range_ = true;
  bool awaiting_index_ = false;
  bool streaming_ = false;
  double stream_t_ = 0;
};

// The production driver on an emulator reading `display` (not yet opened).
std::unique_ptr<K10Driver> make_emulated_k10(VirtualDisplay& display, const std::string& options_tail = "",
                                             K10Options driver_options = {}, K10Emulator** emulator = nullptr);

}  // namespace calkit
