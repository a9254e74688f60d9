#include "solver/match_plan.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "color/colorimetry.hpp"
#include "color/rgb_space.hpp"
#include "color/transfer.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/json.hpp"

namespace calkit {

namespace {

using nlohmann::json;

// The plan's white is this share of the dimmer room's brightest target-white grey: each room's
// solve then reaches it with room for the probe's noise and the model's error.
constexpr double kWhiteHeadroom = 0.97;
// The shared black is this much above the brighter black, so that the brighter-black display
// also shows it at the target white's chromaticity (its own black has its own tint).
constexpr double kBlackHeadroom = 1.10;
// A limited primary stops this share short of the edge both rooms show.
constexpr double kGamutMargin = 0.99;

Vec3 mean_reading(const MeasurementSet& set, const Vec3& rgb, const std::string& file, const char* what) {
  Vec3 sum = Vec3::Zero();
  int n = 0;
  for (const Reading& r : set.readings)
    if ((r.rgb - rgb).cwiseAbs().maxCoeff() <= 1e-6) {
      sum += r.XYZ;
      ++n;
    }
  if (n == 0)
    throw InputError(file, 0, "readings",
                     fmt::format("no reading of {} ({:g} {:g} {:g}): a plan needs black, white and the three full "
                                 "primaries of the display as it is",
                                 what, rgb.x(), rgb.y(), rgb.z()));
  return sum / n;
}

std::string info_of(const MeasurementSet& set, const char* key) {
  auto it = set.info.find(key);
  return it == set.info.end() ? std::string() : it->second;
}

// Inside the triangle, or within `tolerance` (xy) of it: a primary that lies on a display's own
// edge (P3 blue is Rec.709 blue) reads a little outside it through the probe's noise.
constexpr double kEdgeTolerance = 0.002;

bool inside_triangle(Xy p, Xy a, Xy b, Xy c, double tolerance = 0) {
  // Signed distance of p from each edge, positive on the side of the opposite corner.
  auto distance = [](Xy p, Xy q, Xy r) {
    return ((q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x)) / std::hypot(q.x - p.x, q.y - p.y);
  };
  double orientation = distance(a, b, c) > 0 ? 1 : -1;
  return orientation * distance(a, b, p) >= -tolerance && orientation * distance(b, c, p) >= -tolerance &&
         orientation * distance(c, a, p) >= -tolerance;
}

bool shown_by(const RoomFacts& room, Xy p) {
  return inside_triangle(p, room.red, room.green, room.blue, kEdgeTolerance);
}

// The target primary, or the most saturated point towards the white that both rooms show.
Xy limited_primary(Xy primary, Xy white, const RoomFacts& a, const RoomFacts& b) {
  auto at = [&](double t) { return Xy{white.x + t * (primary.x - white.x), white.y + t * (primary.y - white.y)}; };
  if (shown_by(a, primary) && shown_by(b, primary)) return primary;
  auto inside_both = [&](Xy p) {
    return inside_triangle(p, a.red, a.green, a.blue) && inside_triangle(p, b.red, b.green, b.blue);
  };
  double lo = 0, hi = 1;
  for (int i = 0; i < 50; ++i) {
    double mid = 0.5 * (lo + hi);
    (inside_both(at(mid)) ? lo : hi) = mid;
  }
  return at(lo * kGamutMargin);
}

std::string xy_text(Xy p) { return fmt::format("({:.4f}, {:.4f})", p.x, p.y); }

std::string room_name(const char* letter, const RoomFacts& room) { return fmt::format("{} ({})", letter, room.file); }

json room_json(const RoomFacts& r) {
  return {{"file", r.file},
          {"display", r.display},
          {"probe", r.probe},
          {"correction", r.correction},
          {"black_nits", r.black_XYZ.y()},
          {"white_nits", r.white_XYZ.y()},
          {"white_xy", xy_json(xy_from_XYZ(r.white_XYZ))},
          {"max_neutral_nits", r.max_neutral_nits},
          {"primaries", {{"red", xy_json(r.red)}, {"green", xy_json(r.green)}, {"blue", xy_json(r.blue)}}}};
}

const json& member(const json& doc, const char* key, const std::string& file) {
  auto it = doc.find(key);
  if (it == doc.end()) throw InputError(file, 0, key, "missing");
  return *it;
}

double number(const json& doc, const char* key, const std::string& file, double lo, double hi) {
  const json& v = member(doc, key, file);
  if (!v.is_number() || !(v.get<double>() >= lo && v.get<double>() <= hi))
    throw InputError(file, 0, key, fmt::format("expected a number in [{:g}, {:g}]", lo, hi));
  return v.get<double>();
}

Xy chromaticity(const json& v, const std::string& file, const std::string& field) {
  if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_number())
    throw InputError(file, 0, field, "expected [x, y]");
  Xy p{v[0].get<double>(), v[1].get<double>()};
  if (!(p.x > 0 && p.y > 0 && p.x + p.y < 1))
    throw InputError(file, 0, field, "x and y must be positive with x + y < 1");
  return p;
}

}  // namespace

RoomFacts room_facts(const MeasurementSet& readings, const std::string& file, Xy target_white) {
  RoomFacts room;
  room.file = file;
  room.display = info_of(readings, "display");
  room.probe = info_of(readings, "probe");
  room.correction = info_of(readings, "correction");
  room.black_XYZ = mean_reading(readings, Vec3::Zero(), file, "black").cwiseMax(0.0);
  room.white_XYZ = mean_reading(readings, Vec3::Ones(), file, "white");
  Mat3 primaries;
  const char* names[3] = {"red", "green", "blue"};
  for (int c = 0; c < 3; ++c) {
    primaries.col(c) = mean_reading(readings, Vec3::Unit(c), file, names[c]) - room.black_XYZ;
    if (!(primaries.col(c).y() > 0))
      throw InputError(file, 0, "readings", fmt::format("the full {} reads no light above black", names[c]));
  }
  room.red = xy_from_XYZ(primaries.col(0));
  room.green = xy_from_XYZ(primaries.col(1));
  room.blue = xy_from_XYZ(primaries.col(2));
  // Additive light: the drive of each primary that makes 1 cd/m² of the target white; the
  // brightest grey is where the most driven primary reaches full. A display whose white is
  // dimmer than its primaries' sum (power sag) is held to its measured white.
  Vec3 drive = primaries.colPivHouseholderQr().solve(XYZ_from_xyY(target_white, 1.0));
  if (!(drive.minCoeff() > 0))
    throw InputError(file, 0, "readings",
                     fmt::format("the target white {} lies outside this display's primaries", xy_text(target_white)));
  room.max_neutral_nits = std::min(room.black_XYZ.y() + 1.0 / drive.maxCoeff(), room.white_XYZ.y());
  return room;
}

MatchPlan plan_match(const MeasurementSet& a, const std::string& a_file, const MeasurementSet& b,
                     const std::string& b_file, const MatchPlanOptions& options) {
  TargetOptions target_options;
  target_options.gamma = options.gamma;
  target_options.pure_power = options.pure_power;
  target_options.white_nits = options.white_nits;
  MatchPlan plan;
  Target& t = plan.target;
  t = target_by_name("bt1886", target_options);
  Xy white = t.container.white;
  plan.a = room_facts(a, a_file, white);
  plan.b = room_facts(b, b_file, white);
  const RoomFacts &ra = plan.a, &rb = plan.b;
  std::string name_a = room_name("A", ra), name_b = room_name("B", rb);

  // White: what both rooms show of the target white.
  double dimmer = std::min(ra.max_neutral_nits, rb.max_neutral_nits);
  t.white_nits = std::min(options.white_nits, std::floor(kWhiteHeadroom * dimmer * 10) / 10);
  std::string white_line = fmt::format("{} shows target-white greys up to {:.1f} cd/m², {} up to {:.1f}: ", name_a,
                                       ra.max_neutral_nits, name_b, rb.max_neutral_nits);
  if (t.white_nits < options.white_nits)
    white_line += fmt::format(
        "white lowered from {:g} to {:.1f} cd/m² ({:.0f} % of the dimmer, room for the "
        "calibration)",
        options.white_nits, t.white_nits, kWhiteHeadroom * 100);
  else
    white_line += fmt::format("white {:g} cd/m² as asked", t.white_nits);
  plan.reasons.push_back(white_line);

  // Black: the higher of the two, in both rooms.
  double black_a = ra.black_XYZ.y(), black_b = rb.black_XYZ.y();
  double shared = kBlackHeadroom * std::max(black_a, black_b);
  if (!(shared < t.white_nits / 2))
    throw InputError(black_a > black_b ? a_file : b_file, 0, "readings",
                     fmt::format("the display's black ({:.4f} cd/m²) is brighter than half the white both rooms show "
                                 "({:.1f} cd/m²)",
                                 std::max(black_a, black_b), t.white_nits));
  t.display_black_XYZ = XYZ_from_xyY(white, shared);
  t.shared_black = true;
  const RoomFacts& darker = black_a <= black_b ? ra : rb;
  const RoomFacts& brighter = black_a <= black_b ? rb : ra;
  double shadow_dark = Bt1886Eotf(t.white_nits, darker.black_XYZ.y(), t.gamma).nits(0.05);
  double shadow_bright = Bt1886Eotf(t.white_nits, brighter.black_XYZ.y(), t.gamma).nits(0.05);
  plan.reasons.push_back(fmt::format(
      "{}'s black is {:.3g} cd/m², {}'s {:.3g}: BT.1886 on each display's own black would make {}'s 5 % grey "
      "{:.0f} % brighter than {}'s ({:.3f} against {:.3f} cd/m²); both rooms use a black of {:.3g} cd/m² (the "
      "brighter black +{:.0f} %, so that both show it at the target white)",
      brighter.file == ra.file ? name_a : name_b, brighter.black_XYZ.y(), darker.file == ra.file ? name_a : name_b,
      darker.black_XYZ.y(), brighter.file == ra.file ? "A" : "B", 100 * (shadow_bright / shadow_dark - 1),
      darker.file == ra.file ? "A" : "B", shadow_bright, shadow_dark, shared, (kBlackHeadroom - 1) * 100));

  // Gamut: each target primary both rooms show, else the most saturated point towards the white.
  RgbSpace& g = t.gamut;
  Xy* corners[3] = {&g.red, &g.green, &g.blue};
  const char* names[3] = {"red", "green", "blue"};
  std::vector<std::string> limited;
  for (int c = 0; c < 3; ++c) {
    Xy wanted = *corners[c];
    *corners[c] = limited_primary(wanted, white, ra, rb);
    if (corners[c]->x != wanted.x || corners[c]->y != wanted.y) {
      std::string who = !shown_by(ra, wanted) && !shown_by(rb, wanted) ? "neither room shows"
                        : !shown_by(ra, wanted)                        ? name_a + " does not show"
                                                                       : name_b + " does not show";
      limited.push_back(fmt::format("{} {} {} {}: limited to {}", who, t.container.name, names[c], xy_text(wanted),
                                    xy_text(*corners[c])));
    }
  }
  if (limited.empty()) {
    plan.reasons.push_back(fmt::format("both displays show the whole {} gamut", t.container.name));
  } else {
    g.name = t.container.name + " limited to both rooms";
    for (const auto& line : limited) plan.reasons.push_back(line);
  }
  return plan;
}

std::string format_target_file(const MatchPlan& plan) {
  const Target& t = plan.target;
  json doc = {
      {"format", "calkit-target"},
      {"version", 1},
      {"eotf", t.eotf == TargetEotf::Power ? "power" : "bt1886"},
      {"gamma", t.gamma},
      {"white_nits", t.white_nits},
      {"black_nits", t.display_black_XYZ.y()},
      {"white", xy_json(t.container.white)},
      {"container", t.container.name},
      {"gamut", {{"red", xy_json(t.gamut.red)}, {"green", xy_json(t.gamut.green)}, {"blue", xy_json(t.gamut.blue)}}},
      {"reasons", plan.reasons},
      {"rooms", {{"a", room_json(plan.a)}, {"b", room_json(plan.b)}}}};
  return doc.dump(2) + "\n";
}

Target read_target_file(const std::filesystem::path& path) {
  const std::string file = path.string();
  json doc;
  try {
    doc = json::parse(read_file_text(path));
  } catch (const json::parse_error& e) {
    throw InputError(file, 0, "", std::string("not JSON: ") + e.what());
  }
  if (!doc.is_object() || doc.value("format", "") != "calkit-target")
    throw InputError(file, 0, "format", "not a calkit target file (format \"calkit-target\")");
  if (!doc.contains("version") || doc["version"] != 1) throw InputError(file, 0, "version", "expected version 1");
  const json& eotf = member(doc, "eotf", file);
  if (eotf != "bt1886" && eotf != "power") throw InputError(file, 0, "eotf", "expected \"bt1886\" or \"power\"");
  TargetOptions o;
  o.pure_power = eotf == "power";
  o.gamma = number(doc, "gamma", file, 1, 4);
  o.white_nits = number(doc, "white_nits", file, 1e-3, 10000);
  o.white_xy = chromaticity(member(doc, "white", file), file, "white");
  double black = number(doc, "black_nits", file, 0, o.white_nits / 2);
  const json& container = member(doc, "container", file);
  if (!container.is_string()) throw InputError(file, 0, "container", "expected a colour space name");
  const json& gamut = member(doc, "gamut", file);
  if (!gamut.is_object())
    throw InputError(file, 0, "gamut", "expected {\"red\": [x, y], \"green\": ..., \"blue\": ...}");

  Target t = target_by_name("bt1886", o);
  try {
    t.container = rgb_space_by_name(container.get<std::string>());
  } catch (const InputError& e) {
    throw InputError(file, 0, "container", e.what());
  }
  t.container.white = *o.white_xy;
  t.gamut = RgbSpace{"shared gamut", chromaticity(member(gamut, "red", file), file, "gamut.red"),
                     chromaticity(member(gamut, "green", file), file, "gamut.green"),
                     chromaticity(member(gamut, "blue", file), file, "gamut.blue"), *o.white_xy};
  if (!inside_triangle(t.gamut.white, t.gamut.red, t.gamut.green, t.gamut.blue))
    throw InputError(file, 0, "gamut", "the white lies outside the gamut's primaries");
  t.display_black_XYZ = XYZ_from_xyY(*o.white_xy, black);
  t.shared_black = true;
  return t;
}

Target target_by_name_or_file(const std::string& name_or_path, const TargetOptions& options) {
  bool is_file = name_or_path.find('/') != std::string::npos || name_or_path.ends_with(".json");
  return is_file ? read_target_file(name_or_path) : target_by_name(name_or_path, options);
}

}  // namespace calkit
