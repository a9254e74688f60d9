#pragma once
// The parameters of a virtual display: a plain value, loadable from JSON or a built-in name.
// Every defect a real panel has is one parameter (README "Virtual displays" documents the JSON):
//
//   signal 0..1 -> [calibration LUT slot] -> panel quantisation -> native response per channel
//   (SDR: tone curve; HDR: PQ decode, tracking error, roll-off, clip, then tone curve)
//   -> drive crosstalk -> warm-up drift -> RGB sub-pixels (+ white sub-pixel) -> power sag
//   -> ABL (frame light load) -> + black (leakage, local-dimming bloom) -> settling in time.
#include <array>
#include <string>
#include <vector>

#include "color/colorimetry.hpp"
#include "core/types.hpp"

namespace calkit {

// Native response of one channel: signal 0..1 -> relative light 0..1 (SDR), or relative light
// (nits / peak) -> drive (HDR; gamma 1 = ideal). With table empty the curve is
//   base(v) = (((v + toe) / (1 + toe))^gamma - t0) / (1 - t0),  t0 = (toe / (1 + toe))^gamma
//   L(v)    = base(v) * (1 + shoulder) / (1 + shoulder * base(v))
// (a BT.1886-style offset foot and a rational shoulder), so L(0) = 0, L(1) = 1, monotonic.
// A non-empty table (relative light at evenly spaced inputs, first 0, last 1, non-decreasing)
// replaces the formula, linearly interpolated.
struct ToneCurve {
  double gamma = 2.2;
  double toe = 0;       // >= 0, signal offset that straightens the foot
  double shoulder = 0;  // > -1; > 0 lifts the mid-tones, < 0 lowers them
  std::vector<double> table;

  static ToneCurve power(double gamma, double toe = 0, double shoulder = 0) {
    ToneCurve t;
    t.gamma = gamma;
    t.toe = toe;
    t.shoulder = shoulder;
    return t;
  }
  double light(double v) const;
};

enum class PanelEotf { Gamma, Pq };

// HDR panels (eotf = Pq): the signal is decoded with SMPTE ST 2084, then
//   nits *= 1 + tracking_error(signal)   (linear between knots (signal, relative error))
//   nits  = min(nits, clip_nits)         (content above the tone-map clip is flat)
//   above rolloff_start_nits a smooth curve (slope 1 at the knee) maps clip_nits onto peak_nits.
struct HdrResponse {
  double rolloff_start_nits = 0;  // 0: no roll-off, hard clip at peak_nits
  double clip_nits = 10000;
  std::vector<std::array<double, 2>> tracking_error;

  double error_at(double signal) const;
};

// Automatic brightness limiting on the frame's average light load (APL: 0..1 of full-field peak
// light). Up to knee_apl the panel gives full output; above, gain = (knee_apl / apl)^p with p set
// so that a full white field (apl 1) reaches full_field_nits. full_field_nits = 0: no ABL.
struct AblParams {
  double knee_apl = 1;
  double full_field_nits = 0;
  double gain(double apl, double peak_nits) const;
};

// Time to settle completely after a patch change: rise (brighter patch) and fall (darker).
// Progress p = 1 - (1 - dt/T)^4, exactly 1 from dt = T on, so a reading taken after the display
// settled does not depend on the previous patch (resumed sessions read bit-identical values).
struct SettleParams {
  double rise_s = 0.03;
  double fall_s = 0.03;
};

// Optional warm-up drift: per-channel light efficiency (1 + (initial_gain - 1) * exp(-age/tau)),
// age = start_age_s + clock time since the display was created. tau_s = 0: no drift. A drifting
// display makes readings depend on time (and so breaks bit-identical resumption).
struct WarmupParams {
  double tau_s = 0;
  double start_age_s = 0;
  Vec3 initial_gain = Vec3::Ones();
};

// Spatial non-uniformity of the panel light (all zero: a uniform screen). Position (x, y) is in
// screen fractions, top-left (0, 0), centre (0.5, 0.5); r is the distance from the centre scaled
// so that the corners are at r = 1: r^2 = ((2x - 1)^2 + (2y - 1)^2) / 2. At a position
//   luminance factor  f = 1 - corner_falloff * r^falloff_exponent
//   white xy shift    d = corner_tint_xy * r^falloff_exponent + horizontal_tint_xy * (2x - 1)
//                          + vertical_tint_xy * (2y - 1)
// and the light is scaled per XYZ component by f * W'/W (W = white XYZ with Y = 1, W' the same
// with xy + d), a von Kries-style gain that moves white by exactly d and keeps Y at f. The centre
// is untouched; black (leakage, bloom) is uniform.
struct SpatialUniformity {
  double corner_falloff = 0;    // relative luminance loss at the screen corners, [0, 0.9]
  double falloff_exponent = 2;  // 2: smooth vignetting; larger: flat centre, steep edges
  Xy corner_tint_xy{0, 0};      // white xy shift at the corners
  Xy horizontal_tint_xy{0, 0};  // white xy shift at the right edge (the left edge gets minus)
  Xy vertical_tint_xy{0, 0};    // white xy shift at the bottom edge (the top edge gets minus)

  // The XYZ gain at (x, y) for a panel whose white is `white`.
  Vec3 gain(double x, double y, Xy white) const;
  bool uniform() const;
};

struct DisplayModel {
  std::string name;         // "sim:woled-tv" for built-ins
  std::string description;  // one line
  std::string technology;   // "lcd-white-led", "woled", "qd-oled", "miniled", "dlp", "reference"
  PanelEotf eotf = PanelEotf::Gamma;

  // Native primaries and white (CIE 1931 xy) and the white luminance of a 10% window.
  Xy red{0.64, 0.33}, green{0.30, 0.60}, blue{0.15, 0.06}, white = kD65;
  double peak_nits = 100;

  double black_nits = 0;        // light with zero drive, black background
  Xy black_xy = kD65;           // its chromaticity (LCD glow is often bluish)
  double black_bloom_nits = 0;  // extra black per unit APL (local-dimming bloom)

  std::array<ToneCurve, 3> tone;
  Mat3 crosstalk = Mat3::Identity();  // drive' = crosstalk * drive (row = output channel)

  // Additivity failure. A white sub-pixel carries `fraction` of full white, driven by
  // min(drive R, G, B), so R + G + B alone sum to (1 - fraction) of white (WOLED, DLP white
  // segment). power_sag: every channel loses power_sag * (the patch's own relative light).
  double white_subpixel_fraction = 0;
  Xy white_subpixel_xy = kD65;
  double power_sag = 0;

  HdrResponse hdr;
  AblParams abl;
  SettleParams settle;
  WarmupParams warmup;
  int panel_bits = 0;  // quantisation of the signal after the LUT slot; 0 = none

  // The XYZ error a typical filter colorimeter makes on this display's spectra (near identity);
  // SimProbe applies it when asked to simulate spectral mismatch.
  Mat3 probe_mismatch = Mat3::Identity();

  SpatialUniformity uniformity;  // JSON "uniformity"; zero by default
};

// "sim:reference", "sim:ips-lcd", "sim:woled-tv", "sim:qdoled-hdr", "sim:miniled-hdr",
// "sim:projector".
std::vector<std::string> builtin_display_names();
DisplayModel builtin_display_model(const std::string& name);  // InputError for unknown names
// A built-in ("sim:..."; unknown names throw InputError listing the known ones) or a JSON file.
DisplayModel load_display_model(const std::string& name_or_path);

// JSON text <-> model. `file` names the source in InputError messages (field = JSON path such as
// "abl.full_field_nits"). Missing optional fields take the ideal defaults above; "primaries"
// and "peak_nits" are required.
DisplayModel display_model_from_json(const std::string& json_text, const std::string& file = "");
std::string display_model_to_json(const DisplayModel& model);
void save_display_model(const DisplayModel& model, const std::string& path);

// Throws InputError (field named) when a parameter is out of its physical range.
void check_display_model(const DisplayModel& model, const std::string& file = "");

}  // namespace calkit
