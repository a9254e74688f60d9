// UsbTransport over libusb-1.0: one claimed interface, synchronous transfers with timeouts.
#include <fmt/format.h>
#include <libusb-1.0/libusb.h>

#include "probes/transport/transport.hpp"

namespace calkit {
namespace {

ProbeError usb_error(int rc, const std::string& path, const std::string& what) {
  std::string msg = fmt::format("{}: {} failed ({})", path, what, libusb_error_name(rc));
  switch (rc) {
    case LIBUSB_ERROR_ACCESS:
      return permission_error(path);
    case LIBUSB_ERROR_BUSY:
      return ProbeError(ProbeErrorKind::Busy, path + " is busy: another program has claimed it");
    case LIBUSB_ERROR_NO_DEVICE:
      return ProbeError(ProbeErrorKind::Disconnected, msg + ": device disconnected");
    case LIBUSB_ERROR_NOT_FOUND:
      return ProbeError(ProbeErrorKind::NotFound, msg);
    case LIBUSB_ERROR_TIMEOUT:
      return ProbeError(ProbeErrorKind::Timeout, msg);
    default:
      return ProbeError(ProbeErrorKind::Protocol, msg);
  }
}

class LibusbTransport : public UsbTransport {
 public:
  LibusbTransport(libusb_context* ctx, libusb_device_handle* h, int iface, std::string path)
      : ctx_(ctx), h_(h), iface_(iface), path_(std::move(path)) {}
  ~LibusbTransport() override {
    libusb_release_interface(h_, iface_);
    libusb_close(h_);
    libusb_exit(ctx_);
  }

  int control_transfer(std::uint8_t request_type, std::uint8_t request, std::uint16_t value, std::uint16_t index,
                       std::span<std::uint8_t> data, int timeout_ms) override {
    int rc = libusb_control_transfer(h_, request_type, request, value, index, data.data(),
                                     static_cast<std::uint16_t>(data.size()), static_cast<unsigned>(timeout_ms));
    if (rc < 0) throw usb_error(rc, path_, fmt::format("control request 0x{:02x}", request));
    return rc;
  }
  int bulk_write(std::uint8_t ep, std::span<const std::uint8_t> data, int timeout_ms) override {
    return transfer(ep, const_cast<std::uint8_t*>(data.data()), data.size(), timeout_ms, false, "bulk write");
  }
  Bytes bulk_read(std::uint8_t ep, std::size_t max_length, int timeout_ms) override {
    Bytes buf(max_length);
    buf.resize(static_cast<std::size_t>(transfer(ep, buf.data(), max_length, timeout_ms, false, "bulk read")));
    return buf;
  }
  int interrupt_write(std::uint8_t ep, std::span<const std::uint8_t> data, int timeout_ms) override {
    return transfer(ep, const_cast<std::uint8_t*>(data.data()), data.size(), timeout_ms, true, "interrupt write");
  }
  Bytes interrupt_read(std::uint8_t ep, std::size_t max_length, int timeout_ms) override {
    Bytes buf(max_length);
    buf.resize(static_cast<std::size_t>(transfer(ep, buf.data(), max_length, timeout_ms, true, "interrupt read")));
    return buf;
  }
  // After releasing the interface, as ArgyllCMS does (A usbio_lx.c usb_close_port).
  void reset_device() override {
    libusb_release_interface(h_, iface_);
    const int rc = libusb_reset_device(h_);
    if (rc != 0 && rc != LIBUSB_ERROR_NOT_FOUND) throw usb_error(rc, path_, "USB reset");
  }
  std::string path() const override { return path_; }

 private:
  int transfer(std::uint8_t ep, std::uint8_t* data, std::size_t n, int timeout_ms, bool interrupt, const char* what) {
    int moved = 0;
    int rc =
        interrupt
            ? libusb_interrupt_transfer(h_, ep, data, static_cast<int>(n), &moved, static_cast<unsigned>(timeout_ms))
            : libusb_bulk_transfer(h_, ep, data, static_cast<int>(n), &moved, static_cast<unsigned>(timeout_ms));
    if (rc < 0) throw usb_error(rc, path_, fmt::format("{} on endpoint 0x{:02x}", what, ep));
    return moved;
  }

  libusb_context* ctx_;
  libusb_device_handle* h_;
  int iface_;
  std::string path_;
};

}  // namespace

std::unique_ptr<UsbTransport> open_usb(std::uint16_t vid, std::uint16_t pid, int interface_number) {
  libusb_context* ctx = nullptr;
  if (int rc = libusb_init(&ctx); rc != 0) throw usb_error(rc, "libusb", "initialisation");
  libusb_device** list = nullptr;
  ssize_t n = libusb_get_device_list(ctx, &list);
  libusb_device* found = nullptr;
  for (ssize_t i = 0; i < n && !found; ++i) {
    libusb_device_descriptor desc{};
    if (libusb_get_device_descriptor(list[i], &desc) == 0 && desc.idVendor == vid && desc.idProduct == pid)
      found = list[i];
  }
  std::string path = fmt::format("usb {:04x}:{:04x}", vid, pid);
  libusb_device_handle* h = nullptr;
  int rc = found ? libusb_open(found, &h) : LIBUSB_ERROR_NOT_FOUND;
  if (n >= 0) libusb_free_device_list(list, 1);
  if (rc != 0) {
    libusb_exit(ctx);
    if (rc == LIBUSB_ERROR_NOT_FOUND)
      throw ProbeError(ProbeErrorKind::NotFound, "no USB device " + path.substr(4) + " is plugged in");
    throw usb_error(rc, path, "open");
  }
  libusb_set_auto_detach_kernel_driver(h, 1);
  if (rc = libusb_claim_interface(h, interface_number); rc != 0) {
    libusb_close(h);
    libusb_exit(ctx);
    throw usb_error(rc, path, "claiming the interface");
  }
  return std::make_unique<LibusbTransport>(ctx, h, interface_number, path);
}

}  // namespace calkit
