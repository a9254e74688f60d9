#pragma once
// Inverting the display model: the device RGB that shows a wanted colour, and the hue-preserving
// mapping of colours the display cannot show.
#include "solver/fitted_model.hpp"
#include "solver/target.hpp"

namespace calkit {

struct Inversion {
  Vec3 rgb = Vec3::Zero();
  bool exact = false;    // the model reproduces the colour inside the box (residual < 1e-4 dE)
  double residual = 0;   // perceptual distance left, dE units of the model's space
  int iterations = 0;
};

// Levenberg-Marquardt in the model's perceptual space, from `start`, inside the box from 0 to
// each channel's clip point (FittedDisplayModel::top_signal), bounds held as an active set.
Inversion invert_model(const FittedDisplayModel& model, const Vec3& XYZ, const Vec3& start,
                       int max_iterations = 40);

// Maps target colours into what the display (and the target's gamut limit) can show, in a
// perceptual space of the target: CIELAB relative to the target white for SDR, ICtCp (dE ITP
// units) for PQ. Lightness is first clamped to the display's range of neutrals of the target
// white; then chroma is reduced at constant hue towards the neutral of that lightness, or of the
// lightness of the nearest colour the display shows (whichever ends nearer), until the colour is
// reproducible. Neutrals stay neutral, and in-gamut colours are untouched.
class DeviceMapper {
 public:
  DeviceMapper(const FittedDisplayModel& model, const Target& target);

  // Device RGB for a target XYZ; `start` is a nearby solution (or initial_rgb). `mapped` tells
  // whether the colour had to be moved.
  Vec3 device_rgb(const Vec3& XYZ, const Vec3& start, bool* mapped = nullptr) const;
  // The reproducible colour the target XYZ maps to (XYZ itself when in gamut).
  Vec3 mapped_XYZ(const Vec3& XYZ) const;

  const PerceptualSpace& space() const { return space_; }
  double neutral_min_nits() const { return neutral_min_; }
  double neutral_max_nits() const { return neutral_max_; }
  // Luminance range of target-white neutrals the display can show, found by bisection.
  static void neutral_range(const FittedDisplayModel& model, Xy white, double* min_nits,
                            double* max_nits);

 private:
  bool reproducible(const Vec3& XYZ, Vec3& rgb, bool retry = true) const;
  Vec3 neutral_at(double lightness) const;  // perceptual coordinates of the neutral
  bool boundary_newton(const Vec3& neutral, const Vec3& chroma, Vec3& rgb, double& m) const;
  Vec3 map_at_lightness(double lightness, const Vec3& chroma, Vec3& rgb) const;
  Vec3 map(const Vec3& XYZ, Vec3& rgb, const Vec3& nearest_rgb) const;

  const FittedDisplayModel& model_;
  const Target& target_;
  PerceptualSpace space_;
  double neutral_min_ = 0, neutral_max_ = 0;
};

}  // namespace calkit
