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
  // The row's driver on the emulator, not yet opened, with every transaction written to `trace`
  // (when there is one). emulator_options: the emulator's; driver_options: the driver's
  // (ProbeKind::option_keys), to which a row adds what the emulated device implies (an i1d3 on a
  // refresh-modulated display syncs).
  std::unique_ptr<Probe> (*open)(VirtualDisplay& display, const std::vector<SpecOption>& emulator_options,
                                 std::vector<SpecOption>& driver_options, std::shared_ptr<TraceWriter> trace);
};

const std::vector<EmulatedProbeKind>& emulated_probe_table();

// The driver of spec.name on its emulator reading `display`, traced to `trace` when given (its
// header names the driver and its options). ValueError when the kind has no emulator or an
// option is unknown.
std::unique_ptr<Probe> open_emulated_probe(const ProbeSpec& spec, VirtualDisplay& display,
                                           std::shared_ptr<TraceWriter> trace = nullptr);

}  // namespace calkit
