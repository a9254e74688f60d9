#pragma once
// Colour differences. Lab inputs must share one reference white; ICtCp inputs are BT.2100 PQ
// ICtCp computed from absolute cd/m².
#include "core/types.hpp"

namespace calkit {

double delta_e76(const Vec3& lab1, const Vec3& lab2);  // CIE 1976, Euclidean in CIELAB
double delta_e94(const Vec3& lab1, const Vec3& lab2);  // CIE 116-1995, graphic-arts weights
double delta_e2000(const Vec3& lab1, const Vec3& lab2, double kL = 1, double kC = 1,
                   double kH = 1);  // CIE 142-2001; Sharma, Wu, Dalal 2005

// ITU-R BT.2100-2 ICtCp (PQ variant).
Vec3 ictcp_from_rec2020(const Vec3& rgb2020_nits);
Vec3 ictcp_from_XYZ(const Vec3& XYZ_nits);

// ITU-R BT.2124-0: 720 * |(I, 0.5 Ct, Cp)1 - (I, 0.5 Ct, Cp)2|.
double delta_e_itp(const Vec3& ictcp1, const Vec3& ictcp2);
double delta_e_itp_XYZ(const Vec3& XYZ1_nits, const Vec3& XYZ2_nits);

// The BT.2100-2 matrices behind ICtCp (integers/4096), and the derived XYZ (D65) -> LMS.
Mat3 ictcp_rec2020_to_lms_matrix();
Mat3 ictcp_lms_to_ictcp_matrix();
Mat3 ictcp_XYZ_to_lms_matrix();

}  // namespace calkit
