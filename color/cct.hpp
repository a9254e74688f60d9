#pragma once
// Correlated colour temperature and distance from the Planckian locus.
#include "core/types.hpp"

namespace calkit {

struct CctDuv {
  double cct = 0;  // kelvin
  double duv = 0;  // CIE 1960 uv distance, positive above the locus (greenish)
};

double cct_mccamy(Xy xy);     // McCamy 1992, Color Res. Appl. 17:142
CctDuv cct_robertson(Xy xy);  // Robertson 1968, Wyszecki & Stiles Table 1(3.11)
CctDuv cct_ohno2013(Xy xy);   // Ohno 2014, LEUKOS 10(1):47-55, cascade + parabolic
double duv_ohno2014(Xy xy);   // Ohno 2014 / ANSI C78.377 polynomial

Xy planckian_xy(double cct);  // CIE 1931 2° observer
Xy xy_from_cct_duv(double cct, double duv);
Xy daylight_xy(double cct);  // CIE 15:2004 daylight locus, 4000-25000 K

}  // namespace calkit
