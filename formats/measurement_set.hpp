#pragma once
// The plain values that flow between stages: a patch set (what to show) and a measurement set
// (what was read). Both save to and load from files (formats/*.hpp), so every stage runs alone.
#include <array>
#include <map>
#include <string>
#include <vector>

#include "core/types.hpp"

namespace calkit {

// Device RGB patches, normalised 0..1 full range (a .ti1 stores them 0..100).
struct PatchSet {
  std::string description;
  std::vector<Vec3> rgb;
};

// For each patch, how many earlier patches of the set show the same colour (Patch::repeat: a
// virtual probe draws fresh noise for each repeat, as a real meter does).
inline std::vector<int> repeat_counts(const std::vector<Vec3>& rgb) {
  std::map<std::array<double, 3>, int> seen;
  std::vector<int> out;
  for (const Vec3& v : rgb) out.push_back(seen[{v[0], v[1], v[2]}]++);
  return out;
}

// A sampled spectrum, evenly spaced, radiance in W/(sr·m²·nm) or relative, as the probe gives (a
// .ti3 stores it in mW, as ArgyllCMS does).
struct Spectrum {
  double start_nm = 0;
  double step_nm = 0;
  std::vector<double> values;
  bool empty() const { return values.empty(); }
};

struct Reading {
  Vec3 rgb = Vec3::Zero();  // device RGB that was shown, 0..1
  // Absolute CIE 1931 XYZ, cd/m², as measured: near black noise may leave a component slightly
  // negative (within color/plausibility.hpp's noise floor), and it is kept so.
  Vec3 XYZ = Vec3::Zero();
  Spectrum spectrum;                // empty for colorimeters
  Vec3 uncertainty = Vec3::Zero();  // the probe's 1-sigma per XYZ component, cd/m²; 0: not stated
};

struct MeasurementSet {
  // Free-form facts about the run: "display", "probe", "correction", "target", "date",
  // "created_by", ... Written to files as keywords/metadata and kept on round trips.
  std::map<std::string, std::string> info;
  std::vector<Reading> readings;
};

}  // namespace calkit
