// The spectral locus the u'v' diagrams are drawn with, against color/'s colour-matching functions.
#include <doctest/doctest.h>

#include <cmath>

#include "color/colorimetry.hpp"
#include "color/observer.hpp"
#include "report/html/spectral_locus.hpp"

using namespace calkit;

TEST_CASE("the embedded spectral locus agrees with the CIE 1931 colour-matching functions") {
  // Two independent transcriptions: our xy table and color/'s CMF table (CIE 15:2004 T.4).
  for (const auto& p : kSpectralLocus1931) {
    Vec3 xyz = cmf(p.nm);
    Xy xy = xy_from_XYZ(xyz);
    CHECK_MESSAGE(std::abs(xy.x - p.x) < 1.5e-4, p.nm);
    CHECK_MESSAGE(std::abs(xy.y - p.y) < 1.5e-4, p.nm);
  }
}
