// solver/match_plan: the target two rooms can both reach. Oracles: IEC 61966-2-1's published
// Rec.709/sRGB matrix (its white is the sum of its primaries at Y = 1, so a display with those
// primaries shows D65 greys exactly up to its white); the BT.1886 Annex 1 formula for the shadow
// figure; invariants (the plan's white and black are within what both rooms show, its gamut lies
// inside both displays' primaries, a target file reads back to the same colours).
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "color/colorimetry.hpp"
#include "color/transfer.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "solver/match_plan.hpp"
#include "tests/support/calkit_test_support.hpp"

using namespace calkit;
namespace fs = std::filesystem;

namespace {

// IEC 61966-2-1:1999 §5.2 (the Rec.709 primaries with D65), rows X, Y, Z.
const Mat3 kSrgbMatrix = (Mat3() << 0.4124, 0.3576, 0.1805, 0.2126, 0.7152, 0.0722, 0.0193, 0.1192, 0.9505).finished();

// An additive display: black, then each channel's full light on top of it; `white_boost` > 1
// adds a white sub-pixel's light to the full white only.
MeasurementSet additive_display(const Mat3& primaries_XYZ, const Vec3& black_XYZ, double white_boost = 1) {
  MeasurementSet set;
  for (Vec3 rgb : {Vec3(0, 0, 0), Vec3(1, 1, 1), Vec3(1, 0, 0), Vec3(0, 1, 0), Vec3(0, 0, 1), Vec3(0.5, 0.5, 0.5)})
    set.readings.push_back(
        Reading{rgb, black_XYZ + primaries_XYZ * rgb * (rgb.minCoeff() == 1 ? white_boost : 1), {}, Vec3::Zero()});
  return set;
}

bool inside(Xy p, Xy a, Xy b, Xy c) {
  auto side = [](Xy p, Xy q, Xy r) { return (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x); };
  double d1 = side(a, b, p), d2 = side(b, c, p), d3 = side(c, a, p);
  return (d1 >= -1e-9 && d2 >= -1e-9 && d3 >= -1e-9) || (d1 <= 1e-9 && d2 <= 1e-9 && d3 <= 1e-9);
}

}  // namespace

TEST_CASE("match plan: a Rec.709 display shows D65 greys up to its primaries' sum") {
  // Its full white reads 20 % brighter (a white sub-pixel), which the target white's greys made
  // of the three primaries do not get.
  MeasurementSet set = additive_display(250 * kSrgbMatrix, Vec3::Zero(), 1.2);
  RoomFacts room = room_facts(set, "a.ti3", kD65);
  // The matrix's white (its row sums, 4 decimals) is D65 at Y = 1 to 1e-4.
  CHECK(room.max_neutral_nits == doctest::Approx(250).epsilon(1e-3));
  CHECK(room.red.x == doctest::Approx(0.64).epsilon(1e-3));
  CHECK(room.blue.y == doctest::Approx(0.06).epsilon(1e-2));
}

TEST_CASE("match plan: white, black and gamut are what both rooms show") {
  // A: a bright wide-gamut OLED-like display with almost no black. B: a dimmer LCD-like display
  // whose green does not reach Rec.709's and whose black is 0.12 cd/m².
  RgbSpace wide{"wide", {0.68, 0.32}, {0.265, 0.69}, {0.15, 0.06}, kD65};
  RgbSpace narrow{"narrow", {0.64, 0.33}, {0.31, 0.57}, {0.15, 0.06}, kD65};
  MeasurementSet a = additive_display(300 * wide.rgb_to_XYZ(), XYZ_from_xyY(kD65, 0.0005));
  MeasurementSet b = additive_display(90 * narrow.rgb_to_XYZ(), XYZ_from_xyY({0.30, 0.31}, 0.12));
  MatchPlan plan = plan_match(a, "a.ti3", b, "b.ti3");
  const Target& t = plan.target;

  // White: B shows D65 greys only up to about 90 cd/m², so the plan cannot be 100.
  CHECK(t.white_nits < 90.2);
  CHECK(t.white_nits > 0.9 * plan.b.max_neutral_nits);
  // Black: the brighter one, shared, and a BT.1886 signal of 0 asks for it in both rooms.
  CHECK(t.shared_black);
  CHECK(t.XYZ(Vec3::Zero()).y() >= 0.12);
  CHECK(t.XYZ(Vec3::Zero()).y() < 0.15);
  // BT.1886 Annex 1 at the plan's white and black (the standard's formula, not the target's code).
  double lw = std::pow(t.white_nits, 1 / 2.4), lb = std::pow(t.XYZ(Vec3::Zero()).y(), 1 / 2.4);
  double a_coef = std::pow(lw - lb, 2.4), b_coef = lb / (lw - lb);
  CHECK(t.XYZ(Vec3::Constant(0.3)).y() == doctest::Approx(a_coef * std::pow(0.3 + b_coef, 2.4)).epsilon(1e-6));
  // Gamut: every corner inside both displays' triangles; red and blue are Rec.709's (both show
  // them), green is pulled in.
  for (Xy corner : {t.gamut.red, t.gamut.green, t.gamut.blue}) {
    CHECK(inside(corner, wide.red, wide.green, wide.blue));
    CHECK(inside(corner, narrow.red, narrow.green, narrow.blue));
  }
  CHECK(t.gamut.red.x == doctest::Approx(0.64));
  // Green is pulled in along the line from the white, to within 1 % of where B's gamut ends.
  Xy w = t.container.white, g = t.gamut.green, wanted{0.30, 0.60};
  CHECK(g.y < 0.57);
  CHECK((g.x - w.x) * (wanted.y - w.y) - (g.y - w.y) * (wanted.x - w.x) == doctest::Approx(0).scale(1e-3));
  Xy further{w.x + (g.x - w.x) * 1.02, w.y + (g.y - w.y) * 1.02};
  CHECK_FALSE(inside(further, narrow.red, narrow.green, narrow.blue));
  REQUIRE(plan.reasons.size() == 3);
  CHECK(plan.reasons[1].find("black") != std::string::npos);
  CHECK(plan.reasons[2].find("green") != std::string::npos);

  SUBCASE("the target file reads back to the same colours") {
    fs::path path = test::scratch_dir("match-plan", "round-trip") / "target.json";
    write_file_atomically(path, format_target_file(plan));
    Target back = read_target_file(path);
    CHECK(back.shared_black);
    for (Vec3 s : {Vec3(0, 0, 0), Vec3(0.05, 0.05, 0.05), Vec3(1, 1, 1), Vec3(0, 1, 0), Vec3(0.3, 0.7, 0.2)})
      CHECK((back.XYZ(s) - t.XYZ(s)).norm() < 1e-9 * (1 + t.XYZ(s).norm()));
    CHECK(back.inside_gamut_limit(t.XYZ(Vec3(0, 1, 0))) == false);
    CHECK(target_by_name_or_file(path.string(), {}).white_nits == t.white_nits);
  }
}

TEST_CASE("match plan: readings without a primary, and broken target files, name file and field") {
  MeasurementSet set = additive_display(100 * kSrgbMatrix, Vec3::Zero());
  set.readings.erase(set.readings.begin() + 3);  // the full green
  try {
    room_facts(set, "room.ti3", kD65);
    FAIL("accepted readings without green");
  } catch (const InputError& e) {
    CHECK(e.file() == "room.ti3");
    CHECK(std::string(e.what()).find("green") != std::string::npos);
  }

  fs::path dir = test::scratch_dir("match-plan", "broken");
  MatchPlan plan = plan_match(additive_display(100 * kSrgbMatrix, Vec3::Zero()), "a",
                              additive_display(100 * kSrgbMatrix, XYZ_from_xyY(kD65, 0.1)), "b");
  std::string good = format_target_file(plan);
  struct Case {
    std::string from, to, field;
  };
  for (const Case& c :
       {Case{"\"calkit-target\"", "\"calkit-match\"", "format"}, Case{"\"gamma\": 2.4", "\"gamma\": 9", "gamma"},
        Case{"\"eotf\": \"bt1886\"", "\"eotf\": \"hlg\"", "eotf"},
        Case{"\"container\": \"Rec.709\"", "\"container\": \"rec999\"", "container"},
        Case{"\"white_nits\"", "\"whitenits\"", "white_nits"}}) {
    std::string text = good;
    REQUIRE(text.rfind(c.from) != std::string::npos);
    text.replace(text.rfind(c.from), c.from.size(), c.to);  // the target's own field, after the rooms'

    fs::path path = dir / (c.field + ".json");
    test::write_file_bytes(path, text);
    try {
      read_target_file(path);
      FAIL("accepted a broken " << c.field);
    } catch (const InputError& e) {
      CHECK(e.file() == path.string());
      CHECK(e.field() == c.field);
    }
  }
}
