#pragma once
// Von Kries chromatic adaptation transforms (Bradford: Lam 1985; CAT02: CIE 159:2004).
#include "core/types.hpp"

namespace calkit {

enum class AdaptationMethod { Bradford, Cat02 };

// Matrix taking XYZ seen under src_white to the corresponding XYZ under dst_white.
Mat3 adaptation_matrix(const Vec3& src_white_XYZ, const Vec3& dst_white_XYZ,
                       AdaptationMethod method = AdaptationMethod::Bradford);

// The cone-response matrix of a method (XYZ -> cone RGB).
Mat3 cone_response_matrix(AdaptationMethod method);

}  // namespace calkit
