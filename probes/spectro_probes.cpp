#include "probes/spectro_probes.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "color/input_error.hpp"
#include "probes/jeti_emulator.hpp"
#include "probes/k10_emulator.hpp"
#include "probes/pr655_emulator.hpp"
#include "probes/spyderx_emulator.hpp"

namespace calkit {
namespace {

const std::vector<std::string> kBases = {"spyderx", "k10", "jeti", "pr655"};

// Splits the driver's own options (mode=, observer=) from the rest (the emulator's).
struct SplitOptions {
  std::string mode;
  std::string observer;
  std::string rest;
};

SplitOptions split_options(const std::string& options) {
  SplitOptions out;
  std::stringstream in(options);
  for (std::string item; std::getline(in, item, ',');) {
    if (item.rfind("mode=", 0) == 0) out.mode = item.substr(5);
    else if (item.rfind("observer=", 0) == 0) out.observer = item.substr(9);
    else if (!item.empty()) out.rest += (out.rest.empty() ? "" : ",") + item;
  }
  return out;
}

Observer observer_named(const std::string& name) {
  if (name.empty() || name == "1931" || name == "2") return Observer::Cie1931_2deg;
  if (name == "1964" || name == "10") return Observer::Cie1964_10deg;
  throw InputError("", 0, "--probe", fmt::format("unknown observer '{}' (1931 = 2°, 1964 = 10°)", name));
}

// The tty of the first plugged-in device whose table entry names this driver.
std::string find_port(const std::string& driver) {
  for (const FoundDevice& d : find_devices())
    if (d.device.transport == TransportKind::Serial && ("|" + d.device.driver + "|").find("|" + driver + "|") != std::string::npos) {
      if (!d.accessible) throw permission_error(d.path);
      return d.path;
    }
  throw ProbeError(ProbeErrorKind::NotFound,
                   fmt::format("no {} serial port found; name it, e.g. --probe {}:/dev/ttyUSB0", driver, driver));
}

void require_no_options(const std::string& name, const std::string& rest) {
  if (!rest.empty())
    throw InputError("", 0, "--probe", fmt::format("{} takes mode=/observer= and correction=FILE only (got '{}')", name, rest));
}

}  // namespace

std::vector<std::string> spectro_probe_names() {
  std::vector<std::string> names;
  for (const std::string& b : kBases) names.push_back(b);
  for (const std::string& b : kBases) names.push_back("emulated:" + b);
  return names;
}

bool is_spectro_probe(const std::string& name) {
  for (const std::string& n : spectro_probe_names())
    if (name == n || (n.rfind("emulated:", 0) != 0 && n != "spyderx" && name.rfind(n + ":", 0) == 0)) return true;
  return false;
}

std::unique_ptr<Probe> make_spectro_probe(const DeviceProbeSpec& spec, Clock& clock, VirtualDisplay* display) {
  if (!is_spectro_probe(spec.name)) return nullptr;
  const SplitOptions o = split_options(spec.options);
  const bool emulated = spec.name.rfind("emulated:", 0) == 0;
  if (emulated && !display) throw InputError("", 0, "--display", spec.name + " reads a virtual display: add --display sim:NAME");
  const std::string base = emulated ? spec.name.substr(9) : spec.name.substr(0, spec.name.find(':'));
  const std::string port = spec.name.find(':') != std::string::npos && !emulated ? spec.name.substr(spec.name.find(':') + 1) : "";
  if (!emulated) require_no_options(spec.name, o.rest);
  if ((base == "spyderx" || base == "k10") && !o.observer.empty())
    throw InputError("", 0, "--probe", base + " is a colorimeter: observer= applies to spectroradiometers");
  if ((base == "jeti" || base == "pr655") && !o.mode.empty())
    throw InputError("", 0, "--probe", base + " has no display modes (mode=)");

  if (base == "spyderx") {
    SpyderxOptions options;
    if (!o.mode.empty()) {  // by name, as set_display_mode takes it
      const auto& names = spyderx::kCalibrationNames;
      auto it = std::find(names.begin(), names.end(), o.mode);
      if (it == names.end())
        throw InputError("", 0, "--probe", fmt::format("unknown SpyderX mode '{}' (on board: {})", o.mode, fmt::join(names, ", ")));
      options.calibration = static_cast<int>(it - names.begin());
    }
    if (emulated) return make_emulated_spyderx(*display, o.rest, options);
    return make_spyderx(clock, options);
  }
  if (base == "k10") {
    K10Options options;
    options.calibration = o.mode;
    if (emulated) return make_emulated_k10(*display, o.rest, options);
    return make_k10(port.empty() ? find_port("k10") : port, clock, options);
  }
  if (base == "jeti") {
    JetiOptions options;
    options.observer = observer_named(o.observer);
    if (emulated) return make_emulated_jeti(*display, o.rest, options);
    return make_jeti(port.empty() ? find_port("jeti") : port, clock, options);
  }
  Pr655Options options;
  options.observer = observer_named(o.observer);
  if (emulated) return make_emulated_pr655(*display, o.rest, options);
  return make_pr655(port.empty() ? find_port("pr655") : port, clock, options);
}

}  // namespace calkit
