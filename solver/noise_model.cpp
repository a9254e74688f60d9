#include "solver/noise_model.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>

#include <fmt/core.h>

namespace calkit {

Vec3 NoiseModel::sigma(const Vec3& XYZ) const {
  Vec3 out;
  for (int c = 0; c < 3; ++c) out[c] = std::hypot(relative * XYZ[c], floor_nits);
  return out;
}

std::vector<Vec3> reading_sigmas(const std::vector<Reading>& readings, const NoiseModel& assumed, std::string* source) {
  auto stated = [](const Reading& r) { return r.uncertainty.minCoeff() > 0; };
  int stated_count = 0;
  for (const Reading& r : readings) stated_count += stated(r);
  // Repeated readings of one patch (without stated noise) measure the noise directly: the pooled
  // variance of each component about its patch mean, in units of the assumed sigma.
  std::map<std::array<double, 3>, std::vector<int>> repeats;
  for (size_t i = 0; i < readings.size(); ++i)
    if (!stated(readings[i])) repeats[{readings[i].rgb[0], readings[i].rgb[1], readings[i].rgb[2]}].push_back(int(i));
  double sum_squares = 0;
  int dof = 0, patches = 0;
  for (const auto& [rgb, index] : repeats) {
    if (index.size() < 2) continue;
    Vec3 mean = Vec3::Zero();
    for (int i : index) mean += readings[i].XYZ / double(index.size());
    double ss = 0;
    for (int i : index) ss += (readings[i].XYZ - mean).cwiseQuotient(assumed.sigma(readings[i].XYZ)).squaredNorm();
    if (!(ss > 0)) continue;
    sum_squares += ss;
    dof += 3 * int(index.size() - 1);
    ++patches;
  }
  double scale = 1;
  std::string rest = fmt::format("assumed ({:g} % + {:g} cd/m²)", assumed.relative * 100, assumed.floor_nits);
  if (dof >= 30) {
    scale = std::sqrt(sum_squares / dof);
    rest = fmt::format("from {} repeated patches ({:.2f} × the assumed {:g} % + {:g} cd/m²)", patches, scale,
                       assumed.relative * 100, assumed.floor_nits);
  }
  if (source) {
    if (stated_count == int(readings.size()))
      *source = "stated by the probe";
    else if (stated_count > 0)
      *source = fmt::format("stated by the probe for {} readings, {} for the rest", stated_count, rest);
    else
      *source = rest;
  }
  std::vector<Vec3> out;
  for (const Reading& r : readings)
    out.push_back((stated(r) ? r.uncertainty : Vec3(scale * assumed.sigma(r.XYZ))).cwiseMax(1e-9));
  return out;
}

}  // namespace calkit
