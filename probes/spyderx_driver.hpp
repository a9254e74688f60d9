#pragma once
// Datacolor SpyderX colorimeter over vendor USB (wire facts: probes/spyderx_protocol.hpp, cited
// to ArgyllCMS and PsyCalibrator). open(): reset, hardware version, serial, the on-board
// calibration for the display type (matrix and integration time), the ambient measurement that
// initialises it, then a black calibration with the cap on (the user is asked). read(): setup,
// reset, measure, XYZ = matrix · (raw − black subtraction − black calibration). The black
// calibration is redone (asking again) after 30 minutes, as Argyll does. Ambient: lux only.
#include <array>
#include <functional>
#include <memory>
#include <string>

#include "core/clock.hpp"
#include "core/device_spec.hpp"
#include "probes/probe.hpp"
#include "probes/transport/transport.hpp"

namespace calkit {

enum class SpyderxStep { PutCapOn, TakeCapOff };

struct SpyderxOptions {
  int calibration = 0;  // 0 general (CCFL), 1 standard LED, 2 wide-gamut LED, 3 GB LED
  // Asks the user to put the cap on / take it off; default: a message on stderr, wait for Enter.
  std::function<void(SpyderxStep)> ask_user;
  double black_expiry_s = 30 * 60;
  int timeout_ms = 5000;
};

class SpyderxDriver : public Probe {
 public:
  SpyderxDriver(std::unique_ptr<UsbTransport> transport, Clock& clock, SpyderxOptions options = {});

  void open() override;
  void close() override;  // resets the USB device, as ArgyllCMS does on Linux
  ProbeIdentity identity() const override { return identity_; }
  ProbeCapabilities capabilities() const override;
  void set_display_mode(const std::string& mode) override;  // a kCalibrationNames entry
  ProbeReading read() override;
  AmbientReading read_ambient() override;  // xy is NaN: the ambient sensor is monochrome

  void black_calibrate();  // asks for the cap, measures the dark signal, asks to remove it
  void set_ask_user(std::function<void(SpyderxStep)> ask) { options_.ask_user = std::move(ask); }
  std::array<std::uint16_t, 4> measure_raw();
  const Mat3& calibration_matrix() const { return matrix_; }
  const std::array<double, 3>& black() const { return black_; }
  int integration_ms() const { return v2_; }

 private:
  Bytes command(std::uint8_t cmd, const Bytes& payload, std::size_t reply_length, int timeout_ms);
  void reset();
  void setup();
  void load_calibration(int index);
  void check_open() const;

  std::unique_ptr<UsbTransport> transport_;
  Clock& clock_;
  SpyderxOptions options_;
  std::uint16_t nonce_ = 0;
  bool open_ = false;
  ProbeIdentity identity_;
  Mat3 matrix_ = Mat3::Identity();
  std::uint8_t v1_ = 0;
  int v2_ = 0;
  std::uint8_t s1_ = 0;
  std::array<std::uint8_t, 4> s2_{}, s3_{};
  std::array<double, 3> black_{};
  double black_time_s_ = -1;
};

// The driver's own --probe options: mode=NAME picks an on-board matrix.
SpyderxOptions spyderx_options(const std::vector<SpecOption>& options);
// The probe-table row's driver (probe_table.cpp) on an open wire.
std::unique_ptr<Probe> make_spyderx_probe(ProbeWire wire, Clock& clock, const std::vector<SpecOption>& options);

}  // namespace calkit
