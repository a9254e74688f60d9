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
    std::string colprof =
        "cd '" + dir.string() + "' && colprof -ql -as -D '" + base + "' " + base + " > " + base + ".log 2>&1";
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

namespace {

// The readings of `a` and `b` agree patch for patch (a resumed session re-reads a patch with the
// same noise; the display's settling makes the last digits differ).
void check_same_readings(const MeasurementSet& a, const MeasurementSet& b) {
  REQUIRE(a.readings.size() == b.readings.size());
  for (std::size_t i = 0; i < a.readings.size(); ++i) {
    INFO("patch " << i);
    CHECK(a.readings[i].rgb == b.readings[i].rgb);
    CHECK((a.readings[i].XYZ - b.readings[i].XYZ).norm() <= 1e-6 * b.readings[i].XYZ.norm() + 1e-9);
  }
}

// Line `n` (1-based) of `text`.
std::string& line_of(std::vector<std::string>& lines, std::size_t n) {
  REQUIRE(n <= lines.size());
  return lines[n - 1];
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

}  // namespace

// Issue 15 item 6: the journal had no integrity check. A flipped digit became X = 9.87e16 in the
// output, an edited index stored a reading under the wrong patch, 2 of 12 random bit flips went
// unnoticed; --resume with another --display, --seed, --window or probe was accepted and mixed two
// displays' readings under one label; a corrupt journal had no repair path.
TEST_CASE("a damaged journal is cut back to its good readings, and a journal resumes only on its own rig") {
  fs::path dir = scratch("journal-damage");
  const std::string set = (dir / "set.ti1").string();
  REQUIRE(run("patches --set optimised --count 300 -o " + set) == 0);
  const std::string rig = "--probe sim --display sim:woled-tv --window 20";
  auto measure = [&](const std::string& rig_options) { return "measure --quiet " + rig_options + " --patches " + set; };
  const std::string common = measure(rig);
  REQUIRE(run(common + " -o " + (dir / "whole.json").string()) == 0);
  const MeasurementSet whole = read_measurements(dir / "whole.json");

  fs::path killed = dir / "killed.json";
  REQUIRE(test::spawn_calkit_and_kill(test::split_words(common + " -o " + killed.string()), journal_path_for(killed),
                                      40, std::chrono::microseconds(200)));
  const std::string journal = test::read_file_bytes(journal_path_for(killed));
  const std::vector<std::string> lines = split_lines(journal);
  REQUIRE(lines.size() >= 30);

  // Resumes a copy of the journal changed by `edit`; returns calkit's stderr.
  auto resume_edited = [&](const std::string& name, const std::string& edited, const std::string& on = "") {
    fs::path out = dir / (name + ".json");
    test::write_file_bytes(journal_path_for(out), edited);
    return test::run_calkit(measure(on.empty() ? rig : on) + " --resume -o " + out.string(), test::Stderr::Capture);
  };

  SUBCASE("a flipped digit in a reading") {
    std::vector<std::string> edited = lines;
    std::string& line = line_of(edited, 6);
    std::size_t x = line.find("\"XYZ\":[") + 7;
    line[x] = line[x] == '9' ? '8' : '9';
    test::CalkitOutput r = resume_edited("digit", joined(edited));
    CHECK(r.status == 0);
    CHECK(r.output.find("line 6 is damaged (its checksum does not match); keeping the 4 readings before it") !=
          std::string::npos);
    check_same_readings(read_measurements(dir / "digit.json"), whole);
    CHECK(test::read_file_bytes(journal_path_for(dir / "digit.json").string() + ".damaged") ==
          joined(std::vector<std::string>(edited.begin() + 5, edited.end())));
  }
  SUBCASE("an edited patch index") {
    std::vector<std::string> edited = lines;
    std::string& line = line_of(edited, 9);
    std::size_t at = line.find("\"index\":7,");
    REQUIRE(at != std::string::npos);
    line.replace(at, 10, "\"index\":250,");
    test::CalkitOutput r = resume_edited("index", joined(edited));
    CHECK(r.status == 0);
    check_same_readings(read_measurements(dir / "index.json"), whole);
  }
  SUBCASE("twelve random bit flips, each noticed") {
    std::mt19937 rng(20261121);
    for (int flip = 0; flip < 12; ++flip) {
      std::string edited = journal;
      std::size_t byte = rng() % edited.size();
      edited[byte] = static_cast<char>(edited[byte] ^ (1 << (rng() % 8)));
      CAPTURE(flip);
      CAPTURE(byte);
      const std::string name = "flip" + std::to_string(flip);
      test::CalkitOutput r = resume_edited(name, edited);
      if (byte < lines[0].size() + 1) {  // the header: nothing can be trusted, nothing is measured
        CHECK(r.status == 2);
        CHECK(r.output.find("header") != std::string::npos);
        continue;
      }
      CHECK(r.status == 0);
      CHECK(r.output.find("keeping the") != std::string::npos);
      check_same_readings(read_measurements(dir / (name + ".json")), whole);
    }
  }
  SUBCASE("another rig") {
    for (const auto& [other, says] :
         {std::pair{"--probe sim --display sim:ips-lcd --window 20", "display: was 'sim:woled-tv', now 'sim:ips-lcd'"},
          std::pair{"--probe sim --display sim:woled-tv --window 20 --seed 2", "seed: was '1', now '2'"},
          std::pair{"--probe sim --display sim:woled-tv --window 50", "window: was '20', now '50'"},
          std::pair{"--probe emulated:i1d3 --display sim:woled-tv --window 20",
                    "probe: was 'calkit SimProbe #sim-1'"}}) {
      CAPTURE(other);
      test::CalkitOutput r = resume_edited("rig", journal, other);
      CHECK(r.status == 2);
      CHECK(r.output.find(says) != std::string::npos);
      CHECK(test::read_file_bytes(journal_path_for(dir / "rig.json")) == journal);  // left as it was
    }
  }
}

// A second run on the output of one still measuring (a --resume typed in another terminal) wrote
// into the same journal; now it is refused, and the first run ends as if it had been alone.
TEST_CASE("a second measure on the output of a running one is refused, and the first ends whole") {
  fs::path dir = scratch("second");
  std::string set = (dir / "set.ti1").string();
  REQUIRE(run("patches --set optimised --count 60 -o " + set) == 0);
  std::string common = "measure --quiet --probe sim --display sim:ips-lcd --patches " + set;
  fs::path out = dir / "first.ti3";
  fs::path journal = journal_path_for(out);

  // The first run at 5 times real time takes some seconds; the second starts once it has readings.
  pid_t first = test::spawn_calkit(test::split_words(common + " -o " + out.string() + " --sim-speed 5"));
  int status = 0;
  while (test::count_lines(journal) < 3) {
    REQUIRE_MESSAGE(waitpid(first, &status, WNOHANG) == 0, "the first run ended before it had readings");
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }

  for (const char* resume : {" --resume", ""}) {
    CAPTURE(resume);
    test::CalkitOutput second = test::run_calkit(common + resume + " -o " + out.string(), test::Stderr::Capture);
    CHECK(second.status == 2);
    CHECK(second.output.find(journal.string() + ": another calkit is measuring into this journal now") !=
          std::string::npos);
  }
  REQUIRE(waitpid(first, &status, 0) == first);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK_FALSE(fs::exists(journal));

  fs::path alone = dir / "alone.ti3";
  REQUIRE(run(common + " -o " + alone.string()) == 0);
  check_same_readings(read_measurements(out), read_measurements(alone));
}
