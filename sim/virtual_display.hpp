#pragma once
// A simulated display: what light the centre of the screen emits, as a function of what is shown,
// how long ago it changed, and (optionally) how long the display has been on.
#include <cstdint>
#include <optional>

#include "core/clock.hpp"
#include "core/types.hpp"
#include "luts/lut.hpp"
#include "sim/display_model.hpp"

namespace calkit {

// The controls a person moves on the display itself (its menu, before any calibration): the
// light output (an LCD's backlight, an OLED's panel light; a projector's lamp) and the RGB gains
// of the white balance, which scale each channel's drive. An LCD's backlight also lifts or
// lowers its black (the leakage is the backlight's light), an emissive panel's black stays.
struct DisplayControls {
  double light = 1;          // 0.05..2, relative to the model's peak
  Vec3 gain = Vec3::Ones();  // each 0.5..1 (a white balance lowers channels from full drive)
};

class VirtualDisplay {
 public:
  // The clock must outlive the display. The display starts showing full-field black, settled.
  VirtualDisplay(DisplayModel model, Clock& clock);

  // signal: normalised 0..1 full-range RGB as decoded by the display (clamped to 0..1);
  // window_percent: patch area in % of the screen (1..100), centred; background_signal: grey
  // signal of the rest of the screen (a pattern generator turns its background mode into it).
  void show(const Vec3& signal, double window_percent = 100, double background_signal = 0);
  // The same with the patch centred at (centre_x, centre_y), screen fractions from the top left:
  // the light (and what a probe reads, which follows the patch) has the model's spatial
  // non-uniformity at that position. show() is show_at(..., 0.5, 0.5).
  void show_at(const Vec3& signal, double window_percent, double background_signal, double centre_x, double centre_y,
               int repeat = 0);

  // Absolute XYZ (cd/m²) at the patch centre now: settling towards the last patch, warm-up drift.
  Vec3 emitted_XYZ();

  // The calibration LUT slot: applied tetrahedrally to every incoming signal (patch and
  // background) before the panel, like a monitor's 3D LUT. Takes effect at the next show().
  void load_lut(const Lut3d& lut);
  void clear_lut();
  // The 1D LUT slot (per-channel curves, applied before the 3D LUT): a monitor or a video card
  // that takes calibration curves and no 3D LUT. Takes effect at the next show().
  void load_lut1d(const Lut1d& lut);
  void clear_lut1d();

  // The display's own controls (calkit adjust moves them on a simulated display); clamped to
  // their ranges. Take effect at once, like a real menu.
  void set_controls(const DisplayControls& controls);
  const DisplayControls& controls() const { return controls_; }

  // Noise-free, settled, warmed-up truth for tests and benches (uses the LUT slot if loaded).
  Vec3 steady_XYZ(const Vec3& signal, double window_percent = 10, double background_signal = 0) const;
  // At a patch position (screen fractions, (0.5, 0.5) = centre = steady_XYZ).
  Vec3 steady_XYZ_at(const Vec3& signal, double window_percent, double background_signal, double centre_x,
                     double centre_y) const;

  const DisplayModel& model() const { return model_; }
  Clock& clock() { return clock_; }

  // What is shown now and how many show() calls there were (a probe keys its noise on these).
  const Vec3& shown_signal() const { return shown_signal_; }
  double shown_window_percent() const { return shown_window_; }
  double shown_background() const { return shown_background_; }
  double shown_centre_x() const { return shown_centre_x_; }
  double shown_centre_y() const { return shown_centre_y_; }
  std::uint64_t show_count() const { return show_count_; }
  int shown_repeat() const { return shown_repeat_; }  // Patch::repeat of what is shown

 private:
  Vec3 relative_XYZ(const Vec3& signal, const Vec3& channel_gain) const;
  Vec3 light_at(const Vec3& signal, double window_percent, double background_signal, const Vec3& channel_gain,
                double centre_x = 0.5, double centre_y = 0.5) const;
  Vec3 drift_gain(double t) const;

  DisplayModel model_;
  Clock& clock_;
  double created_s_;
  std::optional<Lut3d> lut_;
  std::optional<Lut1d> lut1d_;
  DisplayControls controls_;
  Mat3 rgb_to_XYZ_;          // drive -> relative XYZ of the colour sub-pixels (peak white Y = 1)
  Vec3 white_subpixel_XYZ_;  // relative XYZ of the white sub-pixel at full drive
  Vec3 black_XYZ_unit_;      // XYZ of black with Y = 1 (black chromaticity)

  Vec3 shown_signal_ = Vec3::Zero();
  double shown_window_ = 100;
  double shown_background_ = 0;
  double shown_centre_x_ = 0.5;
  double shown_centre_y_ = 0.5;
  std::uint64_t show_count_ = 0;
  int shown_repeat_ = 0;
  double change_s_ = 0;
  Vec3 start_XYZ_ = Vec3::Zero();  // emitted light at the moment of the last change
  bool rising_ = true;
};

}  // namespace calkit
