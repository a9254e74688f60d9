#pragma once
// Probe specs of the SpyderX, Klein K10-A, JETI specbos and Photo Research PR-655/670 drivers,
// real or emulated at their transport, for the device-probe factory (device_probes.cpp):
//   spyderx[,mode=general|standard-led|wide-gamut-led|gb-led]
//   k10[:/dev/ttyUSB0][,mode=ON-BOARD CALIBRATION NAME]
//   jeti[:/dev/ttyUSB0][,observer=1931|1964]
//   pr655[:/dev/ttyACM0][,observer=1931|1964]
// and emulated:NAME with the same driver options plus the emulator's (fault) options.
#include <memory>
#include <string>
#include <vector>

#include "probes/device_probes.hpp"

namespace calkit {

std::vector<std::string> spectro_probe_names();
bool is_spectro_probe(const std::string& name);  // a name above, with or without a :PORT suffix
// The driver a spec names (not yet opened), or nullptr when the name is not one of these.
std::unique_ptr<Probe> make_spectro_probe(const DeviceProbeSpec& spec, Clock& clock, VirtualDisplay* display);

}  // namespace calkit
