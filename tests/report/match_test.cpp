// report/match: two verification runs compared patch by patch. Oracles: a run compared with
// itself differs by nothing (invariant); each pairwise dE2000 is recomputed here from the XYZ in
// the two JSON files, with CIELAB from LittleCMS (cmsXYZ2Lab) and CIE 142-2001 from color/; a
// pure luminance scale changes no chromaticity (invariant); mismatched sets are refused.
#include <doctest/doctest.h>
#include <lcms2.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "color/difference.hpp"
#include "core/error.hpp"
#include "report/html/match_page.hpp"
#include "report/match.hpp"
#include "report/report_json.hpp"
#include "scenario.hpp"

using namespace calkit;
namespace fs = std::filesystem;

namespace {

VerificationResult run_on(const TargetFunction& display, const std::string& probe = "simulated") {
  VerificationOptions options;
  options.target = test::rec709_description();
  MeasurementSet set = test::measure(test::verification_signals(), display);
  set.info["probe"] = probe;
  return evaluate(set, test::rec709_bt1886(), options);
}

// A display with BT.1886 gamma 2.2 tone and a warm cast: clearly not the reference.
Vec3 warm_display(const Vec3& s) {
  Vec3 XYZ = test::rec709_bt1886(110, 0.05)(Vec3(std::pow(s.x(), 0.95), s.y(), std::pow(s.z(), 1.08)));
  return XYZ;
}

fs::path scratch(const std::string& name) {
  fs::path p = fs::path(CALKIT_TEST_TMP) / ("report-match-" + name);
  fs::create_directories(p.parent_path());
  return p;
}

nlohmann::json read_json(const fs::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

Vec3 vec(const nlohmann::json& j) { return Vec3(j[0].get<double>(), j[1].get<double>(), j[2].get<double>()); }

}  // namespace

TEST_CASE("match: a run compared with itself differs by nothing and passes") {
  VerificationResult a = run_on(warm_display);
  MatchResult r = compare_runs(a, a, {});
  CHECK(r.verdict.pass);
  CHECK(r.de2000.max == 0.0);
  CHECK(r.de_itp.max == 0.0);
  CHECK(r.white.de2000 == 0.0);
  CHECK(r.white.delta_xy == 0.0);
  CHECK(r.white.delta_cct == 0.0);
  CHECK(r.levels.black_difference_nits == 0.0);
  CHECK(r.levels.peak_difference_pct == 0.0);
  CHECK_FALSE(r.probes_differ);
  REQUIRE(r.greyscale.size() == 11);
  for (const auto& s : r.greyscale) {
    CHECK(s.de2000 == 0.0);
    if (s.signal > 0) {
      CHECK(s.luminance_difference_pct == 0.0);
      for (int c = 0; c < 3; ++c) CHECK(s.rgb_balance[c] == doctest::Approx(100).epsilon(1e-12));
    }
  }
  // Even with every threshold at zero: 0 ≤ 0.
  MatchOptions zero;
  zero.thresholds = {0, 0, 0, 0, 0};
  CHECK(compare_runs(a, a, zero).verdict.pass);
}

TEST_CASE("match: pairwise dE2000 and dE ITP equal a recomputation from the two JSON files") {
  fs::path fa = scratch("a.json"), fb = scratch("b.json");
  write_verification_json(fa, run_on(test::rec709_bt1886()));
  write_verification_json(fb, run_on(warm_display));
  MatchOptions options;
  options.reference_file = fa.string();
  options.display_file = fb.string();
  MatchResult r = compare_runs(read_verification_json(fa), read_verification_json(fb), options);

  nlohmann::json ja = read_json(fa), jb = read_json(fb);
  // The reference white of CIELAB: A's target XYZ of the 100 % white patch.
  cmsCIEXYZ white{};
  for (const auto& p : ja["patches"])
    if (vec(p["signal"]) == Vec3::Ones()) {
      Vec3 w = vec(p["target_XYZ"]);
      white = {w.x(), w.y(), w.z()};
    }
  REQUIRE(white.Y > 0);
  REQUIRE(r.patches.size() == ja["patches"].size());
  // The figures leave out what B cannot show: A's readings darker than B's black (95 % of it).
  double black_b = 0;
  for (const auto& p : jb["patches"])
    if (vec(p["signal"]) == Vec3::Zero()) black_b = vec(p["measured_XYZ"]).y();
  double sum = 0, worst = 0;
  int counted = 0;
  for (std::size_t i = 0; i < r.patches.size(); ++i) {
    Vec3 xa = vec(ja["patches"][i]["measured_XYZ"]), xb = vec(jb["patches"][i]["measured_XYZ"]);
    cmsCIEXYZ ca{xa.x(), xa.y(), xa.z()}, cb{xb.x(), xb.y(), xb.z()};
    cmsCIELab la, lb;
    cmsXYZ2Lab(&white, &la, &ca);
    cmsXYZ2Lab(&white, &lb, &cb);
    double de = delta_e2000(Vec3(la.L, la.a, la.b), Vec3(lb.L, lb.a, lb.b));
    CHECK(r.patches[i].de2000 == doctest::Approx(de).epsilon(1e-9));
    CHECK(r.patches[i].de_itp == doctest::Approx(delta_e_itp(ictcp_from_XYZ(xa), ictcp_from_XYZ(xb))).epsilon(1e-9));
    if (xa.y() < 0.95 * black_b) continue;
    sum += de;
    worst = std::max(worst, de);
    ++counted;
  }
  CHECK(counted < int(r.patches.size()));  // B's 0.05 cd/m² black is above A's
  CHECK(r.de2000.mean == doctest::Approx(sum / counted).epsilon(1e-9));
  CHECK(r.de2000.max == doctest::Approx(worst).epsilon(1e-9));
  CHECK(r.de2000.mean > 1.0);  // these two displays do not match
  CHECK_FALSE(r.verdict.pass);

  // The written JSON carries the same figures, and the HTML holds the verdict line.
  nlohmann::json jm = nlohmann::json::parse(format_match_json(r));
  CHECK(jm["format"] == "calkit-match");
  CHECK(jm["summary"]["de2000"]["max"].get<double>() == doctest::Approx(worst).epsilon(1e-9));
  CHECK(jm["verdict"]["pass"] == false);
  std::string html = render_match_html(r);
  CHECK(html.find("default-src 'none'") != std::string::npos);
  CHECK(html.find("FAIL: mean dE2000") != std::string::npos);
}

TEST_CASE("match: a pure luminance scale changes luminance only, not chromaticity") {
  VerificationResult a = run_on(test::rec709_bt1886());
  VerificationResult b = run_on([](const Vec3& s) { return Vec3(1.1 * test::rec709_bt1886()(s)); });
  MatchResult r = compare_runs(a, b, {});
  CHECK(r.white.delta_xy == doctest::Approx(0).epsilon(1e-12));
  CHECK(r.white.delta_cct == doctest::Approx(0).epsilon(1e-6));
  CHECK(r.white.luminance_difference_pct == doctest::Approx(10).epsilon(1e-9));
  CHECK(r.levels.peak_difference_pct == doctest::Approx(10).epsilon(1e-9));
  for (const auto& s : r.greyscale)
    if (s.signal > 0) {
      CHECK(s.luminance_difference_pct == doctest::Approx(10).epsilon(1e-9));
      for (int c = 0; c < 3; ++c) CHECK(s.rgb_balance[c] == doctest::Approx(100).epsilon(1e-9));
    }
}

TEST_CASE("match: different patch sets are refused, naming the first differing patch") {
  VerificationResult a = run_on(test::rec709_bt1886());
  VerificationResult b = a;
  b.patches[4].signal = Vec3(0.4, 0.4, 0.41);
  MatchOptions o;
  o.reference_file = "a.json";
  o.display_file = "b.json";
  try {
    compare_runs(a, b, o);
    FAIL("accepted a different patch set");
  } catch (const InputError& e) {
    CHECK(e.file() == "b.json");
    CHECK(e.field() == "patches[4].signal");
    CHECK(std::string(e.what()).find("patch 5") != std::string::npos);
  }
  VerificationResult shorter = a;
  shorter.patches.pop_back();
  CHECK_THROWS_AS(compare_runs(a, shorter, o), InputError);
  VerificationResult hdr = a;
  hdr.target.hdr = true;
  CHECK_THROWS_AS(compare_runs(a, hdr, o), InputError);
}

TEST_CASE("match: runs read with different probes say so and keep each run's correction") {
  VerificationResult a = run_on(test::rec709_bt1886(), "i1d3");
  VerificationResult b = run_on(test::rec709_bt1886(), "jeti");
  b.info.correction = "woled.ccss";
  MatchResult r = compare_runs(a, b, {});
  CHECK(r.probes_differ);
  CHECK(r.verdict.pass);  // the same light read twice
  nlohmann::json j = nlohmann::json::parse(format_match_json(r));
  CHECK(j["probes_differ"] == true);
  CHECK(j["display"]["correction"] == "woled.ccss");
  std::string html = render_match_html(r);
  CHECK(html.find("Different probes or corrections") != std::string::npos);
  CHECK(html.find("woled.ccss") != std::string::npos);
}

// BT.1886 Annex 1 with two blacks (0 and 0.5 cd/m²): A's 0 % and 10 % greys are darker than B's
// black (the formula: 0 and 0.50 · 0.1^2.4·… < 0.5), so B cannot show them whatever its
// calibration; they are listed and left out, and the advice names the black.
TEST_CASE(
    "match: patches darker than the other display's black are listed and not counted and the advice names the black") {
  VerificationResult a = run_on(test::rec709_bt1886(100, 0));
  VerificationResult b = run_on(test::rec709_bt1886(100, 0.5));
  MatchResult r = compare_runs(a, b, {});
  Bt1886Eotf bright_black(100, 0.5);
  int below = 0;
  for (const auto& p : r.patches) {
    bool darker = p.reference_XYZ.y() < 0.95 * bright_black.nits(0);
    CHECK(p.not_shown.empty() == !darker);
    below += darker;
  }
  CHECK(below >= 2);  // black and 10 % grey at least
  CHECK(r.not_shown == below);
  CHECK(r.de2000.count == int(r.patches.size()) - below);
  CHECK_FALSE(r.verdict.pass);
  REQUIRE_FALSE(r.advice.empty());
  CHECK(r.advice.front().rfind("black:", 0) == 0);

  // Plain readings make the same comparison: each run's readings, without its target.
  MatchResult plain =
      compare_runs(run_from_readings(readings_of_run(a), false), run_from_readings(readings_of_run(b), false), {});
  REQUIRE(plain.patches.size() == r.patches.size());
  for (std::size_t i = 0; i < r.patches.size(); ++i) {
    CHECK(plain.patches[i].display_XYZ == r.patches[i].display_XYZ);
    CHECK(plain.patches[i].not_shown == r.patches[i].not_shown);
  }
}
