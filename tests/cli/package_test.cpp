// `calkit package` and `calkit package verify` on the output of a real (small) `calkit calibrate`
// run. Oracles: the copied files are byte-identical to calibrate's (cmp), the manifest's MD5s are
// md5sum's, and each tampering (one flipped bit in the LUT, a deleted report, an added file, a
// corrupted manifest) is caught with the exit status and the file named.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/calkit_test_support.hpp"

using namespace std::string_literals;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) { return calkit::test::scratch_dir("cli-package", name); }

using calkit::test::read_file_bytes;
using calkit::test::write_file_bytes;

struct Run {
  int status = -1;
  std::string out;
  std::string err;
};

Run run_calkit_in(const std::string& args, const fs::path& scratch_dir) {
  fs::path out = scratch_dir / "stdout.txt", err = scratch_dir / "stderr.txt";
  std::string command = std::string(CALKIT_BINARY) + " " + args + " > '" + out.string() + "' 2> '" + err.string() + "'";
  int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file_bytes(out), read_file_bytes(err)};
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

bool has_line(const std::string& text, const std::string& line) {
  for (const auto& l : lines_of(text))
    if (l == line) return true;
  return false;
}

}  // namespace

TEST_CASE("package --help shows an example, package verify --help too") {
  fs::path dir = scratch("help");
  Run help = run_calkit_in("package --help", dir);
  CHECK(help.status == 0);
  CHECK(help.out.find("Example: calkit package") != std::string::npos);
  Run verify_help = run_calkit_in("package verify --help", dir);
  CHECK(verify_help.out.find("Example: calkit package verify") != std::string::npos);
}

TEST_CASE("package a calibrate run, verify it, and catch every kind of tampering") {
  fs::path dir = scratch("calibrate");
  fs::path out = dir / "out", pkg = dir / "suiteB-2026-11-21";
  Run calibrate = run_calkit_in(
      "calibrate --probe sim --display sim:reference --target bt1886 --patches 100 --size 17 -o '" + out.string() + "'",
      dir);
  REQUIRE_MESSAGE(calibrate.status == 0, calibrate.err);

  Run package = run_calkit_in("package '" + out.string() + "' -o '" + pkg.string() + "' --json", dir);
  REQUIRE_MESSAGE(package.status == 0, package.err);
  nlohmann::json packaged = nlohmann::json::parse(package.out);
  std::vector<std::string> paths;
  for (const auto& file : packaged["files"]) paths.push_back(file["path"]);
  for (const char* expected : {"calibration.cube", "calibration-solve.json", "patches.ti1", "profile.ti3",
                               "report.html", "verify-after.json", "verify-before.json"})
    CHECK_MESSAGE(std::find(paths.begin(), paths.end(), expected) != paths.end(), expected);
  for (const auto& file : packaged["files"]) {
    fs::path copy = pkg / file["path"].get<std::string>();
    CHECK(std::system(
              ("cmp -s '" + (out / file["path"].get<std::string>()).string() + "' '" + copy.string() + "'").c_str()) ==
          0);
    std::string command = "md5sum '" + copy.string() + "' > '" + (dir / "md5.txt").string() + "'";
    REQUIRE(std::system(command.c_str()) == 0);
    CHECK(read_file_bytes(dir / "md5.txt").substr(0, 32) == file["md5"].get<std::string>());
  }
  REQUIRE(fs::exists(pkg / "ascmhl" / "ascmhl_chain.xml"));

  Run intact = run_calkit_in("package verify '" + pkg.string() + "'", dir);
  CHECK(intact.status == 0);
  CHECK(intact.out.rfind("intact: ", 0) == 0);

  // One flipped bit in the LUT.
  const fs::path lut = pkg / "calibration.cube";
  const std::string lut_bytes = read_file_bytes(lut);
  std::string flipped = lut_bytes;
  flipped[flipped.size() / 2] ^= 0x04;
  write_file_bytes(lut, flipped);
  Run changed = run_calkit_in("package verify '" + pkg.string() + "'", dir);
  CHECK(changed.status == 1);
  CHECK(has_line(changed.out, "changed: calibration.cube (md5, xxh64)"));
  Run changed_json = run_calkit_in("package verify '" + pkg.string() + "' --json", dir);
  CHECK(changed_json.status == 1);
  nlohmann::json check = nlohmann::json::parse(changed_json.out);
  CHECK(check["intact"] == false);
  REQUIRE(check["changed"].size() == 1);
  CHECK(check["changed"][0]["path"] == "calibration.cube");
  CHECK(check["changed"][0]["fields"] == nlohmann::json::array({"md5", "xxh64"}));
  write_file_bytes(lut, lut_bytes);
  CHECK(run_calkit_in("package verify '" + pkg.string() + "'", dir).status == 0);

  // A deleted report, an added file.
  const std::string report = read_file_bytes(pkg / "report.html");
  fs::remove(pkg / "report.html");
  Run missing = run_calkit_in("package verify '" + pkg.string() + "'", dir);
  CHECK(missing.status == 1);
  CHECK(has_line(missing.out, "missing: report.html"));
  write_file_bytes(pkg / "report.html", report);
  write_file_bytes(pkg / "readme.txt", "added after packaging\n");
  Run extra = run_calkit_in("package verify '" + pkg.string() + "'", dir);
  CHECK(extra.status == 1);
  CHECK(has_line(extra.out, "extra: readme.txt"));
  fs::remove(pkg / "readme.txt");
  CHECK(run_calkit_in("package verify '" + pkg.string() + "'", dir).status == 0);

  // A corrupted manifest: exit 2, one line naming the manifest.
  fs::path manifest;
  for (const auto& entry : fs::directory_iterator(pkg / "ascmhl"))
    if (entry.path().extension() == ".mhl") manifest = entry.path();
  REQUIRE(!manifest.empty());
  std::string xml = read_file_bytes(manifest);
  xml.replace(xml.find("</hashes>"), 9, "</hash>");
  write_file_bytes(manifest, xml);
  Run malformed = run_calkit_in("package verify '" + pkg.string() + "'", dir);
  CHECK(malformed.status == 2);
  CHECK(lines_of(malformed.err).size() == 1);
  CHECK(malformed.err.find(manifest.filename().string()) != std::string::npos);
}

TEST_CASE("package verify of a folder without a manifest exits 2") {
  fs::path dir = scratch("no-manifest");
  Run run = run_calkit_in("package verify '" + dir.string() + "'", dir);
  CHECK(run.status == 2);
  CHECK(lines_of(run.err).size() == 1);
  CHECK(run.err.find("ascmhl") != std::string::npos);
}

TEST_CASE("a package copied to a second site and verified there with --record holds two generations ascmhl accepts") {
  fs::path dir = scratch("second-site");
  fs::path out = dir / "out";
  fs::create_directories(out / "runs");
  write_file_bytes(out / "calibration.cube", "LUT_3D_SIZE 2\n0 0 0\n1 0 0\n0 1 0\n1 1 0\n0 0 1\n1 0 1\n0 1 1\n1 1 1\n");
  write_file_bytes(out / "report.html", "<!doctype html><p>report</p>\n");
  write_file_bytes(out / "runs" / "readings.csv", "R,G,B,X,Y,Z\n");
  Run made = run_calkit_in("package '" + out.string() + "' -o '" + (dir / "siteA").string() +
                               "' --author 'Ann Op' --email ann@example.com --role DIT --location 'Suite A'",
                           dir);
  REQUIRE(made.status == 0);
  // The second site receives a copy (new modification times, as a plain cp gives).
  REQUIRE(std::system(("cp -r '" + (dir / "siteA").string() + "' '" + (dir / "siteB").string() + "'").c_str()) == 0);
  Run recorded = run_calkit_in(
      "package verify '" + (dir / "siteB").string() + "' --record --author 'Bo Client' --location 'Suite B' --json",
      dir);
  REQUIRE(recorded.status == 0);
  auto check = nlohmann::json::parse(recorded.out);
  CHECK(check["intact"] == true);
  CHECK(check["generations"] == 1);
  CHECK(fs::exists(check["recorded"].get<std::string>()));
  auto again =
      nlohmann::json::parse(run_calkit_in("package verify '" + (dir / "siteB").string() + "' --json", dir).out);
  CHECK(again["generations"] == 2);
  CHECK(again["intact"] == true);
  // The second generation says who verified where, and what was found, in ASC MHL's own terms.
  std::string second = read_file_bytes(check["recorded"].get<std::string>());
  CHECK(second.find("<author email=\"ops") == std::string::npos);
  CHECK(second.find(">Bo Client</author>") != std::string::npos);
  CHECK(second.find("<location>Suite B</location>") != std::string::npos);
  CHECK(second.find("action=\"verified\"") != std::string::npos);
  CHECK(second.find("<comment>calkit package verify: intact, 3 files</comment>") != std::string::npos);

  std::string ascmhl = calkit::test::shared_oracle("ascmhl");
  if (ascmhl.empty() ||
      calkit::test::run_shell("PYTHONPATH='" + ascmhl + "' /usr/bin/python3 -c 'import ascmhl'") != 0) {
    MESSAGE("skipped the ascmhl half: ../shared/oracles/ascmhl or its Debian python3 packages are not present");
    return;
  }
  const std::string tool = "PYTHONPATH='" + ascmhl + "' /usr/bin/python3 -m ascmhl.cli.";
  std::string info;
  CHECK(calkit::test::run_shell(tool + "ascmhl_debug verify '" + (dir / "siteB").string() + "'") == 0);
  CHECK(calkit::test::run_shell(tool + "ascmhl info -v '" + (dir / "siteB").string() + "'", &info) == 0);
  CHECK(info.find("Generation 2") != std::string::npos);
  CHECK(info.find("Bo Client") != std::string::npos);
  // And the other way round: a history ascmhl made verifies in calkit.
  REQUIRE(calkit::test::run_shell(tool + "ascmhl create -h xxh128 '" + out.string() + "'") == 0);
  CHECK(run_calkit_in("package verify '" + out.string() + "'", dir).status == 0);
}
