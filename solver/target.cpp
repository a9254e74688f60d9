// Calibration targets: ITU-R BT.1886 (Rec.709, D65) and SMPTE ST 2084 PQ (P3-D65, Rec.2020).
#include "solver/target.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <fmt/core.h>

#include "color/colorimetry.hpp"
#include "color/transfer.hpp"
#include "core/error.hpp"

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
  if (!(o.white_nits > 0 && o.white_nits <= 10000)) throw ValueError("white-nits", "white must be in (0, 10000] cd/m²");
  if (!(o.gamma >= 1 && o.gamma <= 4)) throw ValueError("gamma", "gamma must be between 1 and 4");
  if (!(o.mastering_peak > 0 && o.mastering_peak <= 10000))
    throw ValueError("mastering-peak", "mastering peak must be in (0, 10000] cd/m²");
  if (o.white_xy) {
    Xy w = *o.white_xy;
    if (!(w.x > 0 && w.y > 0 && w.x + w.y < 1))
      throw ValueError("white-xy", "white point xy must be positive with x + y < 1");
  }
}

}  // namespace

// SMPTE ST 2084 content, clipped per channel at the mastering peak (the range it was graded in),
// then its luminance put onto the display: the ITU-R BT.2390 EETF (Report ITU-R BT.2390-4
// (04/2018) §5.4.1, pp. 20-21; the same EETF continues in Report ITU-R BT.2408-4+ §3.1.1 and
// Annex 5) from [0, mastering peak] onto [display black, display peak], or absolute PQ clipped
// at the display's peak. Chromaticity is kept: XYZ scales with luminance. With the roll-off, the
// light above the display's black has the content's chromaticity and the black keeps its own
// (as BT.1886 black compensation does: the display cannot show any other black), so a signal of
// 0 asks for exactly the display's black and the total luminance is the EETF's.
Vec3 Target::pq_XYZ(const Vec3& v) const {
  Vec3 light;
  for (int c = 0; c < 3; ++c) light[c] = std::min(pq_eotf(v[c]), mastering_peak);
  Vec3 XYZ = container_to_XYZ() * light;
  if (!(display_peak_nits > 0)) return XYZ;
  double Y = XYZ.y();
  if (roll_off == RollOff::Clip) return Y > display_peak_nits ? Vec3(XYZ * (display_peak_nits / Y)) : XYZ;
  Vec3 black = display_black_XYZ.cwiseMax(0.0);
  if (black.y() > display_peak_nits / 2) black *= display_peak_nits / 2 / black.y();
  Bt2390Eetf eetf(0.0, mastering_peak, black.y(), display_peak_nits);
  if (!(Y > 0)) return black;
  return XYZ * ((eetf.nits(Y) - black.y()) / Y) + black;
}

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
    case TargetEotf::Pq:
      return pq_XYZ(v);
  }
  return Vec3::Zero();
}

RollOff roll_off_by_name(std::string_view name) {
  std::string key = lower(name);
  if (key == "bt2390" || key == "bt.2390") return RollOff::Bt2390;
  if (key == "clip") return RollOff::Clip;
  throw ValueError("roll-off", "expected bt2390 or clip, got '" + std::string(name) + "'");
}

std::string roll_off_name(RollOff roll_off) { return roll_off == RollOff::Bt2390 ? "bt2390" : "clip"; }

namespace {
constexpr const char* kPeakKey = "calkit_display_peak_nits";
constexpr const char* kBlackKey = "calkit_display_black_XYZ";
}  // namespace

std::map<std::string, std::string> Target::display_facts() const {
  // {} prints the shortest decimal that reads back to the same double.
  const Vec3& k = display_black_XYZ;
  std::map<std::string, std::string> out{{kBlackKey, fmt::format("{} {} {}", k.x(), k.y(), k.z())}};
  if (hdr()) out[kPeakKey] = fmt::format("{}", display_peak_nits);
  return out;
}

bool Target::read_display_facts(const std::map<std::string, std::string>& metadata) {
  auto black = metadata.find(kBlackKey);
  auto peak = metadata.find(kPeakKey);
  if (black == metadata.end() || (hdr() && peak == metadata.end())) return false;
  if (shared_black) return true;
  Vec3 k;
  double p = 0;
  if (std::sscanf(black->second.c_str(), "%lf %lf %lf", &k.x(), &k.y(), &k.z()) != 3 || !k.allFinite() ||
      (hdr() && (std::sscanf(peak->second.c_str(), "%lf", &p) != 1 || !(p > 0) || !std::isfinite(p))))
    throw ValueError("metadata", "the LUT's display facts are not numbers");
  display_black_XYZ = k.cwiseMax(0.0);
  if (hdr()) display_peak_nits = p;
  return true;
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
    return fmt::format("{}: the reference display's measured response, white xy {:.4f} {:.4f}, {:.1f} cd/m²{}", name,
                       w.x, w.y, white_nits, hdr() ? " (PQ signal)" : "");
  if (eotf == TargetEotf::Pq) {
    out = fmt::format("SMPTE ST 2084 PQ, {} primaries", gamut.name);
    if (!same_primaries(gamut, container)) out += fmt::format(" in a {} container", container.name);
    out += fmt::format(", white xy {:.4f} {:.4f}, mastering peak {:g} cd/m², roll-off {}", w.x, w.y, mastering_peak,
                       roll_off == RollOff::Bt2390 ? "BT.2390" : "clip");
    if (display_peak_nits > 0)
      out +=
          fmt::format(" onto display peak {:.1f} cd/m², black {:.4f} cd/m²", display_peak_nits, display_black_XYZ.y());
  } else {
    out = fmt::format(
        "{} gamma {:g}, {} primaries, white xy {:.4f} {:.4f}, {:g} cd/m², black "
        "{:.4f} cd/m²",
        eotf == TargetEotf::Bt1886 ? "BT.1886" : "pure power", gamma, gamut.name, w.x, w.y, white_nits,
        display_black_XYZ.y());
    if (shared_black) out += " (shared by two rooms)";
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
  t.roll_off = options.roll_off;
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
    throw ValueError("target", "unknown target '" + std::string(name) +
                                   "' (expected bt1886, pq-p3d65, pq-p3d65-rec2020 or pq-rec2020)");
  }
  if (options.primaries) t.gamut = *options.primaries;
  if (options.white_xy) t.gamut.white = *options.white_xy;
  t.container = container.empty() ? t.gamut : rgb_space_by_name(container);
  t.container.white = t.gamut.white;
  return t;
}

}  // namespace calkit
