#pragma once
// The nearest colour a fitted model shows to a goal, found without the solver's inversion: a
// compass search (pattern search: try ± a step along each device channel, halve the step when
// nothing improves) over device RGB inside the box [0, top_signal]. The tests hold the solver's
// LUT nodes against it: a box-clipped inverse of the model, by an unrelated method.
#include <algorithm>
#include <initializer_list>

#include "solver/fitted_model.hpp"
#include "solver/perceptual_space.hpp"

namespace calkit::test {

struct BoxSearch {
  Vec3 rgb = Vec3::Zero();
  double distance = 0;  // in `space` (dE units)
};

inline BoxSearch nearest_in_box(const FittedDisplayModel& model, const PerceptualSpace& space, const Vec3& goal,
                                std::initializer_list<Vec3> starts) {
  auto distance = [&](const Vec3& rgb) { return (space.from_XYZ(model.XYZ(rgb)) - goal).norm(); };
  BoxSearch best;
  best.distance = -1;
  for (const Vec3& start : starts) {
    Vec3 x = model.clamp_signal(start);
    double d = distance(x);
    for (double step = 0.125; step > 1e-7; step *= 0.5) {
      for (bool moved = true; moved;) {
        moved = false;
        for (int c = 0; c < 3; ++c)
          for (double sign : {1.0, -1.0}) {
            Vec3 y = x;
            y[c] += sign * step;
            y = model.clamp_signal(y);
            double e = distance(y);
            if (e < d) {
              x = y;
              d = e;
              moved = true;
            }
          }
      }
    }
    if (best.distance < 0 || d < best.distance) best = {x, d};
  }
  return best;
}

}  // namespace calkit::test
