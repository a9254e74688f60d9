#pragma once
// A spectroradiometer's reading from the spectrum it sent (JETI, Photo Research): XYZ integrated
// host-side, and an uncertainty from the spectrum's own band-to-band noise, since no source
// states a noise floor for these instruments (docs/probes.md, "Low light").
#include "color/observer.hpp"
#include "probes/probe.hpp"

namespace calkit {

// 1-sigma noise of one band: for independent noise the second difference s[i−1] − 2s[i] + s[i+1]
// has variance 6σ²; its median absolute value (÷ 0.6745 for a normal distribution) leaves the
// spectrum's own peaks out.
double band_noise(const Spectrum& spectrum);

// XYZ (CIE 15:2004 eq. 7.1-7.3) and σ_c = band_noise · Km · Δλ · √(Σ cmf_c²), the spectrum kept.
ProbeReading reading_from_spectrum(Spectrum spectrum, Observer observer);

}  // namespace calkit
