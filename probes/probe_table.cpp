#include "probes/probe_table.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "core/error.hpp"
#include "probes/i1d3_driver.hpp"
#include "probes/jeti_driver.hpp"
#include "probes/jeti_protocol.hpp"
#include "probes/k10_driver.hpp"
#include "probes/k10_protocol.hpp"
#include "probes/pr655_driver.hpp"
#include "probes/pr655_protocol.hpp"
#include "probes/spyderx_driver.hpp"

namespace calkit {

const std::vector<ProbeKind>& probe_table() {
  // VID:PIDs: ArgyllCMS spectro/insttypes.c and usb/55-Argyll.rules, as facts (docs/probes.md).
  // The FTDI default 0403:6001 is shared by the K10-A and the specbos; 0403:6015 (FT231X) is the
  // spectraval's. The PR-655/670 is a CDC-ACM tty with no fixed VID:PID: name its port.
  static const std::vector<ProbeKind> table = {
      {"i1d3",
       "X-Rite i1Display Pro / ColorMunki Display / Calibrite Display",
       TransportKind::Hid,
       {{0x0765, 0x5020, "X-Rite i1Display Pro / ColorMunki Display / Calibrite Display"},
        {0x0765, 0x5021, "X-Rite i1Display (internal EEPROM fault mode)"}},
       0,
       {"sync"},
       "sync (detect the refresh rate and integrate over whole periods)",
       make_i1d3_probe},
      {"spyderx",
       "Datacolor SpyderX",
       TransportKind::Usb,
       {{0x085C, 0x0A00, "Datacolor SpyderX"},
        {0x085C, 0x0A0A, "Datacolor Spyder X2"},
        {0x085C, 0x0A0B, "Datacolor Spyder 2024"}},
       0,
       {"mode"},
       "mode=general|standard-led|wide-gamut-led|gb-led",
       make_spyderx_probe},
      {"k10",
       "Klein K10-A",
       TransportKind::Serial,
       {{0x0403, 0x6001, "FTDI FT232R serial (Klein K10-A or JETI specbos)"}},
       k10::kBaud,
       {"mode"},
       "mode=ON-BOARD CALIBRATION NAME",
       make_k10_probe},
      {"jeti",
       "JETI specbos 1201/1211",
       TransportKind::Serial,
       {{0x0403, 0x6001, "FTDI FT232R serial (Klein K10-A or JETI specbos)"},
        {0x0403, 0x6015, "FTDI FT231X serial (JETI spectraval)"}},
       jeti::kBauds[0],
       {"observer"},
       "observer=1931|1964",
       make_jeti_probe},
      {"pr655",
       "Photo Research PR-655 / PR-670",
       TransportKind::Serial,
       {},
       pr655::kBaud,
       {"observer"},
       "observer=1931|1964",
       make_pr655_probe},
  };
  return table;
}

const ProbeKind* find_probe_kind(std::string_view name) {
  for (const ProbeKind& kind : probe_table())
    if (kind.name == name) return &kind;
  return nullptr;
}

std::vector<std::string> probe_names() {
  std::vector<std::string> names;
  for (const ProbeKind& kind : probe_table()) names.push_back(kind.name);
  return names;
}

const std::vector<SupportedDevice>& supported_devices() {
  static const std::vector<SupportedDevice> devices = [] {
    std::vector<SupportedDevice> out;
    for (const ProbeKind& kind : probe_table())
      for (const UsbId& id : kind.usb_ids) {
        auto same = std::find_if(out.begin(), out.end(), [&](const SupportedDevice& d) {
          return d.vid == id.vid && d.pid == id.pid && d.transport == kind.transport;
        });
        if (same == out.end())
          out.push_back({id.vid, id.pid, kind.transport, kind.name, id.model});
        else
          same->driver += "|" + kind.name;
      }
    return out;
  }();
  return devices;
}

std::vector<SpecOption> ProbeSpec::driver_options() const {
  const ProbeKind* kind = find_probe_kind(name);
  std::vector<SpecOption> out;
  for (const SpecOption& o : options)
    if (std::count(kind->option_keys.begin(), kind->option_keys.end(), o.key)) out.push_back(o);
  return out;
}

std::vector<SpecOption> ProbeSpec::other_options() const {
  const ProbeKind* kind = find_probe_kind(name);
  std::vector<SpecOption> out;
  for (const SpecOption& o : options)
    if (!std::count(kind->option_keys.begin(), kind->option_keys.end(), o.key)) out.push_back(o);
  return out;
}

ProbeSpec parse_probe_spec(const std::string& text) {
  ProbeSpec spec;
  const std::size_t comma = text.find(',');
  std::string head = text.substr(0, comma);
  if (head.rfind("emulated:", 0) == 0) {
    spec.emulated = true;
    head.erase(0, 9);
  }
  const std::size_t colon = head.find(':');
  spec.name = head.substr(0, colon);
  if (colon != std::string::npos) spec.port = head.substr(colon + 1);
  const ProbeKind* kind = find_probe_kind(spec.name);
  if (!kind)
    throw ValueError("--probe", fmt::format("unknown probe '{}' (known: sim, {}; emulated:NAME for an emulator)", text,
                                            fmt::join(probe_names(), ", ")));
  if (!spec.port.empty() && (spec.emulated || kind->transport != TransportKind::Serial))
    throw ValueError("--probe", fmt::format("'{}': only a real serial probe takes a port", text));
  for (SpecOption& o :
       split_spec_options(comma == std::string::npos ? "" : std::string_view(text).substr(comma + 1), "--probe")) {
    if (o.key == "correction")
      spec.correction = o.value;
    else
      spec.options.push_back(std::move(o));
  }
  return spec;
}

namespace {

// The tty of the first plugged-in device whose VID:PID belongs to this kind.
std::string find_port(const ProbeKind& kind) {
  for (const FoundDevice& d : find_devices())
    if (d.device.transport == TransportKind::Serial &&
        ("|" + d.device.driver + "|").find("|" + kind.name + "|") != std::string::npos) {
      if (!d.accessible) throw permission_error(d.path);
      return d.path;
    }
  throw ProbeError(ProbeErrorKind::NotFound,
                   fmt::format("no {} serial port found; name it, e.g. --probe {}:/dev/ttyUSB0", kind.name, kind.name));
}

// The first plugged-in device of the kind, trying its VID:PIDs in order.
template <typename Transport, typename Open>
std::unique_ptr<Transport> open_first(const ProbeKind& kind, Open open) {
  for (std::size_t i = 0; i < kind.usb_ids.size(); ++i) {
    try {
      return open(kind.usb_ids[i].vid, kind.usb_ids[i].pid);
    } catch (const ProbeError& e) {
      if (e.kind() != ProbeErrorKind::NotFound || i + 1 == kind.usb_ids.size()) throw;
    }
  }
  throw ProbeError(ProbeErrorKind::NotFound, "no " + kind.model + " plugged in");
}

ProbeWire open_wire(const ProbeKind& kind, const std::string& port) {
  switch (kind.transport) {
    case TransportKind::Hid:
      return open_first<HidTransport>(kind, [](std::uint16_t vid, std::uint16_t pid) { return open_hid(vid, pid); });
    case TransportKind::Usb:
      return open_first<UsbTransport>(kind, [](std::uint16_t vid, std::uint16_t pid) { return open_usb(vid, pid); });
    case TransportKind::Serial:
      return open_serial(port.empty() ? find_port(kind) : port, kind.serial_baud);
  }
  throw ProbeError(ProbeErrorKind::Protocol, "unknown transport");
}

}  // namespace

std::string probe_spec_text(const std::string& name, const std::vector<SpecOption>& driver_options) {
  std::string text = name;
  for (const SpecOption& o : driver_options) text += "," + o.key + (o.value.empty() ? "" : "=" + o.value);
  return text;
}

std::unique_ptr<Probe> open_real_probe(const ProbeSpec& spec, Clock& clock, std::shared_ptr<TraceWriter> trace) {
  const ProbeKind& kind = *find_probe_kind(spec.name);
  std::vector<SpecOption> unknown = spec.other_options();
  if (!unknown.empty())
    bad_spec_option(unknown.front(), fmt::format("{} takes {} and correction=FILE", kind.name, kind.options_usage));
  if (trace) trace->set_probe(probe_spec_text(spec.name, spec.driver_options()));
  return kind.make(traced_wire(open_wire(kind, spec.port), trace), clock, spec.driver_options());
}

std::unique_ptr<Probe> open_replayed_probe(const std::filesystem::path& path, Clock& clock) {
  Trace trace = read_trace(path);
  ProbeSpec spec;
  try {
    spec = parse_probe_spec(trace.probe);
  } catch (const InputError& e) {
    throw InputError(path.string(), 0, "probe", e.what());
  }
  const ProbeKind& kind = *find_probe_kind(spec.name);
  if (spec.emulated || !spec.port.empty() || !spec.other_options().empty() || !spec.correction.empty())
    throw InputError(path.string(), 0, "probe", "'" + trace.probe + "' is not a probe name with driver options");
  if (kind.transport != trace.wire)
    throw InputError(path.string(), 0, "wire",
                     fmt::format("{} talks through {}, the trace holds {}", kind.name, wire_name(kind.transport),
                                 wire_name(trace.wire)));
  std::unique_ptr<Probe> probe = kind.make(replay_wire(std::move(trace), clock), clock, spec.driver_options());
  // Nobody to put the cap on: the trace holds what the cap-on reading read.
  if (auto* spyderx = dynamic_cast<SpyderxDriver*>(probe.get())) spyderx->set_ask_user([](SpyderxStep) {});
  return probe;
}

}  // namespace calkit
