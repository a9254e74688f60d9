#pragma once
// Plain value types shared by every library. Colours are Eigen column vectors so that a matrix
// times a colour reads as in the standards (out = M * in).
#include <Eigen/Dense>

namespace calkit {

using Vec3 = Eigen::Vector3d;
using Mat3 = Eigen::Matrix3d;

// CIE 1931 chromaticity.
struct Xy {
  double x = 0;
  double y = 0;
};

}  // namespace calkit
