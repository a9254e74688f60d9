// Von Kries-type chromatic adaptation in a cone space (Bradford, CAT02).
#include "color/adaptation.hpp"

namespace calkit {

namespace {

// Lam 1985, linearised (no blue non-linearity), as used by ICC v4 and Lindbloom.
Mat3 bradford_cone_matrix() {
  Mat3 m;
  m << 0.8951, 0.2664, -0.1614, -0.7502, 1.7135, 0.0367, 0.0389, -0.0685, 1.0296;
  return m;
}

// CIE 159:2004 CIECAM02 M_CAT02.
Mat3 cat02_cone_matrix() {
  Mat3 m;
  m << 0.7328, 0.4296, -0.1624, -0.7036, 1.6975, 0.0061, 0.0030, 0.0136, 0.9834;
  return m;
}

}  // namespace

Mat3 cone_response_matrix(AdaptationMethod method) {
  return method == AdaptationMethod::Bradford ? bradford_cone_matrix() : cat02_cone_matrix();
}

// M = Mcone^-1 diag(cone(dst) / cone(src)) Mcone (complete adaptation, D = 1).
Mat3 adaptation_matrix(const Vec3& src_white_XYZ, const Vec3& dst_white_XYZ, AdaptationMethod method) {
  Mat3 cone = cone_response_matrix(method);
  Vec3 src = cone * src_white_XYZ;
  Vec3 dst = cone * dst_white_XYZ;
  Vec3 gain = dst.cwiseQuotient(src);
  return cone.inverse() * gain.asDiagonal() * cone;
}

}  // namespace calkit
