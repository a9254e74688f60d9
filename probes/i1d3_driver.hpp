#pragma once
// X-Rite/Calibrite i1Display Pro family (i1Display Pro / Pro Plus, ColorMunki Display, Calibrite
// Display Pro / Plus / HL) over HID. Wire facts: probes/i1d3_protocol.hpp (cited to ArgyllCMS and
// openI1D3). open(): identify, unlock (tries every known OEM key), read both EEPROMs, check the
// external one's checksum as ArgyllCMS does, build the calibration matrix from the sensor
// sensitivities. read(): refuses while the ambient diffuser is over the sensor, then measures
// frequency over a gate and re-measures dim channels in period mode over a time stretched towards
// 200 edges (at most 6 s), as ArgyllCMS does. close() resets the USB device, as ArgyllCMS does on
// Linux. It never sends an EEPROM-write command.
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/device_spec.hpp"
#include "formats/ccss.hpp"
#include "probes/i1d3_protocol.hpp"
#include "probes/probe.hpp"
#include "probes/transport/transport.hpp"

namespace calkit {

// The measuring strategy (ArgyllCMS i1d3_take_emis_measurement, as facts: docs/probes.md).
struct I1d3Options {
  double integration_s = 0.2;          // frequency-mode gate on non-refresh displays
  double refresh_integration_s = 0.4;  // minimum gate when synchronised to the refresh
  int min_edges = 200;                 // fewer edges in frequency mode: re-measure in period mode
  double max_period_s = 6.0;           // longest period re-measurement
  bool refresh_sync = false;           // detect the refresh rate at open() and gate on whole periods
};

// Sensor sensitivities from the EEPROM: Hz per W/(sr·m²·nm), 380..730 nm at 1 nm.
struct I1d3Sensors {
  std::array<std::vector<double>, 3> rgb;
  std::vector<double> diffuser;  // ambient diffuser transmission, same grid
};

// The matrix taking sensor frequencies (Hz) to XYZ (cd/m²) for light made of `samples` spectra:
// sensor response R = Σλ sens·S·Δλ, XYZ = Km·Δλ·Σλ cmf·S (CIE 1931 2°); 3 samples: XYZ·R⁻¹,
// more: least squares (XYZ·Rᵀ)(R·Rᵀ)⁻¹ (probes.md §1, "Raw → XYZ"). Spectra may use any
// grid; the sensor sees only 380..730 nm.
Mat3 i1d3_matrix_from_spectra(const std::array<std::vector<double>, 3>& sensors, const std::vector<Spectrum>& samples);
// The default ("sensor curves as samples") matrix for a set of sensitivities.
Mat3 i1d3_default_matrix(const std::array<std::vector<double>, 3>& sensors);

class I1d3Driver : public Probe {
 public:
  // The clock times measurements (refresh detection) and must outlive the driver.
  I1d3Driver(std::unique_ptr<HidTransport> transport, Clock& clock, I1d3Options options = {});

  void open() override;
  void close() override;
  ProbeIdentity identity() const override { return identity_; }
  ProbeCapabilities capabilities() const override;
  ProbeReading read() override;
  AmbientReading read_ambient() override;

  // Calibrate for a display type from its spectra (a CCSS): replaces the default matrix.
  void set_display_spectra(const DisplaySpectra& ccss);
  const Mat3& calibration_matrix() const { return matrix_; }
  const I1d3Sensors& sensors() const { return sensors_; }
  std::string hardware_revision() const { return revision_; }
  std::string unlock_key_name() const { return key_name_; }
  // How the external EEPROM's checksum came out: "matches 0x0004..0x1799", "... 0x178D", or
  // "mismatch (ignored on revision B-02, as ArgyllCMS does)".
  std::string eeprom_checksum_status() const { return checksum_status_; }

  // Raw sensor frequencies (Hz) with the adaptive strategy, their 1-sigma quantisation in
  // *sigma_hz, the time spent measuring in *seconds.
  Vec3 measure_frequencies(double* seconds = nullptr, Vec3* sigma_hz = nullptr);
  // Measures the refresh rate of what is on screen (0 when no periodic flicker is found).
  double detect_refresh_rate();
  double refresh_rate() const { return refresh_hz_; }
  bool diffuser_in_ambient_position();

 private:
  // One frequency or period result: Hz per channel and their 1-sigma quantisation.
  struct Rates {
    Vec3 hz = Vec3::Zero();
    Vec3 sigma = Vec3::Zero();
  };
  Bytes command(std::uint16_t code, Bytes request = {}, int timeout_ms = i1d3::kInfoTimeoutMs);
  std::string text_reply(std::uint16_t code);
  void unlock();
  Bytes read_internal_eeprom();
  Bytes read_external_eeprom(std::size_t length);
  void decode_eeproms(const Bytes& internal, const Bytes& external);
  Rates frequency_measure(double seconds, double* actual_s);
  // Period mode: Hz per channel for these even edge counts (0 for a channel that saw none);
  // nullopt when the device saw no edges at all (status 0x83).
  std::optional<Rates> period_measure(const std::array<int, 3>& edges, double* actual_s);
  Rates dim_channels(const Rates& first, double gate, double* actual_s);
  double whole_periods(double seconds) const;
  void require_diffuser(int position);
  void check_open() const;

  std::unique_ptr<HidTransport> transport_;
  Clock& clock_;
  I1d3Options options_;
  bool open_ = false;
  ProbeIdentity identity_;
  std::string revision_;
  std::string key_name_;
  std::string checksum_status_;
  I1d3Sensors sensors_;
  Mat3 default_matrix_ = Mat3::Identity();
  Mat3 matrix_ = Mat3::Identity();
  Mat3 ambient_matrix_ = Mat3::Identity();
  double refresh_hz_ = 0;
};

}  // namespace calkit

namespace calkit {
// The driver's own --probe options: sync[=yes|no] detects the refresh rate.
I1d3Options i1d3_options(const std::vector<SpecOption>& options);
// The probe-table row's driver (probe_table.cpp) on an open wire.
std::unique_ptr<Probe> make_i1d3_probe(ProbeWire wire, Clock& clock, const std::vector<SpecOption>& options);
}  // namespace calkit
