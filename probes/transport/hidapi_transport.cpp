// HidTransport over hidapi's hidraw backend (Linux hidraw; hidapi keeps macOS/Windows portable).
#include <fmt/format.h>
#include <hidapi/hidapi.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

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

class HidapiTransport : public HidTransport {
 public:
  HidapiTransport(hid_device* dev, std::string path) : dev_(dev), path_(std::move(path)) {}
  ~HidapiTransport() override { hid_close(dev_); }

  void write_report(std::span<const std::uint8_t> report) override {
    // No report IDs: hidapi wants a leading 0x00 that is not sent on the wire.
    Bytes buf(report.size() + 1, 0);
    std::memcpy(buf.data() + 1, report.data(), report.size());
    if (hid_write(dev_, buf.data(), buf.size()) < 0)
      throw ProbeError(ProbeErrorKind::Disconnected,
                       fmt::format("{}: write failed, device disconnected? ({})", path_, hid_message(dev_)));
  }

  Bytes read_report(int timeout_ms) override {
    Bytes buf(64);
    int n = hid_read_timeout(dev_, buf.data(), buf.size(), timeout_ms);
    if (n < 0)
      throw ProbeError(ProbeErrorKind::Disconnected,
                       fmt::format("{}: read failed, device disconnected? ({})", path_, hid_message(dev_)));
    if (n == 0)
      throw ProbeError(ProbeErrorKind::Timeout, fmt::format("{}: no reply within {} ms", path_, timeout_ms));
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
    if (errno == EBUSY)
      throw ProbeError(ProbeErrorKind::Busy, path + " is busy: another program holds it open");
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
    throw ProbeError(ProbeErrorKind::NotFound,
                     fmt::format("no HID device {:04x}:{:04x}{} is plugged in", vid, pid,
                                 serial.empty() ? "" : " with serial " + serial));
  return open_hid_path(path);
}

}  // namespace calkit
