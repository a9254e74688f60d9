#include "sim/display_model.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <utility>

#include "color/plausibility.hpp"
#include "core/error.hpp"
#include "core/files.hpp"

namespace calkit {

namespace {

double table_lookup(const std::vector<double>& table, double v) {
  double pos = std::clamp(v, 0.0, 1.0) * static_cast<double>(table.size() - 1);
  auto i = static_cast<std::size_t>(std::floor(pos));
  if (i + 1 >= table.size()) return table.back();
  double f = pos - static_cast<double>(i);
  return table[i] + f * (table[i + 1] - table[i]);
}

void require(bool ok, const std::string& file, const std::string& field, const std::string& what) {
  if (!ok) throw InputError(file, 0, field, what);
}

void check_xy(Xy xy, const std::string& file, const std::string& field) {
  require(std::isfinite(xy.x) && std::isfinite(xy.y) && xy.x > 0 && xy.y > 0 && xy.x + xy.y < 1, file, field,
          "chromaticity must satisfy x > 0, y > 0, x + y < 1");
}

}  // namespace

double ToneCurve::light(double v) const {
  v = std::clamp(v, 0.0, 1.0);
  if (!table.empty()) return table_lookup(table, v);
  double t0 = std::pow(toe / (1 + toe), gamma);
  double base = (std::pow((v + toe) / (1 + toe), gamma) - t0) / (1 - t0);
  return base * (1 + shoulder) / (1 + shoulder * base);
}

double HdrResponse::error_at(double signal) const {
  if (tracking_error.empty()) return 0;
  if (signal <= tracking_error.front()[0]) return tracking_error.front()[1];
  for (std::size_t i = 1; i < tracking_error.size(); ++i) {
    const auto& a = tracking_error[i - 1];
    const auto& b = tracking_error[i];
    if (signal <= b[0]) {
      double f = b[0] > a[0] ? (signal - a[0]) / (b[0] - a[0]) : 1.0;
      return a[1] + f * (b[1] - a[1]);
    }
  }
  return tracking_error.back()[1];
}

double AblParams::gain(double apl, double peak_nits) const {
  if (full_field_nits <= 0 || full_field_nits >= peak_nits || apl <= knee_apl) return 1;
  if (knee_apl >= 1) return 1;
  // (knee/1)^p = full/peak fixes the exponent so a full white field lands on full_field_nits.
  double p = std::log(full_field_nits / peak_nits) / std::log(knee_apl);
  return std::pow(knee_apl / apl, p);
}

bool SpatialUniformity::uniform() const {
  return corner_falloff == 0 && corner_tint_xy.x == 0 && corner_tint_xy.y == 0 && horizontal_tint_xy.x == 0 &&
         horizontal_tint_xy.y == 0 && vertical_tint_xy.x == 0 && vertical_tint_xy.y == 0;
}

Vec3 SpatialUniformity::gain(double x, double y, Xy white) const {
  if (uniform()) return Vec3::Ones();
  double u = 2 * std::clamp(x, 0.0, 1.0) - 1;
  double v = 2 * std::clamp(y, 0.0, 1.0) - 1;
  double radial = std::pow((u * u + v * v) / 2, falloff_exponent / 2);  // r^exponent
  double factor = 1 - corner_falloff * radial;
  Xy shifted{white.x + corner_tint_xy.x * radial + horizontal_tint_xy.x * u + vertical_tint_xy.x * v,
             white.y + corner_tint_xy.y * radial + horizontal_tint_xy.y * u + vertical_tint_xy.y * v};
  Vec3 w = XYZ_from_xyY(white, 1);
  Vec3 moved = XYZ_from_xyY(shifted, 1);
  return factor * moved.cwiseQuotient(w);
}

void check_display_model(const DisplayModel& m, const std::string& file) {
  check_xy(m.red, file, "primaries.red");
  check_xy(m.green, file, "primaries.green");
  check_xy(m.blue, file, "primaries.blue");
  check_xy(m.white, file, "primaries.white");
  double area = (m.green.x - m.red.x) * (m.blue.y - m.red.y) - (m.blue.x - m.red.x) * (m.green.y - m.red.y);
  require(std::abs(area) > 1e-4, file, "primaries", "primaries are collinear");
  require(std::isfinite(m.peak_nits) && m.peak_nits > 0 && m.peak_nits <= 10000, file, "peak_nits",
          "must be in (0, 10000]");
  require(std::isfinite(m.black_nits) && m.black_nits >= 0 && m.black_nits < m.peak_nits, file, "black.nits",
          "must be >= 0 and below peak_nits");
  check_xy(m.black_xy, file, "black.xy");
  require(std::isfinite(m.black_bloom_nits) && m.black_bloom_nits >= 0, file, "black.bloom_nits", "must be >= 0");
  for (int c = 0; c < 3; ++c) {
    const ToneCurve& t = m.tone[c];
    std::string f = "tone[" + std::to_string(c) + "]";
    require(std::isfinite(t.gamma) && t.gamma > 0 && t.gamma <= 10, file, f + ".gamma", "must be in (0, 10]");
    require(std::isfinite(t.toe) && t.toe >= 0 && t.toe <= 1, file, f + ".toe", "must be in [0, 1]");
    require(std::isfinite(t.shoulder) && t.shoulder > -1 && t.shoulder <= 10, file, f + ".shoulder",
            "must be in (-1, 10]");
    if (!t.table.empty()) {
      require(t.table.size() >= 2, file, f + ".table", "needs at least 2 entries");
      require(t.table.front() == 0 && t.table.back() == 1, file, f + ".table", "must start at 0 and end at 1");
      for (std::size_t i = 1; i < t.table.size(); ++i)
        require(std::isfinite(t.table[i]) && t.table[i] >= t.table[i - 1], file, f + ".table",
                "must be non-decreasing");
    }
  }
  // Crosstalk mixes drives: each channel mostly itself, a little of the others. Anything far from
  // that (1e308) is not a panel and would turn readings into NaN.
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) {
      const double v = m.crosstalk(r, c);
      require(r == c ? v > 0 && v <= 2 : std::abs(v) <= 1, file,
              "crosstalk[" + std::to_string(r) + "][" + std::to_string(c) + "]",
              r == c ? "a channel's own share must be in (0, 2]" : "a share of another channel must be within ±1");
    }
  if (std::string why = implausible_correction(m.probe_mismatch); !why.empty())
    require(false, file, "probe_mismatch", "is not a probe's error: " + why);
  require(m.white_subpixel_fraction >= 0 && m.white_subpixel_fraction < 1, file, "white_subpixel.fraction",
          "must be in [0, 1)");
  check_xy(m.white_subpixel_xy, file, "white_subpixel.xy");
  require(m.power_sag >= 0 && m.power_sag < 0.5, file, "power_sag", "must be in [0, 0.5)");
  require(m.hdr.rolloff_start_nits >= 0 && m.hdr.rolloff_start_nits < m.peak_nits, file, "hdr.rolloff_start_nits",
          "must be >= 0 and below peak_nits");
  require(m.hdr.clip_nits > 0 && m.hdr.clip_nits <= 10000, file, "hdr.clip_nits", "must be in (0, 10000]");
  for (std::size_t i = 0; i < m.hdr.tracking_error.size(); ++i) {
    const auto& k = m.hdr.tracking_error[i];
    std::string f = "hdr.tracking_error[" + std::to_string(i) + "]";
    require(k[0] >= 0 && k[0] <= 1 && k[1] > -0.9 && k[1] < 10, file, f,
            "needs signal in [0, 1] and error in (-0.9, 10)");
    require(i == 0 || k[0] > m.hdr.tracking_error[i - 1][0], file, f, "signals must increase");
  }
  require(m.abl.knee_apl > 0 && m.abl.knee_apl <= 1, file, "abl.knee_apl", "must be in (0, 1]");
  require(m.abl.full_field_nits >= 0 && m.abl.full_field_nits <= m.peak_nits, file, "abl.full_field_nits",
          "must be in [0, peak_nits]");
  require(m.settle.rise_s >= 0 && m.settle.rise_s <= 60, file, "settle.rise_s", "must be in [0, 60]");
  require(m.settle.fall_s >= 0 && m.settle.fall_s <= 60, file, "settle.fall_s", "must be in [0, 60]");
  require(m.warmup.tau_s >= 0 && m.warmup.start_age_s >= 0, file, "warmup", "tau_s and start_age_s must be >= 0");
  require((m.warmup.initial_gain.array() > 0).all() && (m.warmup.initial_gain.array() < 10).all(), file,
          "warmup.initial_gain", "must be in (0, 10)");
  const SpatialUniformity& u = m.uniformity;
  require(std::isfinite(u.corner_falloff) && u.corner_falloff >= 0 && u.corner_falloff <= 0.9, file,
          "uniformity.corner_falloff", "must be in [0, 0.9]");
  require(std::isfinite(u.falloff_exponent) && u.falloff_exponent >= 0.5 && u.falloff_exponent <= 10, file,
          "uniformity.falloff_exponent", "must be in [0.5, 10]");
  for (auto [tint, field] : {std::pair{u.corner_tint_xy, "uniformity.corner_tint_xy"},
                             std::pair{u.horizontal_tint_xy, "uniformity.horizontal_tint_xy"},
                             std::pair{u.vertical_tint_xy, "uniformity.vertical_tint_xy"}})
    require(std::isfinite(tint.x) && std::isfinite(tint.y) && std::abs(tint.x) <= 0.05 && std::abs(tint.y) <= 0.05,
            file, field, "each xy shift must be within +-0.05");
  require(m.panel_bits == 0 || (m.panel_bits >= 6 && m.panel_bits <= 16), file, "panel_bits",
          "must be 0 (none) or 6..16");
}

DisplayModel load_display_model(const std::string& name_or_path) {
  if (name_or_path.rfind("sim:", 0) == 0) return builtin_display_model(name_or_path);
  std::error_code ec;
  if (!std::filesystem::exists(name_or_path, ec))
    throw InputError(name_or_path, 0, "", "no such display model file (and not a sim: name either)");
  return display_model_from_json(read_file_text(name_or_path), name_or_path);
}

void save_display_model(const DisplayModel& model, const std::string& path) {
  write_file_atomically(path, display_model_to_json(model) + "\n");
}

}  // namespace calkit
