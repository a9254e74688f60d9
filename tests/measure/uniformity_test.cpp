// The uniformity session (measure/uniformity.hpp) on a simulated rig: zone centres and patch size
// worked by hand from the grid, the probe prompt coming once per zone with the patch already at
// that zone, a stop at a prompt keeping the journal, and a resume reading what is missing.
#include <doctest/doctest.h>

#include <filesystem>
#include <vector>

#include "core/error.hpp"
#include "emulators/sim_probe.hpp"
#include "emulators/virtual_pattern_generator.hpp"
#include "measure/uniformity.hpp"
#include "sim/display_model.hpp"

using namespace calkit;
namespace fs = std::filesystem;

namespace {

struct Bench {
  Bench() : display(builtin_display_model("sim:ips-lcd"), clock), probe(display), pattern(display) { probe.open(); }
  SimulatedClock clock;
  VirtualDisplay display;
  SimProbe probe;
  VirtualPatternGenerator pattern;
};

fs::path journal_file(const std::string& name) {
  fs::path p = fs::path(CALKIT_TEST_TMP) / ("uniformity-" + name + ".journal");
  fs::remove(p);
  return p;
}

UniformitySessionOptions options_5x3() {
  UniformitySessionOptions o;
  o.rows = 5;
  o.cols = 3;
  o.levels = {1.0, 0.5};
  o.session.patch.window_percent = uniformity_window_percent(5, 3);
  o.quiet = true;
  return o;
}

}  // namespace

TEST_CASE("grid, levels and zones: parsed and placed at the cell centres") {
  int rows = 0, cols = 0;
  parse_uniformity_grid("5x3", rows, cols);
  CHECK(rows == 5);
  CHECK(cols == 3);
  parse_uniformity_grid("7", rows, cols);
  CHECK((rows == 7 && cols == 7));
  CHECK_THROWS_AS(parse_uniformity_grid("6x5", rows, cols), InputError);
  CHECK_THROWS_AS(parse_uniformity_grid("5x", rows, cols), InputError);
  CHECK(parse_uniformity_levels("100,50") == std::vector<double>{1.0, 0.5});
  CHECK_THROWS_AS(parse_uniformity_levels("100,100"), InputError);
  CHECK_THROWS_AS(parse_uniformity_levels("120"), InputError);
  auto zones = uniformity_zones(5, 3);
  REQUIRE(zones.size() == 15);
  CHECK(zones[0].centre_x == doctest::Approx(1.0 / 6));
  CHECK(zones[0].centre_y == doctest::Approx(0.1));
  CHECK((zones[5].row == 2 && zones[5].col == 3));
  CHECK(zones[5].centre_x == doctest::Approx(5.0 / 6));
  CHECK(zones[5].centre_y == doctest::Approx(0.3));
  CHECK(uniformity_window_percent(5, 3) == doctest::Approx(4.0));  // side 1/5
}

TEST_CASE("the probe prompt comes once per zone, with that zone's patch already shown") {
  Bench b;
  UniformitySessionOptions o = options_5x3();
  std::vector<UniformityZone> asked;
  o.place_probe = [&](const UniformityZone& z) {
    asked.push_back(z);
    CHECK(b.display.shown_centre_x() == doctest::Approx(z.centre_x));
    CHECK(b.display.shown_centre_y() == doctest::Approx(z.centre_y));
    return true;
  };
  fs::path journal = journal_file("prompt");
  UniformitySessionResult r = measure_uniformity(b.probe, b.pattern, b.clock, journal, o);
  CHECK(r.complete);
  CHECK(r.taken == 30);
  REQUIRE(asked.size() == 15);
  CHECK((asked[7].row == 3 && asked[7].col == 2));
  REQUIRE(r.readings.size() == 30);
  CHECK((r.readings[2].row == 1 && r.readings[2].col == 2 && r.readings[2].level == 1.0));
  CHECK(r.readings[3].level == 0.5);
  fs::remove(journal);
}

TEST_CASE("a stop at the prompt keeps the journal and a resume reads only what is missing, the same values") {
  fs::path whole_journal = journal_file("whole");
  Bench whole;
  UniformitySessionResult reference =
      measure_uniformity(whole.probe, whole.pattern, whole.clock, whole_journal, options_5x3());
  REQUIRE(reference.complete);

  fs::path journal = journal_file("stopped");
  {
    Bench b;
    UniformitySessionOptions o = options_5x3();
    int zones = 0;
    o.place_probe = [&](const UniformityZone&) { return ++zones <= 4; };  // Ctrl-C at the 5th zone
    UniformitySessionResult r = measure_uniformity(b.probe, b.pattern, b.clock, journal, o);
    CHECK_FALSE(r.complete);
    CHECK(r.taken == 8);
  }
  Bench b;
  UniformitySessionOptions o = options_5x3();
  CHECK_THROWS_AS(measure_uniformity(b.probe, b.pattern, b.clock, journal, o), InputError);  // no --resume
  o.resume = true;
  UniformitySessionOptions other = o;
  other.levels = {1.0};
  CHECK_THROWS_AS(measure_uniformity(b.probe, b.pattern, b.clock, journal, other), InputError);  // another plan
  UniformitySessionResult r = measure_uniformity(b.probe, b.pattern, b.clock, journal, o);
  CHECK(r.complete);
  CHECK(r.taken == 22);
  for (std::size_t i = 0; i < r.readings.size(); ++i) CHECK(r.readings[i].XYZ == reference.readings[i].XYZ);
  fs::remove(journal);
  fs::remove(whole_journal);
}
