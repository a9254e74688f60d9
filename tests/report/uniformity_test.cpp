// Uniformity evaluation against values derived by hand: CIELAB of a zone relative to the centre
// zone's white by the CIE 15 formula written out here, dE2000 of that Lab by color/difference.hpp
// (itself checked against Sharma's pairs), and the verdict at the tolerance boundaries.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "color/difference.hpp"
#include "core/error.hpp"
#include "report/html/uniformity_page.hpp"
#include "report/uniformity.hpp"

using namespace calkit;

namespace {

const Vec3 kCentre(95.0456, 100, 108.9058);  // D65 at 100 cd/m²

// 3x3 white readings, every zone equal to the centre except `zone` (row, col) = `XYZ`.
std::vector<UniformityReading> grid_with(int row, int col, const Vec3& XYZ, double level = 1) {
  std::vector<UniformityReading> out;
  for (int r = 1; r <= 3; ++r)
    for (int c = 1; c <= 3; ++c) out.push_back({r, c, level, (r == row && c == col) ? XYZ : kCentre});
  return out;
}

// CIE 15:2004 L* for Y/Yn above (6/29)^3.
double cie_L(double ratio) { return 116 * std::cbrt(ratio) - 16; }

}  // namespace

TEST_CASE("a zone at 0.9 x the centre with the same chromaticity: -10 %, dE2000 of (L*(0.9), 0, 0), fails at 10 %") {
  UniformityResult r = evaluate_uniformity(grid_with(1, 1, 0.9 * kCentre), 3, 3, UniformityThresholds{});
  REQUIRE(r.levels.size() == 1);
  const UniformityZoneResult& z = r.levels[0].zone(1, 1, 3);
  CHECK(z.luminance_deviation_pct == doctest::Approx(-10.0).epsilon(1e-12));
  Vec3 expected_lab(cie_L(0.9), 0, 0);  // L* = 95.6... ; a* = b* = 0: same chromaticity as the white
  CHECK(z.lab[0] == doctest::Approx(expected_lab[0]).epsilon(1e-12));
  CHECK(std::abs(z.lab[1]) < 1e-9);
  CHECK(std::abs(z.lab[2]) < 1e-9);
  CHECK(z.de2000 == doctest::Approx(delta_e2000(Vec3(100, 0, 0), expected_lab)).epsilon(1e-9));
  CHECK(z.delta_c == doctest::Approx(0).epsilon(1e-9));
  // "< 10 %": a zone at exactly -10 % fails, and with it the level and the run.
  CHECK_FALSE(z.pass);
  CHECK_FALSE(r.pass);
  CHECK(r.verdict_line.rfind("FAIL: max luminance deviation 10.00 % >= 10 % (zone 1,1 at 100 %)", 0) == 0);
  // Every other zone equals the centre: 0 % and dE 0, passing.
  const UniformityZoneResult& edge = r.levels[0].zone(2, 3, 3);
  CHECK(edge.luminance_deviation_pct == 0);
  CHECK(edge.de2000 == doctest::Approx(0).epsilon(1e-12));
  CHECK(edge.pass);
}

TEST_CASE("just inside the luminance tolerance passes and the dE2000 tolerance is inclusive") {
  UniformityResult inside = evaluate_uniformity(grid_with(3, 3, 0.9011 * kCentre), 3, 3, UniformityThresholds{});
  CHECK(inside.levels[0].zone(3, 3, 3).luminance_deviation_pct == doctest::Approx(-9.89));
  CHECK(inside.pass);
  CHECK(inside.verdict_line.rfind("PASS", 0) == 0);
  // Settable thresholds: the same zone fails a 5 % tolerance, and a dE2000 limit below its dE.
  UniformityThresholds strict;
  strict.max_luminance_deviation_pct = 5;
  CHECK_FALSE(evaluate_uniformity(grid_with(3, 3, 0.9011 * kCentre), 3, 3, strict).pass);
  double de = inside.levels[0].zone(3, 3, 3).de2000;
  UniformityThresholds at_de;
  at_de.max_de2000 = std::round(de * 100) / 100;  // the reported value: inclusive, passes
  CHECK(evaluate_uniformity(grid_with(3, 3, 0.9011 * kCentre), 3, 3, at_de).pass);
  at_de.max_de2000 -= 0.01;
  CHECK_FALSE(evaluate_uniformity(grid_with(3, 3, 0.9011 * kCentre), 3, 3, at_de).pass);
}

TEST_CASE("a tinted zone: Lab relative to the centre white, then dE2000 and ΔC from that Lab") {
  // Same Y, X raised 2 %: by CIE 15, L* = 100, a* = 500 ((1.02)^(1/3) - 1), b* = 0.
  Vec3 tinted(kCentre[0] * 1.02, kCentre[1], kCentre[2]);
  UniformityThresholds t;
  t.max_delta_c = 3;
  UniformityResult r = evaluate_uniformity(grid_with(2, 1, tinted), 3, 3, t);
  const UniformityZoneResult& z = r.levels[0].zone(2, 1, 3);
  double a = 500 * (std::cbrt(1.02) - 1);
  CHECK(z.luminance_deviation_pct == 0);
  CHECK(z.lab[0] == doctest::Approx(100));
  CHECK(z.lab[1] == doctest::Approx(a).epsilon(1e-12));
  CHECK(std::abs(z.lab[2]) < 1e-9);
  CHECK(z.delta_c == doctest::Approx(a).epsilon(1e-12));  // 3.31 > 3: fails the ΔC criterion
  CHECK(z.de2000 == doctest::Approx(delta_e2000(Vec3(100, 0, 0), Vec3(100, a, 0))).epsilon(1e-9));
  CHECK_FALSE(z.pass);
  CHECK(r.verdict_line.find("max ΔC 3.31 > 3.00") != std::string::npos);
}

TEST_CASE("each level is judged against its own centre") {
  std::vector<UniformityReading> readings = grid_with(1, 2, 0.95 * kCentre, 1.0);
  for (auto& r : grid_with(1, 2, 0.2 * 0.8 * kCentre, 0.5)) {
    if (!(r.row == 1 && r.col == 2)) r.XYZ = 0.2 * kCentre;
    readings.push_back(r);
  }
  UniformityResult r = evaluate_uniformity(readings, 3, 3, UniformityThresholds{});
  REQUIRE(r.levels.size() == 2);
  CHECK(r.levels[0].level == 1.0);
  CHECK(r.levels[0].zone(1, 2, 3).luminance_deviation_pct == doctest::Approx(-5));
  CHECK(r.levels[0].pass);
  CHECK(r.levels[1].level == 0.5);
  CHECK(r.levels[1].centre_XYZ.y() == doctest::Approx(20));
  CHECK(r.levels[1].zone(1, 2, 3).luminance_deviation_pct == doctest::Approx(-20));
  CHECK_FALSE(r.levels[1].pass);
}

TEST_CASE("grids and readings: odd sides 3..9 only, every zone once") {
  CHECK_THROWS_AS(check_uniformity_grid(4, 5), InputError);
  CHECK_THROWS_AS(check_uniformity_grid(5, 11), InputError);
  CHECK_NOTHROW(check_uniformity_grid(5, 3));
  auto readings = grid_with(1, 1, kCentre);
  readings.pop_back();
  CHECK_THROWS_WITH_AS(evaluate_uniformity(readings, 3, 3, {}), doctest::Contains("zone 3,3 at 100 % has no reading"),
                       InputError);
  readings = grid_with(1, 1, kCentre);
  readings.push_back(readings.front());
  CHECK_THROWS_AS(evaluate_uniformity(readings, 3, 3, {}), InputError);
}

TEST_CASE("JSON carries every zone figure and the verdict, HTML is self-contained with both heat maps") {
  UniformityInfo info;
  info.display = "sim:ips-lcd <test>";
  UniformityResult r = evaluate_uniformity(grid_with(1, 1, 0.9 * kCentre), 3, 3, {}, info);
  auto j = nlohmann::json::parse(format_uniformity_json(r));
  CHECK(j["format"] == "calkit-uniformity");
  CHECK(j["grid"]["centre"] == nlohmann::json::array({2, 2}));
  CHECK(j["thresholds"]["max_delta_c"].is_null());
  CHECK(j["levels"][0]["zones"].size() == 9);
  CHECK(j["levels"][0]["zones"][0]["luminance_deviation_pct"].get<double>() ==
        r.levels[0].zone(1, 1, 3).luminance_deviation_pct);
  CHECK(j["levels"][0]["level_pct"] == 100.0);
  CHECK(j["verdict"]["pass"] == false);
  std::string html = render_uniformity_html(r);
  CHECK(html.find("default-src 'none'") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("sim:ips-lcd &lt;test&gt;") != std::string::npos);
  CHECK(html.find("dE2000 per zone") != std::string::npos);
  CHECK(html.find("luminance deviation per zone") != std::string::npos);
  CHECK(html.find("-10.0 %") != std::string::npos);
}
