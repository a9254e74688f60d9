#pragma once
// Colorimeter corrections: apply a CCMX to a probe's readings, and make a CCMX from a reference
// spectroradiometer and a colorimeter that read the same patches.
#include <memory>
#include <string>
#include <vector>

#include "formats/ccmx.hpp"
#include "probes/probe.hpp"

namespace calkit {

// A probe whose readings pass through a CCMX: XYZ_corrected = matrix · XYZ_measured.
// Ambient readings pass through unchanged (a CCMX is valid for one display type only).
class CorrectedProbe : public Probe {
 public:
  CorrectedProbe(std::unique_ptr<Probe> inner, ColorimeterMatrix correction);

  void open() override { inner_->open(); }
  void close() override { inner_->close(); }
  ProbeIdentity identity() const override;
  ProbeCapabilities capabilities() const override { return inner_->capabilities(); }
  void set_display_mode(const std::string& mode) override { inner_->set_display_mode(mode); }
  ProbeReading read() override;
  AmbientReading read_ambient() override { return inner_->read_ambient(); }

  Probe& inner() { return *inner_; }
  const ColorimeterMatrix& correction() const { return correction_; }

 private:
  std::unique_ptr<Probe> inner_;
  ColorimeterMatrix correction_;
};

// Least squares over any number (>= 3) of patch pairs: the M minimising Σ |ref − M·col|²,
// M = (Ref·Colᵀ)(Col·Colᵀ)⁻¹ (the ASTM E1455 "case 2" R matrix). Throws InputError when the
// colorimeter readings do not span three dimensions.
Mat3 correction_least_squares(const std::vector<Vec3>& reference, const std::vector<Vec3>& colorimeter);

// Four-colour matrix method (Y. Ohno and J. E. Hardis, "Four-Color Matrix Method for Correction
// of Tristimulus Colorimeters", Proc. IS&T 5th Color Imaging Conference, 301-305, 1997, NIST):
// from the readings of red, green, blue and white (in that order), a matrix built from x, y only,
// so the corrected chromaticities of all four colours and the luminance of white are exact.
Mat3 correction_four_color(const std::vector<Vec3>& reference, const std::vector<Vec3>& colorimeter);

// A correction file for `probe`: .ccmx wraps the probe in a CorrectedProbe; .ccss sets the
// display-type calibration of an i1d3 (InputError for other probes or unknown extensions).
std::unique_ptr<Probe> apply_correction_file(std::unique_ptr<Probe> probe, const std::string& path);

}  // namespace calkit
