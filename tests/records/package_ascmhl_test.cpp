// Calibration packages against the ASC's reference tool, ascmhl 1.1 (../shared/oracles/ascmhl,
// MIT, run as a separate program): its schema check and its verify accept calkit's histories, and
// calkit verifies what ascmhl writes (every hash format, several generations, a partial one, a
// "failed" one). Hash formats against sha1sum and xxhsum. Links are never followed (issue 15,
// item 9). Every case skips with a message when the oracle or its Debian Python packages are
// absent.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "formats/mhl.hpp"
#include "records/checksum.hpp"
#include "records/package.hpp"
#include "tests/support/calkit_test_support.hpp"

using namespace calkit;
namespace fs = std::filesystem;

namespace {

void write_bytes(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  test::write_file_bytes(path, bytes);
}

// A small calibration output: a LUT, a report and readings in a subfolder.
fs::path make_source(const fs::path& dir) {
  write_bytes(dir / "calibration.cube", "LUT_3D_SIZE 2\n0 0 0\n1 0 0\n0 1 0\n1 1 0\n0 0 1\n1 0 1\n0 1 1\n1 1 1\n");
  write_bytes(dir / "report.html", "<!doctype html><p>report</p>\n");
  write_bytes(dir / "runs/readings.csv", "R,G,B,X,Y,Z\n1,1,1,95.0456,100,108.9058\n");
  return dir;
}

std::vector<std::string> problem_lines(const PackageCheck& check) {
  std::vector<std::string> lines;
  for (const auto& p : check.problems) lines.push_back(package_problem_line(p));
  return lines;
}

// ascmhl's command line (ascmhl or ascmhl_debug) with the Debian python it needs, or "" to skip.
std::string ascmhl(const char* module = "ascmhl") {
  std::string dir = test::shared_oracle("ascmhl");
  if (dir.empty() || test::run_shell("PYTHONPATH='" + dir + "' /usr/bin/python3 -c 'import ascmhl.cli.ascmhl'") != 0)
    return "";
  return "PYTHONPATH='" + dir + "' /usr/bin/python3 -m ascmhl.cli." + std::string(module);
}

#define REQUIRE_ASCMHL(command)                                                                  \
  if ((command).empty()) {                                                                       \
    MESSAGE("skipped: ../shared/oracles/ascmhl or its Debian python3 packages are not present"); \
    return;                                                                                      \
  }

// ascmhl's own schema check of one manifest (-df: a chain file); 0 = "validated".
int schema_check(const fs::path& file, bool chain) {
  std::string xsd = test::shared_oracle("ascmhl") + "/xsd/" + (chain ? "ASCMHLDirectory__combined.xsd" : "ASCMHL.xsd");
  return test::run_shell(ascmhl("ascmhl_debug") + " xsd-schema-check " + (chain ? "-df " : "") + "-xsd '" + xsd +
                         "' '" + file.string() + "'");
}

GenerationInfo who(const std::string& name, const std::string& location) {
  GenerationInfo info;
  info.authors.push_back({name, "ops@example.com", "", "DIT"});
  info.location = location;
  return info;
}

}  // namespace

TEST_CASE("sha1, xxh3 and xxh128 digests equal sha1sum's and xxhsum's") {
  fs::path dir = test::scratch_dir("records", "digests");
  write_bytes(dir / "abc", "abc");
  auto last_word = [](std::string text) {
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text.substr(text.find_last_of(' ') + 1);
  };
  auto first_word = [](const std::string& text) { return text.substr(0, text.find(' ')); };
  std::string out;
  REQUIRE(test::run_shell("sha1sum '" + (dir / "abc").string() + "'", &out) == 0);
  CHECK(file_digest(dir / "abc", "sha1") == first_word(out));
  if (!test::have_program("xxhsum")) return;
  for (std::string data : {std::string("abc"), std::string(""), std::string(100000, 'x')}) {
    write_bytes(dir / "f", data);
    REQUIRE(test::run_shell("(xxhsum -H3 '" + (dir / "f").string() + "' 2>/dev/null)", &out) == 0);
    CHECK(file_digest(dir / "f", "xxh3") == last_word(out));  // "XXH3 (f) = 78af5f94892f3950"
    REQUIRE(test::run_shell("(xxhsum -H128 '" + (dir / "f").string() + "' 2>/dev/null)", &out) == 0);
    CHECK(file_digest(dir / "f", "xxh128") == first_word(out));
  }
}

TEST_CASE("calkit's generations and chains pass the current ASC MHL schema and ascmhl's verify") {
  const std::string tool = ascmhl(), debug = ascmhl("ascmhl_debug");
  REQUIRE_ASCMHL(tool);
  fs::path dir = test::scratch_dir("records", "ascmhl-accepts-calkit");
  fs::path src = make_source(dir / "out"), pkg = dir / "pkg";
  PackageOptions options;
  options.generation = who("Ann Op", "Suite A");
  PackageResult first = create_package(src, pkg, options);
  CHECK(schema_check(first.manifest, false) == 0);
  // A second pass adds a file: generation 2 continues the chain.
  write_bytes(src / "verify-after.json", "{}\n");
  PackageResult second = create_package(src, pkg, options);
  CHECK(second.generation == 2);
  // A verification recorded as generation 3.
  GenerationInfo record = who("Bo Client", "Suite B");
  PackageCheck check = verify_package(pkg, &record);
  CHECK(check.intact());
  REQUIRE(fs::exists(check.recorded));
  for (const fs::path& manifest : {second.manifest, check.recorded}) CHECK(schema_check(manifest, false) == 0);
  CHECK(schema_check(pkg / "ascmhl" / "ascmhl_chain.xml", true) == 0);
  if (test::have_program("xmllint")) {  // the same, through libxml2 and the copy in tests/data
    fs::path xsd = fs::path(CALKIT_TEST_DATA) / "ascmhl";
    CHECK(test::run_shell("xmllint --noout --nonet --schema '" + (xsd / "ASCMHL.xsd").string() + "' '" +
                          check.recorded.string() + "'") == 0);
  }
  std::string out;
  CHECK(test::run_shell(debug + " verify '" + pkg.string() + "'", &out) == 0);
  CHECK(test::run_shell(tool + " info '" + pkg.string() + "'", &out) == 0);
  CHECK(out.find("Generation 3") != std::string::npos);

  // Both tools see the same tampering: a changed LUT byte.
  std::string lut = test::read_file_bytes(pkg / "calibration.cube");
  lut[3] ^= 0x01;
  write_bytes(pkg / "calibration.cube", lut);
  CHECK(test::run_shell(debug + " verify '" + pkg.string() + "'") == 11);  // ascmhl: hash mismatch
  CHECK(problem_lines(verify_package(pkg)) == std::vector<std::string>{"changed: calibration.cube (md5, xxh64)"});
}

TEST_CASE("calkit verifies what ascmhl writes: every hash format, generations, a partial and a failed one") {
  const std::string tool = ascmhl();
  REQUIRE_ASCMHL(tool);
  fs::path dir = test::scratch_dir("records", "calkit-accepts-ascmhl");
  for (std::string_view name : kHashFormats) {
    const std::string format(name);
    CAPTURE(format);
    fs::path pkg = make_source(dir / format);
    REQUIRE(test::run_shell(tool + " create -h " + format + " '" + pkg.string() + "'") == 0);
    PackageCheck check = verify_package(pkg);
    CHECK(check.intact());
    CHECK(check.files_listed == 3);
    write_bytes(pkg / "report.html", "<!doctype html><p>changed</p>\n");
    CHECK(problem_lines(verify_package(pkg)) ==
          std::vector<std::string>{"changed: report.html (size, " + format + ")"});
  }

  // Two generations, the second listing one new file only (ascmhl create -sf).
  fs::path pkg = make_source(dir / "generations");
  REQUIRE(test::run_shell(tool + " create -h xxh64 -h md5 '" + pkg.string() + "'") == 0);
  write_bytes(pkg / "added.ti3", "CTI3\n");
  REQUIRE(test::run_shell(tool + " create -h xxh64 '" + pkg.string() + "' -sf '" + (pkg / "added.ti3").string() +
                          "'") == 0);
  PackageCheck check = verify_package(pkg);
  CHECK(check.generations == 2);
  CHECK(check.intact());  // earlier generations' files still verify: not "extra"

  // ascmhl over a changed file writes a generation with action="failed" and the new hash: calkit
  // still judges against the original, as the spec asks (§5.6.4).
  write_bytes(pkg / "calibration.cube", "LUT_3D_SIZE 2\n");
  CHECK(test::run_shell(tool + " create -h xxh64 '" + pkg.string() + "'") == 11);
  check = verify_package(pkg);
  CHECK(check.generations == 3);
  CHECK(problem_lines(check) == std::vector<std::string>{"changed: calibration.cube (size, md5, xxh64)"});
}

TEST_CASE("a package never follows a link: each is listed, the package is not intact, nothing aborts") {
  fs::path dir = test::scratch_dir("records", "links");
  fs::path src = make_source(dir / "out"), pkg = dir / "pkg";
  create_package(src, pkg);
  REQUIRE(verify_package(pkg).intact());

  fs::create_directory_symlink("/etc", pkg / "etc");         // a link out of the folder
  fs::create_symlink(pkg / "loop", pkg / "loop");            // a link to itself
  fs::copy_file(pkg / "report.html", dir / "outside.html");  // a listed file replaced by a
  fs::remove(pkg / "report.html");                           // link to an identical copy
  fs::create_symlink(dir / "outside.html", pkg / "report.html");
  PackageCheck check = verify_package(pkg);
  CHECK_FALSE(check.intact());
  CHECK(problem_lines(check) == std::vector<std::string>{"link: etc -> /etc",
                                                         "link: loop -> " + (pkg / "loop").string(),
                                                         "link: report.html -> " + (dir / "outside.html").string()});

  // A history behind a link is refused outright.
  fs::rename(pkg / "ascmhl", dir / "history");
  fs::create_directory_symlink(dir / "history", pkg / "ascmhl");
  CHECK_THROWS_AS(verify_package(pkg), InputError);

  // And a source holding a link is not packaged.
  fs::create_symlink(src / "report.html", src / "copy.html");
  CHECK_THROWS_AS(create_package(src, dir / "pkg2"), InputError);
}
