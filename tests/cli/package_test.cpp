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

using namespace std::string_literals;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
  fs::path dir = fs::path(CALKIT_TEST_TMP) / ("cli-package-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string read_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_bytes(const fs::path& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

struct Run {
  int status = -1;
  std::string out;
  std::string err;
};

Run calkit(const std::string& args, const fs::path& scratch_dir) {
  fs::path out = scratch_dir / "stdout.txt", err = scratch_dir / "stderr.txt";
  std::string command = std::string(CALKIT_BINARY) + " " + args + " > '" + out.string() + "' 2> '" + err.string() + "'";
  int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_bytes(out), read_bytes(err)};
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
  Run help = calkit("package --help", dir);
  CHECK(help.status == 0);
  CHECK(help.out.find("Example: calkit package") != std::string::npos);
  Run verify_help = calkit("package verify --help", dir);
  CHECK(verify_help.out.find("Example: calkit package verify") != std::string::npos);
}

TEST_CASE("package a calibrate run, verify it, and catch every kind of tampering") {
  fs::path dir = scratch("calibrate");
  fs::path out = dir / "out", pkg = dir / "suiteB-2026-11-21";
  Run calibrate = calkit("calibrate --probe sim --display sim:reference --target bt1886 --patches 100 --size 17 -o '" +
                             out.string() + "'",
                         dir);
  REQUIRE_MESSAGE(calibrate.status == 0, calibrate.err);

  Run package = calkit("package '" + out.string() + "' -o '" + pkg.string() + "' --json", dir);
  REQUIRE_MESSAGE(package.status == 0, package.err);
  nlohmann::json packaged = nlohmann::json::parse(package.out);
  std::vector<std::string> paths;
  for (const auto& file : packaged["files"]) paths.push_back(file["path"]);
  for (const char* expected : {"calibration.cube", "calibration-solve.json", "patches.ti1", "profile.ti3",
                               "report.html", "verify-after.json", "verify-before.json"})
    CHECK_MESSAGE(std::find(paths.begin(), paths.end(), expected) != paths.end(), expected);
  for (const auto& file : packaged["files"]) {
    fs::path copy = pkg / file["path"].get<std::string>();
    CHECK(std::system(("cmp -s '" + (out / file["path"].get<std::string>()).string() + "' '" + copy.string() + "'").c_str()) == 0);
    std::string command = "md5sum '" + copy.string() + "' > '" + (dir / "md5.txt").string() + "'";
    REQUIRE(std::system(command.c_str()) == 0);
    CHECK(read_bytes(dir / "md5.txt").substr(0, 32) == file["md5"].get<std::string>());
  }
  REQUIRE(fs::exists(pkg / "ascmhl" / "ascmhl_chain.xml"));

  Run intact = calkit("package verify '" + pkg.string() + "'", dir);
  CHECK(intact.status == 0);
  CHECK(intact.out.rfind("intact: ", 0) == 0);

  // One flipped bit in the LUT.
  const fs::path lut = pkg / "calibration.cube";
  const std::string lut_bytes = read_bytes(lut);
  std::string flipped = lut_bytes;
  flipped[flipped.size() / 2] ^= 0x04;
  write_bytes(lut, flipped);
  Run changed = calkit("package verify '" + pkg.string() + "'", dir);
  CHECK(changed.status == 1);
  CHECK(has_line(changed.out, "changed: calibration.cube (xxh64, md5)"));
  Run changed_json = calkit("package verify '" + pkg.string() + "' --json", dir);
  CHECK(changed_json.status == 1);
  nlohmann::json check = nlohmann::json::parse(changed_json.out);
  CHECK(check["intact"] == false);
  REQUIRE(check["changed"].size() == 1);
  CHECK(check["changed"][0]["path"] == "calibration.cube");
  CHECK(check["changed"][0]["fields"] == nlohmann::json::array({"xxh64", "md5"}));
  write_bytes(lut, lut_bytes);
  CHECK(calkit("package verify '" + pkg.string() + "'", dir).status == 0);

  // A deleted report, an added file.
  const std::string report = read_bytes(pkg / "report.html");
  fs::remove(pkg / "report.html");
  Run missing = calkit("package verify '" + pkg.string() + "'", dir);
  CHECK(missing.status == 1);
  CHECK(has_line(missing.out, "missing: report.html"));
  write_bytes(pkg / "report.html", report);
  write_bytes(pkg / "readme.txt", "added after packaging\n");
  Run extra = calkit("package verify '" + pkg.string() + "'", dir);
  CHECK(extra.status == 1);
  CHECK(has_line(extra.out, "extra: readme.txt"));
  fs::remove(pkg / "readme.txt");
  CHECK(calkit("package verify '" + pkg.string() + "'", dir).status == 0);

  // A corrupted manifest: exit 2, one line naming the manifest.
  fs::path manifest;
  for (const auto& entry : fs::directory_iterator(pkg / "ascmhl"))
    if (entry.path().extension() == ".mhl") manifest = entry.path();
  REQUIRE(!manifest.empty());
  std::string xml = read_bytes(manifest);
  xml.replace(xml.find("</hashes>"), 9, "</hash>");
  write_bytes(manifest, xml);
  Run malformed = calkit("package verify '" + pkg.string() + "'", dir);
  CHECK(malformed.status == 2);
  CHECK(lines_of(malformed.err).size() == 1);
  CHECK(malformed.err.find(manifest.filename().string()) != std::string::npos);
}

TEST_CASE("package verify of a folder without a manifest exits 2") {
  fs::path dir = scratch("no-manifest");
  Run run = calkit("package verify '" + dir.string() + "'", dir);
  CHECK(run.status == 2);
  CHECK(lines_of(run.err).size() == 1);
  CHECK(run.err.find("ascmhl") != std::string::npos);
}
