// `calkit uniformity` end to end on virtual displays. Checked against what the command does not
// compute itself: the display models' corner falloff (sim:ips-lcd's corner zones are more than
// 10 % darker, so the ISO 12646-style "< 10 %" tolerance must fail there and pass at the edges;
// sim:reference is built within 2 %), the report's figures against report/uniformity on the
// virtual display's noise-free truth, and a run killed with SIGKILL and resumed reading exactly
// what an uninterrupted run reads.
#include <doctest/doctest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/clock.hpp"
#include "sim/display_model.hpp"
#include "sim/virtual_display.hpp"
#include "tests/support/calkit_test_support.hpp"

using namespace calkit;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) { return test::scratch_dir("cli-uniformity", name); }

// stdout is dropped, stderr shows in the test log.
int run(const std::string& args) { return test::run_calkit(args, test::Stderr::Inherit).status; }

nlohmann::json read_json(const fs::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

const nlohmann::json& zone(const nlohmann::json& level, int row, int col, int cols) {
  return level["zones"][static_cast<std::size_t>((row - 1) * cols + (col - 1))];
}

}  // namespace

TEST_CASE("sim:ips-lcd fails the luminance tolerance in the corners of a 3x3 grid while sim:reference passes") {
  fs::path ips = scratch("ips"), ref = scratch("reference");
  REQUIRE(run("uniformity --quiet --probe sim --display sim:ips-lcd --grid 3x3 --level 100 -o " + ips.string()) == 0);
  REQUIRE(run("uniformity --quiet --probe sim --display sim:reference --grid 3x3 --level 100 -o " + ref.string()) == 0);
  nlohmann::json a = read_json(ips / "uniformity.json"), b = read_json(ref / "uniformity.json");
  CHECK(a["verdict"]["pass"] == false);
  CHECK(b["verdict"]["pass"] == true);
  const auto& level = a["levels"][0];
  // r = 2/3 at a 3x3 corner zone's centre: the model's luminance loss there is falloff * 4/9.
  DisplayModel model = builtin_display_model("sim:ips-lcd");
  double expected_pct = -100 * model.uniformity.corner_falloff * 4.0 / 9.0;
  for (auto [r, c] : {std::pair{1, 1}, std::pair{1, 3}, std::pair{3, 1}, std::pair{3, 3}}) {
    const auto& z = zone(level, r, c, 3);
    CAPTURE(r);
    CAPTURE(c);
    CHECK(z["luminance_deviation_pct"].get<double>() < -10);
    // SimProbe noise is 0.2 % per reading: within 1 % of the model's figure.
    CHECK(std::abs(z["luminance_deviation_pct"].get<double>() - expected_pct) < 1.0);
    CHECK(z["pass"] == false);
  }
  for (auto [r, c] : {std::pair{1, 2}, std::pair{2, 1}, std::pair{2, 3}, std::pair{3, 2}, std::pair{2, 2}})
    CHECK(zone(level, r, c, 3)["pass"] == true);
  CHECK(a["verdict"]["line"].get<std::string>().rfind("FAIL: max luminance deviation", 0) == 0);
  CHECK(fs::exists(ips / "uniformity.html"));
  CHECK_FALSE(fs::exists(ips / "uniformity.json.journal"));
  CHECK(run("uniformity --quiet --strict --probe sim --display sim:ips-lcd --grid 3x3 -o " +
            scratch("strict").string()) == 1);
}

TEST_CASE("zone readings follow the patch position on the virtual display, through every level") {
  fs::path out = scratch("levels");
  REQUIRE(run("uniformity --quiet --probe sim --display sim:projector --grid 5x3 --level 100,50 --settle 1 -o " +
              out.string()) == 0);
  nlohmann::json j = read_json(out / "uniformity.json");
  CHECK(j["grid"]["rows"] == 5);
  CHECK(j["grid"]["cols"] == 3);
  REQUIRE(j["levels"].size() == 2);
  // The noise-free truth at each zone centre (row r of 5, column c of 3) from the display model.
  SimulatedClock clock;
  VirtualDisplay display(builtin_display_model("sim:projector"), clock);
  double window = j["info"]["window_pct"].get<double>();
  CHECK(window == doctest::Approx(4.0));  // side 1/5
  for (std::size_t l = 0; l < 2; ++l) {
    double level = j["levels"][l]["level_pct"].get<double>() / 100;
    Vec3 centre = display.steady_XYZ_at(Vec3::Constant(level), window, 0, 0.5, 0.5);
    for (int r = 1; r <= 5; ++r)
      for (int c = 1; c <= 3; ++c) {
        Vec3 truth = display.steady_XYZ_at(Vec3::Constant(level), window, 0, (c - 0.5) / 3, (r - 0.5) / 5);
        double pct = 100 * (truth.y() / centre.y() - 1);
        // SimProbe noise is 0.2 % per reading, so two readings' ratio is within 1.5 % by far.
        CHECK(std::abs(zone(j["levels"][l], r, c, 3)["luminance_deviation_pct"].get<double>() - pct) < 1.5);
      }
  }
}

TEST_CASE("uniformity killed with SIGKILL and resumed reads what an uninterrupted run reads") {
  fs::path dir = scratch("kill");
  fs::path whole = dir / "whole", killed = dir / "killed";
  const std::string args = "uniformity --quiet --probe sim --display sim:ips-lcd --grid 9x9 --level 100,75,50,25 -o ";
  REQUIRE(run(args + whole.string()) == 0);

  fs::path journal = killed / "uniformity.json.journal";
  std::mt19937 rng(std::random_device{}());
  std::size_t kill_after = 3 + rng() % 150;  // journal lines before the kill
  bool finished_first = !test::spawn_calkit_and_kill(test::split_words(args + killed.string()), journal, kill_after,
                                                     std::chrono::microseconds(100));
  REQUIRE_MESSAGE(!finished_first, "uniformity ended before it could be killed");
  REQUIRE_FALSE(fs::exists(killed / "uniformity.json"));
  CHECK(run(args + killed.string() + " 2>/dev/null") == 2);  // refuses to overwrite the journal
  CHECK(run("uniformity --quiet --probe sim --display sim:ips-lcd --grid 7x7 --level 100,75,50,25 --resume -o " +
            killed.string() + " 2>/dev/null") == 2);  // another grid does not resume this journal
  REQUIRE(run(args + killed.string() + " --resume") == 0);
  CHECK_FALSE(fs::exists(journal));
  nlohmann::json a = read_json(whole / "uniformity.json"), b = read_json(killed / "uniformity.json");
  REQUIRE(a["levels"].size() == b["levels"].size());
  for (std::size_t l = 0; l < a["levels"].size(); ++l)
    for (std::size_t z = 0; z < a["levels"][l]["zones"].size(); ++z)
      CHECK(a["levels"][l]["zones"][z]["XYZ"] == b["levels"][l]["zones"][z]["XYZ"]);
  CHECK(a["verdict"] == b["verdict"]);
}

TEST_CASE("uniformity refuses bad input with exit status 2 and has a --help with an example") {
  fs::path out = scratch("bad");
  CHECK(run("uniformity --probe sim --display sim:ips-lcd --grid 4x4 -o " + out.string() + " 2>/dev/null") == 2);
  CHECK(run("uniformity --probe sim --display sim:ips-lcd --grid 5x11 -o " + out.string() + " 2>/dev/null") == 2);
  CHECK(run("uniformity --probe sim --display sim:ips-lcd --level 0 -o " + out.string() + " 2>/dev/null") == 2);
  CHECK(run("uniformity --probe sim --display sim:ips-lcd --level 100,x -o " + out.string() + " 2>/dev/null") == 2);
  CHECK(run("uniformity --probe sim --display sim:nothing -o " + out.string() + " 2>/dev/null") == 2);
  CHECK(run("uniformity --probe sim --display sim:ips-lcd --resume -o " + out.string() + " 2>/dev/null") == 2);
  std::string help_file = (out / "help.txt").string();
  REQUIRE(std::system((std::string(CALKIT_BINARY) + " uniformity --help > " + help_file).c_str()) == 0);
  std::ifstream in(help_file);
  std::string help((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(help.find("Example: calkit uniformity") != std::string::npos);
}
