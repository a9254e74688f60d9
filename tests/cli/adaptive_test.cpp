// Adaptive measurement from the command line (issue 20 item 3): `calibrate --adaptive` writes
// each batch as a pair of files and, killed in the middle of a batch and resumed, makes the same
// choices and writes the same LUT as an uninterrupted run; `patches --next` drives the same loop
// for any measuring tool.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "formats/measurement_file.hpp"
#include "measure/journal.hpp"
#include "tests/support/calkit_test_support.hpp"

using namespace calkit;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) { return test::scratch_dir("cli", name); }

int run(const std::string& args) { return test::run_calkit(args, test::Stderr::Inherit).status; }

// 200 patches: a starting set of 80, then batches of 20.
std::string adaptive_args(const fs::path& out) {
  return "calibrate --quiet --no-history --probe sim --display sim:ips-lcd --target bt1886 --adaptive --patches 200 "
         "--size 17 -o " +
         out.string();
}

}  // namespace

TEST_CASE("calibrate --adaptive killed in a batch and resumed makes the same choices and the same LUT") {
  fs::path dir = scratch("adaptive-kill");
  fs::path whole = dir / "whole", killed = dir / "killed";
  REQUIRE(run(adaptive_args(whole)) == 0);
  MeasurementSet a = read_measurements(whole / "profile.ti3");
  // A start of 80, then batches of 20 until the budget is spent or the model predicts new readings
  // within the meter's noise (on this display it stops before the budget).
  std::vector<int> batches;
  std::istringstream sizes(a.info["adaptive_batches"]);
  for (int n; sizes >> n;) batches.push_back(n);
  // It stops after two batches predicted within the noise at the earliest: the kill below is in batch 2.
  REQUIRE(batches.size() >= 3);
  CHECK(batches[0] == 80);
  for (std::size_t k = 1; k < batches.size(); ++k) CHECK(batches[k] == 20);
  CHECK(a.readings.size() == std::size_t(std::accumulate(batches.begin(), batches.end(), 0)));
  CHECK(a.readings.size() <= 200);
  CHECK(read_measurements(whole / "profile-batch-0.ti3").readings.size() == 80);
  CHECK(read_measurements(whole / "profile-batch-2.ti3").readings.size() == 20);

  // Killed while batch 2 is measured: batches 0-1 are files, batch 2 is in its journal.
  fs::path journal = journal_path_for(killed / "profile-batch-2.ti3");
  std::mt19937 rng(std::random_device{}());
  std::size_t kill_after = 3 + rng() % 15;
  REQUIRE(test::spawn_calkit_and_kill(test::split_words(adaptive_args(killed)), journal, kill_after,
                                      std::chrono::microseconds(200)));
  REQUIRE(fs::exists(killed / "profile-batch-1.ti3"));
  REQUIRE_FALSE(fs::exists(killed / "profile-batch-2.ti3"));
  REQUIRE(run(adaptive_args(killed) + " --resume") == 0);
  CHECK_FALSE(fs::exists(journal));

  for (std::size_t k = 0; k < batches.size(); ++k) {
    std::string name = "patches-batch-" + std::to_string(k) + ".ti1";
    CHECK_MESSAGE(test::read_file_bytes(whole / name) == test::read_file_bytes(killed / name), name);
  }
  MeasurementSet b = read_measurements(killed / "profile.ti3");
  REQUIRE(b.readings.size() == a.readings.size());
  for (std::size_t i = 0; i < a.readings.size(); ++i) CHECK(b.readings[i].rgb == a.readings[i].rgb);
  CHECK(test::read_file_bytes(whole / "calibration.cube") == test::read_file_bytes(killed / "calibration.cube"));
}

TEST_CASE("patches --next: the starting set, then a batch from the readings so far, measured by calkit measure") {
  fs::path dir = scratch("patches-next");
  const std::string start = (dir / "start.ti1").string(), read = (dir / "read.ti3").string(),
                    next = (dir / "next.ti1").string();
  REQUIRE(run("patches --next 60 --count 150 --target bt1886 -o " + start) == 0);
  REQUIRE(run("measure --quiet --probe sim --display sim:reference --patches " + start + " -o " + read) == 0);
  test::CalkitOutput out =
      test::run_calkit("patches --next 25 --measurements " + read + " --target bt1886 --json -o " + next);
  REQUIRE(out.status == 0);
  auto json = nlohmann::json::parse(out.output);
  CHECK(json["patches"] == 25);
  CHECK(json["readings"] == 60);
  // The SimProbe's noise is what the reference display's readings leave: residuals about 1x it.
  CHECK(json["chi2"].get<double>() > 0.5);
  CHECK(json["chi2"].get<double>() < 2.0);
  std::string next_set = test::read_file_bytes(next);
  CHECK(next_set.find("NUMBER_OF_SETS 25") != std::string::npos);

  // Bad input: exit 2, naming what is wrong.
  test::CalkitOutput missing = test::run_calkit(
      "patches --next 25 --measurements " + (dir / "none.ti3").string() + " -o " + next, test::Stderr::Capture);
  CHECK(missing.status == 2);
  CHECK(missing.output.find("none.ti3") != std::string::npos);
  CHECK(test::run_calkit("patches --next 0 -o " + next, test::Stderr::Capture).status == 2);
  CHECK(test::run_calkit("patches --next 50 --count 20 -o " + next, test::Stderr::Capture).status == 2);
}
