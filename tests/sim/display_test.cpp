// Physical invariants of the virtual displays: each configured defect shows up by the configured
// amount, and nothing else moves.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "color/colorimetry.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "luts/apply.hpp"
#include "sim/display_model.hpp"
#include "sim/virtual_display.hpp"

using namespace calkit;

namespace {

const Vec3 kRed(1, 0, 0), kGreen(0, 1, 0), kBlue(0, 0, 1), kWhite(1, 1, 1), kBlack(0, 0, 0);

Xy xy_of(const Vec3& XYZ) { return xy_from_XYZ(XYZ); }

// Crosstalk mixes channels and bloom adds black that depends on the patch: both are other defects.
DisplayModel without_crosstalk(DisplayModel m) {
  m.crosstalk = Mat3::Identity();
  m.black_bloom_nits = 0;
  return m;
}

// Rows (nits, pq_signal) of the published PQ vectors in tests/data/pq_vectors.csv.
std::vector<std::pair<double, double>> pq_vectors() {
  std::ifstream in(std::string(CALKIT_TEST_DATA) + "/pq_vectors.csv");
  REQUIRE(in);
  std::vector<std::pair<double, double>> rows;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    std::istringstream s(line);
    std::string nits, signal;
    std::getline(s, nits, ',');
    std::getline(s, signal, ',');
    rows.emplace_back(std::stod(nits), std::stod(signal));
  }
  return rows;
}

}  // namespace

TEST_CASE("every built-in loads and passes its own checks") {
  auto names = builtin_display_names();
  for (const char* required : {"sim:reference", "sim:ips-lcd", "sim:woled-tv", "sim:qdoled-hdr", "sim:projector"}) {
    CHECK(std::find(names.begin(), names.end(), required) != names.end());
  }
  for (const auto& name : names) {
    DisplayModel m = load_display_model(name);
    CHECK(m.name == name);
    CHECK_NOTHROW(check_display_model(m));
  }
  CHECK_THROWS_AS(load_display_model("sim:no-such-display"), InputError);
}

TEST_CASE("primaries and white measure at their configured chromaticities") {
  for (const auto& name : builtin_display_names()) {
    CAPTURE(name);
    SimulatedClock clock;
    DisplayModel m = without_crosstalk(load_display_model(name));
    VirtualDisplay d(m, clock);
    Vec3 black = d.steady_XYZ(kBlack);
    const std::pair<Vec3, Xy> cases[] = {{kRed, m.red}, {kGreen, m.green}, {kBlue, m.blue}, {kWhite, m.white}};
    for (const auto& [signal, xy] : cases) {
      Xy got = xy_of(d.steady_XYZ(signal) - black);
      CHECK(got.x == doctest::Approx(xy.x).epsilon(1e-9));
      CHECK(got.y == doctest::Approx(xy.y).epsilon(1e-9));
    }
  }
}

TEST_CASE("white of a 10% window is the configured peak and black is the configured level and colour") {
  for (const auto& name : builtin_display_names()) {
    CAPTURE(name);
    SimulatedClock clock;
    DisplayModel m = load_display_model(name);
    m.power_sag = 0;
    VirtualDisplay d(m, clock);
    Vec3 black = d.steady_XYZ(kBlack);
    CHECK(black[1] == doctest::Approx(m.black_nits).epsilon(1e-12));
    CHECK(xy_of(black).x == doctest::Approx(m.black_xy.x).epsilon(1e-9));
    CHECK(xy_of(black).y == doctest::Approx(m.black_xy.y).epsilon(1e-9));
    // The bloom of local dimming: white at 10% window raises black by bloom * APL (0.1).
    double white_Y = d.steady_XYZ(kWhite, 10)[1];
    CHECK(white_Y == doctest::Approx(m.peak_nits + m.black_nits + 0.1 * m.black_bloom_nits).epsilon(1e-9));
  }
}

TEST_CASE("WOLED: R + G + B fall short of white by the white sub-pixel fraction") {
  SimulatedClock clock;
  DisplayModel m = load_display_model("sim:woled-tv");
  REQUIRE(m.white_subpixel_fraction > 0.2);
  REQUIRE(m.power_sag == 0);
  VirtualDisplay d(m, clock);
  Vec3 k = d.steady_XYZ(kBlack);
  Vec3 sum = d.steady_XYZ(kRed) + d.steady_XYZ(kGreen) + d.steady_XYZ(kBlue) - 3 * k;
  Vec3 white = d.steady_XYZ(kWhite) - k;
  CHECK(sum[1] / white[1] == doctest::Approx(1 - m.white_subpixel_fraction).epsilon(1e-9));
  // The missing light is the white sub-pixel's, with its own chromaticity.
  Xy missing = xy_of(white - sum);
  CHECK(missing.x == doctest::Approx(m.white_subpixel_xy.x).epsilon(1e-6));
  CHECK(missing.y == doctest::Approx(m.white_subpixel_xy.y).epsilon(1e-6));
}

TEST_CASE("reference monitor: additive within 0.3%") {
  SimulatedClock clock;
  VirtualDisplay d(load_display_model("sim:reference"), clock);
  Vec3 k = d.steady_XYZ(kBlack);
  for (double level : {0.25, 0.5, 1.0}) {
    Vec3 sum = d.steady_XYZ(level * kRed) + d.steady_XYZ(level * kGreen) + d.steady_XYZ(level * kBlue) - 3 * k;
    Vec3 grey = d.steady_XYZ(level * kWhite) - k;
    for (int c = 0; c < 3; ++c) CHECK(sum[c] / grey[c] == doctest::Approx(1).epsilon(3e-3));
  }
}

TEST_CASE("power sag: white loses power_sag of its light") {
  SimulatedClock clock;
  DisplayModel m = load_display_model("sim:ips-lcd");
  m.crosstalk = Mat3::Identity();
  VirtualDisplay sagging(m, clock);
  m.power_sag = 0;
  VirtualDisplay ideal(m, clock);
  Vec3 k = ideal.steady_XYZ(kBlack);
  double ratio = (sagging.steady_XYZ(kWhite) - k)[1] / (ideal.steady_XYZ(kWhite) - k)[1];
  CHECK(ratio == doctest::Approx(1 - load_display_model("sim:ips-lcd").power_sag).epsilon(1e-12));
}

TEST_CASE("ABL dims a full white field to the configured level and leaves a 10% window alone") {
  for (const char* name : {"sim:woled-tv", "sim:qdoled-hdr", "sim:miniled-hdr"}) {
    CAPTURE(name);
    SimulatedClock clock;
    DisplayModel m = load_display_model(name);
    m.power_sag = 0;
    m.black_bloom_nits = 0;
    VirtualDisplay d(m, clock);
    double small = d.steady_XYZ(kWhite, 10)[1] - m.black_nits;
    double full = d.steady_XYZ(kWhite, 100)[1] - m.black_nits;
    CHECK(small == doctest::Approx(m.peak_nits).epsilon(1e-9));
    CHECK(full == doctest::Approx(m.abl.full_field_nits).epsilon(1e-9));
    // A bright surround raises the APL: the same 10% window dims.
    CHECK(d.steady_XYZ(kWhite, 10, 0.9)[1] < small);
  }
  SimulatedClock clock;
  VirtualDisplay reference(load_display_model("sim:reference"), clock);
  CHECK(reference.steady_XYZ(kWhite, 100)[1] == doctest::Approx(reference.steady_XYZ(kWhite, 10)[1]).epsilon(1e-12));
}

TEST_CASE("PQ panel follows the published ST 2084 values below the roll-off and clips at peak") {
  SimulatedClock clock;
  DisplayModel m = load_display_model("sim:qdoled-hdr");
  m.hdr.tracking_error.clear();
  m.crosstalk = Mat3::Identity();
  m.power_sag = 0;
  ToneCurve linear;
  linear.gamma = 1;
  m.tone = {linear, linear, linear};
  m.panel_bits = 0;  // the published signals are not on 10-bit codes
  VirtualDisplay d(m, clock);
  int checked = 0;
  for (auto [nits, signal] : pq_vectors()) {
    if (nits <= 0.01 || nits >= m.hdr.rolloff_start_nits) continue;
    CAPTURE(nits);
    CHECK(d.steady_XYZ(Vec3::Constant(signal), 1)[1] - m.black_nits == doctest::Approx(nits).epsilon(1e-6));
    ++checked;
  }
  CHECK(checked >= 8);
  // Roll-off: monotonic, never above peak, peak exactly at full signal.
  double previous = 0;
  for (double s = 0.5; s <= 1.0; s += 0.01) {
    double Y = d.steady_XYZ(Vec3::Constant(s), 1)[1];
    CHECK(Y >= previous);
    CHECK(Y <= m.peak_nits + m.black_nits + 1e-9);
    previous = Y;
  }
  CHECK(d.steady_XYZ(kWhite, 1)[1] == doctest::Approx(m.peak_nits + m.black_nits).epsilon(1e-12));

  m.hdr.tracking_error = {{0.0, 0.05}};  // a constant +5% tracking error
  VirtualDisplay off(m, clock);
  double s100 = 0;
  for (auto [nits, signal] : pq_vectors())
    if (nits == 100) s100 = signal;
  REQUIRE(s100 > 0);
  CHECK(off.steady_XYZ(Vec3::Constant(s100), 1)[1] - m.black_nits == doctest::Approx(105).epsilon(1e-6));
}

TEST_CASE("tone curve maps 0 to 0 and 1 to 1 monotonically and is a pure power law without toe or shoulder") {
  ToneCurve pure;
  pure.gamma = 2.4;
  for (double v : {0.1, 0.5, 0.9}) CHECK(pure.light(v) == doctest::Approx(std::pow(v, 2.4)).epsilon(1e-12));
  for (const auto& name : builtin_display_names()) {
    for (const ToneCurve& t : load_display_model(name).tone) {
      CHECK(t.light(0) == doctest::Approx(0).epsilon(1e-15));
      CHECK(t.light(1) == doctest::Approx(1).epsilon(1e-12));
      double prev = -1;
      for (int i = 0; i <= 100; ++i) {
        double L = t.light(i / 100.0);
        CHECK(L > prev);
        prev = L;
      }
    }
  }
  ToneCurve table;
  table.table = {0, 0.2, 1};
  CHECK(table.light(0.25) == doctest::Approx(0.1).epsilon(1e-12));
  CHECK(table.light(0.75) == doctest::Approx(0.6).epsilon(1e-12));
}

TEST_CASE("LUT slot: identity changes nothing and a LUT's effect is the LUT then the display") {
  SimulatedClock clock;
  VirtualDisplay d(load_display_model("sim:ips-lcd"), clock);
  const Vec3 signals[] = {{0.1, 0.2, 0.3}, {0.73, 0.41, 0.05}, {0.9, 0.9, 0.9}, {0.33, 0.67, 0.52}};
  std::vector<Vec3> before;
  for (const Vec3& s : signals) before.push_back(d.steady_XYZ(s));

  d.load_lut(identity_lut3d(17));
  for (std::size_t i = 0; i < before.size(); ++i)
    CHECK((d.steady_XYZ(signals[i]) - before[i]).norm() <= 1e-9 * before[i].norm());

  // A 2-node LUT that swaps red and blue: red through it is the display's blue.
  Lut3d swap = identity_lut3d(2);
  for (int b = 0; b < 2; ++b)
    for (int g = 0; g < 2; ++g)
      for (int r = 0; r < 2; ++r) swap.at(r, g, b) = Vec3(b, g, r);
  d.load_lut(swap);
  Vec3 red_through_swap = d.steady_XYZ(kRed);
  d.clear_lut();
  CHECK((red_through_swap - d.steady_XYZ(kBlue)).norm() <= 1e-12 * red_through_swap.norm());

  // A curved 9-node LUT: display(LUT(s)) == display with the LUT loaded.
  Lut3d curved = identity_lut3d(9);
  for (Vec3& v : curved.table)
    v = Vec3(0.9 * v[0] * v[0] + 0.05 * v[1], 0.95 * std::sqrt(v[1]), 0.8 * v[2] + 0.1 * v[0]);
  for (const Vec3& s : signals) {
    Vec3 expected = d.steady_XYZ(apply_tetrahedral(curved, s));
    d.load_lut(curved);
    Vec3 got = d.steady_XYZ(s);
    d.clear_lut();
    CHECK((got - expected).norm() <= 1e-12 * expected.norm());
  }
}

TEST_CASE("1D LUT slot: identity changes nothing, curves act per channel before the 3D LUT") {
  SimulatedClock clock;
  VirtualDisplay d(load_display_model("sim:ips-lcd"), clock);
  const Vec3 signals[] = {{0.1, 0.2, 0.3}, {0.73, 0.41, 0.05}, {0.9, 0.9, 0.9}, {0.33, 0.67, 0.52}};
  std::vector<Vec3> before;
  for (const Vec3& s : signals) before.push_back(d.steady_XYZ(s));
  d.load_lut1d(identity_lut1d(256));
  for (std::size_t i = 0; i < before.size(); ++i)
    CHECK((d.steady_XYZ(signals[i]) - before[i]).norm() <= 1e-9 * before[i].norm());

  // Curves that halve red, then a 3D LUT that swaps red and blue: red comes out as half blue
  // (the other order would give full blue).
  Lut1d half_red = identity_lut1d(2);
  half_red.table[1] = Vec3(0.5, 1, 1);
  Lut3d swap = identity_lut3d(2);
  for (int b = 0; b < 2; ++b)
    for (int g = 0; g < 2; ++g)
      for (int r = 0; r < 2; ++r) swap.at(r, g, b) = Vec3(b, g, r);
  d.load_lut1d(half_red);
  d.load_lut(swap);
  Vec3 through = d.steady_XYZ(kRed);
  d.clear_lut();
  d.clear_lut1d();
  Vec3 half_blue = d.steady_XYZ(Vec3(0, 0, 0.5));
  CHECK((through - half_blue).norm() <= 1e-12 * half_blue.norm());
  CHECK((through - d.steady_XYZ(kBlue)).norm() > 0.1 * half_blue.norm());
}

TEST_CASE("settling: right after a change the light is between old and new and then converges exactly") {
  SimulatedClock clock;
  DisplayModel m = load_display_model("sim:ips-lcd");
  VirtualDisplay d(m, clock);
  double black = d.steady_XYZ(kBlack, 10)[1];
  double white = d.steady_XYZ(kWhite, 10)[1];
  CHECK(d.emitted_XYZ()[1] == doctest::Approx(d.steady_XYZ(kBlack, 100)[1]).epsilon(1e-12));
  clock.sleep_s(5);

  d.show(kWhite, 10);
  double prev = d.emitted_XYZ()[1];
  CHECK(prev == doctest::Approx(black).epsilon(1e-12));
  for (int i = 1; i < 10; ++i) {
    clock.sleep_s(m.settle.rise_s / 10);
    double Y = d.emitted_XYZ()[1];
    CHECK(Y > prev);
    CHECK(Y < white);
    prev = Y;
  }
  clock.sleep_s(m.settle.rise_s / 10 + 1e-9);
  CHECK(d.emitted_XYZ() == d.steady_XYZ(kWhite, 10));

  d.show(kBlack, 10);  // falling uses the (slower) fall time
  clock.sleep_s(m.settle.rise_s);
  CHECK(d.emitted_XYZ()[1] > black);
  clock.sleep_s(m.settle.fall_s);
  CHECK(d.emitted_XYZ() == d.steady_XYZ(kBlack, 10));
}

TEST_CASE("warm-up drift moves the white and dies away with its time constant") {
  SimulatedClock clock;
  DisplayModel m = load_display_model("sim:projector");
  m.warmup.tau_s = 600;
  m.warmup.initial_gain = Vec3(1.06, 1.0, 0.90);
  VirtualDisplay d(m, clock);
  d.show(kWhite, 10);
  clock.sleep_s(1);
  Vec3 truth = d.steady_XYZ(kWhite, 10);
  Xy cold = xy_of(d.emitted_XYZ()), warm = xy_of(truth);
  CHECK(std::hypot(cold.x - warm.x, cold.y - warm.y) > 0.003);
  clock.sleep_s(600 * 12);
  CHECK((d.emitted_XYZ() - truth).norm() < 1e-4 * truth.norm());
}

TEST_CASE("local-dimming bloom raises black by bloom_nits per unit of picture level") {
  SimulatedClock clock;
  DisplayModel m = load_display_model("sim:miniled-hdr");
  REQUIRE(m.black_bloom_nits > 0);
  VirtualDisplay d(m, clock);
  // A black 10% window on a white surround: APL = 0.9 of full-field white light.
  double dark_surround = d.steady_XYZ(kBlack, 10, 0)[1];
  double white_surround = d.steady_XYZ(kBlack, 10, 1)[1];
  CHECK(dark_surround == doctest::Approx(m.black_nits).epsilon(1e-12));
  CHECK(white_surround - dark_surround == doctest::Approx(0.9 * m.black_bloom_nits).epsilon(1e-9));
  Xy xy = xy_of(d.steady_XYZ(kBlack, 10, 1));
  CHECK(xy.x == doctest::Approx(m.black_xy.x).epsilon(1e-9));
}
