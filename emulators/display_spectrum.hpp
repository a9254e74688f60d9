#pragma once
// A spectral model of a virtual display, for the device emulators of spectral-sensor probes
// (i1d3 sensor counts, JETI/PR spectra). The display's light is always a mix of three emission
// bands (narrow Gaussians whose centres and widths depend on the panel technology), so any XYZ
// the VirtualDisplay emits maps to exactly one spectrum with that XYZ under the CIE 1931
// observer: emitted spectrum = Σ weight_k · band_k, weights = A⁻¹ · XYZ.
#include <array>

#include "core/types.hpp"
#include "formats/measurement_set.hpp"
#include "sim/display_model.hpp"

namespace calkit {

class DisplaySpectralModel {
 public:
  explicit DisplaySpectralModel(const DisplayModel& model);

  // Spectral radiance W/(sr·m²·nm), 380..780 nm at 1 nm, whose CIE 1931 XYZ (Km = 683) is XYZ.
  Spectrum spectrum_of(const Vec3& XYZ) const;
  // The emission band weights that give XYZ (the spectrum is Σ w_k · band_k).
  Vec3 weights_of(const Vec3& XYZ) const { return band_to_XYZ_inverse_ * XYZ; }
  // The three unit-weight emission bands (what a CCSS of this display holds).
  const std::array<Spectrum, 3>& bands() const { return bands_; }
  // Spectra of full red, green, blue and white of the display (for a CCSS made from its own light).
  std::vector<Spectrum> primary_spectra() const;

 private:
  DisplayModel model_;
  std::array<Spectrum, 3> bands_;
  Mat3 band_to_XYZ_inverse_;
};

}  // namespace calkit
