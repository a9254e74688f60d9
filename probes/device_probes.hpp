#pragma once
// Probe specs of the USB drivers, real or emulated at their transport, for the rig factory
// (measure/rig.cpp): "i1d3" (first one plugged in) and "emulated:i1d3" (the production driver on
// its device emulator reading a virtual display). A spec may carry options after commas, e.g.
// "emulated:i1d3,refresh=60,disconnect-after=200" or "i1d3,correction=panel.ccss".
#include <memory>
#include <string>
#include <vector>

#include "probes/probe.hpp"
#include "sim/clock.hpp"
#include "sim/virtual_display.hpp"

namespace calkit {

struct DeviceProbeSpec {
  std::string name;        // "i1d3", "emulated:i1d3"
  std::string options;     // the rest, without correction=
  std::string correction;  // correction=FILE (.ccss or .ccmx), empty if none
};

DeviceProbeSpec parse_device_probe_spec(const std::string& spec);
bool is_device_probe(const std::string& spec);  // a name in device_probe_names()
bool is_emulated_probe(const std::string& spec);
std::vector<std::string> device_probe_names();

// The driver a spec names, not yet opened: emulated ones read `display` (required) and sleep on
// its clock; real ones use `clock`. Throws InputError for an unknown name or option, ProbeError
// when a real device cannot be opened.
std::unique_ptr<Probe> make_device_probe(const DeviceProbeSpec& spec, Clock& clock, VirtualDisplay* display);

}  // namespace calkit
