// The patch-set table: every row by name, its sizes and the RGB cube.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "core/error.hpp"
#include "patches/patch_set_table.hpp"

using namespace calkit;

namespace {

bool in_unit_cube(const PatchSet& set) {
  return std::all_of(set.rgb.begin(), set.rgb.end(),
                     [](const Vec3& p) { return p.minCoeff() >= 0 && p.maxCoeff() <= 1; });
}

}  // namespace

TEST_CASE("every named set has the documented size and stays inside the RGB cube") {
  ChartEncoding sdr = chart_encoding_by_name("bt1886");
  CHECK(patch_set_by_name("greyscale", 21, sdr).rgb.size() == 21);
  CHECK(patch_set_by_name("sweeps", 4, sdr).rgb.size() == 6 * 4 * 2);
  CHECK(patch_set_by_name("cube", 5, sdr).rgb.size() == 125);
  CHECK(patch_set_by_name("near-black", 11, sdr).rgb.size() == 11);
  CHECK(patch_set_by_name("near-white", 11, sdr).rgb.size() == 11);
  CHECK(patch_set_by_name("optimised", 250, sdr).rgb.size() == 250);
  CHECK(patch_set_by_name("colorchecker", 0, sdr).rgb.size() == 24);
  CHECK(patch_set_by_name("random", 77, sdr).rgb.size() == 77);
  CHECK(patch_set_by_name("recommended", 400, sdr).rgb.size() == 400);
  CHECK(patch_set_by_name("looking", 0, sdr).rgb.size() == 16);
  CHECK(patch_set_by_name("extended", 0, sdr).rgb.size() == 21 + 24 + 16 + 24 + 20);
  for (const std::string& name : patch_set_names())
    for (const std::string& target : chart_encoding_names()) {
      INFO(name << " " << target);
      int count = name == "recommended" ? 40 : name == "hdr" ? 650 : 9;  // recommended needs at least 32 patches
      ChartEncoding encoding = chart_encoding_by_name(target);
      if (name == "hdr" && !encoding.hdr()) {
        CHECK_THROWS_AS(patch_set_by_name(name, count, encoding), InputError);  // PQ only
        continue;
      }
      CHECK(in_unit_cube(patch_set_by_name(name, count, encoding)));
    }
  CHECK_THROWS_AS(patch_set_by_name("recommended", 9, sdr), InputError);
  CHECK_THROWS_AS(patch_set_by_name("nonsense", 9, sdr), InputError);
  CHECK_THROWS_AS(patch_set_by_name("greyscale", 1, sdr), InputError);
  CHECK_THROWS_AS(chart_encoding_by_name("hlg"), InputError);
}
