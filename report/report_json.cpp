#include "report/report_json.hpp"

#include <climits>
#include <cmath>
#include <cstdint>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/json.hpp"

namespace calkit {

namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kFormat = "calkit-verification";
constexpr int kVersion = 1;

// One list of fields per struct, used both to write and to read (describe(io, value) calls
// io("key", member) for each member), so the two directions cannot drift apart. Fields added
// since version 1 are io.optional: always written, read when present (else the default stays).
template <class Io>
void describe(Io& io, VerificationInfo& v) {
  io("label", v.label);
  io("display", v.display);
  io("probe", v.probe);
  io("correction", v.correction);
  io("target", v.target);
  io("lut_file", v.lut_file);
  io("lut_xxh64", v.lut_xxh64);
  io("date", v.date);
  io("calkit_version", v.calkit_version);
}

template <class Io>
void describe(Io& io, TargetDescription& v) {
  io("name", v.name);
  io("red", v.red);
  io("green", v.green);
  io("blue", v.blue);
  io("white", v.white);
  io("eotf", v.eotf);
  io("white_nits", v.white_nits);
  io("black_nits", v.black_nits);
  io("hdr", v.hdr);
  io.optional("roll_off", v.roll_off);
  io.optional("display_peak_nits", v.display_peak_nits);
}

template <class Io>
void describe(Io& io, VerificationThresholds& v) {
  io("mean_de2000", v.mean_de2000);
  io("max_de2000", v.max_de2000);
  io("greyscale_max_de2000", v.greyscale_max_de2000);
  io("mean_de_itp", v.mean_de_itp);
  io.optional("p95_de_itp", v.p95_de_itp);
  io("max_de_itp", v.max_de_itp);
}

template <class Io>
void describe(Io& io, VerificationPatch& v) {
  io("signal", v.signal);
  io("target_XYZ", v.target_XYZ);
  io("measured_XYZ", v.measured_XYZ);
  io.optional("measured_stdev", v.measured_stdev);
  io("group", v.group);
  io("de2000", v.de2000);
  io("de76", v.de76);
  io("de94", v.de94);
  io("de_itp", v.de_itp);
  io.optional("judged", v.judged);
  io.optional("de2000_noise", v.de2000_noise);
  io.optional("de_itp_noise", v.de_itp_noise);
}

template <class Io>
void describe(Io& io, DeStats& v) {
  io("count", v.count);
  io("mean", v.mean);
  io("median", v.median);
  io("p95", v.p95);
  io("max", v.max);
  io("max_index", v.max_index);
}

template <class Io>
void describe(Io& io, GroupStats& v) {
  io("group", v.group);
  io("de2000", v.de2000);
  io("de_itp", v.de_itp);
}

template <class Io>
void describe(Io& io, Summary& v) {
  io.optional("not_judged", v.not_judged);
  io("de2000", v.de2000);
  io("de_itp", v.de_itp);
  io("de76", v.de76);
  io("de94", v.de94);
  io("groups", v.groups);
}

template <class Io>
void describe(Io& io, GreyStep& v) {
  io("patch", v.patch);
  io("signal", v.signal);
  io("target_nits", v.target_nits);
  io("measured_nits", v.measured_nits);
  io("luminance_error_pct", v.luminance_error_pct);
  io("rgb_balance", v.rgb_balance);
  io("cct", v.cct);
  io("duv", v.duv);
  io("target_gamma", v.target_gamma);
  io("measured_gamma", v.measured_gamma);
  io("de2000", v.de2000);
  io("de_itp", v.de_itp);
}

template <class Io>
void describe(Io& io, GreyscaleAnalysis& v) {
  io("steps", v.steps);
  io("white_nits", v.white_nits);
  io("target_white_nits", v.target_white_nits);
  io("white_error_pct", v.white_error_pct);
  io("black_nits", v.black_nits);
  io("target_black_nits", v.target_black_nits);
  io("contrast", v.contrast);
  io("white_xy", v.white_xy);
  io("target_white_xy", v.target_white_xy);
  io("white_delta_xy", v.white_delta_xy);
  io("white_delta_uv", v.white_delta_uv);
  io("white_cct", v.white_cct);
  io("white_duv", v.white_duv);
  io("mean_gamma", v.mean_gamma);
  io("mean_abs_luminance_error_pct", v.mean_abs_luminance_error_pct);
  io("peak_nits", v.peak_nits);
  io("window_pct", v.window_pct);
  io("tracked_to_nits", v.tracked_to_nits);
  io("rolloff_signal", v.rolloff_signal);
  io("rolloff_nits", v.rolloff_nits);
}

template <class Io>
void describe(Io& io, Verdict& v) {
  io("pass", v.pass);
  io.optional("marginal", v.marginal);
  io("line", v.line);
}

template <class Io>
void describe(Io& io, VerificationResult& v) {
  io("info", v.info);
  io("target", v.target);
  io("thresholds", v.thresholds);
  io("extra_metrics", v.extra_metrics);
  io("patches", v.patches);
  io("summary", v.summary);
  io("greyscale", v.greyscale);
  io("verdict", v.verdict);
}

// ---- writing

struct Writer {
  Json out = Json::object();

  static Json value(double x) { return number_or_null<Json>(x); }
  static Json value(int x) { return x; }
  static Json value(bool x) { return x; }
  static Json value(std::string& x) { return x; }
  static Json value(Vec3& x) { return Json::array({value(x.x()), value(x.y()), value(x.z())}); }
  static Json value(Xy& x) { return Json::array({value(x.x), value(x.y)}); }
  template <class T>
  static Json value(std::vector<T>& list) {
    Json out = Json::array();
    for (auto& item : list) out.push_back(value(item));
    return out;
  }
  template <class T>
  static Json value(T& object) {
    Writer nested;
    describe(nested, object);
    return nested.out;
  }

  template <class T>
  void operator()(const char* key, T& member) {
    out[key] = value(member);
  }
  template <class T>
  void optional(const char* key, T& member) {
    (*this)(key, member);
  }
};

// ---- reading

struct Reader {
  const Json& in;
  const std::string& file;
  std::string path;  // "patches[3]"

  [[noreturn]] void fail(const std::string& field, const std::string& message) const {
    throw InputError(file, 0, field, message);
  }

  double read_number(const Json& j, const std::string& field) const {
    if (j.is_null()) return kNotMeasured;
    if (!j.is_number()) fail(field, "expected a number or null");
    return j.get<double>();
  }
  void read(const Json& j, const std::string& field, double& x) const { x = read_number(j, field); }
  void read(const Json& j, const std::string& field, int& x) const {
    const bool fits = j.is_number_unsigned()  ? j.get<std::uint64_t>() <= INT_MAX
                      : j.is_number_integer() ? j.get<std::int64_t>() >= INT_MIN && j.get<std::int64_t>() <= INT_MAX
                                              : false;
    if (!fits) fail(field, "expected an integer");
    x = j.get<int>();
  }
  void read(const Json& j, const std::string& field, bool& x) const {
    if (!j.is_boolean()) fail(field, "expected true or false");
    x = j.get<bool>();
  }
  void read(const Json& j, const std::string& field, std::string& x) const {
    if (!j.is_string()) fail(field, "expected a string");
    x = j.get<std::string>();
  }
  void expect_array(const Json& j, const std::string& field, std::size_t size) const {
    if (!j.is_array() || j.size() != size) fail(field, fmt::format("expected an array of {} numbers", size));
  }
  void read(const Json& j, const std::string& field, Vec3& x) const {
    expect_array(j, field, 3);
    for (int i = 0; i < 3; ++i) x[i] = read_number(j[i], fmt::format("{}[{}]", field, i));
  }
  void read(const Json& j, const std::string& field, Xy& x) const {
    expect_array(j, field, 2);
    x.x = read_number(j[0], field + "[0]");
    x.y = read_number(j[1], field + "[1]");
  }
  template <class T>
  void read(const Json& j, const std::string& field, std::vector<T>& list) const {
    if (!j.is_array()) fail(field, "expected an array");
    list.assign(j.size(), T{});
    for (std::size_t i = 0; i < j.size(); ++i) read(j[i], fmt::format("{}[{}]", field, i), list[i]);
  }
  template <class T>
  void read(const Json& j, const std::string& field, T& object) const {
    if (!j.is_object()) fail(field, "expected an object");
    Reader nested{j, file, field};
    describe(nested, object);
  }

  template <class T>
  void operator()(const char* key, T& member, bool optional = false) const {
    std::string field = path.empty() ? key : path + "." + key;
    auto it = in.find(key);
    if (it == in.end() && optional) return;
    if (it == in.end()) fail(field, "missing");
    read(*it, field, member);
  }
  template <class T>
  void optional(const char* key, T& member) const {
    if (in.contains(key)) (*this)(key, member);
  }
};

// The indices into `patches` that steps and statistics hold must name a patch: the HTML pages
// follow them.
void check_patch_indices(const VerificationResult& r, const std::string& file) {
  const int count = static_cast<int>(r.patches.size());
  auto check = [&](int index, const std::string& field, bool none_allowed) {
    if ((none_allowed && index == -1) || (index >= 0 && index < count)) return;
    throw InputError(file, 0, field, fmt::format("{} is not a patch index (the file has {} patches)", index, count));
  };
  for (std::size_t i = 0; i < r.greyscale.steps.size(); ++i)
    check(r.greyscale.steps[i].patch, fmt::format("greyscale.steps[{}].patch", i), false);
  auto check_stats = [&](const DeStats& s, const std::string& field) {
    check(s.max_index, field + ".max_index", true);
  };
  check_stats(r.summary.de2000, "summary.de2000");
  check_stats(r.summary.de_itp, "summary.de_itp");
  check_stats(r.summary.de76, "summary.de76");
  check_stats(r.summary.de94, "summary.de94");
  for (std::size_t i = 0; i < r.summary.groups.size(); ++i) {
    check_stats(r.summary.groups[i].de2000, fmt::format("summary.groups[{}].de2000", i));
    check_stats(r.summary.groups[i].de_itp, fmt::format("summary.groups[{}].de_itp", i));
  }
}

}  // namespace

std::string format_verification_json(const VerificationResult& result) {
  Writer writer;
  writer.out["format"] = kFormat;
  writer.out["version"] = kVersion;
  VerificationResult copy = result;  // describe() takes mutable references for both directions
  describe(writer, copy);
  return writer.out.dump(2) + "\n";
}

VerificationResult parse_verification_json(std::string_view text, const std::string& name) {
  Json json = parse_json<Json>(text, name);
  if (!json.is_object()) throw InputError(name, 0, "", "expected a JSON object");
  auto format = json.find("format");
  if (format == json.end() || !format->is_string() || *format != kFormat)
    throw InputError(name, 0, "format", fmt::format("expected \"{}\"", kFormat));
  if (!json.contains("version") || !json["version"].is_number_integer() || json["version"] != kVersion)
    throw InputError(name, 0, "version", fmt::format("expected {}", kVersion));
  VerificationResult result;
  Reader reader{json, name, ""};
  describe(reader, result);
  check_patch_indices(result, name);
  return result;
}

VerificationResult read_verification_json(const std::filesystem::path& path) {
  return parse_verification_json(read_file_text(path), path.string());
}

void write_verification_json(const std::filesystem::path& path, const VerificationResult& result) {
  write_file_atomically(path, format_verification_json(result));
}

}  // namespace calkit
