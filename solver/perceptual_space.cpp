// CIELAB (CIE 15:2004) and BT.2100 ICtCp scaled to BT.2124 dE ITP units. The ICtCp transform is
// written out here (rather than color/difference.hpp's) because the solver also needs its
// inverse, and extends PQ oddly through zero so Newton steps that undershoot black stay smooth.
#include "solver/perceptual_space.hpp"

#include <cmath>

#include "color/colorimetry.hpp"
#include "color/difference.hpp"
#include "color/rgb_space.hpp"
#include "color/transfer.hpp"

namespace calkit {

namespace {

// BT.2124-0: dE ITP = 720·|(I, 0.5·Ct, Cp)|.
const Vec3 kItpScale{720.0, 360.0, 720.0};

struct ItpMatrices {
  Mat3 XYZ_to_lms, lms_to_XYZ, lms_to_itp, itp_to_lms;
  ItpMatrices() {
    XYZ_to_lms = ictcp_rec2020_to_lms_matrix() * rec2020_space().XYZ_to_rgb();
    lms_to_XYZ = XYZ_to_lms.inverse();
    lms_to_itp = kItpScale.asDiagonal() * ictcp_lms_to_ictcp_matrix();
    itp_to_lms = lms_to_itp.inverse();
  }
};

const ItpMatrices& itp_matrices() {
  static const ItpMatrices m;
  return m;
}

// PQ of 0 cd/m² is not exactly 0 (c1^m2 ≈ 7e-7): reflect through that point so both sides join.
double odd_pq_inverse(double nits) {
  static const double zero = pq_inverse_eotf(0.0);
  return nits >= 0 ? pq_inverse_eotf(nits) : 2 * zero - pq_inverse_eotf(-nits);
}
double odd_pq_inverse_with_slope(double nits, double* slope) {
  static const double zero = pq_inverse_eotf(0.0);
  if (nits >= 0) return pq_inverse_eotf_with_slope(nits, slope);
  return 2 * zero - pq_inverse_eotf_with_slope(-nits, slope);
}
double odd_pq(double signal) {
  static const double zero = pq_inverse_eotf(0.0);
  return signal >= zero ? pq_eotf(signal) : -pq_eotf(2 * zero - signal);
}

}  // namespace

PerceptualSpace PerceptualSpace::lab(const Vec3& white_XYZ) {
  PerceptualSpace s;
  s.kind_ = Kind::Lab;
  s.white_ = white_XYZ;
  return s;
}

PerceptualSpace PerceptualSpace::itp() {
  PerceptualSpace s;
  s.kind_ = Kind::Itp;
  s.white_ = XYZ_from_xyY(kD65, 1.0);
  return s;
}

Vec3 PerceptualSpace::from_XYZ(const Vec3& XYZ) const {
  if (kind_ == Kind::Lab) return lab_from_XYZ(XYZ, white_);
  const ItpMatrices& m = itp_matrices();
  Vec3 lms = m.XYZ_to_lms * XYZ;
  Vec3 lms_p{odd_pq_inverse(lms.x()), odd_pq_inverse(lms.y()), odd_pq_inverse(lms.z())};
  return m.lms_to_itp * lms_p;
}

Vec3 PerceptualSpace::from_XYZ_with_jacobian(const Vec3& XYZ, Mat3* J) const {
  if (kind_ == Kind::Lab) return lab_from_XYZ_with_jacobian(XYZ, white_, J);
  const ItpMatrices& m = itp_matrices();
  Vec3 lms = m.XYZ_to_lms * XYZ;
  Vec3 lms_p, slope;
  for (int c = 0; c < 3; ++c) lms_p[c] = odd_pq_inverse_with_slope(lms[c], &slope[c]);
  *J = m.lms_to_itp * slope.asDiagonal() * m.XYZ_to_lms;
  return m.lms_to_itp * lms_p;
}

Vec3 PerceptualSpace::to_XYZ(const Vec3& p) const {
  if (kind_ == Kind::Lab) return XYZ_from_lab(p, white_);
  const ItpMatrices& m = itp_matrices();
  Vec3 lms_p = m.itp_to_lms * p;
  Vec3 lms{odd_pq(lms_p.x()), odd_pq(lms_p.y()), odd_pq(lms_p.z())};
  return m.lms_to_XYZ * lms;
}

}  // namespace calkit
