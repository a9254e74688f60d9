#pragma once
// Inverting the display model: the device RGB that shows a wanted colour, and the hue-preserving
// mapping of colours the display cannot show.
#include "solver/fitted_model.hpp"
#include "solver/target.hpp"

namespace calkit {

struct Inversion {
  Vec3 rgb = Vec3::Zero();
  bool exact = false;   // the model reproduces the colour inside the box (residual < 1e-4 dE)
  double residual = 0;  // perceptual distance left, dE units of the model's space
  int iterations = 0;
};

// Levenberg-Marquardt in the model's perceptual space, from `start`, inside the box from 0 to
// each channel's clip point (FittedDisplayModel::top_signal), bounds held as an active set; over
// linear light, then by signal where that did not reproduce the colour (invert.cpp). For a colour
// outside the display's gamut it ends on the boundary, at the nearest colour the display shows
// (the box-clipped inverse).
Inversion invert_model(const FittedDisplayModel& model, const Vec3& XYZ, const Vec3& start, int max_iterations = 40);

// Device RGB for target colours, in a perceptual space of the target: CIELAB relative to the
// target white for SDR, ICtCp in dE ITP units for PQ.
//
// Colours outside the target's gamut limit (Rec.2020 signals of P3-limited content) are first
// desaturated in linear light towards the white of the same luminance, onto the limit. Then the
// model is inverted inside its box: that is the nearest colour the display shows. Where it is
// within `in_gamut_tolerance` (the model's own fit error) the colour counts as shown and that
// answer stands: a colour on the gamut's edge is reproduced as well as the model can, never worse
// than clipping. Beyond it the nearest colour is sought again with the distance across the
// target's hue plane (for a neutral target: across both chroma axes, so greys stay grey) weighed
// twice; of any box answer, that one is at most twice as far as the nearest and no further from
// the target across the hue plane. The weight grows smoothly from 1 at the tolerance to 2 at
// twice it, so the LUT passes continuously from reproduced to mapped colours.
class DeviceMapper {
 public:
  DeviceMapper(const FittedDisplayModel& model, const Target& target, double in_gamut_tolerance = 0);

  // Device RGB for a target XYZ; `start` is a nearby solution (or initial_rgb). `mapped` tells
  // whether the colour had to be moved (by more than 1e-4 dE).
  Vec3 device_rgb(const Vec3& XYZ, const Vec3& start, bool* mapped = nullptr) const;
  // The colour the display shows for a target XYZ through the mapping (XYZ itself when in gamut).
  Vec3 mapped_XYZ(const Vec3& XYZ) const;
  // Whether the display shows the colour: it lies in the target's gamut limit and the model's
  // nearest colour is within the in-gamut tolerance.
  bool shows(const Vec3& XYZ) const;

  const PerceptualSpace& space() const { return space_; }
  // Luminance range of target-white neutrals the display can show, found by bisection.
  static void neutral_range(const FittedDisplayModel& model, Xy white, double* min_nits, double* max_nits);

 private:
  Inversion invert(const Vec3& goal, const Mat3& weight, const Vec3& start, int max_iterations) const;
  Inversion nearest(const Vec3& goal, const Vec3& XYZ, const Vec3& start) const;
  Vec3 limited(const Vec3& XYZ) const;  // the target colour inside the target's gamut limit
  Vec3 perceptual_with_jacobian(const Vec3& rgb, Mat3* J, FittedDisplayModel::Variables by) const;

  const FittedDisplayModel& model_;
  const Target& target_;
  PerceptualSpace space_;
  bool model_space_ = false;  // the mapping space is the model's own (PQ: both ICtCp)
  double tolerance_ = 0;
  Mat3 limit_from_XYZ_ = Mat3::Identity();
};

}  // namespace calkit
