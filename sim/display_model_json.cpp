// DisplayModel <-> JSON (schema in README "Virtual displays"). Unknown keys are errors, so a typo
// in a hand-written model is reported instead of silently ignored.
#include <algorithm>
#include <initializer_list>
#include <string>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json.hpp"
#include "sim/display_model.hpp"

namespace calkit {

namespace {

using nlohmann::json;

struct Reader {
  std::string file;

  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    throw InputError(file, 0, field, what);
  }

  void only_keys(const json& j, const std::string& path, std::initializer_list<const char*> allowed) const {
    if (!j.is_object()) fail(path.empty() ? "(top level)" : path, "must be an object");
    for (const auto& item : j.items()) {
      bool known = std::any_of(allowed.begin(), allowed.end(), [&](const char* k) { return item.key() == k; });
      if (!known) fail(join(path, item.key()), "unknown field");
    }
  }

  static std::string join(const std::string& path, const std::string& key) {
    return path.empty() ? key : path + "." + key;
  }

  double number(const json& j, const std::string& path) const {
    if (!j.is_number()) fail(path, "must be a number");
    return j.get<double>();
  }

  void number(const json& parent, const std::string& path, const char* key, double& out) const {
    if (parent.contains(key)) out = number(parent.at(key), join(path, key));
  }

  std::string text(const json& parent, const char* key) const {
    if (!parent.contains(key)) return {};
    if (!parent.at(key).is_string()) fail(key, "must be a string");
    return parent.at(key).get<std::string>();
  }

  std::vector<double> numbers(const json& j, const std::string& path, std::size_t n = 0) const {
    if (!j.is_array() || (n != 0 && j.size() != n))
      fail(path, n ? "must be an array of " + std::to_string(n) + " numbers" : "must be an array");
    std::vector<double> out;
    for (std::size_t i = 0; i < j.size(); ++i) out.push_back(number(j[i], path + "[" + std::to_string(i) + "]"));
    return out;
  }

  void xy(const json& parent, const std::string& path, const char* key, Xy& out) const {
    if (!parent.contains(key)) return;
    auto v = numbers(parent.at(key), join(path, key), 2);
    out = {v[0], v[1]};
  }

  void vec3(const json& parent, const std::string& path, const char* key, Vec3& out) const {
    if (!parent.contains(key)) return;
    auto v = numbers(parent.at(key), join(path, key), 3);
    out = Vec3(v[0], v[1], v[2]);
  }

  void mat3(const json& parent, const char* key, Mat3& out) const {
    if (!parent.contains(key)) return;
    const json& j = parent.at(key);
    if (!j.is_array() || j.size() != 3) fail(key, "must be 3 rows of 3 numbers");
    for (int r = 0; r < 3; ++r) {
      auto row = numbers(j[r], std::string(key) + "[" + std::to_string(r) + "]", 3);
      for (int c = 0; c < 3; ++c) out(r, c) = row[c];
    }
  }

  ToneCurve tone(const json& j, const std::string& path) const {
    only_keys(j, path, {"gamma", "toe", "shoulder", "table"});
    ToneCurve t;
    number(j, path, "gamma", t.gamma);
    number(j, path, "toe", t.toe);
    number(j, path, "shoulder", t.shoulder);
    if (j.contains("table")) t.table = numbers(j.at("table"), path + ".table");
    return t;
  }

  DisplayModel model(const json& j) const {
    only_keys(j, "",
              {"name", "description", "technology", "eotf", "primaries", "peak_nits", "black", "tone", "crosstalk",
               "white_subpixel", "power_sag", "hdr", "abl", "settle", "warmup", "panel_bits", "probe_mismatch",
               "uniformity"});
    DisplayModel m;
    m.name = text(j, "name");
    m.description = text(j, "description");
    m.technology = text(j, "technology");
    std::string eotf = j.contains("eotf") ? text(j, "eotf") : "gamma";
    if (eotf == "gamma")
      m.eotf = PanelEotf::Gamma;
    else if (eotf == "pq")
      m.eotf = PanelEotf::Pq;
    else
      fail("eotf", "must be \"gamma\" or \"pq\", not \"" + eotf + "\"");

    if (!j.contains("primaries")) fail("primaries", "missing (red, green, blue, white xy)");
    const json& p = j.at("primaries");
    only_keys(p, "primaries", {"red", "green", "blue", "white"});
    for (const char* k : {"red", "green", "blue", "white"})
      if (!p.contains(k)) fail(std::string("primaries.") + k, "missing");
    xy(p, "primaries", "red", m.red);
    xy(p, "primaries", "green", m.green);
    xy(p, "primaries", "blue", m.blue);
    xy(p, "primaries", "white", m.white);
    if (!j.contains("peak_nits")) fail("peak_nits", "missing");
    number(j, "", "peak_nits", m.peak_nits);

    if (j.contains("black")) {
      const json& b = j.at("black");
      only_keys(b, "black", {"nits", "xy", "bloom_nits"});
      number(b, "black", "nits", m.black_nits);
      xy(b, "black", "xy", m.black_xy);
      number(b, "black", "bloom_nits", m.black_bloom_nits);
    }
    if (j.contains("tone")) {
      const json& t = j.at("tone");
      if (t.is_object()) {
        ToneCurve one = tone(t, "tone");
        m.tone = {one, one, one};
      } else if (t.is_array() && t.size() == 3) {
        for (int c = 0; c < 3; ++c) m.tone[c] = tone(t[c], "tone[" + std::to_string(c) + "]");
      } else {
        fail("tone", "must be one curve object or an array of 3 (R, G, B)");
      }
    }
    mat3(j, "crosstalk", m.crosstalk);
    if (j.contains("white_subpixel")) {
      const json& w = j.at("white_subpixel");
      only_keys(w, "white_subpixel", {"fraction", "xy"});
      number(w, "white_subpixel", "fraction", m.white_subpixel_fraction);
      xy(w, "white_subpixel", "xy", m.white_subpixel_xy);
    }
    number(j, "", "power_sag", m.power_sag);
    if (j.contains("hdr")) {
      const json& h = j.at("hdr");
      only_keys(h, "hdr", {"rolloff_start_nits", "clip_nits", "tracking_error"});
      number(h, "hdr", "rolloff_start_nits", m.hdr.rolloff_start_nits);
      number(h, "hdr", "clip_nits", m.hdr.clip_nits);
      if (h.contains("tracking_error")) {
        const json& k = h.at("tracking_error");
        if (!k.is_array()) fail("hdr.tracking_error", "must be an array of [signal, error]");
        for (std::size_t i = 0; i < k.size(); ++i) {
          auto v = numbers(k[i], "hdr.tracking_error[" + std::to_string(i) + "]", 2);
          m.hdr.tracking_error.push_back({v[0], v[1]});
        }
      }
    }
    if (j.contains("abl")) {
      const json& a = j.at("abl");
      only_keys(a, "abl", {"knee_apl", "full_field_nits"});
      number(a, "abl", "knee_apl", m.abl.knee_apl);
      number(a, "abl", "full_field_nits", m.abl.full_field_nits);
    }
    if (j.contains("settle")) {
      const json& s = j.at("settle");
      only_keys(s, "settle", {"rise_s", "fall_s"});
      number(s, "settle", "rise_s", m.settle.rise_s);
      number(s, "settle", "fall_s", m.settle.fall_s);
    }
    if (j.contains("warmup")) {
      const json& w = j.at("warmup");
      only_keys(w, "warmup", {"tau_s", "start_age_s", "initial_gain"});
      number(w, "warmup", "tau_s", m.warmup.tau_s);
      number(w, "warmup", "start_age_s", m.warmup.start_age_s);
      vec3(w, "warmup", "initial_gain", m.warmup.initial_gain);
    }
    if (j.contains("panel_bits")) {
      const json& b = j.at("panel_bits");
      if (!b.is_number_integer()) fail("panel_bits", "must be an integer");
      // Range first: 4294967306 must not wrap round to 10 in an int.
      const bool small = b.is_number_unsigned() ? b.get<std::uint64_t>() <= 64
                                                : b.get<std::int64_t>() >= 0 && b.get<std::int64_t>() <= 64;
      if (!small) fail("panel_bits", "must be 0 (none) or 6..16");
      m.panel_bits = b.get<int>();
    }
    mat3(j, "probe_mismatch", m.probe_mismatch);
    if (j.contains("uniformity")) {
      const json& u = j.at("uniformity");
      only_keys(u, "uniformity",
                {"corner_falloff", "falloff_exponent", "corner_tint_xy", "horizontal_tint_xy", "vertical_tint_xy"});
      number(u, "uniformity", "corner_falloff", m.uniformity.corner_falloff);
      number(u, "uniformity", "falloff_exponent", m.uniformity.falloff_exponent);
      xy(u, "uniformity", "corner_tint_xy", m.uniformity.corner_tint_xy);
      xy(u, "uniformity", "horizontal_tint_xy", m.uniformity.horizontal_tint_xy);
      xy(u, "uniformity", "vertical_tint_xy", m.uniformity.vertical_tint_xy);
    }
    check_display_model(m, file);
    return m;
  }
};

json mat_json(const Mat3& m) {
  json rows = json::array();
  for (int r = 0; r < 3; ++r) rows.push_back(json::array({m(r, 0), m(r, 1), m(r, 2)}));
  return rows;
}

json tone_json(const ToneCurve& t) {
  json j{{"gamma", t.gamma}, {"toe", t.toe}, {"shoulder", t.shoulder}};
  if (!t.table.empty()) j["table"] = t.table;
  return j;
}

}  // namespace

DisplayModel display_model_from_json(const std::string& json_text, const std::string& file) {
  const json j = parse_json(json_text, file);
  return Reader{file}.model(j);
}

std::string display_model_to_json(const DisplayModel& m) {
  json j;
  j["name"] = m.name;
  j["description"] = m.description;
  j["technology"] = m.technology;
  j["eotf"] = m.eotf == PanelEotf::Pq ? "pq" : "gamma";
  j["primaries"] = {
      {"red", xy_json(m.red)}, {"green", xy_json(m.green)}, {"blue", xy_json(m.blue)}, {"white", xy_json(m.white)}};
  j["peak_nits"] = m.peak_nits;
  j["black"] = {{"nits", m.black_nits}, {"xy", xy_json(m.black_xy)}, {"bloom_nits", m.black_bloom_nits}};
  j["tone"] = json::array({tone_json(m.tone[0]), tone_json(m.tone[1]), tone_json(m.tone[2])});
  j["crosstalk"] = mat_json(m.crosstalk);
  j["white_subpixel"] = {{"fraction", m.white_subpixel_fraction}, {"xy", xy_json(m.white_subpixel_xy)}};
  j["power_sag"] = m.power_sag;
  json knots = json::array();
  for (const auto& k : m.hdr.tracking_error) knots.push_back(json::array({k[0], k[1]}));
  j["hdr"] = {
      {"rolloff_start_nits", m.hdr.rolloff_start_nits}, {"clip_nits", m.hdr.clip_nits}, {"tracking_error", knots}};
  j["abl"] = {{"knee_apl", m.abl.knee_apl}, {"full_field_nits", m.abl.full_field_nits}};
  j["settle"] = {{"rise_s", m.settle.rise_s}, {"fall_s", m.settle.fall_s}};
  const Vec3& g = m.warmup.initial_gain;
  j["warmup"] = {{"tau_s", m.warmup.tau_s},
                 {"start_age_s", m.warmup.start_age_s},
                 {"initial_gain", json::array({g[0], g[1], g[2]})}};
  j["panel_bits"] = m.panel_bits;
  j["probe_mismatch"] = mat_json(m.probe_mismatch);
  const SpatialUniformity& u = m.uniformity;
  j["uniformity"] = {{"corner_falloff", u.corner_falloff},
                     {"falloff_exponent", u.falloff_exponent},
                     {"corner_tint_xy", xy_json(u.corner_tint_xy)},
                     {"horizontal_tint_xy", xy_json(u.horizontal_tint_xy)},
                     {"vertical_tint_xy", xy_json(u.vertical_tint_xy)}};
  return j.dump(2);
}

}  // namespace calkit
