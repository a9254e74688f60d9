// Calibration targets: ITU-R BT.1886 (Rec.709, D65) and SMPTE ST 2084 PQ (P3-D65, Rec.2020).
#include "solver/target.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/core.h>

#include "color/colorimetry.hpp"
#include "core/error.hpp"
#include "color/transfer.hpp"

namespace calkit {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool same_primaries(const RgbSpace& a, const RgbSpace& b) {
  auto eq = [](Xy p, Xy q) { return std::abs(p.x - q.x) < 1e-9 && std::abs(p.y - q.y) < 1e-9; };
  return eq(a.red, b.red) && eq(a.green, b.green) && eq(a.blue, b.blue);
}

void check_options(const TargetOptions& o) {
  if (!(o.white_nits > 0 && o.white_nits <= 10000))
    throw ValueError("white-nits", "white must be in (0, 10000] cd/m²");
  if (!(o.gamma >= 1 && o.gamma <= 4))
    throw ValueError("gamma", "gamma must be between 1 and 4");
  if (!(o.mastering_peak > 0 && o.mastering_peak <= 10000))
    throw ValueError("mastering-peak", "mastering peak must be in (0, 10000] cd/m²");
  if (o.white_xy) {
    Xy w = *o.white_xy;
    if (!(w.x > 0 && w.y > 0 && w.x + w.y < 1))
      throw ValueError("white-xy", "white point xy must be positive with x + y < 1");
  }
}

}  // namespace

Vec3 Target::XYZ(const Vec3& signal) const {
  Vec3 v = signal.cwiseMax(0.0).cwiseMin(1.0);
  if (reference_XYZ) return reference_XYZ(v);
  Mat3 m = container_to_XYZ();
  double black = std::clamp(display_black_XYZ.y(), 0.0, white_nits * 0.5);
  Vec3 light;
  switch (eotf) {
    case TargetEotf::Bt1886: {
      // BT.1886 Annex 1 with Lb = the display's measured black; the black's own colour is kept
      // (the display cannot show any other black), the rest adds as in the standard.
      Bt1886Eotf e(white_nits, black, gamma);
      for (int c = 0; c < 3; ++c) light[c] = e.nits(v[c]) - black;
      return m * light + (black > 0 ? display_black_XYZ : Vec3(Vec3::Zero()));
    }
    case TargetEotf::Power: {
      // Pure power over the display's black (output offset): L = Lb + (Lw - Lb)·V^gamma.
      for (int c = 0; c < 3; ++c) light[c] = (white_nits - black) * gamma_eotf(v[c], gamma);
      return m * light + (black > 0 ? display_black_XYZ : Vec3(Vec3::Zero()));
    }
    case TargetEotf::Pq: {
      for (int c = 0; c < 3; ++c) light[c] = std::min(pq_eotf(v[c]), mastering_peak);
      Vec3 XYZ = m * light;
      if (peak_handling == PeakHandling::Bt2390 && display_peak_nits > 0 &&
          display_peak_nits < mastering_peak) {
        // ITU-R BT.2390-3 section 5.4 EETF on luminance, chromaticity kept.
        Bt2390Eetf eetf(0.0, mastering_peak, std::min(display_black_XYZ.y(), display_peak_nits / 2),
                        display_peak_nits);
        double Y = XYZ.y();
        double mapped = eetf.nits(std::max(Y, 0.0));
        if (Y > 1e-9) return XYZ * (mapped / Y);
        return white_XYZ(mapped);
      }
      return XYZ;
    }
  }
  return Vec3::Zero();
}

Vec3 Target::white_XYZ(double nits) const { return XYZ_from_xyY(container.white, nits); }

bool Target::inside_gamut_limit(const Vec3& XYZ) const {
  if (same_primaries(gamut, container)) return true;
  Vec3 rgb = gamut.XYZ_to_rgb() * XYZ;
  double tolerance = 1e-6 * std::max(XYZ.y(), 1e-6);
  return rgb.minCoeff() >= -tolerance;
}

std::string Target::description() const {
  Xy w = container.white;
  std::string out;
  if (reference_XYZ)
    return fmt::format("{}: the reference display's measured response, white xy {:.4f} {:.4f}, {:.1f} cd/m²{}",
                       name, w.x, w.y, white_nits, hdr() ? " (PQ signal)" : "");
  if (eotf == TargetEotf::Pq) {
    out = fmt::format("SMPTE ST 2084 PQ, {} primaries", gamut.name);
    if (!same_primaries(gamut, container)) out += fmt::format(" in a {} container", container.name);
    out += fmt::format(", white xy {:.4f} {:.4f}, mastering peak {:g} cd/m²", w.x, w.y,
                       mastering_peak);
    if (display_peak_nits > 0)
      out += fmt::format(", display peak {:.1f} cd/m² ({})", display_peak_nits,
                         peak_handling == PeakHandling::Bt2390 ? "BT.2390 roll-off" : "hard clip");
  } else {
    out = fmt::format("{} gamma {:g}, {} primaries, white xy {:.4f} {:.4f}, {:g} cd/m², black "
                      "{:.4f} cd/m²",
                      eotf == TargetEotf::Bt1886 ? "BT.1886" : "pure power", gamma, gamut.name,
                      w.x, w.y, white_nits, display_black_XYZ.y());
  }
  return out;
}

Target target_by_name(std::string_view name, const TargetOptions& options) {
  check_options(options);
  std::string key = lower(name);
  Target t;
  t.name = key;
  t.gamma = options.gamma;
  t.white_nits = options.white_nits;
  t.mastering_peak = options.mastering_peak;
  t.peak_handling = options.peak_handling;
  std::string container = lower(options.container);
  if (key == "bt1886" || key == "rec709" || key == "bt709") {
    t.name = "bt1886";
    t.eotf = options.pure_power ? TargetEotf::Power : TargetEotf::Bt1886;
    t.gamut = rec709_space();
  } else if (key == "pq-p3d65" || key == "pq-p3d65-rec2020" || key == "pq-p3d65-in-rec2020") {
    t.eotf = TargetEotf::Pq;
    t.gamut = p3d65_space();
    if (key != "pq-p3d65") container = "rec2020";
    t.name = container.empty() ? "pq-p3d65" : "pq-p3d65-rec2020";
  } else if (key == "pq-rec2020" || key == "pq-2020") {
    t.name = "pq-rec2020";
    t.eotf = TargetEotf::Pq;
    t.gamut = rec2020_space();
  } else {
    throw ValueError("target",
                     "unknown target '" + std::string(name) +
                         "' (expected bt1886, pq-p3d65, pq-p3d65-rec2020 or pq-rec2020)");
  }
  if (options.primaries) t.gamut = *options.primaries;
  if (options.white_xy) t.gamut.white = *options.white_xy;
  t.container = container.empty() ? t.gamut : rgb_space_by_name(container);
  t.container.white = t.gamut.white;
  return t;
}

}  // namespace calkit
