#pragma once
// Calibration targets: what colour a target-encoded signal should produce on the calibrated
// display, in absolute XYZ (cd/m²). The LUT's input is that signal (full range 0..1).
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "color/rgb_space.hpp"
#include "core/types.hpp"

namespace calkit {

enum class TargetEotf { Bt1886, Power, Pq };
// How PQ content mastered up to the mastering peak lands on a display with a lower peak (and a
// black above zero): the BT.2390 EETF on luminance, or absolute PQ clipped at the display's peak.
enum class RollOff { Bt2390, Clip };
RollOff roll_off_by_name(std::string_view name);  // "bt2390" or "clip"; ValueError otherwise
std::string roll_off_name(RollOff roll_off);      // "bt2390", "clip"

struct TargetOptions {
  double white_nits = 100;            // SDR white (BT.1886 Lw)
  double gamma = 2.4;                 // BT.1886 / power exponent
  bool pure_power = false;            // SDR: L = black + (Lw - black)·V^gamma instead of BT.1886
  std::optional<Xy> white_xy;         // white point override (default: the space's, D65)
  std::optional<RgbSpace> primaries;  // custom primaries (and white) for the signal
  std::string container;              // PQ: encode in this space ("rec2020"), limit to primaries
  double mastering_peak = 1000;       // PQ content peak, cd/m²
  RollOff roll_off = RollOff::Bt2390;
};

struct Target {
  std::string name;  // "bt1886", "pq-p3d65", "pq-rec2020"
  TargetEotf eotf = TargetEotf::Bt1886;
  RgbSpace container;       // primaries the signal is encoded in
  RgbSpace gamut;           // colours are limited to these (P3 inside a Rec.2020 container)
  double white_nits = 100;  // SDR white; unused for PQ
  double gamma = 2.4;
  double mastering_peak = 1000;
  RollOff roll_off = RollOff::Bt2390;

  // Display facts the target depends on (BT.1886 black compensation, the PQ roll-off onto the
  // display's black and peak); solve() fills them from the fitted display model and writes them
  // into the LUT's metadata, from which verify and calibrate read them back (display_facts).
  Vec3 display_black_XYZ = Vec3::Zero();
  double display_peak_nits = 0;  // PQ: brightest grey of the target white it shows; 0: unknown
  // A target shared by two rooms (solver/match_plan.hpp): display_black_XYZ is the plan's black,
  // the same in both rooms, and no display's own black replaces it.
  bool shared_black = false;

  // The display facts as LUT metadata (exact decimal round trip), and back: returns false when
  // the metadata has none (a LUT that calkit did not make).
  std::map<std::string, std::string> display_facts() const;
  bool read_display_facts(const std::map<std::string, std::string>& metadata);

  // A reference display to match (solver/match_target.hpp): when set, XYZ(signal) is this
  // function of the clamped signal (the reference's own black and peak; no BT.1886 black
  // compensation, no roll-off), and name is "match:<file>".
  std::function<Vec3(const Vec3&)> reference_XYZ;

  bool hdr() const { return eotf == TargetEotf::Pq; }
  // Linear container RGB (white = 1) -> XYZ with Y(white) = 1.
  Mat3 container_to_XYZ() const { return container.rgb_to_XYZ(); }
  // The absolute XYZ the calibrated display should show for a target-encoded signal (0..1).
  Vec3 XYZ(const Vec3& signal) const;
  // XYZ of the white (signal 1,1,1 for SDR; white chromaticity at 1 cd/m² scaled to `nits` for
  // PQ).
  Vec3 white_XYZ(double nits) const;
  // True when an XYZ lies inside the target's gamut limit (always true without a limit).
  bool inside_gamut_limit(const Vec3& XYZ) const;
  std::string description() const;  // one line for LUT metadata and summaries

 private:
  Vec3 pq_XYZ(const Vec3& clamped_signal) const;
};

// "bt1886", "pq-p3d65" (also "pq-p3d65-rec2020": P3 in a Rec.2020 container), "pq-rec2020".
// Throws InputError for other names or out-of-range options.
Target target_by_name(std::string_view name, const TargetOptions& options = {});

}  // namespace calkit
