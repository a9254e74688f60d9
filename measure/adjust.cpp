#include "measure/adjust.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "color/cct.hpp"
#include "core/error.hpp"

namespace calkit {
namespace {

// The gain changes that move the white onto the target's chromaticity (see the header).
std::vector<AdjustStep> gain_steps(const Vec3& white_XYZ, const Mat3& primaries_XYZ, Xy target_white) {
  Eigen::FullPivLU<Mat3> lu(primaries_XYZ);
  if (!lu.isInvertible()) return {};
  Vec3 now = lu.solve(white_XYZ);
  Vec3 wanted = lu.solve(XYZ_from_xyY(target_white, white_XYZ.y()));
  if ((now.array() <= 0).any() || (wanted.array() <= 0).any()) return {};
  Vec3 ratio = wanted.cwiseQuotient(now);
  ratio /= ratio.maxCoeff();
  static const char* names[3] = {"red gain", "green gain", "blue gain"};
  std::vector<AdjustStep> steps;
  for (int c = 0; c < 3; ++c)
    if (ratio[c] < 1 - 1e-4) steps.push_back({names[c], ratio[c] - 1});
  return steps;
}

}  // namespace

AdjustGuidance adjust_guidance(const Vec3& white_XYZ, const std::optional<Mat3>& primaries_XYZ,
                               const AdjustTarget& target) {
  AdjustGuidance g;
  g.white_XYZ = white_XYZ;
  g.nits = white_XYZ.y();
  g.xy = xy_from_XYZ(white_XYZ);
  g.uv = uv_prime_from_XYZ(white_XYZ);
  Uv want = uv_prime_from_xy(target.white);
  g.delta_uv = std::hypot(g.uv.u - want.u, g.uv.v - want.v);
  try {
    CctDuv c = cct_ohno2013(g.xy);
    g.cct = c.cct;
    g.duv = c.duv;
  } catch (const InputError&) {  // too far from the locus to have a CCT
    g.cct = g.duv = std::nan("");
  }
  g.white_close = g.delta_uv <= target.tolerance_uv;
  if (!g.white_close && primaries_XYZ) g.steps = gain_steps(white_XYZ, *primaries_XYZ, target.white);
  if (target.nits > 0 && g.nits > 0) {
    g.light_error = g.nits / target.nits - 1;
    g.light_close = std::abs(g.light_error) <= target.tolerance_light;
    // Lowering gains dims the white too: the light step is for after them, so it comes last.
    if (!g.light_close) g.steps.push_back({"light", target.nits / g.nits - 1});
  } else {
    g.light_close = true;
  }
  std::stable_sort(g.steps.begin(), g.steps.end(), [](const AdjustStep& a, const AdjustStep& b) {
    return (a.control == "light") < (b.control == "light");
  });
  g.close_enough = g.white_close && g.light_close;
  return g;
}

std::string describe_step(const AdjustStep& step) {
  std::string what = step.control == "light" ? "the light (backlight / OLED light)" : "the " + step.control;
  return fmt::format("{} {} by {:.1f} %", step.change < 0 ? "lower" : "raise", what, std::abs(step.change) * 100);
}

}  // namespace calkit
