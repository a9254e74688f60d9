// Colorimeter corrections: CCMX application is the matrix product; least squares and the
// four-colour method (Ohno & Hardis 1997) recover a known matrix and keep their invariants; both
// made from an emulated i1d3 against the display's true light correct other colours.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "color/colorimetry.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "emulators/display_spectrum.hpp"
#include "emulators/i1d3_emulator.hpp"
#include "emulators/sim_probe.hpp"
#include "formats/ccmx.hpp"
#include "formats/ccss.hpp"
#include "probes/corrections.hpp"
#include "probes/i1d3_driver.hpp"
#include "sim/display_model.hpp"
#include "sim/virtual_display.hpp"

using namespace calkit;

namespace {

Mat3 some_matrix() {
  Mat3 m;
  m << 1.04, -0.03, 0.02, 0.01, 0.98, 0.015, -0.005, 0.02, 1.07;
  return m;
}

std::string tmp(const std::string& name) {
  std::filesystem::create_directories(CALKIT_TEST_TMP);
  return std::string(CALKIT_TEST_TMP) + "/corrections_" + name;
}

double dxy(const Vec3& a, const Vec3& b) {
  Xy p = xy_from_XYZ(a), q = xy_from_XYZ(b);
  return std::hypot(p.x - q.x, p.y - q.y);
}

}  // namespace

TEST_CASE("CorrectedProbe applies the CCMX as matrix times reading") {
  SimulatedClock clock;
  VirtualDisplay d(load_display_model("sim:ips-lcd"), clock);
  ColorimeterMatrix ccmx;
  ccmx.instrument = "SimProbe";
  ccmx.matrix = some_matrix();
  CorrectedProbe corrected(std::make_unique<SimProbe>(d), ccmx);
  SimProbe plain(d);  // same seed: the same noise for the same patch and read index
  corrected.open();
  plain.open();
  for (const Vec3& s : {Vec3(1, 1, 1), Vec3(0.2, 0.7, 0.1)}) {
    d.show(s, 10);
    clock.sleep_s(1);
    Vec3 got = corrected.read().XYZ;
    Vec3 raw = plain.read().XYZ;
    for (int i = 0; i < 3; ++i) {
      double expected = ccmx.matrix(i, 0) * raw[0] + ccmx.matrix(i, 1) * raw[1] + ccmx.matrix(i, 2) * raw[2];
      CHECK(got[i] == doctest::Approx(expected).epsilon(1e-12));
    }
  }
  CHECK(corrected.identity().model.find("CCMX") != std::string::npos);
}

TEST_CASE("apply_correction_file: .ccmx wraps, .ccss calibrates an i1d3, others are refused") {
  SimulatedClock clock;
  VirtualDisplay d(load_display_model("sim:ips-lcd"), clock);
  ColorimeterMatrix ccmx;
  ccmx.instrument = "i1d3";
  ccmx.matrix = some_matrix();
  write_ccmx(tmp("a.ccmx"), ccmx);
  std::unique_ptr<Probe> p = apply_correction_file(std::make_unique<SimProbe>(d), tmp("a.ccmx"));
  auto* wrapped = dynamic_cast<CorrectedProbe*>(p.get());
  REQUIRE(wrapped);
  CHECK((wrapped->correction().matrix - ccmx.matrix).norm() < 1e-9);

  DisplaySpectra ccss;
  ccss.samples = DisplaySpectralModel(d.model()).primary_spectra();
  write_ccss(tmp("a.ccss"), ccss);
  CHECK_THROWS_AS(apply_correction_file(std::make_unique<SimProbe>(d), tmp("a.ccss")), InputError);
  CHECK_THROWS_AS(apply_correction_file(std::make_unique<SimProbe>(d), tmp("a.txt")), InputError);

  auto i1d3 = make_emulated_i1d3(d);
  i1d3->open();
  Mat3 before = i1d3->calibration_matrix();
  std::unique_ptr<Probe> q = apply_correction_file(std::move(i1d3), tmp("a.ccss"));
  auto* driver = dynamic_cast<I1d3Driver*>(q.get());
  REQUIRE(driver);
  CHECK((driver->calibration_matrix() - before).norm() > 1e-6);
  CHECK((driver->calibration_matrix() - i1d3_matrix_from_spectra(driver->sensors().rgb, ccss.samples)).norm() < 1e-9);
}

TEST_CASE("least squares recovers an exact linear relation and refuses degenerate sets") {
  Mat3 truth = some_matrix();
  std::vector<Vec3> col = {{40, 20, 2}, {30, 60, 10}, {15, 6, 80}, {85, 86, 92}, {10, 12, 30}};
  std::vector<Vec3> ref;
  for (const Vec3& c : col) ref.push_back(truth * c);
  CHECK((correction_least_squares(ref, col) - truth).norm() < 1e-9);
  std::vector<Vec3> greys = {{1, 1, 1}, {2, 2, 2}, {3, 3, 3}};
  CHECK_THROWS_AS(correction_least_squares(greys, greys), InputError);
  CHECK_THROWS_AS(correction_least_squares(ref, greys), InputError);
}

TEST_CASE("four-colour method: exact x, y on R, G, B, W and Y of W, approximate elsewhere") {
  // Reference R, G, B, W of a display whose white is not R + G + B (a white sub-pixel), and a
  // colorimeter that reads through a matrix plus a spectral error that differs per colour.
  std::vector<Vec3> ref = {XYZ_from_xyY({0.68, 0.32}, 45), XYZ_from_xyY({0.265, 0.69}, 150),
                           XYZ_from_xyY({0.15, 0.06}, 12), XYZ_from_xyY({0.3127, 0.329}, 260)};
  Mat3 inst = some_matrix().inverse();
  const Vec3 err[4] = {{1.01, 0.99, 1.0}, {0.995, 1.0, 1.02}, {1.0, 1.01, 0.985}, {1.0, 1.0, 1.0}};
  std::vector<Vec3> col;
  for (int i = 0; i < 4; ++i) col.push_back((inst * ref[i]).cwiseProduct(err[i]));
  Mat3 m = correction_four_color(ref, col);
  for (int i = 0; i < 4; ++i) {
    Xy a = xy_from_XYZ(m * col[i]), b = xy_from_XYZ(ref[i]);
    CHECK(a.x == doctest::Approx(b.x).epsilon(1e-12));
    CHECK(a.y == doctest::Approx(b.y).epsilon(1e-12));
  }
  CHECK((m * col[3])[1] == doctest::Approx(ref[3][1]).epsilon(1e-12));
  // A mix of the primaries, read with a blend of their errors: close, not exact.
  Vec3 mix = 0.3 * ref[0] + 0.5 * ref[1] + 0.2 * ref[2];
  Vec3 mix_col = inst * mix;
  CHECK(dxy(m * mix_col, mix) < 0.01);
  CHECK(dxy(m * mix_col, mix) > 1e-6);
  // Without per-colour error the method recovers the instrument's matrix exactly.
  std::vector<Vec3> clean;
  for (int i = 0; i < 4; ++i) clean.push_back(inst * ref[i]);
  CHECK((correction_four_color(ref, clean) - some_matrix()).norm() < 1e-9);
}

TEST_CASE("four-colour and least-squares CCMX from an emulated i1d3 correct other patches") {
  SimulatedClock clock;
  VirtualDisplay d(load_display_model("sim:qdoled-hdr"), clock);
  auto probe = make_emulated_i1d3(d);
  probe->open();
  auto read = [&](const Vec3& s) {
    d.show(s, 10);
    clock.sleep_s(2);
    return std::pair{probe->read().XYZ, d.steady_XYZ(s, 10)};
  };
  std::vector<Vec3> ref, col;
  for (const Vec3& s : {Vec3(1, 0, 0), Vec3(0, 1, 0), Vec3(0, 0, 1), Vec3(1, 1, 1)}) {
    auto [m, t] = read(s);
    col.push_back(m);
    ref.push_back(t);
  }
  Mat3 fcmm = correction_four_color(ref, col);
  Mat3 lsq = correction_least_squares(ref, col);
  for (const Vec3& s : {Vec3(0.8, 0.3, 0.6), Vec3(0.25, 0.9, 0.45), Vec3(0.6, 0.6, 0.1)}) {
    auto [m, t] = read(s);
    INFO("patch " << s.transpose());
    double raw = dxy(m, t);
    CHECK(dxy(fcmm * m, t) < 0.002);
    CHECK(dxy(lsq * m, t) < 0.002);
    CHECK(dxy(fcmm * m, t) < raw);
  }
}
