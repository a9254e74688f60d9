// HidTransport over hidapi's hidraw backend (Linux hidraw; hidapi keeps macOS/Windows portable).
#include <fmt/format.h>
#include <hidapi/hidapi.h>
#include <libusb-1.0/libusb.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "probes/transport/transport.hpp"

namespace calkit {
namespace {

std::string hid_message(hid_device* dev) {
  const wchar_t* w = hid_error(dev);
  std::string s;
  if (w)
    for (; *w; ++w) s += *w < 128 ? static_cast<char>(*w) : '?';
  return s.empty() ? std::strerror(errno) : s;
}

// The bus number and address of the USB device behind /dev/hidrawN (sysfs: the hidraw node's
// device, up to the USB device that holds busnum and devnum).
bool usb_address_of(const std::string& hidraw, int& bus, int& address) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path dev = fs::canonical(fs::path("/sys/class/hidraw") / fs::path(hidraw).filename() / "device", ec);
  for (int up = 0; !ec && up < 4 && !dev.empty(); ++up, dev = dev.parent_path())
    if (fs::exists(dev / "busnum") && fs::exists(dev / "devnum")) {
      std::ifstream(dev / "busnum") >> bus;
      std::ifstream(dev / "devnum") >> address;
      return bus > 0 && address > 0;
    }
  return false;
}

class HidapiTransport : public HidTransport {
 public:
  HidapiTransport(hid_device* dev, std::string path) : dev_(dev), path_(std::move(path)) {}
  ~HidapiTransport() override {
    if (dev_) hid_close(dev_);
  }

  // hidraw has no reset: close the node, then reset the USB device it belongs to through libusb.
  void reset_device() override {
    if (dev_) hid_close(dev_);
    dev_ = nullptr;
    int bus = 0, address = 0;
    if (!usb_address_of(path_, bus, address))
      throw ProbeError(ProbeErrorKind::NotFound, path_ + ": no USB device found behind it to reset");
    libusb_context* ctx = nullptr;
    if (libusb_init(&ctx) != 0) throw ProbeError(ProbeErrorKind::Protocol, "libusb failed to initialise");
    libusb_device** list = nullptr;
    const ssize_t n = libusb_get_device_list(ctx, &list);
    int rc = LIBUSB_ERROR_NOT_FOUND;
    for (ssize_t i = 0; i < n; ++i) {
      if (libusb_get_bus_number(list[i]) != bus || libusb_get_device_address(list[i]) != address) continue;
      libusb_device_handle* h = nullptr;
      rc = libusb_open(list[i], &h);
      if (rc == 0) {
        rc = libusb_reset_device(h);
        libusb_close(h);
      }
      break;
    }
    if (n >= 0) libusb_free_device_list(list, 1);
    libusb_exit(ctx);
    if (rc != 0 && rc != LIBUSB_ERROR_NOT_FOUND)  // NOT_FOUND after a reset: it re-enumerated
      throw ProbeError(ProbeErrorKind::Protocol,
                       fmt::format("{}: USB reset failed ({})", path_, libusb_error_name(rc)));
  }

  void write_report(std::span<const std::uint8_t> report) override {
    if (!dev_) throw ProbeError(ProbeErrorKind::Disconnected, path_ + ": reset and closed");
    // No report IDs: hidapi wants a leading 0x00 that is not sent on the wire.
    Bytes buf(report.size() + 1, 0);
    std::memcpy(buf.data() + 1, report.data(), report.size());
    if (hid_write(dev_, buf.data(), buf.size()) < 0)
      throw ProbeError(ProbeErrorKind::Disconnected,
                       fmt::format("{}: write failed, device disconnected? ({})", path_, hid_message(dev_)));
  }

  Bytes read_report(int timeout_ms) override {
    if (!dev_) throw ProbeError(ProbeErrorKind::Disconnected, path_ + ": reset and closed");
    Bytes buf(64);
    int n = hid_read_timeout(dev_, buf.data(), buf.size(), timeout_ms);
    if (n < 0)
      throw ProbeError(ProbeErrorKind::Disconnected,
                       fmt::format("{}: read failed, device disconnected? ({})", path_, hid_message(dev_)));
    if (n == 0) throw ProbeError(ProbeErrorKind::Timeout, fmt::format("{}: no reply within {} ms", path_, timeout_ms));
    buf.resize(static_cast<std::size_t>(n));
    return buf;
  }

  std::string path() const override { return path_; }

 private:
  hid_device* dev_;
  std::string path_;
};

void init_hidapi() {
  if (hid_init() != 0) throw ProbeError(ProbeErrorKind::Protocol, "hidapi failed to initialise");
}

}  // namespace

std::unique_ptr<HidTransport> open_hid_path(const std::string& path) {
  init_hidapi();
  // hidapi reports every failure the same way; the device node tells us which one it was.
  if (::access(path.c_str(), F_OK) != 0)
    throw ProbeError(ProbeErrorKind::NotFound, path + ": no such device (unplugged?)");
  if (::access(path.c_str(), R_OK | W_OK) != 0) throw permission_error(path);
  errno = 0;
  hid_device* dev = hid_open_path(path.c_str());
  if (!dev) {
    if (errno == EBUSY) throw ProbeError(ProbeErrorKind::Busy, path + " is busy: another program holds it open");
    if (errno == EACCES || errno == EPERM) throw permission_error(path);
    throw ProbeError(ProbeErrorKind::NotFound, fmt::format("{}: cannot open ({})", path, std::strerror(errno)));
  }
  return std::make_unique<HidapiTransport>(dev, path);
}

std::unique_ptr<HidTransport> open_hid(std::uint16_t vid, std::uint16_t pid, const std::string& serial) {
  init_hidapi();
  hid_device_info* list = hid_enumerate(vid, pid);
  std::string path;
  for (hid_device_info* d = list; d && path.empty(); d = d->next) {
    std::string s;
    if (d->serial_number)
      for (const wchar_t* w = d->serial_number; *w; ++w) s += static_cast<char>(*w);
    if (serial.empty() || s == serial) path = d->path ? d->path : "";
  }
  hid_free_enumeration(list);
  if (path.empty())
    throw ProbeError(ProbeErrorKind::NotFound, fmt::format("no HID device {:04x}:{:04x}{} is plugged in", vid, pid,
                                                           serial.empty() ? "" : " with serial " + serial));
  return open_hid_path(path);
}

}  // namespace calkit
