#pragma once
#include <string>
// CIE standard colorimetric observers (CIE 15:2004 Tables T.4/T.5, CIE 018:2019) and spectral
// integration. Tables are the CIE 5 nm values, 360-830 nm; values between nodes use Sprague
// interpolation as CIE 167:2005 recommends for 5 nm data.
#include <vector>

#include "core/types.hpp"

namespace calkit {

enum class Observer { Cie1931_2deg, Cie1964_10deg };
// "1931" or "2" (2°), "1964" or "10" (10°); empty: 1931. ValueError on `field` otherwise.
Observer observer_named(const std::string& name, const std::string& field);

inline constexpr double kMaxLuminousEfficacy = 683.0;  // lm/W, Km (CIE 15:2004 / SI candela)

// Colour-matching functions (x̄, ȳ, z̄) at a wavelength in nm; zero outside 360-830 nm.
Vec3 cmf(double wavelength_nm, Observer observer = Observer::Cie1931_2deg);

// Tristimulus values of a spectrum sampled at start_nm + i * step_nm. With spectral radiance in
// W/(sr·m²·nm) the result is absolute XYZ in cd/m² (Km = 683 lm/W); CIE 15:2004 eq. 7.1-7.3
// (summation with Δλ = step). Throws InputError for a non-positive step or a non-finite value.
Vec3 XYZ_from_spectrum(const std::vector<double>& values, double start_nm, double step_nm,
                       Observer observer = Observer::Cie1931_2deg);

// The plain sum Σ S·cmf·Δλ without Km, for relative colorimetry (normalise by the white's Y).
Vec3 XYZ_sum_from_spectrum(const std::vector<double>& values, double start_nm, double step_nm,
                           Observer observer = Observer::Cie1931_2deg);

// Planck's law, spectral radiance of a blackbody in W/(sr·m²·nm) (c2 = 1.4388e-2 m·K, ITS-90).
double planck_radiance(double wavelength_nm, double kelvin);

}  // namespace calkit
