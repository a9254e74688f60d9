#pragma once
// An in-process i1Display Pro (i1d3) at the HID boundary: the production I1d3Driver runs on it
// unchanged. It answers the command set of probes/i1d3_protocol.hpp as the independent drivers
// describe the instrument (identify with byte 1 echoing the major code, so 0x00 for 0x00xx
// commands; lock challenge-response; internal and external EEPROM, whose checksum only an A-01
// unit keeps reliably; frequency and period measurement with 0x83 when no edge comes; diffuser
// position), and turns the light of a VirtualDisplay into sensor edge counts through the
// sensitivities stored in its EEPROM. It rejects and records every EEPROM-write command.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "emulators/device_emulator.hpp"
#include "emulators/display_spectrum.hpp"
#include "probes/i1d3_driver.hpp"
#include "probes/i1d3_protocol.hpp"
#include "probes/transport/transport.hpp"
#include "sim/virtual_display.hpp"

namespace calkit {

struct I1d3EmulatorOptions {
  std::string variant = "i1display-pro";  // unlock key name (i1d3::unlock_keys())
  bool locked = true;
  std::string serial = "I1-11.A-01.100999.02";
  std::string hardware_revision = "B-02";  // a checksum that must match; later: unreliable
  double refresh_hz = 0;                   // > 0: the light flickers at this rate (PWM backlight, refresh)
  double flicker_depth = 0.3;              // relative amplitude of that flicker
  bool diffuser_ambient = false;           // the ambient diffuser is swung over the sensor
  double ambient_lux = 5;                  // the room light the diffuser sees (blackbody)
  double ambient_kelvin = 6500;
  double device_timeout_s = 10;  // period mode gives up (status 0x83) when edges take longer
  DeviceFaults faults;
};

// Options from a probe spec tail: the shared faults (disconnect-after=N, mute-after=N,
// garble-after=N, busy, permission) and "refresh=60,variant=colormunki-display,locked=no,
// wrong-unlock,corrupt-eeprom,diffuser=ambient,lux=20,kelvin=5000".
// Unknown keys throw InputError naming the key.
I1d3EmulatorOptions parse_i1d3_emulator_options(const std::vector<SpecOption>& options);

class I1d3Emulator : public HidTransport {
 public:
  // The display must outlive the emulator; the emulator sleeps on the display's clock while it
  // "integrates". Throws the open faults (busy, permission) like a real open would.
  I1d3Emulator(VirtualDisplay& display, I1d3EmulatorOptions options = {});

  void write_report(std::span<const std::uint8_t> report) override;
  Bytes read_report(int timeout_ms) override;
  void reset_device() override;  // re-enumerates: this handle is gone afterwards
  std::string path() const override { return "emulated:i1d3"; }

  // Test hooks.
  std::size_t command_count() const { return commands_.size(); }
  const std::vector<std::uint16_t>& commands() const { return commands_; }
  bool write_command_seen() const { return write_command_seen_; }
  std::size_t resets() const { return resets_; }
  bool unlocked() const { return !locked_; }
  void set_diffuser_ambient(bool on) { options_.diffuser_ambient = on; }
  // The sensor sensitivities (Hz per W/(sr·m²·nm), 380..730 nm) and what they count for XYZ.
  const std::vector<float>& sensor(int channel) const { return sensor_[channel]; }
  Vec3 steady_frequencies(const Vec3& XYZ) const { return XYZ_to_hz_ * XYZ; }

 private:
  Bytes handle(std::uint16_t code, std::span<const std::uint8_t> cmd);
  Bytes frequency_measure(std::span<const std::uint8_t> cmd);
  Bytes period_measure(std::span<const std::uint8_t> cmd);
  Vec3 frequencies_now();
  double flicker_integral(double t0, double t1) const;  // ∫ (1 + m sin 2πft) dt
  void build_eeproms();

  VirtualDisplay& display_;
  I1d3EmulatorOptions options_;
  DisplaySpectralModel spectra_;
  std::vector<float> sensor_[3];
  std::vector<float> diffuser_;
  Mat3 XYZ_to_hz_;
  Vec3 ambient_hz_;
  Bytes internal_eeprom_, external_eeprom_;
  bool locked_;
  std::optional<Bytes> challenge_;
  std::uint64_t challenges_ = 0;
  std::vector<std::uint16_t> commands_;
  bool write_command_seen_ = false;
  std::size_t resets_ = 0;
  FaultSchedule schedule_;
  bool disconnected_ = false;
  std::optional<Bytes> reply_;
};

}  // namespace calkit

namespace calkit {
// The production driver on an emulator reading `display` (not yet opened). options_tail as for
// parse_i1d3_emulator_options; the emulator stays reachable through *emulator when given.
std::unique_ptr<I1d3Driver> make_emulated_i1d3(VirtualDisplay& display, const std::string& options_tail = "",
                                               I1d3Options driver_options = {}, I1d3Emulator** emulator = nullptr);
}  // namespace calkit
