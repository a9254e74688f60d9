#pragma once
// An ICC display profile (class 'mntr', RGB → XYZ) of a fitted display model, for the desktop's
// colour management and for ArgyllCMS: matrix/shaper tags from the model's primaries and channel
// curves (what every CMM reads), an AToB0 CLUT that samples the whole model (crosstalk, white
// sub-pixel, black: what LittleCMS and ArgyllCMS use when present), the measured white as 'lumi',
// the black as 'bkpt', and with calibration curves a 'vcgt' tag: the profile then describes the
// display as it shows through those curves.
#include <optional>
#include <string>

#include "luts/lut.hpp"
#include "solver/fitted_model.hpp"

namespace calkit {

struct DisplayProfileOptions {
  int icc_version = 2;  // 2 (ICC.1:2001-04; every desktop and ArgyllCMS 2.3) or 4 (ICC.1:2010)
  std::string description = "calkit display profile";
  std::optional<Lut1d> calibration;  // the video card curves (vcgt), device RGB in 0..1
  int clut_points = 33;              // AToB0 grid per axis
};

// The profile's bytes (LittleCMS). Relative colorimetry: the model's XYZ over the white's Y,
// adapted from the white to D50 with Bradford (the matrix in 'chad'); 'wtpt' D50 in v4, the
// display's white in v2 (display_profile.cpp says why).
std::string display_profile_icc(const FittedDisplayModel& model, const DisplayProfileOptions& options);

}  // namespace calkit
