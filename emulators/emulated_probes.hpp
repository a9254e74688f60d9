#pragma once
// The table of device emulators, one row per emulated probe kind (emulated_probes.cpp): the
// production driver of the probe-table row of the same name, talking to an in-process emulator
// of the instrument that reads a virtual display (--probe emulated:NAME --display sim:NAME).
// A new emulator is its file plus one row here.
#include <memory>
#include <string>
#include <vector>

#include "core/device_spec.hpp"
#include "probes/probe.hpp"
#include "probes/probe_table.hpp"
#include "sim/virtual_display.hpp"

namespace calkit {

struct EmulatedProbeKind {
  std::string name;           // the probe-table row it emulates
  std::string model;          // what the emulator covers, for `calkit probe list --emulated`
  std::string options_usage;  // the emulator's own options (device settings and faults)
  // The row's driver on the emulator, not yet opened. emulator_options: the emulator's;
  // driver_options: the driver's (ProbeKind::option_keys).
  std::unique_ptr<Probe> (*open)(VirtualDisplay& display, const std::vector<SpecOption>& emulator_options,
                                 const std::vector<SpecOption>& driver_options);
};

const std::vector<EmulatedProbeKind>& emulated_probe_table();

// The driver of spec.name on its emulator reading `display`. ValueError when the kind has no
// emulator or an option is unknown.
std::unique_ptr<Probe> open_emulated_probe(const ProbeSpec& spec, VirtualDisplay& display);

}  // namespace calkit
