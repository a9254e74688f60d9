#include "probes/device_probes.hpp"

#include <fmt/format.h>

#include "color/input_error.hpp"
#include "probes/i1d3_driver.hpp"
#include "probes/i1d3_emulator.hpp"
#include "probes/spectro_probes.hpp"

namespace calkit {

DeviceProbeSpec parse_device_probe_spec(const std::string& spec) {
  DeviceProbeSpec out;
  std::size_t comma = spec.find(',');
  out.name = spec.substr(0, comma);
  std::string rest = comma == std::string::npos ? "" : spec.substr(comma + 1);
  while (!rest.empty()) {
    std::size_t next = rest.find(',');
    std::string item = rest.substr(0, next);
    rest = next == std::string::npos ? "" : rest.substr(next + 1);
    if (item.rfind("correction=", 0) == 0)
      out.correction = item.substr(11);
    else
      out.options += (out.options.empty() ? "" : ",") + item;
  }
  return out;
}

std::vector<std::string> device_probe_names() {
  std::vector<std::string> names = {"i1d3", "emulated:i1d3"};
  for (const std::string& n : spectro_probe_names()) names.push_back(n);
  return names;
}

bool is_device_probe(const std::string& spec) {
  std::string name = parse_device_probe_spec(spec).name;
  for (const std::string& n : device_probe_names())
    if (n == name) return true;
  return is_spectro_probe(name);  // also k10:/dev/ttyUSB0 style
}

bool is_emulated_probe(const std::string& spec) { return spec.rfind("emulated:", 0) == 0; }

std::unique_ptr<Probe> make_device_probe(const DeviceProbeSpec& spec, Clock& clock, VirtualDisplay* display) {
  if (is_emulated_probe(spec.name) && !display)
    throw InputError("", 0, "--display", spec.name + " reads a virtual display: add --display sim:NAME");
  if (spec.name == "emulated:i1d3") return make_emulated_i1d3(*display, spec.options);
  if (auto probe = make_spectro_probe(spec, clock, display)) return probe;
  if (!spec.options.empty())
    throw InputError("", 0, "--probe", fmt::format("{} takes no options but correction=FILE (got '{}')", spec.name, spec.options));
  if (spec.name == "i1d3") return make_i1d3(clock);
  throw InputError("", 0, "--probe",
                   fmt::format("unknown probe '{}' (USB probes: {})", spec.name, fmt::join(device_probe_names(), ", ")));
}

}  // namespace calkit
