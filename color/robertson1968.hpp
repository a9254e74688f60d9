#pragma once
// The Robertson (1968) isotemperature-line table used by cct_robertson (see robertson1968.cpp).
#include <array>

namespace calkit {

struct RobertsonLine {
  double mired;  // reciprocal megakelvin, CCT = 1e6 / mired
  double u, v;   // CIE 1960 uv of the Planckian locus point
  double slope;  // slope t of the isotemperature line
};

const std::array<RobertsonLine, 31>& robertson1968_lines();

}  // namespace calkit
