#pragma once
// An in-process Datacolor SpyderX at the vendor-USB boundary (probes/spyderx_protocol.hpp): the
// reset control request (not acknowledged by default: the independent drivers ignore its
// outcome), framed commands with nonce echo, the four on-board calibrations (matrix fitted for
// each display type to its filters, which only approximate the CIE observer), measurement setup
// with the documented junk/status for wrong setup values, raw counts proportional to the
// integration time and clipped at 0xFFFF, a lens cap (dark counts = device offset + a thermal
// offset, below the device's black subtraction on one channel, that only a black calibration
// removes), and the TSL25721-like ambient sensor.
#include <array>
#include <optional>
#include <string>

#include "emulators/device_emulator.hpp"
#include "probes/spyderx_driver.hpp"
#include "probes/spyderx_protocol.hpp"
#include "sim/virtual_display.hpp"

namespace calkit {

struct SpyderxEmulatorOptions {
  std::string serial = "SX019482";
  double counts_per_nit = 60;  // raw counts per cd/m² of white at the default integration time
  double ambient_lux = 5;
  bool user_forgets_cap = false;            // the (emulated) user never puts the cap on
  bool reset_stalls = true;                 // the reset request is not acknowledged (drivers ignore it)
  std::array<double, 3> dark = {6, -4, 9};  // thermal dark counts beside the black subtraction
  DeviceFaults faults;
};

// "disconnect-after=N,mute-after=N,garble-after=N,busy,permission,lux=L,forget-cap,counts-per-nit=K,
// reset=ok|stall,dark=R:G:B".
SpyderxEmulatorOptions parse_spyderx_emulator_options(const std::vector<SpecOption>& options);

class SpyderxEmulator : public UsbTransport {
 public:
  SpyderxEmulator(VirtualDisplay& display, SpyderxEmulatorOptions options = {});

  int control_transfer(std::uint8_t request_type, std::uint8_t request, std::uint16_t value, std::uint16_t index,
                       std::span<std::uint8_t> data, int timeout_ms) override;
  int bulk_write(std::uint8_t endpoint, std::span<const std::uint8_t> data, int timeout_ms) override;
  Bytes bulk_read(std::uint8_t endpoint, std::size_t max_length, int timeout_ms) override;
  int interrupt_write(std::uint8_t endpoint, std::span<const std::uint8_t> data, int timeout_ms) override;
  Bytes interrupt_read(std::uint8_t endpoint, std::size_t max_length, int timeout_ms) override;
  void reset_device() override;  // re-enumerates: this handle is gone afterwards
  std::string path() const override { return "emulated:spyderx"; }

  void set_cap(bool on) { cap_on_ = on; }
  bool cap_on() const { return cap_on_; }
  bool forgets_cap() const { return options_.user_forgets_cap; }
  std::size_t resets() const { return resets_; }                // reset control requests
  std::size_t device_resets() const { return device_resets_; }  // USB port resets
  std::size_t command_count() const { return schedule_.commands(); }
  // The thermal dark offset (counts) a black calibration must find; it may be negative: the
  // device's own black subtraction can overshoot.
  const std::array<double, 3>& dark() const { return options_.dark; }

 private:
  Bytes handle(const spyderx::Frame& f, std::uint8_t& status);
  Bytes measure(const Bytes& request, std::uint8_t& status);

  VirtualDisplay& display_;
  SpyderxEmulatorOptions options_;
  FaultSchedule schedule_;
  Mat3 counts_per_XYZ_;               // at the default integration time
  std::array<Mat3, 4> calibrations_;  // counts -> XYZ per display type
  std::optional<Bytes> reply_;
  bool cap_on_ = false;
  bool setup_done_ = false;
  std::size_t resets_ = 0;
  std::size_t device_resets_ = 0;
};

// The production driver on an emulator reading `display`, with an emulated user who puts the
// cap on and takes it off when asked (unless forget-cap). Not yet opened.
std::unique_ptr<SpyderxDriver> make_emulated_spyderx(VirtualDisplay& display, const std::string& options_tail = "",
                                                     SpyderxOptions driver_options = {},
                                                     SpyderxEmulator** emulator = nullptr);

}  // namespace calkit
