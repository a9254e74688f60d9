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

std::unique_ptr<Probe> open_i1d3(VirtualDisplay& display, const std::vector<SpecOption>& emulator,
                                 const std::vector<SpecOption>& driver) {
  I1d3Options options = i1d3_options(driver);
  I1d3EmulatorOptions device = parse_i1d3_emulator_options(emulator);
  if (device.refresh_hz > 0) options.refresh_sync = true;  // a refresh-modulated display: sync as a user would
  return std::make_unique<I1d3Driver>(std::make_unique<I1d3Emulator>(display, device), display.clock(), options);
}

std::unique_ptr<Probe> open_spyderx(VirtualDisplay& display, const std::vector<SpecOption>& emulator,
                                    const std::vector<SpecOption>& driver) {
  auto device = std::make_unique<SpyderxEmulator>(display, parse_spyderx_emulator_options(emulator));
  SpyderxEmulator* d = device.get();
  SpyderxOptions options = spyderx_options(driver);
  options.ask_user = [d](SpyderxStep step) { d->set_cap(step == SpyderxStep::PutCapOn && !d->forgets_cap()); };
  return std::make_unique<SpyderxDriver>(std::move(device), display.clock(), std::move(options));
}

std::unique_ptr<Probe> open_k10(VirtualDisplay& display, const std::vector<SpecOption>& emulator,
                                const std::vector<SpecOption>& driver) {
  return std::make_unique<K10Driver>(std::make_unique<K10Emulator>(display, parse_k10_emulator_options(emulator)),
                                     display.clock(), k10_options(driver));
}

std::unique_ptr<Probe> open_jeti(VirtualDisplay& display, const std::vector<SpecOption>& emulator,
                                 const std::vector<SpecOption>& driver) {
  return std::make_unique<JetiDriver>(std::make_unique<JetiEmulator>(display, parse_jeti_emulator_options(emulator)),
                                      display.clock(), jeti_options(driver));
}

std::unique_ptr<Probe> open_pr655(VirtualDisplay& display, const std::vector<SpecOption>& emulator,
                                  const std::vector<SpecOption>& driver) {
  return std::make_unique<Pr655Driver>(
      std::make_unique<Pr655Emulator>(display, parse_pr655_emulator_options(emulator)), display.clock(),
      pr655_options(driver));
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

std::unique_ptr<Probe> open_emulated_probe(const ProbeSpec& spec, VirtualDisplay& display) {
  for (const EmulatedProbeKind& kind : emulated_probe_table())
    if (kind.name == spec.name) return kind.open(display, spec.other_options(), spec.driver_options());
  throw ValueError("--probe", fmt::format("there is no emulator of {}", spec.name));
}

}  // namespace calkit
