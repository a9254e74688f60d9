#pragma once
// The table of probe kinds calkit drives, one row per driver (probe_table.cpp), the way
// lut_format_table() lists the LUT formats. A new probe is its driver file plus one row here;
// `calkit probe list`, the udev rules and the rig (cli/rig.cpp) all read this table.
//
// A --probe spec names a row, optionally a port, and options after commas:
//   i1d3                       the first i1Display plugged in
//   k10:/dev/ttyUSB0,mode=NAME a serial probe on a given port, with a driver option
//   emulated:jeti,gain=2       the driver on its device emulator (emulators/emulated_probes.hpp)
//   i1d3,correction=panel.ccss a correction file, for any probe
//   replay:t.txt               the driver a trace names, on the recorded wire (transport/trace.hpp)
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/device_spec.hpp"
#include "probes/probe.hpp"
#include "probes/transport/trace.hpp"
#include "probes/transport/transport.hpp"

namespace calkit {

struct UsbId {
  std::uint16_t vid = 0;
  std::uint16_t pid = 0;
  std::string model;  // what this VID:PID is, for listings and the udev rules
};

struct ProbeKind {
  std::string name;   // --probe NAME
  std::string model;  // the family, for listings
  TransportKind transport = TransportKind::Hid;
  std::vector<UsbId> usb_ids;            // tried in order when no port is named
  int serial_baud = 0;                   // serial probes: the rate the port opens at
  std::vector<std::string> option_keys;  // the driver's own options
  std::string options_usage;             // "mode=general|standard-led|..." for --help and errors
  // The driver on an open wire, not yet opened. Throws InputError for a bad option value.
  std::unique_ptr<Probe> (*make)(ProbeWire wire, Clock& clock, const std::vector<SpecOption>& options);
};

const std::vector<ProbeKind>& probe_table();
const ProbeKind* find_probe_kind(std::string_view name);
std::vector<std::string> probe_names();

struct ProbeSpec {
  std::string name;  // the row: "i1d3"
  bool emulated = false;
  std::string port;                 // "k10:/dev/ttyUSB0": the tty; empty: found by VID:PID
  std::vector<SpecOption> options;  // without correction=
  std::string correction;           // correction=FILE (.ccss or .ccmx)
  // The options that are the driver's (ProbeKind::option_keys) and the rest (an emulator's).
  std::vector<SpecOption> driver_options() const;
  std::vector<SpecOption> other_options() const;
};

// ValueError on --probe for a name not in the table.
ProbeSpec parse_probe_spec(const std::string& text);
// "i1d3,sync=yes": a row and driver options, as a trace's header names them.
std::string probe_spec_text(const std::string& name, const std::vector<SpecOption>& driver_options);

// A real probe: opens the wire (PORT, or the first plugged-in device of the kind) and the driver
// on it, not yet opened; every transaction goes to `trace` when there is one. ProbeError
// NotFound/Permission/Busy when the device cannot be had.
std::unique_ptr<Probe> open_real_probe(const ProbeSpec& spec, Clock& clock,
                                       std::shared_ptr<TraceWriter> trace = nullptr);

// The driver a trace names (its probe line) on a wire that plays the trace back, not yet opened.
// InputError for a trace that is malformed or names no known probe on its wire.
std::unique_ptr<Probe> open_replayed_probe(const std::filesystem::path& trace, Clock& clock);

}  // namespace calkit
