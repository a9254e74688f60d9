#include "probes/corrections.hpp"

#include <fmt/format.h>

#include <filesystem>

#include "core/error.hpp"
#include "formats/ccss.hpp"
#include "probes/i1d3_driver.hpp"

namespace calkit {

CorrectedProbe::CorrectedProbe(std::unique_ptr<Probe> inner, ColorimeterMatrix correction)
    : inner_(std::move(inner)), correction_(std::move(correction)) {}

ProbeIdentity CorrectedProbe::identity() const {
  ProbeIdentity id = inner_->identity();
  id.model += " + CCMX" + (correction_.display.empty() ? std::string() : " (" + correction_.display + ")");
  return id;
}

ProbeReading CorrectedProbe::read() {
  ProbeReading r = inner_->read();
  r.XYZ = correction_.apply(r.XYZ);
  return r;
}

namespace {

Eigen::MatrixXd columns(const std::vector<Vec3>& v) {
  Eigen::MatrixXd m(3, static_cast<Eigen::Index>(v.size()));
  for (std::size_t i = 0; i < v.size(); ++i) m.col(static_cast<Eigen::Index>(i)) = v[i];
  return m;
}

// Chromaticity columns (x, y, z) of red, green, blue scaled so that they sum to white's (x, y, z).
Mat3 normalised_primaries(const std::vector<Vec3>& rgbw, const char* which) {
  Mat3 xyz;
  for (int i = 0; i < 3; ++i) {
    double s = rgbw[i].sum();
    if (!(s > 0)) throw ValueError(which, fmt::format("colour {} has no light (X+Y+Z = {})", i + 1, s));
    xyz.col(i) = rgbw[i] / s;
  }
  if (!(rgbw[3].sum() > 0)) throw ValueError(which, "white has no light");
  Vec3 k = xyz.fullPivLu().solve(rgbw[3] / rgbw[3].sum());
  return xyz * k.asDiagonal();
}

}  // namespace

Mat3 correction_least_squares(const std::vector<Vec3>& reference, const std::vector<Vec3>& colorimeter) {
  if (reference.size() != colorimeter.size() || reference.size() < 3)
    throw ValueError("patches",
                     fmt::format("least squares needs >= 3 matching patch pairs (got {} reference, {} colorimeter)",
                                 reference.size(), colorimeter.size()));
  Eigen::MatrixXd ref = columns(reference), col = columns(colorimeter);
  Mat3 gram = col * col.transpose();
  if (Eigen::FullPivLU<Mat3>(gram).rank() < 3)
    throw ValueError("patches", "the colorimeter readings do not span three colours (need R, G, B or more)");
  return (ref * col.transpose()) * gram.inverse();
}

Mat3 correction_four_color(const std::vector<Vec3>& reference, const std::vector<Vec3>& colorimeter) {
  if (reference.size() != 4 || colorimeter.size() != 4)
    throw ValueError("patches", "the four-colour method needs exactly red, green, blue and white");
  Mat3 n_ref = normalised_primaries(reference, "reference");
  Mat3 n_col = normalised_primaries(colorimeter, "colorimeter");
  Mat3 r = n_ref * n_col.inverse();  // exact on the x, y of R, G, B and W
  double y = (r * colorimeter[3])[1];
  return (reference[3][1] / y) * r;  // and on the luminance of white
}

std::unique_ptr<Probe> apply_correction_file(std::unique_ptr<Probe> probe, const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".ccmx") return std::make_unique<CorrectedProbe>(std::move(probe), read_ccmx(path));
  if (ext == ".ccss") {
    auto* i1d3 = dynamic_cast<I1d3Driver*>(probe.get());
    if (!i1d3)
      throw InputError(path, 0, "--correction",
                       "a .ccss (display spectra) needs a probe with known sensor sensitivities (i1d3); "
                       "use a .ccmx for " +
                           probe->identity().model);
    try {
      i1d3->set_display_spectra(read_ccss(path));
    } catch (const InputError& e) {
      if (!e.file().empty()) throw;
      throw e.in_file(path);
    }
    return probe;
  }
  throw InputError(path, 0, "--correction", "expected a .ccmx or .ccss file");
}

}  // namespace calkit
