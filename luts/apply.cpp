#include "luts/apply.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"

namespace calkit {
namespace {

// Grid coordinate of one channel: domain-mapped, NaN -> 0 and clamped to [0, size-1] as in
// OpenColorIO's CPU LUT ops.
double grid_coordinate(double v, double lo, double hi, int size) {
  double t = (v - lo) / (hi - lo);
  if (std::isnan(t)) t = 0;
  t *= size - 1;
  return std::clamp(t, 0.0, double(size - 1));
}

struct Cell {
  int lo[3];
  int hi[3];
  double f[3];
};

Cell find_cell(const Lut3d& lut, const Vec3& rgb) {
  Cell c{};
  for (int i = 0; i < 3; ++i) {
    double t = grid_coordinate(rgb[i], lut.domain_min[i], lut.domain_max[i], lut.size);
    c.lo[i] = std::min(int(std::floor(t)), lut.size - 1);
    c.hi[i] = std::min(c.lo[i] + 1, lut.size - 1);
    c.f[i] = t - c.lo[i];
  }
  return c;
}

}  // namespace

Vec3 apply_tetrahedral(const Lut3d& lut, const Vec3& rgb) {
  const Cell c = find_cell(lut, rgb);
  const double fr = c.f[0], fg = c.f[1], fb = c.f[2];
  auto v = [&](bool r, bool g, bool b) -> const Vec3& {
    return lut.at(r ? c.hi[0] : c.lo[0], g ? c.hi[1] : c.lo[1], b ? c.hi[2] : c.lo[2]);
  };
  const Vec3& v000 = v(0, 0, 0);
  const Vec3& v111 = v(1, 1, 1);
  // Kasson et al. 1995: the tetrahedron is chosen by the order of the fractional parts; each
  // walks from v000 to v111 along the cube edges in that order.
  if (fr > fg) {
    if (fg > fb) return v000 + fr * (v(1, 0, 0) - v000) + fg * (v(1, 1, 0) - v(1, 0, 0)) + fb * (v111 - v(1, 1, 0));
    if (fr > fb) return v000 + fr * (v(1, 0, 0) - v000) + fb * (v(1, 0, 1) - v(1, 0, 0)) + fg * (v111 - v(1, 0, 1));
    return v000 + fb * (v(0, 0, 1) - v000) + fr * (v(1, 0, 1) - v(0, 0, 1)) + fg * (v111 - v(1, 0, 1));
  }
  if (fb > fg) return v000 + fb * (v(0, 0, 1) - v000) + fg * (v(0, 1, 1) - v(0, 0, 1)) + fr * (v111 - v(0, 1, 1));
  if (fb > fr) return v000 + fg * (v(0, 1, 0) - v000) + fb * (v(0, 1, 1) - v(0, 1, 0)) + fr * (v111 - v(0, 1, 1));
  return v000 + fg * (v(0, 1, 0) - v000) + fr * (v(1, 1, 0) - v(0, 1, 0)) + fb * (v111 - v(1, 1, 0));
}

Vec3 apply_trilinear(const Lut3d& lut, const Vec3& rgb) {
  const Cell c = find_cell(lut, rgb);
  auto v = [&](int r, int g, int b) -> const Vec3& {
    return lut.at(r ? c.hi[0] : c.lo[0], g ? c.hi[1] : c.lo[1], b ? c.hi[2] : c.lo[2]);
  };
  const double fr = c.f[0], fg = c.f[1], fb = c.f[2];
  Vec3 c00 = v(0, 0, 0) + fr * (v(1, 0, 0) - v(0, 0, 0));
  Vec3 c10 = v(0, 1, 0) + fr * (v(1, 1, 0) - v(0, 1, 0));
  Vec3 c01 = v(0, 0, 1) + fr * (v(1, 0, 1) - v(0, 0, 1));
  Vec3 c11 = v(0, 1, 1) + fr * (v(1, 1, 1) - v(0, 1, 1));
  Vec3 c0 = c00 + fg * (c10 - c00);
  Vec3 c1 = c01 + fg * (c11 - c01);
  return c0 + fb * (c1 - c0);
}

Vec3 apply_1d(const Lut1d& lut, const Vec3& rgb) {
  const int n = int(lut.table.size());
  Vec3 out;
  for (int i = 0; i < 3; ++i) {
    double t = grid_coordinate(rgb[i], lut.domain_min[i], lut.domain_max[i], n);
    int lo = std::min(int(std::floor(t)), n - 1);
    int hi = std::min(lo + 1, n - 1);
    double f = t - lo;
    out[i] = lut.table[lo][i] + f * (lut.table[hi][i] - lut.table[lo][i]);
  }
  return out;
}

Lut3d identity_lut3d(int size) {
  Lut3d lut;
  lut.size = size;
  lut.table.resize(size_t(size) * size * size);
  const double step = 1.0 / (size - 1);
  for (int b = 0; b < size; ++b)
    for (int g = 0; g < size; ++g)
      for (int r = 0; r < size; ++r) lut.at(r, g, b) = Vec3(r * step, g * step, b * step);
  return lut;
}

Lut1d identity_lut1d(int size) {
  Lut1d lut;
  lut.table.resize(size);
  for (int i = 0; i < size; ++i) lut.table[i] = Vec3::Constant(double(i) / (size - 1));
  return lut;
}

namespace {

void check_domain(const Vec3& lo, const Vec3& hi, const std::string& where) {
  for (int i = 0; i < 3; ++i)
    if (!std::isfinite(lo[i]) || !std::isfinite(hi[i]) || !(hi[i] > lo[i]))
      throw InputError(where, 0, "DOMAIN", "domain max must be above domain min in every channel");
}

void check_values(const std::vector<Vec3>& table, const std::string& where) {
  for (const Vec3& v : table)
    if (!v.allFinite()) throw InputError(where, 0, "table", "LUT holds a NaN or infinite value");
}

}  // namespace

void check_lut3d(const Lut3d& lut, const std::string& where) {
  if (lut.size < 2 || lut.size > 256)
    throw InputError(where, 0, "size", "3D LUT size must be 2..256, got " + std::to_string(lut.size));
  if (lut.table.size() != size_t(lut.size) * lut.size * lut.size)
    throw InputError(where, 0, "table",
                     "3D LUT of size " + std::to_string(lut.size) + " needs " +
                         std::to_string(lut.size * lut.size * lut.size) + " entries, has " +
                         std::to_string(lut.table.size()));
  check_domain(lut.domain_min, lut.domain_max, where);
  check_values(lut.table, where);
}

void check_lut1d(const Lut1d& lut, const std::string& where) {
  if (lut.table.size() < 2 || lut.table.size() > 65536)
    throw InputError(where, 0, "size", "1D LUT size must be 2..65536, got " + std::to_string(lut.table.size()));
  check_domain(lut.domain_min, lut.domain_max, where);
  check_values(lut.table, where);
}

}  // namespace calkit
