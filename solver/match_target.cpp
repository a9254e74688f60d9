#include "solver/match_target.hpp"

#include "color/colorimetry.hpp"
#include "core/error.hpp"
#include "solver/solve.hpp"

namespace calkit {

// A's residuals are weighed in the space solve() fits B in (fit_space): CIELAB of A's own full
// white for SDR, ICtCp for PQ.
MatchTarget match_target(const MeasurementSet& reference, const std::string& name, const MatchTargetOptions& options) {
  MatchTarget out;
  auto model = std::make_shared<FittedDisplayModel>();
  try {
    std::vector<Reading> data = usable_readings(reference);
    if (data.empty()) throw ValueError("readings", "no readings");
    out.fit = fit_display_model_into(*model, data, fit_space(data, options.hdr), options.fit);
  } catch (const InputError& e) {
    if (e.file().empty()) throw InputError(name + ": " + e.what());  // name the file of the readings
    throw;
  }
  out.model = model;

  Target& t = out.target;
  t.name = "match:" + name;
  t.eotf = options.hdr ? TargetEotf::Pq : TargetEotf::Bt1886;
  Vec3 white = model->XYZ(Vec3::Ones());
  if (!(white.y() > 0)) throw InputError(name, 0, "XYZ", "the reference display's white has no luminance");
  const Mat3& m = model->primaries();
  t.container = RgbSpace{"reference display", xy_from_XYZ(m.col(0)), xy_from_XYZ(m.col(1)), xy_from_XYZ(m.col(2)),
                         xy_from_XYZ(white)};
  t.gamut = t.container;  // no limit beyond what the reference itself shows
  t.white_nits = white.y();
  t.mastering_peak = white.y();
  t.reference_XYZ = [model](const Vec3& signal) { return model->XYZ(signal); };
  return out;
}

}  // namespace calkit
