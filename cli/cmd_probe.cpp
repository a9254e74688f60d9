// `calkit probe`: list the supported probes plugged in, show one probe's identity and
// calibration, print the udev setup, and make a CCMX from a reference and a colorimeter.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/rig.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "emulators/emulated_probes.hpp"
#include "formats/ccmx.hpp"
#include "formats/measurement_file.hpp"
#include "probes/corrections.hpp"
#include "probes/i1d3_driver.hpp"
#include "probes/probe_table.hpp"
#include "probes/transport/transport.hpp"
#include "report/verification.hpp"

namespace calkit::cli {
namespace {

const char* transport_name(TransportKind k) {
  return k == TransportKind::Hid ? "hid" : k == TransportKind::Usb ? "usb" : "serial";
}

std::string usb_ids(const ProbeKind& kind) {
  std::vector<std::string> ids;
  for (const UsbId& id : kind.usb_ids) ids.push_back(fmt::format("{:04x}:{:04x}", id.vid, id.pid));
  return ids.empty() ? "a serial port (name it)" : fmt::format("{}", fmt::join(ids, ", "));
}

// The probe table itself: what calkit drives, whether or not anything is plugged in.
void run_supported(bool json) {
  nlohmann::json j = nlohmann::json::array();
  for (const ProbeKind& kind : probe_table()) {
    bool emulated = std::any_of(emulated_probe_table().begin(), emulated_probe_table().end(),
                                [&](const EmulatedProbeKind& e) { return e.name == kind.name; });
    if (json)
      j.push_back({{"probe", kind.name},
                   {"model", kind.model},
                   {"transport", transport_name(kind.transport)},
                   {"usb_ids", usb_ids(kind)},
                   {"options", kind.options_usage},
                   {"emulated", emulated}});
    else
      std::printf("%-8s %s  (%s; %s)  options: %s%s\n", kind.name.c_str(), kind.model.c_str(),
                  transport_name(kind.transport), usb_ids(kind).c_str(), kind.options_usage.c_str(),
                  emulated ? "; emulated too" : "");
  }
  if (json) std::puts(j.dump(2).c_str());
}

void run_list(bool emulated, bool json) {
  std::vector<FoundDevice> found = find_devices();
  if (json) {
    nlohmann::json j = nlohmann::json::array();
    for (const FoundDevice& f : found)
      j.push_back({{"probe", f.device.driver},
                   {"model", f.device.model},
                   {"serial", f.serial},
                   {"path", f.path},
                   {"transport", transport_name(f.device.transport)},
                   {"vid_pid", fmt::format("{:04x}:{:04x}", f.device.vid, f.device.pid)},
                   {"accessible", f.accessible},
                   {"problem", f.problem}});
    if (emulated)
      for (const EmulatedProbeKind& e : emulated_probe_table())
        j.push_back({{"probe", "emulated:" + e.name},
                     {"model", e.model},
                     {"serial", ""},
                     {"path", "emulated:" + e.name},
                     {"transport", "emulated"},
                     {"accessible", true},
                     {"problem", ""},
                     {"options", e.options_usage}});
    std::puts(j.dump(2).c_str());
    return;
  }
  for (const FoundDevice& f : found) {
    std::printf("%-10s %s  serial %s  %s (%04x:%04x)\n", f.device.driver.c_str(), f.device.model.c_str(),
                f.serial.empty() ? "?" : f.serial.c_str(), f.path.c_str(), f.device.vid, f.device.pid);
    if (!f.accessible) std::printf("           cannot open: %s\n", f.problem.c_str());
  }
  if (found.empty()) {
    std::puts("No supported probe found: none of these VID:PIDs is on the USB bus.");
    for (const SupportedDevice& d : supported_devices())
      std::printf("  %04x:%04x  %s\n", d.vid, d.pid, d.model.c_str());
    std::puts(
        "Check the cable and `lsusb`. A probe that is plugged in but not accessible is listed above with\n"
        "the reason; `calkit probe setup` installs the access rule.");
  }
  if (emulated)
    for (const EmulatedProbeKind& e : emulated_probe_table())
      std::printf("%-16s %s (needs --display sim:NAME; options: %s)\n", ("emulated:" + e.name).c_str(), e.model.c_str(),
                  e.options_usage.c_str());
}

struct InfoArgs {
  RigSpec rig;
  bool json = false;
};

I1d3Driver* as_i1d3(Probe* p) {
  if (auto* c = dynamic_cast<CorrectedProbe*>(p)) p = &c->inner();
  return dynamic_cast<I1d3Driver*>(p);
}

void run_info(InfoArgs args) {
  args.rig.needs_pattern = false;  // reading identity only
  Rig rig = build_rig(args.rig);
  ProbeIdentity id = rig.probe->identity();
  ProbeCapabilities caps = rig.probe->capabilities();
  nlohmann::json j{{"model", id.model},
                   {"serial", id.serial},
                   {"firmware", id.firmware},
                   {"ambient", caps.ambient},
                   {"refresh_sync", caps.refresh_sync},
                   {"spectral", caps.spectral},
                   {"display_modes", caps.display_modes},
                   {"rig", rig.description}};
  if (I1d3Driver* d = as_i1d3(rig.probe.get())) {
    const Mat3& m = d->calibration_matrix();
    j["hardware_revision"] = d->hardware_revision();
    j["eeprom_checksum"] = d->eeprom_checksum_status();
    j["unlock_key"] = d->unlock_key_name();
    j["refresh_hz"] = d->refresh_rate();
    j["calibration_matrix"] = {{m(0, 0), m(0, 1), m(0, 2)}, {m(1, 0), m(1, 1), m(1, 2)}, {m(2, 0), m(2, 1), m(2, 2)}};
  }
  if (args.json) {
    std::puts(j.dump(2).c_str());
    return;
  }
  std::printf("model     %s\nserial    %s\nfirmware  %s\n", id.model.c_str(), id.serial.c_str(), id.firmware.c_str());
  std::printf("ambient   %s\nrefresh   %s\nspectral  %s\n", caps.ambient ? "yes" : "no",
              caps.refresh_sync ? "can synchronise" : "no sync", caps.spectral ? "yes" : "no");
  if (I1d3Driver* d = as_i1d3(rig.probe.get())) {
    std::printf("hardware  %s\nunlock    %s\nchecksum  %s\n", d->hardware_revision().c_str(),
                d->unlock_key_name().c_str(), d->eeprom_checksum_status().c_str());
    if (d->refresh_rate() > 0) std::printf("refresh   %.3f Hz (synchronised)\n", d->refresh_rate());
    const Mat3& m = d->calibration_matrix();
    std::puts("matrix    sensor Hz -> XYZ cd/m²:");
    for (int r = 0; r < 3; ++r) std::printf("          %12.6g %12.6g %12.6g\n", m(r, 0), m(r, 1), m(r, 2));
  }
}

bool udev_rule_installed() {
  for (const char* dir : {"/etc/udev/rules.d/", "/lib/udev/rules.d/", "/usr/lib/udev/rules.d/"})
    if (std::filesystem::exists(std::string(dir) + kUdevRulesName)) return true;
  return false;
}

struct SetupArgs {
  bool print = false;
  std::string write;
  bool json = false;
};

void run_setup(const SetupArgs& a) {
  if (a.json) {
    if (!a.write.empty()) write_file_atomically(a.write, udev_rules());
    std::puts(nlohmann::json{{"rule_file", kUdevRulesName},
                             {"installed", udev_rule_installed()},
                             {"written", a.write},
                             {"rules", udev_rules()}}
                  .dump(2)
                  .c_str());
    return;
  }
  if (a.print) {
    std::fputs(udev_rules().c_str(), stdout);
    return;
  }
  if (!a.write.empty()) {
    write_file_atomically(a.write, udev_rules());
    std::printf("wrote %s\n", a.write.c_str());
    return;
  }
  std::printf(
      "calkit talks to probes through hidraw (i1Display), libusb (Spyder) and serial ttys (Klein, JETI, PR).\n"
      "Your user needs read/write access to their device nodes.\n\n"
      "udev rule: %s\n\n"
      "1. Write and install the rule (the same text as probes/udev/%s in the source tree):\n"
      "     calkit probe setup --write %s\n"
      "     sudo install -m 644 %s /etc/udev/rules.d/%s\n"
      "     sudo udevadm control --reload-rules && sudo udevadm trigger\n"
      "2. Unplug and replug the probe.\n"
      "3. Without a desktop login (ssh, CI): add yourself to plugdev: sudo usermod -aG plugdev $USER\n"
      "   Serial probes may also need: sudo usermod -aG dialout $USER   (then log out and in)\n"
      "4. Runtime libraries (Debian 12): sudo apt-get install libhidapi-hidraw0 libusb-1.0-0\n"
      "5. Close other programs that hold the probe (DisplayCAL/ArgyllCMS, vendor tray apps).\n\n"
      "Check with: calkit probe list\n",
      udev_rule_installed() ? "installed" : "NOT installed", kUdevRulesName, kUdevRulesName, kUdevRulesName,
      kUdevRulesName);
}

struct MatchArgs {
  std::string reference, colorimeter, output, method = "auto", display, description;
  bool json = false;
};

// Readings of both files paired by the RGB that was shown.
void pair_readings(const MeasurementSet& ref, const MeasurementSet& col, std::vector<Vec3>& rgb,
                   std::vector<Vec3>& ref_XYZ, std::vector<Vec3>& col_XYZ) {
  for (const Reading& r : ref.readings)
    for (const Reading& c : col.readings)
      if ((r.rgb - c.rgb).cwiseAbs().maxCoeff() <= kSignalTolerance) {
        rgb.push_back(r.rgb);
        ref_XYZ.push_back(r.XYZ);
        col_XYZ.push_back(c.XYZ);
        break;
      }
}

void run_match(const MatchArgs& a) {
  MeasurementSet ref = read_measurements(a.reference), col = read_measurements(a.colorimeter);
  std::vector<Vec3> rgb, ref_XYZ, col_XYZ;
  pair_readings(ref, col, rgb, ref_XYZ, col_XYZ);
  if (rgb.size() < 3)
    throw InputError(a.colorimeter, 0, "RGB",
                     fmt::format("only {} patches appear in both files (need red, green, blue, white)", rgb.size()));
  std::string method = a.method;
  if (method == "auto") method = rgb.size() <= 4 ? "fcmm" : "lsq";
  Mat3 m;
  if (method == "lsq") {
    m = correction_least_squares(ref_XYZ, col_XYZ);
  } else if (method == "fcmm") {
    const Vec3 want[4] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 1}};
    std::vector<Vec3> r4, c4;
    for (const Vec3& w : want) {
      std::size_t i = 0;
      while (i < rgb.size() && (rgb[i] - w).cwiseAbs().maxCoeff() > 1e-6) ++i;
      if (i == rgb.size())
        throw InputError(a.colorimeter, 0, "RGB",
                         fmt::format("the four-colour method needs patch {},{},{} in both files", w[0], w[1], w[2]));
      r4.push_back(ref_XYZ[i]);
      c4.push_back(col_XYZ[i]);
    }
    m = correction_four_color(r4, c4);
  } else {
    throw ValueError("--method", "expected fcmm, lsq or auto, got '" + a.method + "'");
  }
  ColorimeterMatrix ccmx;
  auto info = [](const MeasurementSet& s, const char* key, const std::string& fallback) {
    auto it = s.info.find(key);
    return it == s.info.end() || it->second.empty() ? fallback : it->second;
  };
  ccmx.instrument = info(col, "probe", "colorimeter");
  ccmx.reference = info(ref, "probe", "reference");
  ccmx.display = a.display.empty() ? info(col, "display", "") : a.display;
  ccmx.description = a.description.empty() ? fmt::format("{} corrected to {} ({})", ccmx.instrument, ccmx.reference,
                                                         method == "fcmm" ? "four-colour method" : "least squares")
                                           : a.description;
  ccmx.originator = "calkit probe match";
  ccmx.matrix = m;
  write_ccmx(a.output, ccmx);
  double worst = 0;
  for (std::size_t i = 0; i < rgb.size(); ++i)
    worst = std::max(worst, (m * col_XYZ[i] - ref_XYZ[i]).norm() / std::max(ref_XYZ[i].norm(), 1e-9));
  if (a.json)
    std::puts(nlohmann::json{
        {"out", a.output},
        {"method", method},
        {"patches", rgb.size()},
        {"worst_residual", worst},
        {"matrix", {{m(0, 0), m(0, 1), m(0, 2)}, {m(1, 0), m(1, 1), m(1, 2)}, {m(2, 0), m(2, 1), m(2, 2)}}}}
                  .dump(2)
                  .c_str());
  else
    std::printf("wrote %s (%s, %zu patches, worst residual %.3f%% of |XYZ|)\n", a.output.c_str(), method.c_str(),
                rgb.size(), 100 * worst);
}

}  // namespace

void add_probe(CLI::App& app) {
  auto* cmd = app.add_subcommand("probe",
                                 "Probes: list the ones plugged in, show one, set up USB access, make a CCMX.\n"
                                 "Example: calkit probe list --emulated");
  cmd->require_subcommand(1);

  struct ListArgs {
    bool emulated = false, supported = false, json = false;
  };
  auto list = std::make_shared<ListArgs>();
  auto* l = cmd->add_subcommand("list",
                                "Every supported probe plugged in (model, serial, access).\n"
                                "Example: calkit probe list --json");
  l->add_flag("--emulated", list->emulated, "also list the emulated probes (--probe emulated:NAME)");
  l->add_flag("--supported", list->supported, "list every kind of probe calkit drives (the probe table) instead");
  l->add_flag("--json", list->json, "print a JSON array");
  l->callback([list] { list->supported ? run_supported(list->json) : run_list(list->emulated, list->json); });

  auto info = std::make_shared<InfoArgs>();
  info->rig.probe = "i1d3";
  auto* i = cmd->add_subcommand("info",
                                "Open one probe and print its identity and calibration.\n"
                                "Example: calkit probe info --probe emulated:i1d3 --display sim:ips-lcd --trace t.txt\n"
                                "Example: calkit probe info --probe replay:t.txt");
  i->add_option("--probe", info->rig.probe, "i1d3, emulated:i1d3[,OPTIONS], replay:TRACE or sim")
      ->capture_default_str();
  i->add_option("--display", info->rig.display, "the simulated display an emulated probe reads: sim:NAME");
  i->add_option("--correction", info->rig.correction, ".ccss (i1d3 display type) or .ccmx");
  add_trace_option(i, info->rig);
  i->add_flag("--json", info->json, "print a JSON object");
  i->callback([info] { run_info(*info); });

  auto setup = std::make_shared<SetupArgs>();
  auto* s = cmd->add_subcommand("setup",
                                "What to install so that calkit may open USB probes (udev rule).\n"
                                "Example: calkit probe setup --write 60-calkit.rules");
  s->add_flag("--print", setup->print, "print the udev rules only");
  s->add_option("--write", setup->write, "write the udev rules to this file");
  s->add_flag("--json", setup->json, "print whether the rule is installed, and the rules, as JSON");
  s->callback([setup] { run_setup(*setup); });

  auto match = std::make_shared<MatchArgs>();
  auto* m = cmd->add_subcommand(
      "match",
      "Make a CCMX from a reference spectro and a colorimeter that read the same patches.\n"
      "Example: calkit probe match --reference ref.ti3 --colorimeter col.ti3 -o display.ccmx --method fcmm");
  m->add_option("--reference", match->reference, "reference readings (.ti3/.json/.csv)")->required();
  m->add_option("--colorimeter", match->colorimeter, "colorimeter readings of the same RGB patches")->required();
  m->add_option("-o,--out", match->output, "the .ccmx to write")->required();
  m->add_option("--method", match->method,
                "fcmm (four-colour, needs R, G, B, W), lsq (least squares, >= 3 patches) or auto "
                "(fcmm for 4 patches, else lsq)")
      ->capture_default_str();
  m->add_option("--display", match->display, "DISPLAY keyword of the CCMX");
  m->add_option("--description", match->description, "DESCRIPTOR keyword of the CCMX");
  m->add_flag("--json", match->json, "print the matrix and its residual as JSON");
  m->callback([match] { run_match(*match); });
}

}  // namespace calkit::cli
