// calkit history: two real `calkit verify` runs (one through a LUT that tints white) recorded and
// shown with the white drift that the two verification JSON files give (dE2000 from
// color/difference.hpp); the HTML page's charts parse as XML (pugixml); a corrupt database is one
// line and exit 2, a history that cannot be written only warns; the XDG default is used.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "color/colorimetry.hpp"
#include "color/difference.hpp"
#include "luts/apply.hpp"
#include "luts/lut_io.hpp"
#include "tests/support/calkit_test_support.hpp"

using namespace calkit;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) { return test::scratch_dir("history-cli", name); }

using Output = test::CalkitOutput;

// env: assignments put before the command ("CALKIT_HISTORY=... "); stderr joins stdout when asked.
Output run(const std::string& args, const std::string& env = "", bool with_stderr = false) {
  return test::run_calkit(args, with_stderr ? test::Stderr::Capture : test::Stderr::Discard, env);
}

const std::string kVerify = "verify --quiet --probe sim --display sim:reference --target bt1886 --set greyscale";

// The measured XYZ of the 100 % white patch in a verification JSON, read as plain JSON.
Vec3 white_XYZ(const fs::path& json_file) {
  nlohmann::json j = nlohmann::json::parse(test::read_file_bytes(json_file));
  for (const auto& p : j["patches"])
    if (p["signal"] == nlohmann::json::array({1.0, 1.0, 1.0}))
      return Vec3(p["measured_XYZ"][0].get<double>(), p["measured_XYZ"][1].get<double>(),
                  p["measured_XYZ"][2].get<double>());
  FAIL("no white patch in " << json_file);
  return Vec3::Zero();
}

// The <svg ...>...</svg> fragments of a page.
std::vector<std::string> svg_fragments(const std::string& html) {
  std::vector<std::string> out;
  for (std::size_t at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1)) {
    std::size_t end = html.find("</svg>", at);
    REQUIRE(end != std::string::npos);
    out.push_back(html.substr(at, end + 6 - at));
  }
  return out;
}

}  // namespace

TEST_CASE("history shows two verify runs with the white drift their JSON files give") {
  fs::path dir = scratch("drift");
  fs::path db = dir / "history.db";
  // A LUT that scales blue by 0.9: white comes out yellower (and a little darker).
  Lut3d tint = identity_lut3d(17);
  for (Vec3& v : tint.table) v.z() *= 0.9;
  write_lut3d(dir / "tint.cube", tint);

  // One label: drift is measured within a series (verify would label them uncalibrated/calibrated).
  REQUIRE(run(kVerify + " --label weekly --history " + db.string() + " -o " + (dir / "a").string()).status == 0);
  REQUIRE(run(kVerify + " --label weekly --history " + db.string() + " --lut " + (dir / "tint.cube").string() + " -o " +
              (dir / "b").string())
              .status == 0);
  fs::path json_a = dir / "a" / "verify.json";  // verify's default --name
  fs::path json_b = dir / "b" / "verify.json";
  REQUIRE(fs::exists(json_a));
  REQUIRE(fs::exists(json_b));

  Output out = run("history sim:reference --json --db " + db.string());
  REQUIRE(out.status == 0);
  nlohmann::json history = nlohmann::json::parse(out.output);
  REQUIRE(history["runs"].size() == 2);
  const auto& first = history["runs"][0];
  const auto& second = history["runs"][1];
  CHECK(first["json"] == fs::absolute(json_a).lexically_normal().string());
  CHECK(second["json"] == fs::absolute(json_b).lexically_normal().string());
  CHECK(second["lut_file"] == "tint.cube");
  CHECK(first["probe"] == second["probe"]);

  // dE2000 (CIE 142-2001) between the two white readings, in CIELAB relative to the first white.
  Vec3 white_a = white_XYZ(json_a);
  Vec3 white_b = white_XYZ(json_b);
  double expected = delta_e2000(lab_from_XYZ(white_a, white_a), lab_from_XYZ(white_b, white_a));
  CHECK(expected > 2);  // blue at 90 %: a clearly visible shift
  CHECK(second["drift"]["white_de2000"].get<double>() == doctest::Approx(expected).epsilon(1e-9));
  CHECK(first["drift"]["white_de2000"].get<double>() == doctest::Approx(0).epsilon(1e-12));
  CHECK(first["white_nits"].get<double>() == doctest::Approx(white_a.y()).epsilon(1e-12));
  Xy xy_b = xy_from_XYZ(white_b);
  CHECK(second["white_xy"][0].get<double>() == doctest::Approx(xy_b.x).epsilon(1e-12));
  CHECK(second["white_xy"][1].get<double>() == doctest::Approx(xy_b.y).epsilon(1e-12));

  // The table names both runs; --list counts them.
  Output table = run("history sim:reference --db " + db.string());
  REQUIRE(table.status == 0);
  CHECK(std::count(table.output.begin(), table.output.end(), '\n') == 2 + 2);  // two header lines, two runs
  CHECK(table.output.find(second["pass"] ? "PASS" : "FAIL") != std::string::npos);
  nlohmann::json list = nlohmann::json::parse(run("history --list --json --db " + db.string()).output);
  REQUIRE(list["displays"].size() == 1);
  CHECK(list["displays"][0]["display"] == "sim:reference");
  CHECK(list["displays"][0]["runs"] == 2);
  CHECK(run("history sim:woled-tv --db " + db.string()).status == 2);  // no runs of that display

  // The HTML page: one chart per quantity, each an SVG that parses as XML with a point per run.
  fs::path page = dir / "history.html";
  REQUIRE(run("history sim:reference --db " + db.string() + " --html " + page.string()).status == 0);
  std::string html = test::read_file_bytes(page);
  CHECK(html.find("Content-Security-Policy") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  std::vector<std::string> charts = svg_fragments(html);
  REQUIRE(charts.size() == 3);
  std::vector<std::string> labels;
  for (const std::string& chart : charts) {
    pugi::xml_document doc;
    pugi::xml_parse_result parsed = doc.load_string(chart.c_str());
    CHECK_MESSAGE(parsed, parsed.description());
    pugi::xml_node svg = doc.child("svg");
    labels.push_back(svg.attribute("aria-label").value());
    pugi::xml_node line = svg.find_child([](pugi::xml_node n) { return std::string(n.name()) == "polyline"; });
    REQUIRE(line);
    std::istringstream points(line.attribute("points").value());
    std::string point;
    int count = 0;
    while (points >> point) ++count;
    CHECK(count == 2);
  }
  CHECK(labels == std::vector<std::string>{"White-point drift", "Luminance", "Mean dE"});
}

TEST_CASE("a corrupt history database is one line and exit 2 but recording into one only warns") {
  fs::path dir = scratch("corrupt");
  fs::path db = dir / "history.db";
  std::ofstream(db) << std::string(3000, 'z');

  Output out = run("history sim:reference --db " + db.string(), "", true);
  CHECK(out.status == 2);
  CHECK(out.output.find(db.string()) != std::string::npos);
  CHECK(out.output.find("not a calkit history database") != std::string::npos);
  CHECK(std::count(out.output.begin(), out.output.end(), '\n') == 1);

  // An explicit bad --history stops verify before it measures.
  out = run(kVerify + " --history " + db.string() + " -o " + (dir / "a").string(), "", true);
  CHECK(out.status == 2);
  CHECK(std::count(out.output.begin(), out.output.end(), '\n') == 1);
  CHECK_FALSE(fs::exists(dir / "a"));
  CHECK(run(kVerify + " --history " + dir.string() + " -o " + (dir / "a").string()).status == 2);  // a directory

  // Issue 15 item 10: a real history with one damaged page opens and would take a row; SQLite's
  // own integrity check (the sqlite3 shell's `PRAGMA quick_check` says it is not ok) stops
  // verify before it measures, and the file is left as it was.
  fs::path damaged = dir / "damaged.db";
  REQUIRE(run(kVerify + " --history " + damaged.string() + " -o " + (dir / "c").string()).status == 0);
  std::string bytes = calkit::test::read_file_bytes(damaged);
  const std::size_t page =
      256 * std::size_t(static_cast<unsigned char>(bytes[16])) + static_cast<unsigned char>(bytes[17]);
  REQUIRE(bytes.size() >= 3 * page);
  for (std::size_t i = 2 * page + 3; i < 2 * page + 12; ++i) bytes[i] = char(0xff);  // the last page's b-tree header
  calkit::test::write_file_bytes(damaged, bytes);
  if (calkit::test::have_program("sqlite3")) {
    std::string check;
    calkit::test::run_shell("sqlite3 " + damaged.string() + " 'PRAGMA quick_check' 2>&1", &check);
    CHECK(check.rfind("ok", 0) != 0);
  }
  out = run(kVerify + " --history " + damaged.string() + " -o " + (dir / "d").string(), "", true);
  CHECK(out.status == 2);
  CHECK(out.output.find("corrupt") != std::string::npos);
  CHECK(std::count(out.output.begin(), out.output.end(), '\n') == 1);
  CHECK_FALSE(fs::exists(dir / "d"));
  CHECK(calkit::test::read_file_bytes(damaged) == bytes);

  // The default (here CALKIT_HISTORY) being corrupt: the verification is kept, with a warning.
  out = run(kVerify + " -o " + (dir / "b").string(), "CALKIT_HISTORY=" + db.string(), true);
  CHECK(out.status == 0);
  CHECK(out.output.find("warning: verification not recorded in the history") != std::string::npos);
  CHECK(fs::exists(dir / "b" / "verify.json"));
}

TEST_CASE("verify records into XDG_DATA_HOME by default and not at all with --no-history") {
  fs::path dir = scratch("xdg");
  fs::path xdg = dir / "data";
  REQUIRE(
      run(kVerify + " --no-history -o " + (dir / "a").string(), "env -u CALKIT_HISTORY XDG_DATA_HOME=" + xdg.string())
          .status == 0);
  CHECK_FALSE(fs::exists(xdg / "calkit" / "history.db"));
  REQUIRE(run(kVerify + " -o " + (dir / "b").string(), "env -u CALKIT_HISTORY XDG_DATA_HOME=" + xdg.string()).status ==
          0);
  REQUIRE(fs::exists(xdg / "calkit" / "history.db"));
  nlohmann::json list =
      nlohmann::json::parse(run("history --list --json", "env -u CALKIT_HISTORY XDG_DATA_HOME=" + xdg.string()).output);
  REQUIRE(list["displays"].size() == 1);
  CHECK(list["displays"][0]["runs"] == 1);
  CHECK(run(kVerify + " --history x.db --no-history -o " + (dir / "c").string()).status == 2);  // exclusive
}
