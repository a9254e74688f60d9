#include "emulators/display_spectrum.hpp"

#include <cmath>

#include "color/colorimetry.hpp"
#include "color/observer.hpp"

namespace calkit {
namespace {

struct Band {
  double centre_nm;
  double sigma_nm;
};

// Emission bands per technology: narrow enough that every built-in's primaries are positive mixes.
std::array<Band, 3> bands_for(const std::string& technology) {
  if (technology == "lcd-white-led") return {{{460, 8}, {531, 12}, {636, 10}}};
  if (technology == "woled") return {{{465, 7}, {528, 10}, {635, 9}}};
  if (technology == "qd-oled") return {{{460, 7}, {530, 8}, {625, 7}}};
  if (technology == "miniled") return {{{460, 8}, {530, 9}, {632, 9}}};
  if (technology == "dlp") return {{{460, 8}, {533, 12}, {634, 10}}};
  return {{{460, 8}, {530, 9}, {620, 6}}};
}

Spectrum gaussian(const Band& b) {
  Spectrum s{380, 1, std::vector<double>(401)};
  for (std::size_t i = 0; i < s.values.size(); ++i) {
    double d = (380.0 + static_cast<double>(i) - b.centre_nm) / b.sigma_nm;
    s.values[i] = std::exp(-0.5 * d * d);
  }
  return s;
}

Vec3 XYZ_of(const Spectrum& s) { return XYZ_from_spectrum(s.values, s.start_nm, s.step_nm); }

}  // namespace

DisplaySpectralModel::DisplaySpectralModel(const DisplayModel& model) : model_(model) {
  std::array<Band, 3> b = bands_for(model.technology);
  Mat3 A;
  for (int k = 0; k < 3; ++k) {
    bands_[k] = gaussian(b[k]);
    A.col(k) = XYZ_of(bands_[k]);
  }
  band_to_XYZ_inverse_ = A.inverse();
}

Spectrum DisplaySpectralModel::spectrum_of(const Vec3& XYZ) const {
  Vec3 w = weights_of(XYZ);
  Spectrum s{380, 1, std::vector<double>(401, 0.0)};
  for (int k = 0; k < 3; ++k)
    for (std::size_t i = 0; i < s.values.size(); ++i) s.values[i] += w[k] * bands_[k].values[i];
  return s;
}

std::vector<Spectrum> DisplaySpectralModel::primary_spectra() const {
  std::vector<Spectrum> out;
  for (const Xy& p : {model_.red, model_.green, model_.blue, model_.white})
    out.push_back(spectrum_of(XYZ_from_xyY(p, 100.0)));
  return out;
}

}  // namespace calkit
