#include "probes/transport/transport.hpp"

#include <fmt/format.h>
#include <hidapi/hidapi.h>
#include <libusb-1.0/libusb.h>
#include <unistd.h>

#include <filesystem>

#include "core/files.hpp"

namespace calkit {

std::string udev_hint() {
  return "; run `calkit probe setup` to install the udev rule that gives your user access "
         "(probes/udev/60-calkit.rules), then unplug and replug the probe";
}

ProbeError permission_error(const std::string& what) {
  return ProbeError(ProbeErrorKind::Permission, "permission denied opening " + what + udev_hint());
}

namespace {

const SupportedDevice* lookup(std::uint16_t vid, std::uint16_t pid, TransportKind kind) {
  for (const SupportedDevice& d : supported_devices())
    if (d.vid == vid && d.pid == pid && d.transport == kind) return &d;
  return nullptr;
}

std::string to_utf8(const wchar_t* w) {
  std::string s;
  if (!w) return s;
  for (; *w; ++w) s += *w < 128 ? static_cast<char>(*w) : '?';
  return s;
}

std::string access_problem(const std::string& node) {
  if (::access(node.c_str(), R_OK | W_OK) == 0) return "";
  return "no read/write access to " + node + udev_hint();
}

void find_hid(std::vector<FoundDevice>& out) {
  if (hid_init() != 0) return;
  hid_device_info* list = hid_enumerate(0, 0);
  for (hid_device_info* d = list; d; d = d->next) {
    const SupportedDevice* s = lookup(d->vendor_id, d->product_id, TransportKind::Hid);
    if (!s) continue;
    FoundDevice f{*s, d->path ? d->path : "", to_utf8(d->serial_number), true, ""};
    f.problem = access_problem(f.path);
    f.accessible = f.problem.empty();
    out.push_back(f);
  }
  hid_free_enumeration(list);
}

void find_usb(std::vector<FoundDevice>& out) {
  libusb_context* ctx = nullptr;
  if (libusb_init(&ctx) != 0) return;
  libusb_device** list = nullptr;
  ssize_t n = libusb_get_device_list(ctx, &list);
  for (ssize_t i = 0; i < n; ++i) {
    libusb_device_descriptor desc{};
    if (libusb_get_device_descriptor(list[i], &desc) != 0) continue;
    const SupportedDevice* s = lookup(desc.idVendor, desc.idProduct, TransportKind::Usb);
    if (!s) continue;
    std::uint8_t ports[8];
    int np = libusb_get_port_numbers(list[i], ports, 8);
    std::string path = fmt::format("usb:{}", libusb_get_bus_number(list[i]));
    for (int p = 0; p < np; ++p) path += fmt::format("{}{}", p == 0 ? "-" : ".", ports[p]);
    FoundDevice f{*s, path, "", true, ""};
    libusb_device_handle* h = nullptr;
    int rc = libusb_open(list[i], &h);
    if (rc == LIBUSB_ERROR_ACCESS) {
      f.accessible = false;
      f.problem = "no access to " + path + udev_hint();
    } else if (rc == 0) {
      unsigned char buf[128];
      if (desc.iSerialNumber && libusb_get_string_descriptor_ascii(h, desc.iSerialNumber, buf, sizeof buf) > 0)
        f.serial = reinterpret_cast<char*>(buf);
      libusb_close(h);
    }
    out.push_back(f);
  }
  if (n >= 0) libusb_free_device_list(list, 1);
  libusb_exit(ctx);
}

// The first line of a sysfs attribute; "" when it cannot be read.
std::string read_line(const std::filesystem::path& p) {
  try {
    std::string text = read_file_text(p, 4096);
    return text.substr(0, text.find('\n'));
  } catch (const std::exception&) {
    return "";
  }
}

// ttyUSB*/ttyACM*: walk sysfs up from the tty's device to the USB device holding idVendor.
void find_serial(std::vector<FoundDevice>& out) {
  namespace fs = std::filesystem;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator("/sys/class/tty", ec)) {
    std::string name = e.path().filename().string();
    if (name.rfind("ttyUSB", 0) != 0 && name.rfind("ttyACM", 0) != 0) continue;
    fs::path dev = fs::canonical(e.path() / "device", ec);
    if (ec) continue;
    for (int up = 0; up < 4 && !dev.empty(); ++up, dev = dev.parent_path()) {
      if (!fs::exists(dev / "idVendor")) continue;
      auto vid = static_cast<std::uint16_t>(std::stoul(read_line(dev / "idVendor"), nullptr, 16));
      auto pid = static_cast<std::uint16_t>(std::stoul(read_line(dev / "idProduct"), nullptr, 16));
      const SupportedDevice* s = lookup(vid, pid, TransportKind::Serial);
      if (s) {
        FoundDevice f{*s, "/dev/" + name, read_line(dev / "serial"), true, ""};
        f.problem = access_problem(f.path);
        f.accessible = f.problem.empty();
        out.push_back(f);
      }
      break;
    }
  }
}

}  // namespace

std::string udev_rules() {
  std::string out =
      "# calkit: access to display probes for the logged-in user (TAG uaccess, systemd-logind) and the\n"
      "# plugdev group. Generated from the supported-device table (`calkit probe setup --print`).\n"
      "# Install: sudo install -m 644 60-calkit.rules /etc/udev/rules.d/ && sudo udevadm control "
      "--reload-rules && sudo udevadm trigger\n"
      "# The number 60 keeps it before 73-seat-late.rules, which turns uaccess tags into ACLs.\n";
  for (const SupportedDevice& d : supported_devices()) {
    const std::string ids = fmt::format("ATTRS{{idVendor}}==\"{:04x}\", ATTRS{{idProduct}}==\"{:04x}\"", d.vid, d.pid);
    const std::string access = ", MODE=\"0660\", GROUP=\"plugdev\", TAG+=\"uaccess\"\n";
    out += fmt::format("\n# {} (--probe {})\n", d.model, d.driver);
    out += "SUBSYSTEM==\"usb\", " + ids + access;
    if (d.transport == TransportKind::Hid) out += "KERNEL==\"hidraw*\", " + ids + access;
    if (d.transport == TransportKind::Serial) out += "SUBSYSTEM==\"tty\", " + ids + access;
  }
  return out;
}

std::vector<FoundDevice> find_devices() {
  std::vector<FoundDevice> out;
  find_hid(out);
  find_usb(out);
  find_serial(out);
  return out;
}

}  // namespace calkit
