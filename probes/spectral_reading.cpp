#include "probes/spectral_reading.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace calkit {

double band_noise(const Spectrum& s) {
  std::vector<double> d;
  for (std::size_t i = 1; i + 1 < s.values.size(); ++i)
    d.push_back(std::abs(s.values[i - 1] - 2 * s.values[i] + s.values[i + 1]));
  if (d.empty()) return 0;
  std::nth_element(d.begin(), d.begin() + static_cast<long>(d.size() / 2), d.end());
  return d[d.size() / 2] / 0.6745 / std::sqrt(6.0);
}

ProbeReading reading_from_spectrum(Spectrum s, Observer observer) {
  ProbeReading reading;
  reading.XYZ = XYZ_from_spectrum(s.values, s.start_nm, s.step_nm, observer);
  Vec3 sum_sq = Vec3::Zero();
  for (std::size_t i = 0; i < s.values.size(); ++i)
    sum_sq += cmf(s.start_nm + s.step_nm * static_cast<double>(i), observer).cwiseAbs2();
  reading.uncertainty = band_noise(s) * kMaxLuminousEfficacy * s.step_nm * sum_sq.cwiseSqrt();
  reading.spectrum = std::move(s);
  reading.valid = true;
  return reading;
}

}  // namespace calkit
