#include "formats/measurement_json.hpp"

#include <algorithm>
#include <cmath>

#include <nlohmann/json.hpp>

#include "color/plausibility.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "core/json.hpp"

namespace calkit {
namespace {

using nlohmann::json;

constexpr int kVersion = 1;

const json& member(const json& object, const char* key, const std::string& name, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end()) throw InputError(name, 0, where + key, "missing");
  return *it;
}

double number(const json& value, const std::string& name, const std::string& field) {
  if (!value.is_number()) throw InputError(name, 0, field, "not a number");
  double v = value.get<double>();
  if (!std::isfinite(v)) throw InputError(name, 0, field, "not a finite number");
  return v;
}

Vec3 triplet(const json& value, const std::string& name, const std::string& field) {
  if (!value.is_array() || value.size() != 3) throw InputError(name, 0, field, "expected an array of 3 numbers");
  return {number(value[0], name, field + "[0]"), number(value[1], name, field + "[1]"),
          number(value[2], name, field + "[2]")};
}

Vec3 device_rgb(const json& value, const std::string& name, const std::string& field) {
  Vec3 rgb = triplet(value, name, field);
  for (int c = 0; c < 3; ++c)
    if (rgb[c] < 0 || rgb[c] > 1) throw InputError(name, 0, field + "[" + std::to_string(c) + "]", "outside 0..1");
  return rgb;
}

void check_header(const json& doc, const char* format, const std::string& name) {
  if (!doc.is_object()) throw InputError(name, 0, "", "expected a JSON object");
  const json& f = member(doc, "format", name, "");
  if (!f.is_string() || f.get<std::string>() != format)
    throw InputError(name, 0, "format", std::string("expected \"") + format + "\"");
  const json& v = member(doc, "version", name, "");
  if (!v.is_number_integer() || v.get<long long>() != kVersion)
    throw InputError(name, 0, "version", "unsupported (this calkit reads version 1)");
}

Spectrum spectrum(const json& value, const std::string& name, const std::string& field) {
  if (!value.is_object()) throw InputError(name, 0, field, "expected an object");
  Spectrum s;
  s.start_nm = number(member(value, "start_nm", name, field + "."), name, field + ".start_nm");
  s.step_nm = number(member(value, "step_nm", name, field + "."), name, field + ".step_nm");
  if (!(s.step_nm > 0) || s.start_nm < 0) throw InputError(name, 0, field, "needs start_nm >= 0 and step_nm > 0");
  const json& values = member(value, "values", name, field + ".");
  if (!values.is_array() || values.size() < 2)
    throw InputError(name, 0, field + ".values", "expected an array of at least 2 numbers");
  for (size_t i = 0; i < values.size(); ++i)
    s.values.push_back(number(values[i], name, field + ".values[" + std::to_string(i) + "]"));
  return s;
}

}  // namespace

MeasurementSet parse_measurement_json(std::string_view text, const std::string& name) {
  json doc = parse_json(text, name);
  check_header(doc, "calkit-measurements", name);
  MeasurementSet set;
  if (auto it = doc.find("info"); it != doc.end()) {
    if (!it->is_object()) throw InputError(name, 0, "info", "expected an object of strings");
    for (const auto& [key, value] : it->items()) {
      if (!value.is_string()) throw InputError(name, 0, "info." + key, "expected a string");
      set.info[key] = value.get<std::string>();
    }
  }
  const json& readings = member(doc, "readings", name, "");
  if (!readings.is_array() || readings.empty()) throw InputError(name, 0, "readings", "expected a non-empty array");
  for (size_t i = 0; i < readings.size(); ++i) {
    std::string where = "readings[" + std::to_string(i) + "]";
    const json& r = readings[i];
    if (!r.is_object()) throw InputError(name, 0, where, "expected an object");
    Reading reading;
    reading.rgb = device_rgb(member(r, "rgb", name, where + "."), name, where + ".rgb");
    reading.XYZ = triplet(member(r, "XYZ", name, where + "."), name, where + ".XYZ");
    check_reading(reading.XYZ, name, 0, {where + ".XYZ[0]", where + ".XYZ[1]", where + ".XYZ[2]"});
    if (auto u = r.find("XYZ_stdev"); u != r.end()) {
      reading.uncertainty = triplet(*u, name, where + ".XYZ_stdev");
      if (reading.uncertainty.minCoeff() < 0) throw InputError(name, 0, where + ".XYZ_stdev", "negative");
    }
    if (auto s = r.find("spectrum"); s != r.end() && !s->is_null())
      reading.spectrum = spectrum(*s, name, where + ".spectrum");
    set.readings.push_back(std::move(reading));
  }
  return set;
}

MeasurementSet read_measurement_json(const std::filesystem::path& path) {
  return parse_measurement_json(read_file_text(path), path.string());
}

std::string format_measurement_json(const MeasurementSet& set) {
  json readings = json::array();
  for (const Reading& r : set.readings) {
    for (int c = 0; c < 3; ++c)
      if (!std::isfinite(r.rgb[c]) || !std::isfinite(r.XYZ[c])) throw ValueError("readings", "a value is not finite");
    json j = {{"rgb", {r.rgb[0], r.rgb[1], r.rgb[2]}}, {"XYZ", {r.XYZ[0], r.XYZ[1], r.XYZ[2]}}};
    if (!r.uncertainty.isZero()) {
      if (!r.uncertainty.allFinite()) throw ValueError("readings", "an uncertainty is not finite");
      j["XYZ_stdev"] = {r.uncertainty[0], r.uncertainty[1], r.uncertainty[2]};
    }
    for (double v : r.spectrum.values)
      if (!std::isfinite(v)) throw ValueError("spectrum", "a value is not finite");
    if (!r.spectrum.empty())
      j["spectrum"] = {
          {"start_nm", r.spectrum.start_nm}, {"step_nm", r.spectrum.step_nm}, {"values", r.spectrum.values}};
    readings.push_back(std::move(j));
  }
  // One reading per line: diffable and still small for thousands of readings.
  std::string out = "{\n \"format\": \"calkit-measurements\",\n \"version\": " + std::to_string(kVersion) +
                    ",\n \"info\": " + json(set.info).dump() + ",\n \"readings\": [";
  for (size_t i = 0; i < readings.size(); ++i) out += (i ? ",\n  " : "\n  ") + readings[i].dump();
  return out + "\n ]\n}\n";
}

void write_measurement_json(const std::filesystem::path& path, const MeasurementSet& set) {
  write_file_atomically(path, [&] { return format_measurement_json(set); });
}

PatchSet parse_patch_json(std::string_view text, const std::string& name) {
  json doc = parse_json(text, name);
  check_header(doc, "calkit-patches", name);
  PatchSet patches;
  if (auto it = doc.find("description"); it != doc.end()) {
    if (!it->is_string()) throw InputError(name, 0, "description", "expected a string");
    patches.description = it->get<std::string>();
  }
  const json& rgb = member(doc, "rgb", name, "");
  if (!rgb.is_array() || rgb.empty()) throw InputError(name, 0, "rgb", "expected a non-empty array of [r, g, b]");
  for (size_t i = 0; i < rgb.size(); ++i)
    patches.rgb.push_back(device_rgb(rgb[i], name, "rgb[" + std::to_string(i) + "]"));
  return patches;
}

PatchSet read_patch_json(const std::filesystem::path& path) {
  return parse_patch_json(read_file_text(path), path.string());
}

std::string format_patch_json(const PatchSet& patches) {
  json rgb = json::array();
  for (const Vec3& p : patches.rgb) rgb.push_back({p[0], p[1], p[2]});
  json doc = {{"format", "calkit-patches"},
              {"version", kVersion},
              {"description", patches.description},
              {"rgb", std::move(rgb)}};
  return doc.dump(1) + "\n";
}

void write_patch_json(const std::filesystem::path& path, const PatchSet& patches) {
  write_file_atomically(path, [&] { return format_patch_json(patches); });
}

}  // namespace calkit
