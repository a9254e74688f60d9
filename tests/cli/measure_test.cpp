// `calkit patches`, `measure` and `spot` as a user runs them: the files they write are checked by
// ArgyllCMS (colprof) and by the virtual display's own settled light; a session killed with
// SIGKILL and resumed must give the uninterrupted run's readings.
#include <doctest/doctest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "formats/measurement_file.hpp"
#include "measure/journal.hpp"
#include "sim/display_model.hpp"
#include "sim/virtual_display.hpp"
#include "tests/support/calkit_test_support.hpp"

using namespace calkit;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) { return test::scratch_dir("measure-cli", name); }

// stdout is dropped, stderr shows in the test log.
int run(const std::string& args) { return test::run_calkit(args, test::Stderr::Inherit).status; }

std::string capture(const std::string& args) { return test::run_calkit(args, test::Stderr::Inherit).output; }

}  // namespace

TEST_CASE("calkit measure on every built-in display writes a .ti3 that ArgyllCMS colprof profiles") {
  fs::path dir = scratch("colprof");
  REQUIRE(run("patches --set recommended --count 120 -o " + (dir / "set.ti1").string()) == 0);
  for (const std::string& display : builtin_display_names()) {
    std::string base = display.substr(4);  // "sim:ips-lcd" -> "ips-lcd"
    INFO(display);
    fs::path ti3 = dir / (base + ".ti3");
    REQUIRE(run("measure --quiet --probe sim --display " + display + " --patches " + (dir / "set.ti1").string() +
                " -o " + ti3.string()) == 0);
    CHECK_FALSE(fs::exists(journal_path_for(ti3)));  // removed once the .ti3 is safely written
    std::string colprof = "cd '" + dir.string() + "' && colprof -ql -as -D '" + base + "' " + base + " > " + base +
                          ".log 2>&1";
    CHECK(std::system(colprof.c_str()) == 0);
    CHECK(fs::exists(dir / (base + ".icc")));
  }
}

TEST_CASE("a measure session killed with SIGKILL and resumed gives the uninterrupted readings") {
  fs::path dir = scratch("kill");
  std::string set = (dir / "set.ti1").string();
  REQUIRE(run("patches --set optimised --count 1500 -o " + set) == 0);
  std::string common = "measure --quiet --probe sim --display sim:woled-tv --patches " + set;

  fs::path killed = dir / "killed.ti3";
  fs::path journal = journal_path_for(killed);
  std::mt19937 rng(std::random_device{}());
  std::size_t kill_after = 5 + rng() % 200;  // journal lines (header + readings) before the kill
  bool finished_first = !test::spawn_calkit_and_kill(
      {"measure", "--quiet", "--probe", "sim", "--display", "sim:woled-tv", "--patches", set, "-o", killed.string()},
      journal, kill_after, std::chrono::microseconds(200));
  REQUIRE_MESSAGE(!finished_first, "the session ended before it could be killed");
  REQUIRE_FALSE(fs::exists(killed));
  JournalContents before = read_journal(journal);
  INFO("killed after " << before.entries.size() << " readings");
  CHECK(before.entries.size() + 1 >= kill_after - 1);

  CHECK(run(common + " -o " + killed.string()) == 2);  // refuses to overwrite the journal
  REQUIRE(run(common + " --resume -o " + killed.string()) == 0);
  CHECK_FALSE(fs::exists(journal));
  fs::path whole = dir / "whole.ti3";
  REQUIRE(run(common + " -o " + whole.string()) == 0);

  MeasurementSet a = read_measurements(killed), b = read_measurements(whole);
  REQUIRE(a.readings.size() == 1500);
  REQUIRE(b.readings.size() == 1500);
  for (std::size_t i = 0; i < 1500; ++i) {
    INFO("patch " << i);
    CHECK((a.readings[i].rgb - b.readings[i].rgb).norm() < 1e-6);
    CHECK((a.readings[i].XYZ - b.readings[i].XYZ).norm() <= 1e-6 * b.readings[i].XYZ.norm() + 1e-9);
  }
  // The readings journaled before the kill are the ones in the final file.
  for (const JournalEntry& e : before.entries)
    CHECK((a.readings[e.index].XYZ - e.reading.XYZ).norm() <= 1e-6 * e.reading.XYZ.norm() + 1e-9);
}

TEST_CASE("calkit spot --json reads the virtual display's settled light") {
  std::string out = capture("spot --probe sim --display sim:reference --rgb 0.5,0.5,0.5 --window 10 --json");
  nlohmann::json j = nlohmann::json::parse(out);
  SimulatedClock clock;
  VirtualDisplay display(load_display_model("sim:reference"), clock);
  Vec3 truth = display.steady_XYZ(Vec3::Constant(0.5), 10);
  CHECK(j["nits"].get<double>() == doctest::Approx(truth.y()).epsilon(0.02));
  CHECK(j["xyY"][0].get<double>() == doctest::Approx(truth.x() / truth.sum()).epsilon(0.01));
  // A D65 grey: CCT near 6504 K (the reference display's white is D65).
  CHECK(j["cct_k"].get<double>() == doctest::Approx(6504).epsilon(0.03));
}

TEST_CASE("bad measure and spot input exits 2 on one line and leaves no journal") {
  fs::path dir = scratch("bad");
  REQUIRE(run("patches --set greyscale --count 5 -o " + (dir / "g.ti1").string()) == 0);
  CHECK(run("measure --quiet --probe sim --display sim:nonesuch --patches " + (dir / "g.ti1").string() + " -o " +
            (dir / "m.ti3").string() + " 2>/dev/null") == 2);
  CHECK_FALSE(fs::exists(journal_path_for(dir / "m.ti3")));
  CHECK(run("measure --quiet --probe sim --display sim:reference --patches " + (dir / "g.ti1").string() +
            " --settle soon -o " + (dir / "m.ti3").string() + " 2>/dev/null") == 2);
  CHECK(run("measure --quiet --probe sim --display sim:reference --patches " + (dir / "g.ti1").string() +
            " --resume -o " + (dir / "m.ti3").string() + " 2>/dev/null") == 2);
  CHECK(run("spot --probe sim --display sim:reference --rgb 0.5,2,0.5 2>/dev/null") == 2);
  CHECK(run("patches --set fancy -o " + (dir / "x.ti1").string() + " 2>/dev/null") == 2);
}
