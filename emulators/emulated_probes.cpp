#include "emulators/emulated_probes.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "emulators/i1d3_emulator.hpp"
#include "emulators/jeti_emulator.hpp"
#include "emulators/k10_emulator.hpp"
#include "emulators/pr655_emulator.hpp"
#include "emulators/spyderx_emulator.hpp"

namespace calkit {
namespace {

// The emulator as the wire its driver talks through, traced when asked.
template <class Wire, class Emulator>
std::unique_ptr<Wire> wire(std::unique_ptr<Emulator> device, std::shared_ptr<TraceWriter> trace) {
  return traced(std::unique_ptr<Wire>(std::move(device)), std::move(trace));
}

std::unique_ptr<Probe> open_i1d3(VirtualDisplay& display, const std::vector<SpecOption>& emulator,
                                 std::vector<SpecOption>& driver, std::shared_ptr<TraceWriter> trace) {
  I1d3EmulatorOptions device = parse_i1d3_emulator_options(emulator);
  if (device.refresh_hz > 0) driver.push_back({"--probe", "sync", "yes"});  // sync as a user would
  return make_i1d3_probe(wire<HidTransport>(std::make_unique<I1d3Emulator>(display, device), trace), display.clock(),
                         driver);
}

std::unique_ptr<Probe> open_spyderx(VirtualDisplay& display, const std::vector<SpecOption>& emulator,
                                    std::vector<SpecOption>& driver, std::shared_ptr<TraceWriter> trace) {
  auto device = std::make_unique<SpyderxEmulator>(display, parse_spyderx_emulator_options(emulator));
  SpyderxEmulator* d = device.get();
  SpyderxOptions options = spyderx_options(driver);
  options.ask_user = [d](SpyderxStep step) { d->set_cap(step == SpyderxStep::PutCapOn && !d->forgets_cap()); };
  return std::make_unique<SpyderxDriver>(wire<UsbTransport>(std::move(device), trace), display.clock(),
                                         std::move(options));
}

std::unique_ptr<Probe> open_k10(VirtualDisplay& display, const std::vector<SpecOption>& emulator,
                                std::vector<SpecOption>& driver, std::shared_ptr<TraceWriter> trace) {
  auto device = std::make_unique<K10Emulator>(display, parse_k10_emulator_options(emulator));
  return make_k10_probe(wire<SerialTransport>(std::move(device), trace), display.clock(), driver);
}

std::unique_ptr<Probe> open_jeti(VirtualDisplay& display, const std::vector<SpecOption>& emulator,
                                 std::vector<SpecOption>& driver, std::shared_ptr<TraceWriter> trace) {
  auto device = std::make_unique<JetiEmulator>(display, parse_jeti_emulator_options(emulator));
  return make_jeti_probe(wire<SerialTransport>(std::move(device), trace), display.clock(), driver);
}

std::unique_ptr<Probe> open_pr655(VirtualDisplay& display, const std::vector<SpecOption>& emulator,
                                  std::vector<SpecOption>& driver, std::shared_ptr<TraceWriter> trace) {
  auto device = std::make_unique<Pr655Emulator>(display, parse_pr655_emulator_options(emulator));
  return make_pr655_probe(wire<SerialTransport>(std::move(device), trace), display.clock(), driver);
}

}  // namespace

const std::vector<EmulatedProbeKind>& emulated_probe_table() {
  static const std::vector<EmulatedProbeKind> table = {
      {"i1d3", "i1Display Pro emulator (HID protocol, unlock, EEPROM, refresh, ambient)",
       "wrong-unlock, corrupt-eeprom, variant=NAME, locked=yes|no, refresh=HZ, flicker=DEPTH, diffuser=ambient, "
       "lux=L, kelvin=K",
       open_i1d3},
      {"spyderx", "SpyderX emulator (USB frames, on-board matrices, black calibration with the cap, ambient)",
       "lux=L, forget-cap, counts-per-nit=K", open_spyderx},
      {"k10", "Klein K10-A emulator (serial, auto-range, on-board matrices, flicker)", "refresh=HZ, flicker=DEPTH",
       open_k10},
      {"jeti", "JETI specbos emulator (serial, baud detection, spectra, auto-exposure)",
       "baud=921600|115200|38400, gain=G", open_jeti},
      {"pr655", "PR-655/670 emulator (serial remote mode, spectra)", "model=PR-655|PR-670, max-luminance=L",
       open_pr655},
  };
  return table;
}

std::unique_ptr<Probe> open_emulated_probe(const ProbeSpec& spec, VirtualDisplay& display,
                                           std::shared_ptr<TraceWriter> trace) {
  for (const EmulatedProbeKind& kind : emulated_probe_table())
    if (kind.name == spec.name) {
      std::vector<SpecOption> driver = spec.driver_options();
      std::unique_ptr<Probe> probe = kind.open(display, spec.other_options(), driver, trace);
      if (trace) trace->set_probe(probe_spec_text(spec.name, driver));
      return probe;
    }
  throw ValueError("--probe", fmt::format("there is no emulator of {}", spec.name));
}

}  // namespace calkit
