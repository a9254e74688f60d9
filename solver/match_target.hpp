#pragma once
// Matching one display to another: a Target whose XYZ(signal) is what a reference display A
// shows for that signal (A's fitted model, not a standard). solve(B's readings, that target)
// gives the LUT that makes display B show what A shows.
#include <memory>
#include <string>

#include "formats/measurement_set.hpp"
#include "solver/fitted_model.hpp"
#include "solver/target.hpp"

namespace calkit {

struct MatchTargetOptions {
  bool hdr = false;  // the signal is PQ: fit and map in ICtCp (dE ITP units), else CIELAB
  FitOptions fit;
};

struct MatchTarget {
  Target target;  // name "match:<name>", XYZ(signal) = model->XYZ(signal)
  std::shared_ptr<const FittedDisplayModel> model;
  FitReport fit;  // residuals of A's model on A's readings
};

// Fits the reference display's model to its readings and wraps it as a target. The target's
// neutral axis and gamut are the reference's own: white xy and white luminance of its model at
// signal (1,1,1), primaries from the model's matrix. Throws InputError (naming `name`) when the
// readings cannot determine a model.
MatchTarget match_target(const MeasurementSet& reference, const std::string& name,
                         const MatchTargetOptions& options = {});

}  // namespace calkit
