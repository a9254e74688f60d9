#pragma once
// X-Rite/Calibrite i1Display Pro family (i1Display Pro / Pro Plus, ColorMunki Display, Calibrite
// Display Pro / Plus / HL) over HID. Protocol facts: /work/shared/research/probes.md §1.
// open(): identify, unlock (tries every known OEM key), read both EEPROMs and check the
// external one's checksum, build the calibration matrix from the sensor sensitivities.
// read(): adaptive frequency/period measurement, optional refresh-synchronised integration.
// It never sends an EEPROM-write command.
#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "formats/ccss.hpp"
#include "core/device_spec.hpp"
#include "probes/probe.hpp"
#include "probes/transport/transport.hpp"
#include "core/clock.hpp"

namespace calkit {

struct I1d3Options {
  double integration_s = 0.2;       // frequency-mode gate on non-refresh displays
  double refresh_integration_s = 0.4;  // minimum gate when synchronised to the refresh
  int min_edges = 200;              // fewer edges in frequency mode: re-measure in period mode
  double period_target_s = 0.4;     // time the period re-measurement aims for
  bool refresh_sync = false;        // detect the refresh rate at open() and gate on whole periods
  bool accept_bad_checksum = false;  // later units "abandoned reliable checksums" (Argyll note)
  int reply_timeout_ms = 40000;     // Argyll's reply timeout (long period measurements)
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
Mat3 i1d3_matrix_from_spectra(const std::array<std::vector<double>, 3>& sensors,
                              const std::vector<Spectrum>& samples);
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

  // Raw sensor frequencies (Hz) with the adaptive strategy; integration time in *seconds.
  Vec3 measure_frequencies(double* seconds = nullptr);
  // Measures the refresh rate of what is on screen (0 when no periodic flicker is found).
  double detect_refresh_rate();
  double refresh_rate() const { return refresh_hz_; }
  bool diffuser_in_ambient_position();

 private:
  Bytes command(std::uint16_t code, Bytes request = {});
  std::string text_reply(std::uint16_t code);
  void unlock();
  Bytes read_internal_eeprom();
  Bytes read_external_eeprom(std::size_t length);
  void decode_eeproms(const Bytes& internal, const Bytes& external);
  Vec3 frequency_measure(double seconds, double* actual_s);
  // Period mode: Hz per channel for even edge counts; nullopt when the device saw no edges.
  std::optional<Vec3> period_measure(const std::array<int, 3>& edges, double* actual_s);
  void check_open() const;

  std::unique_ptr<HidTransport> transport_;
  Clock& clock_;
  I1d3Options options_;
  bool open_ = false;
  ProbeIdentity identity_;
  std::string revision_;
  std::string key_name_;
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
