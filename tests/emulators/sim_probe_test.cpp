// SimProbe: unbiased noise of the configured size, longer integration in the dark, readings that
// depend only on (seed, patch, read index) so resumed sessions read the same bits.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "core/clock.hpp"
#include "emulators/sim_probe.hpp"
#include "sim/display_model.hpp"
#include "sim/virtual_display.hpp"

using namespace calkit;

namespace {

struct Stats {
  double mean = 0, sd = 0;
};

Stats stats(const std::vector<double>& v) {
  Stats s;
  for (double x : v) s.mean += x;
  s.mean /= static_cast<double>(v.size());
  for (double x : v) s.sd += (x - s.mean) * (x - s.mean);
  s.sd = std::sqrt(s.sd / static_cast<double>(v.size() - 1));
  return s;
}

// Y readings of one settled patch by probes with seeds 1..n.
std::vector<double> Y_over_seeds(const char* display, const Vec3& signal, int n, SimProbeOptions o = {}) {
  SimulatedClock clock;
  VirtualDisplay d(load_display_model(display), clock);
  d.show(signal, 10);
  clock.sleep_s(2);
  std::vector<double> Y;
  for (int seed = 1; seed <= n; ++seed) {
    o.seed = static_cast<std::uint64_t>(seed);
    SimProbe p(d, o);
    p.open();
    Y.push_back(p.read().XYZ[1]);
  }
  return Y;
}

SimProbeOptions noiseless() {
  SimProbeOptions o;
  o.relative_noise = 0;
  o.noise_floor_nits = 0;
  return o;
}

// Readings of n seeds: unbiased (mean within 4 standard errors) with the expected spread (the
// estimate of a standard deviation from 4000 samples is good to about 1.1%).
void check_noise(const std::vector<double>& Y, double truth, double sigma) {
  Stats s = stats(Y);
  CHECK(std::abs(s.mean - truth) < 4 * sigma / std::sqrt(static_cast<double>(Y.size())));
  CHECK(s.sd == doctest::Approx(sigma).epsilon(0.06));
}

ProbeReading settled_read(VirtualDisplay& d, SimProbe& p, const Vec3& signal) {
  d.show(signal, 10);
  d.clock().sleep_s(1);
  return p.read();
}

}  // namespace

TEST_CASE("bright patch: mean over seeds is the truth and the spread is the relative noise") {
  const int n = 4000;
  SimulatedClock clock;
  VirtualDisplay d(load_display_model("sim:reference"), clock);
  double truth = d.steady_XYZ(Vec3(1, 1, 1), 10)[1];
  SimProbeOptions o;
  double sigma = std::hypot(o.relative_noise * truth, o.noise_floor_nits);
  check_noise(Y_over_seeds("sim:reference", Vec3(1, 1, 1), n, o), truth, sigma);
}

TEST_CASE("dark patch: longer integration and the floor shrinks as 1/sqrt(integration)") {
  SimulatedClock clock;
  VirtualDisplay d(load_display_model("sim:ips-lcd"), clock);
  SimProbeOptions o;
  SimProbe p(d, o);
  p.open();
  double black = d.steady_XYZ(Vec3::Zero(), 10)[1];
  ProbeReading dark = settled_read(d, p, Vec3::Zero());
  ProbeReading bright = settled_read(d, p, Vec3(1, 1, 1));
  CHECK(bright.integration_s == doctest::Approx(o.base_integration_s));
  CHECK(dark.integration_s > 2 * o.base_integration_s);
  CHECK(dark.integration_s <= o.max_integration_s);

  const int n = 4000;
  double floor = o.noise_floor_nits * std::sqrt(o.base_integration_s / dark.integration_s);
  double sigma = std::hypot(o.relative_noise * black, floor);
  check_noise(Y_over_seeds("sim:ips-lcd", Vec3::Zero(), n, o), black, sigma);
}

TEST_CASE("a noise-free probe reads the display's truth and mismatch applies the model's matrix") {
  SimulatedClock clock;
  VirtualDisplay d(load_display_model("sim:woled-tv"), clock);
  SimProbeOptions o = noiseless();
  SimProbe exact(d, o);
  o.spectral_mismatch = true;
  SimProbe mismatched(d, o);
  exact.open();
  mismatched.open();
  Vec3 signal(0.6, 0.3, 0.45);
  Vec3 truth = d.steady_XYZ(signal, 10);
  ProbeReading r = settled_read(d, exact, signal);
  CHECK(r.valid);
  CHECK((r.XYZ - truth).norm() < 1e-12 * truth.norm());
  Vec3 expected = d.model().probe_mismatch * truth;
  CHECK((mismatched.read().XYZ - expected).norm() < 1e-12 * truth.norm());
  CHECK((expected - truth).norm() > 1e-3 * truth.norm());
}

TEST_CASE("determinism: same seed and patch and read index give the same reading") {
  SimulatedClock clock_a, clock_b;
  VirtualDisplay a(load_display_model("sim:ips-lcd"), clock_a), b(load_display_model("sim:ips-lcd"), clock_b);
  SimProbe pa(a), pb(b), other(a, SimProbeOptions{.seed = 2});
  pa.open();
  pb.open();
  other.open();
  // Session A measured P1 then P2; a resumed session B starts at P2 (after a different history).
  Vec3 p1(0.2, 0.7, 0.1), p2(0.5, 0.5, 0.9);
  settled_read(a, pa, p1);
  clock_b.sleep_s(123.4);
  ProbeReading a1 = settled_read(a, pa, p2);
  ProbeReading a2 = pa.read();
  ProbeReading b1 = settled_read(b, pb, p2);
  ProbeReading b2 = pb.read();
  CHECK(a1.XYZ == b1.XYZ);
  CHECK(a2.XYZ == b2.XYZ);
  CHECK(a1.XYZ != a2.XYZ);  // the second read of a patch has its own noise
  // Showing the same patch again restarts the read index: the first read repeats.
  CHECK(settled_read(a, pa, p2).XYZ == a1.XYZ);
  CHECK(settled_read(a, other, p2).XYZ != a1.XYZ);
  // A colour the set reads again (Patch::repeat, a profiling set's four blacks) is a new draw of
  // the noise, as a real meter's second reading is; and the same one in a resumed session.
  auto repeat_read = [](VirtualDisplay& d, SimProbe& p, const Vec3& signal, int repeat) {
    d.show_at(signal, 10, 0, 0.5, 0.5, repeat);
    d.clock().sleep_s(1);
    return p.read();
  };
  ProbeReading second = repeat_read(a, pa, p2, 1);
  CHECK(second.XYZ != a1.XYZ);
  CHECK((second.XYZ - a1.XYZ).norm() < 0.05 * a1.XYZ.norm());  // noise, not another patch
  CHECK(repeat_read(b, pb, p2, 1).XYZ == second.XYZ);
  CHECK(repeat_read(a, pa, p2, 2).XYZ != second.XYZ);
}

TEST_CASE("a reading right after a change is between the old and new patch") {
  SimulatedClock clock;
  VirtualDisplay d(load_display_model("sim:projector"), clock);
  SimProbeOptions o = noiseless();
  o.base_integration_s = 0.05;
  SimProbe p(d, o);
  p.open();
  double black = settled_read(d, p, Vec3::Zero()).XYZ[1];
  d.show(Vec3(1, 1, 1), 10);
  double early = p.read().XYZ[1];
  clock.sleep_s(1);
  double late = p.read().XYZ[1];
  CHECK(early > black);
  CHECK(early < late);
  CHECK(late == doctest::Approx(d.steady_XYZ(Vec3(1, 1, 1), 10)[1]).epsilon(1e-12));
}

TEST_CASE("errors: read before open and saturation throw ProbeError") {
  SimulatedClock clock;
  VirtualDisplay d(load_display_model("sim:woled-tv"), clock);
  SimProbeOptions o;
  o.saturation_nits = 300;
  SimProbe p(d, o);
  CHECK_THROWS_AS(p.read(), ProbeError);
  p.open();
  d.show(Vec3(1, 1, 1), 10);
  clock.sleep_s(1);
  try {
    p.read();
    FAIL("no error");
  } catch (const ProbeError& e) {
    CHECK(e.kind() == ProbeErrorKind::Saturated);
  }
}

TEST_CASE("ambient reads the configured room") {
  SimulatedClock clock;
  VirtualDisplay d(load_display_model("sim:reference"), clock);
  SimProbe p(d);
  p.open();
  CHECK(p.capabilities().ambient);
  std::vector<double> lux;
  for (int i = 0; i < 500; ++i) lux.push_back(p.read_ambient().lux);
  Stats s = stats(lux);
  CHECK(s.mean == doctest::Approx(p.options().ambient.lux).epsilon(0.002));
  CHECK(p.read_ambient().xy.x == doctest::Approx(0.3135));
}
