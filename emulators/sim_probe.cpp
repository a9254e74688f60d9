#include "emulators/sim_probe.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>

namespace calkit {

namespace {

// SplitMix64 (Steele, Lea & Flood 2014): a counter-based generator, so each random number is a
// pure function of its key.
std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t mix(std::uint64_t key, double value) {
  std::uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  return splitmix64(key ^ bits);
}

std::uint64_t mix(std::uint64_t key, std::uint64_t value) { return splitmix64(key ^ value); }

double unit_open(std::uint64_t x) {  // (0, 1)
  return (static_cast<double>(x >> 11) + 0.5) * 0x1.0p-53;
}

// Box-Muller: two independent standard normals per key (we use the first of each pair).
double standard_normal(std::uint64_t key) {
  double u1 = unit_open(splitmix64(key));
  double u2 = unit_open(splitmix64(key ^ 0x5851f42d4c957f2dULL));
  return std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
}

}  // namespace

SimProbe::SimProbe(VirtualDisplay& display, SimProbeOptions options) : display_(display), options_(options) {}

ProbeIdentity SimProbe::identity() const {
  return {"calkit SimProbe", "sim-" + std::to_string(options_.seed), CALKIT_VERSION};
}

ProbeCapabilities SimProbe::capabilities() const {
  ProbeCapabilities caps;
  caps.ambient = true;
  return caps;
}

double SimProbe::integration_for(double Y_nits) const {
  const SimProbeOptions& o = options_;
  if (Y_nits >= o.dark_threshold_nits) return o.base_integration_s;
  double t = o.base_integration_s * o.dark_threshold_nits / std::max(Y_nits, 1e-9);
  return std::min(t, std::max(o.max_integration_s, o.base_integration_s));
}

double SimProbe::floor_sigma_for(double integration_s) const {
  return options_.noise_floor_nits * std::sqrt(options_.base_integration_s / integration_s);
}

ProbeReading SimProbe::read() {
  if (!open_) throw ProbeError(ProbeErrorKind::Protocol, "SimProbe: read() before open()");
  if (display_.show_count() != seen_show_count_) {
    seen_show_count_ = display_.show_count();
    reads_since_show_ = 0;
  }
  std::uint64_t index = reads_since_show_++;

  Clock& clock = display_.clock();
  double integration = integration_for(display_.emitted_XYZ()[1]);
  // Average the light over the integration window (it may still be settling).
  constexpr int kSamples = 8;
  Vec3 sum = Vec3::Zero();
  for (int i = 0; i < kSamples; ++i) {
    clock.sleep_s(integration / (2 * kSamples));
    sum += display_.emitted_XYZ();
    clock.sleep_s(integration / (2 * kSamples));
  }
  Vec3 truth = sum / kSamples;
  if (truth[1] > options_.saturation_nits)
    throw ProbeError(ProbeErrorKind::Saturated, "SimProbe: saturated at " + std::to_string(truth[1]) + " cd/m2");
  if (options_.spectral_mismatch) truth = display_.model().probe_mismatch * truth;

  // The noise key is (seed, shown patch, read index since it was shown, its repeat in the set).
  std::uint64_t key = splitmix64(options_.seed);
  const Vec3& s = display_.shown_signal();
  for (int c = 0; c < 3; ++c) key = mix(key, s[c]);
  key = mix(key, display_.shown_window_percent());
  key = mix(key, display_.shown_background());
  key = mix(key, index);
  // A patch the set repeats draws anew each time (a first showing keeps the draws it always had).
  if (int repeat = display_.shown_repeat(); repeat > 0) key = mix(key, ~static_cast<std::uint64_t>(repeat));

  double floor = floor_sigma_for(integration);
  ProbeReading r;
  for (int c = 0; c < 3; ++c) {
    double rel = options_.relative_noise * truth[c];
    double sigma = std::sqrt(rel * rel + floor * floor);
    r.XYZ[c] = truth[c] + sigma * standard_normal(mix(key, static_cast<std::uint64_t>(c)));
    r.uncertainty[c] = sigma;  // the noise model states its own 1-sigma
  }
  r.integration_s = integration;
  r.valid = true;
  return r;
}

AmbientReading SimProbe::read_ambient() {
  if (!open_) throw ProbeError(ProbeErrorKind::Protocol, "SimProbe: read_ambient() before open()");
  std::uint64_t key = mix(splitmix64(options_.seed ^ 0xa3b1e9c7d2f40561ULL), ambient_reads_++);
  AmbientReading a = options_.ambient;
  a.lux *= 1 + options_.relative_noise * standard_normal(key);
  return a;
}

}  // namespace calkit
