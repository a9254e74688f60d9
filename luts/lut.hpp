#pragma once
// LUT data, kept apart from the code that applies (luts/apply.hpp) and the files that store it
// (one file per format in luts/). Values are normalised RGB; the domain maps input to the grid.
#include <map>
#include <string>
#include <vector>

#include "core/types.hpp"

namespace calkit {

struct Lut1d {
  std::vector<Vec3> table;  // size() entries, evenly spaced over the domain, per channel
  Vec3 domain_min = Vec3::Zero();
  Vec3 domain_max = Vec3::Ones();
  std::string title;
  std::map<std::string, std::string> metadata;  // carried as comments or metadata elements
};

struct Lut3d {
  int size = 0;             // nodes per axis
  std::vector<Vec3> table;  // size³ entries, red index fastest: index = r + size*(g + size*b)
  Vec3 domain_min = Vec3::Zero();
  Vec3 domain_max = Vec3::Ones();
  std::string title;
  std::map<std::string, std::string> metadata;

  const Vec3& at(int r, int g, int b) const { return table[r + size * (g + size * b)]; }
  Vec3& at(int r, int g, int b) { return table[r + size * (g + size * b)]; }
};

}  // namespace calkit
