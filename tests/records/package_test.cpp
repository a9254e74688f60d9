// Checksums and calibration packages. MD5 against the RFC 1321 test suite and the system md5sum;
// xxh64 against xxhsum -H64 (Debian xxhash); C4 IDs against the published cross-language C4
// vectors and against the ascmhl reference implementation's chain file, which names its example
// manifest by C4. Packages: the copies are byte-identical to the sources (cmp), the manifest's
// hashes equal md5sum/xxhsum of the files, it validates against the ASC MHL schema, and
// verify_package names every tampered, removed or added file.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
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

fs::path scratch(const std::string& name) { return test::scratch_dir("report-package", name); }

void write_bytes(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

using test::have_program;

// The first whitespace-separated word a shell command prints.
std::string first_word_of(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), &pclose);
  REQUIRE(pipe);
  char buffer[256] = {};
  std::string out = std::fgets(buffer, sizeof buffer, pipe.get()) ? buffer : "";
  return out.substr(0, out.find_first_of(" \t\n"));
}

std::string pseudo_random_bytes(std::size_t n, unsigned seed) {
  std::string bytes(n, '\0');
  for (std::size_t i = 0; i < n; ++i) {
    seed = seed * 1103515245u + 12345u;
    bytes[i] = static_cast<char>(seed >> 16);
  }
  return bytes;
}

// A calibrate-like output folder plus files a package must leave out.
fs::path make_source(const std::string& name) {
  fs::path src = scratch(name) / "out";
  write_bytes(src / "calibration.cube", "TITLE \"t\"\nLUT_3D_SIZE 2\n" + pseudo_random_bytes(3000, 1));
  write_bytes(src / "calibration.CLF", pseudo_random_bytes(500, 2));
  write_bytes(src / "report.html", "<!doctype html><p>report</p>\n");
  write_bytes(src / "verify-after.json", "{\"format\": \"calkit-verification\"}\n");
  write_bytes(src / "patches.ti1", "CTI1\n");
  write_bytes(src / "profile.ti3", pseudo_random_bytes(70000, 3));
  write_bytes(src / "runs/2/readings.csv", "R,G,B,X,Y,Z\n");
  write_bytes(src / "profile.ti3.journal", "{}\n");
  write_bytes(src / "notes.txt", "not a package file\n");
  return src;
}

const std::vector<std::string> kExpectedFiles = {"calibration.CLF",  "calibration.cube", "patches.ti1",
                                                 "profile.ti3",      "report.html",      "runs/2/readings.csv",
                                                 "verify-after.json"};

PackageResult make_package(const std::string& name) {
  fs::path src = make_source(name);
  PackageOptions options;
  options.generation.hostname = "test-host";
  options.generation.now = 1795252507;
  return create_package(src, src.parent_path() / "pkg", options);
}

std::vector<std::string> problem_lines(const PackageCheck& check) {
  std::vector<std::string> lines;
  for (const auto& p : check.problems) lines.push_back(package_problem_line(p));
  return lines;
}

}  // namespace

TEST_CASE("md5 matches the RFC 1321 test suite") {
  // RFC 1321, appendix A.5.
  CHECK(md5_hex_of("") == "d41d8cd98f00b204e9800998ecf8427e");
  CHECK(md5_hex_of("a") == "0cc175b9c0f1b6a831c399e269772661");
  CHECK(md5_hex_of("abc") == "900150983cd24fb0d6963f7d28e17f72");
  CHECK(md5_hex_of("message digest") == "f96b697d7cb7938d525a2f31aaf161d0");
  CHECK(md5_hex_of("abcdefghijklmnopqrstuvwxyz") == "c3fcd3d76192e4007dfb496cca67e13b");
  CHECK(md5_hex_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") ==
        "d174ab98d277d9f5a5611c2c9f419d9f");
  CHECK(md5_hex_of("1234567890123456789012345678901234567890123456789012345678901234567890"
                   "1234567890") == "57edf4a22be3c955ac49da2e2107b67a");
  fs::path dir = scratch("md5-rfc");
  write_bytes(dir / "abc", "abc");
  CHECK(md5_hex(dir / "abc") == "900150983cd24fb0d6963f7d28e17f72");
}

TEST_CASE("md5 and xxh64 of files equal md5sum and xxhsum -H64") {
  REQUIRE(have_program("md5sum"));
  if (!have_program("xxhsum")) {
    FAIL("xxhsum not installed (Debian package xxhash, scripts/install-deps)");
    return;
  }
  fs::path dir = scratch("md5sum");
  const std::vector<std::size_t> sizes = {0, 1, 63, 64, 65, 100000, 300001};
  for (std::size_t size : sizes) {
    std::string name = "f";
    name += std::to_string(size) + ".bin";
    fs::path file = dir / name;
    write_bytes(file, pseudo_random_bytes(size, static_cast<unsigned>(size) + 7));
    CAPTURE(size);
    CHECK(md5_hex(file) == first_word_of("md5sum '" + file.string() + "'"));
    CHECK(xxh64_hex(file) == first_word_of("xxhsum -H64 '" + file.string() + "'"));
  }
}

TEST_CASE("C4 IDs match the published vectors and the ascmhl example chain") {
  // Avalanche-io/c4 (the C4 ID reference implementation) test: the ID of no bytes.
  CHECK(c4_id_of("") == "c459dsjfscH38cYeXXYogktxf4Cd9ibshE3BHUo6a58hBXmRQdZrAkZzsWcbWtDg5oQstpDuni4Hirj75GEmTc1sFT");
  // The C4 cross-language vectors generated by the Go reference implementation.
  CHECK(c4_id_of("foo") ==
        "c45xZeXwMSpqXjpDumcHMA6mhoAmGHkUo7r9WmN2UgSEQzj9KjgseaQdkEJ11fGb5S1WEENcV3q8RFWwEeVpC7Fjk2");
  CHECK(c4_id_of("baz") ==
        "c41hF4DAnW1q61imgv2q1kiuJ6DVsLXAHaBeCs2AG1XCuuPTQ5qWYgCAoD4eBcP2c1sz5x4oitFT7ERcmdXaoMmpFA");
  CHECK(c4_id_of("hello world") ==
        "c41yP4cqy7jmaRDzC2bmcGNZkuQb3VdftMk6YH7ynQ2Qw4zktKsyA9fk52xghNQNAdkpF9iFmFkKh2bNVG4kDWhsok");
  // ascmhl's own chain file names its example generation 2 by this C4 ID.
  fs::path example = fs::path(CALKIT_TEST_DATA) / "ascmhl" / "0002_A002R2EC_2020-01-17_143000.mhl";
  CHECK(c4_id(example) == "c4324Sd21A36oKs9BvNZQD5x96GVZsdU5B6BnTbfR4gSipyShYqhTNDsf8yA6nPeBcbfz2XBHyGERw2FeCpbprPpZd");
}

TEST_CASE("a package copies exactly the LUT, report and measurement files") {
  PackageResult result = make_package("collect");
  std::vector<std::string> paths;
  for (const auto& file : result.list.files) paths.push_back(file.path);
  CHECK(paths == kExpectedFiles);
  fs::path src = result.directory.parent_path() / "out";
  for (const auto& path : kExpectedFiles) {
    CAPTURE(path);
    CHECK(std::system(
              ("cmp -s '" + (src / path).string() + "' '" + (result.directory / path).string() + "'").c_str()) == 0);
    CHECK(fs::last_write_time(src / path) == fs::last_write_time(result.directory / path));
  }
  CHECK_FALSE(fs::exists(result.directory / "notes.txt"));
  CHECK_FALSE(fs::exists(result.directory / "profile.ti3.journal"));
}

TEST_CASE("the package manifest holds md5sum and xxhsum of every file and validates") {
  PackageResult result = make_package("manifest");
  CHECK(result.manifest.filename() == "0001_pkg_2026-11-21_091507Z.mhl");
  CHECK(result.manifest.parent_path().filename() == "ascmhl");
  MhlHashList list = read_mhl(result.manifest);
  CHECK(list.hostname == "test-host");
  CHECK(list.creation_date == "2026-11-21T09:15:07+00:00");
  REQUIRE(list.files.size() == kExpectedFiles.size());
  for (const auto& file : list.files) {
    fs::path path = result.directory / file.path;
    CAPTURE(file.path);
    CHECK(*file.size == fs::file_size(path));
    CHECK(file.find("md5")->value == first_word_of("md5sum '" + path.string() + "'"));
    if (have_program("xxhsum"))
      CHECK(file.find("xxh64")->value == first_word_of("xxhsum -H64 '" + path.string() + "'"));
    CHECK(file.find("xxh64")->action == "original");
  }
  MhlChain chain = read_mhl_chain(result.chain);
  REQUIRE(chain.generations.size() == 1);
  CHECK(chain.generations[0].path == result.manifest.filename().string());
  CHECK(chain.generations[0].hash.value == c4_id(result.manifest));
  if (have_program("xmllint")) {
    fs::path xsd = fs::path(CALKIT_TEST_DATA) / "ascmhl";
    CHECK(std::system(("xmllint --noout --nonet --schema '" + (xsd / "ASCMHL.xsd").string() + "' '" +
                       result.manifest.string() + "' 2>/dev/null")
                          .c_str()) == 0);
    CHECK(std::system(("xmllint --noout --nonet --schema '" + (xsd / "ASCMHLDirectory.xsd").string() + "' '" +
                       result.chain.string() + "' 2>/dev/null")
                          .c_str()) == 0);
  }
}

TEST_CASE("verify_package: intact, then each kind of tampering is named") {
  PackageResult result = make_package("verify");
  fs::path dir = result.directory;
  PackageCheck check = verify_package(dir);
  CHECK(check.intact());
  CHECK(check.files_listed == kExpectedFiles.size());
  CHECK(check.generation == 1);

  std::string lut = test::read_file_bytes(dir / "calibration.cube");
  lut[lut.size() / 2] ^= 0x01;
  write_bytes(dir / "calibration.cube", lut);
  fs::remove(dir / "report.html");
  write_bytes(dir / "runs" / "added.txt", "hello\n");
  check = verify_package(dir);
  CHECK(problem_lines(check) == std::vector<std::string>{"missing: report.html",
                                                         "changed: calibration.cube (md5, xxh64)",
                                                         "extra: runs/added.txt"});
  write_bytes(dir / "profile.ti3", "short");
  CHECK(problem_lines(verify_package(dir))[2] == "changed: profile.ti3 (size, md5, xxh64)");
}

TEST_CASE("verify_package checks the manifest against the chain") {
  PackageResult result = make_package("chain");
  std::string text = test::read_file_bytes(result.manifest);
  text.replace(text.find("test-host"), 9, "evil-host");
  write_bytes(result.manifest, text);
  CHECK(problem_lines(verify_package(result.directory)) ==
        std::vector<std::string>{"changed: ascmhl/" + result.manifest.filename().string() + " (c4)"});
  fs::remove(result.chain);
  CHECK(problem_lines(verify_package(result.directory)) ==
        std::vector<std::string>{"missing: ascmhl/ascmhl_chain.xml"});
}

TEST_CASE("verify_package reads the ascmhl reference implementation's example folder") {
  fs::path dir = scratch("reference") / "A002R2EC";
  fs::create_directories(dir / "ascmhl");
  fs::path data = fs::path(CALKIT_TEST_DATA) / "ascmhl";
  for (const char* name : {"0002_A002R2EC_2020-01-17_143000.mhl", "ascmhl_chain.xml"})
    fs::copy_file(data / name, dir / "ascmhl" / name);
  // The media files are not published: all three are missing; the chain's C4 of generation 2
  // matches, and its generation 1, which the chain lists, is missing (a history is all of its
  // generations, ASC MHL spec v1.0 §5.3.3).
  PackageCheck check = verify_package(dir);
  CHECK(check.generation == 2);
  CHECK(problem_lines(check) ==
        std::vector<std::string>{"missing: Clips/A002C006_141024_R2EC.mov", "missing: Clips/A002C007_141024_R2EC.mov",
                                 "missing: Sidecar.txt", "missing: ascmhl/0001_A002R2EC_2020-01-16_091500.mhl"});
}

TEST_CASE("package refuses bad sources and destinations, verify refuses non-packages") {
  fs::path dir = scratch("refuse");
  write_bytes(dir / "empty" / "notes.txt", "x");
  CHECK_THROWS_AS(create_package(dir / "empty", dir / "pkg"), InputError);
  CHECK_THROWS_AS(create_package(dir / "nowhere", dir / "pkg"), InputError);
  CHECK_THROWS_AS(verify_package(dir / "empty"), InputError);
  // Packaging into a package continues its history; a changed file of a recorded name is refused.
  PackageResult first = make_package("refuse-twice");
  PackageResult again = create_package(first.directory.parent_path() / "out", first.directory);
  CHECK(again.generation == 2);
  CHECK(again.list.files.front().hashes.front().action == "verified");
  write_bytes(first.directory.parent_path() / "out" / "report.html", "<p>another report</p>\n");
  CHECK_THROWS_AS(create_package(first.directory.parent_path() / "out", first.directory), InputError);
  CHECK(verify_package(first.directory).intact());
  // A destination inside the source is not packaged into itself.
  fs::path src = make_source("inside");
  PackageResult inside = create_package(src, src / "pkg");
  CHECK(inside.list.files.size() == kExpectedFiles.size());
  CHECK(verify_package(inside.directory).intact());
}

TEST_CASE("a malformed manifest is an InputError naming file, line and field") {
  PackageResult result = make_package("malformed");
  std::string text = test::read_file_bytes(result.manifest);
  text.replace(text.find("<md5"), 4, "<md5 action=\"bogus\"");
  write_bytes(result.manifest, text);
  fs::remove(result.chain);
  try {
    verify_package(result.directory);
    FAIL("no InputError");
  } catch (const InputError& e) {
    CHECK(e.file() == result.manifest.string());
    CHECK(e.field() == "action");
    CHECK(e.line() > 0);
  }
}
