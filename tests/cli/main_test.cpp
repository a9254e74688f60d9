// The conventions every command follows (cli/main.cpp and the command table): --help with an
// example, -o/--out for outputs, --json where a command prints a result, progress only on a
// terminal, the exit-status table, and unknown commands named with the closest one.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/calkit_test_support.hpp"

using namespace calkit::test;
namespace fs = std::filesystem;

namespace {

// The subcommand names a --help page lists under "Subcommands:".
std::vector<std::string> subcommands_in(const std::string& help) {
  std::vector<std::string> names;
  std::size_t at = help.find("Subcommands:");
  if (at == std::string::npos) return names;
  std::istringstream lines(help.substr(at));
  std::regex entry("^  ([a-z0-9-]+) .*");
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_match(line, m, entry)) names.push_back(m[1]);
  }
  return names;
}

// Every command and nested command, as "name" or "name sub".
std::vector<std::string> all_commands() {
  std::vector<std::string> out;
  for (const std::string& name : subcommands_in(run_calkit("--help").output)) {
    out.push_back(name);
    for (const std::string& sub : subcommands_in(run_calkit(name + " --help").output)) out.push_back(name + " " + sub);
  }
  return out;
}

}  // namespace

TEST_CASE("every command and subcommand has --help with an example") {
  std::vector<std::string> commands = all_commands();
  CHECK(commands.size() > 25);  // 18 commands and their subcommands
  for (const std::string& command : commands) {
    CAPTURE(command);
    CalkitOutput help = run_calkit(command + " --help");
    CHECK(help.status == 0);
    CHECK(help.output.find("Example: calkit " + command) != std::string::npos);
  }
}

TEST_CASE("a command that writes a file or folder names it with -o/--out, never --output") {
  for (const std::string& command : all_commands()) {
    CAPTURE(command);
    std::string help = run_calkit(command + " --help").output;
    CHECK(help.find("--output") == std::string::npos);
    if (help.find("-o,") != std::string::npos) CHECK(help.find("-o,--out") != std::string::npos);
  }
}

TEST_CASE("an unknown command exits 2 and names the closest one") {
  CalkitOutput typo = run_calkit("calbrate --probe sim", Stderr::Capture);
  CHECK(typo.status == 2);
  CHECK(typo.output.find("unknown command 'calkit calbrate'") != std::string::npos);
  CHECK(typo.output.find("did you mean 'calibrate'") != std::string::npos);
  CalkitOutput nested = run_calkit("probe lsit", Stderr::Capture);
  CHECK(nested.status == 2);
  CHECK(nested.output.find("did you mean 'list'") != std::string::npos);
  CalkitOutput nonsense = run_calkit("frobnicate", Stderr::Capture);
  CHECK(nonsense.status == 2);
  CHECK(nonsense.output.find("unknown command 'calkit frobnicate'") != std::string::npos);
  CHECK(nonsense.output.find("did you mean") == std::string::npos);  // nothing is close
}

TEST_CASE("exit status: 2 for bad input, 1 when the world fails, each a single line naming the path") {
  fs::path dir = scratch_dir("cli", "exit-status");
  CalkitOutput missing_folder =
      run_calkit("patches --set greyscale -o " + (dir / "no" / "set.ti1").string(), Stderr::Capture);
  CHECK(missing_folder.status == 2);
  CHECK(missing_folder.output.find((dir / "no" / "set.ti1").string()) != std::string::npos);
  // A folder nobody may create files in, whoever runs the test (sysfs refuses even root).
  CalkitOutput unwritable = run_calkit("patches --set greyscale -o /sys/calkit-set.ti1", Stderr::Capture);
  CHECK(unwritable.status == 1);
  CHECK(unwritable.output ==
        "calkit: /sys/calkit-set.ti1: cannot create a temporary file next to it: Permission denied\n");
  CalkitOutput absent =
      run_calkit("convert " + (dir / "absent.ti3").string() + " " + (dir / "x.json").string(), Stderr::Capture);
  CHECK(absent.status == 2);
  CHECK(absent.output == "calkit: " + (dir / "absent.ti3").string() + ": no such file\n");
}

TEST_CASE("--json on patches, measure, lut convert, probe match and probe setup prints what was done") {
  fs::path dir = scratch_dir("cli", "json-everywhere");
  const std::string set = (dir / "set.ti1").string();
  auto patches = nlohmann::json::parse(run_calkit("patches --set greyscale --count 5 -o " + set + " --json").output);
  CHECK(patches["out"] == set);
  CHECK(patches["patches"] == 5);
  // The file's own count, as ArgyllCMS's CGATS keyword states it.
  CHECK(read_file_bytes(set).find("NUMBER_OF_SETS 5") != std::string::npos);

  const std::string meas = (dir / "meas.ti3").string();
  CalkitOutput measured =
      run_calkit("measure --probe sim --display sim:reference --patches " + set + " -o " + meas + " --json");
  REQUIRE(measured.status == 0);
  auto m = nlohmann::json::parse(measured.output);
  CHECK(m["out"] == meas);
  CHECK(m["readings"] == 5);

  const std::string cube = (dir / "id.cube").string();
  write_file_bytes(cube, "LUT_3D_SIZE 2\n0 0 0\n1 0 0\n0 1 0\n1 1 0\n0 0 1\n1 0 1\n0 1 1\n1 1 1\n");
  auto converted =
      nlohmann::json::parse(run_calkit("lut convert " + cube + " " + (dir / "id.clf").string() + " --json").output);
  CHECK(converted["kind"] == "3D");
  CHECK(converted["size"] == 2);
  CHECK(fs::exists(dir / "id.clf"));

  auto setup = nlohmann::json::parse(run_calkit("probe setup --json").output);
  CHECK(setup["rule_file"] == "60-calkit.rules");
  CHECK(setup["rules"].get<std::string>().find("ATTRS{idVendor}==\"0765\"") != std::string::npos);

  // A colorimeter that reads 10 % high everywhere: the matrix that corrects it is 1/1.1 on the diagonal.
  const std::string ref = (dir / "ref.json").string(), col = (dir / "col.json").string();
  auto reading = [](double r, double g, double b, double X, double Y, double Z) {
    return nlohmann::json{{"rgb", {r, g, b}}, {"XYZ", {X, Y, Z}}};
  };
  nlohmann::json ref_set{{"format", "calkit-measurements"},
                         {"version", 1},
                         {"readings",
                          {reading(1, 0, 0, 41, 21, 2), reading(0, 1, 0, 36, 72, 12), reading(0, 0, 1, 18, 7, 95),
                           reading(1, 1, 1, 95, 100, 109)}}};
  nlohmann::json col_set = ref_set;
  for (auto& r : col_set["readings"])
    for (auto& v : r["XYZ"]) v = v.get<double>() * 1.1;
  write_file_bytes(ref, ref_set.dump());
  write_file_bytes(col, col_set.dump());
  CalkitOutput match = run_calkit("probe match --reference " + ref + " --colorimeter " + col + " -o " +
                                  (dir / "m.ccmx").string() + " --json");
  REQUIRE(match.status == 0);
  auto ccmx = nlohmann::json::parse(match.output);
  CHECK(ccmx["matrix"][0][0].get<double>() == doctest::Approx(1 / 1.1).epsilon(1e-9));
  CHECK(ccmx["matrix"][0][1].get<double>() == doctest::Approx(0).scale(1));
}

TEST_CASE("progress goes to a terminal only: a log gets one line per stage and no carriage return") {
  fs::path dir = scratch_dir("cli", "progress-log");
  const std::string set = (dir / "set.ti1").string(), meas = (dir / "meas.ti3").string();
  REQUIRE(run_calkit("patches --set recommended --count 64 -o " + set).status == 0);
  REQUIRE(run_calkit("measure --probe sim --display sim:ips-lcd --patches " + set + " -o " + meas + " 2>" +
                     (dir / "measure.log").string())
              .status == 0);
  REQUIRE(run_calkit("solve -m " + meas + " --target bt1886 --size 9 -o " + (dir / "out").string() + " 2>" +
                     (dir / "solve.log").string())
              .status == 0);
  for (const char* log : {"measure.log", "solve.log"}) {
    CAPTURE(log);
    std::string text = read_file_bytes(dir / log);
    CHECK(text.find('\r') == std::string::npos);
    CHECK(text.find("\033[") == std::string::npos);
    CHECK(count_lines(dir / log) <= 6);
  }
}

// Issue 15 item 13: a file name that is not UTF-8 (Latin-1 "café") made `measure` measure every
// patch and then exit 1 with a raw nlohmann type_error.316 and no file name (and `--resume` failed
// the same way). Such an argument is now bad input before any work.
TEST_CASE("an argument that is not UTF-8 is refused before anything is measured, naming it") {
  fs::path dir = scratch_dir("cli", "latin1-argument");
  REQUIRE(run_calkit("patches --set greyscale --count 5 -o " + (dir / "g.ti1").string()).status == 0);
  const std::string latin1 = (dir / "caf\xe9.json").string();
  CalkitOutput r = run_calkit("measure --quiet --probe sim --display sim:reference --patches " +
                                  (dir / "g.ti1").string() + " -o '" + latin1 + "'",
                              Stderr::Capture);
  CHECK(r.status == 2);
  CHECK(r.output.find("caf\\xe9.json') is not UTF-8 text") != std::string::npos);
  CHECK(r.output.find('\xe9') == std::string::npos);
  CHECK_FALSE(fs::exists(latin1 + ".journal"));
  CHECK_FALSE(fs::exists(latin1));
}
