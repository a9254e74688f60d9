#pragma once
// The three wires a probe driver talks through: HID reports (hidapi/hidraw), vendor USB transfers
// (libusb-1.0) and serial ports (termios: FTDI and CDC-ACM ttys). A driver holds one of these
// interfaces and nothing else, so the same driver runs on real hardware and on an in-process
// device emulator (e.g. I1d3Emulator implements HidTransport).
//
// Every failure is a ProbeError with a kind a caller can act on:
//   NotFound      no such device is plugged in
//   Permission    the device node is not accessible (message ends with the udev hint)
//   Busy          another program holds the device (claimed interface, locked tty)
//   Disconnected  the device went away (before or in the middle of a transfer)
//   Timeout       no reply in time
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "probes/probe.hpp"

namespace calkit {

using Bytes = std::vector<std::uint8_t>;

// "... run `calkit probe setup` to install the udev rule" (appended to Permission errors).
std::string udev_hint();
ProbeError permission_error(const std::string& what);  // kind Permission, message + udev_hint()

// One HID device without report IDs (the i1d3 family). Reports are given and returned without
// the report-ID byte; the hidapi implementation prepends the 0x00 that hid_write expects.
class HidTransport {
 public:
  virtual ~HidTransport() = default;
  virtual void write_report(std::span<const std::uint8_t> report) = 0;
  // One input report (up to its full length). Timeout after timeout_ms without a report.
  virtual Bytes read_report(int timeout_ms) = 0;
  // A USB port reset: the device re-enumerates, and this transport is of no use afterwards.
  // ArgyllCMS resets the i1d3 and the SpyderX before closing them on Linux, or they "won't
  // re-open" (A usbio_lx.c usb_close_port, icomuf_reset_before_close). Default: nothing to reset.
  virtual void reset_device() {}
  virtual std::string path() const = 0;  // "/dev/hidraw3", "emulated:i1d3"
};

// One claimed interface of a vendor-class USB device. Endpoints carry their direction bit
// (0x81 = IN 1). Transfers return the bytes actually moved.
class UsbTransport {
 public:
  virtual ~UsbTransport() = default;
  // bmRequestType bit 7 set: device-to-host, `data` is filled (returns bytes received);
  // clear: host-to-device, `data` is sent.
  virtual int control_transfer(std::uint8_t request_type, std::uint8_t request, std::uint16_t value,
                               std::uint16_t index, std::span<std::uint8_t> data, int timeout_ms) = 0;
  virtual int bulk_write(std::uint8_t endpoint, std::span<const std::uint8_t> data, int timeout_ms) = 0;
  virtual Bytes bulk_read(std::uint8_t endpoint, std::size_t max_length, int timeout_ms) = 0;
  virtual int interrupt_write(std::uint8_t endpoint, std::span<const std::uint8_t> data, int timeout_ms) = 0;
  virtual Bytes interrupt_read(std::uint8_t endpoint, std::size_t max_length, int timeout_ms) = 0;
  virtual void reset_device() {}         // as HidTransport::reset_device
  virtual std::string path() const = 0;  // "usb:1-4" or "emulated:spyderx"
};

// A serial port, 8 data bits, no parity, 1 stop bit, no flow control unless asked.
class SerialTransport {
 public:
  virtual ~SerialTransport() = default;
  virtual void set_baud(int baud) = 0;  // ProbeError Protocol for a rate the port cannot do
  virtual void write(std::span<const std::uint8_t> bytes) = 0;
  void write(std::string_view text) {
    write(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  }
  // Reads until one of `terminators` arrives (kept in the result) or max_length bytes were read.
  // Timeout when neither happens within timeout_ms (total, not per byte).
  virtual std::string read_until(std::string_view terminators, std::size_t max_length, int timeout_ms) = 0;
  // Reads exactly `count` bytes (fixed-length replies, e.g. the Klein K10).
  virtual std::string read_exact(std::size_t count, int timeout_ms) = 0;
  virtual void discard_input() = 0;      // drop whatever the device sent that nobody read
  virtual std::string path() const = 0;  // "/dev/ttyUSB0" or "emulated:k10"
};

// The wire a probe kind talks through: one of the three above (probe_table.hpp).
using ProbeWire =
    std::variant<std::unique_ptr<HidTransport>, std::unique_ptr<UsbTransport>, std::unique_ptr<SerialTransport>>;

// The wire of the kind a driver needs; ProbeError Protocol when it holds another kind.
template <typename Transport>
std::unique_ptr<Transport> take_wire(ProbeWire& wire, const std::string& driver) {
  if (auto* t = std::get_if<std::unique_ptr<Transport>>(&wire)) return std::move(*t);
  throw ProbeError(ProbeErrorKind::Protocol, driver + ": the wire is not the transport this driver talks through");
}

// ---- Opening real devices ----------------------------------------------------------------------

// First HID device with this VID:PID (serial empty) or the one with this serial number.
std::unique_ptr<HidTransport> open_hid(std::uint16_t vid, std::uint16_t pid, const std::string& serial = "");
std::unique_ptr<HidTransport> open_hid_path(const std::string& path);
// First USB device with this VID:PID; claims `interface_number` (detaching a kernel driver).
std::unique_ptr<UsbTransport> open_usb(std::uint16_t vid, std::uint16_t pid, int interface_number = 0);
// A tty (e.g. /dev/ttyUSB0) at `baud`, 8N1, raw, locked against other programs.
std::unique_ptr<SerialTransport> open_serial(const std::string& path, int baud);

// ---- Enumeration (`calkit probe list`) ---------------------------------------------------------

enum class TransportKind { Hid, Usb, Serial };

// One VID:PID calkit drives. driver: the --probe name ("i1d3", "spyderx", ...), "k10|jeti" where
// two drivers share a serial adapter.
struct SupportedDevice {
  std::uint16_t vid = 0;
  std::uint16_t pid = 0;
  TransportKind transport = TransportKind::Hid;
  std::string driver;
  std::string model;
};
// Every VID:PID of the probe table (probes/probe_table.cpp), each once.
const std::vector<SupportedDevice>& supported_devices();

struct FoundDevice {
  SupportedDevice device;
  std::string path;    // /dev/hidrawN, usb:BUS-PORTS or /dev/ttyUSBN
  std::string serial;  // from the USB descriptor when readable
  bool accessible = true;
  std::string problem;  // why it cannot be opened (permission hint), empty when accessible
};
// Every plugged-in supported device (HID via hidapi, vendor USB via libusb, ttys via sysfs).
std::vector<FoundDevice> find_devices();

// The udev rules that give the logged-in user (uaccess) and the plugdev group access to every
// supported device; probes/udev/60-calkit.rules holds exactly this text.
std::string udev_rules();
inline constexpr const char* kUdevRulesName = "60-calkit.rules";

}  // namespace calkit
