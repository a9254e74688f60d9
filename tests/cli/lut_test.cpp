// `calkit lut` through the built executable (CALKIT_BINARY): results compared with OpenColorIO.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "luts/lut_io.hpp"
#include "tests/luts/lut_test_util.hpp"
#include "tests/support/calkit_test_support.hpp"

extern char** environ;

using namespace calkit;

namespace {

struct Run {
  int status;
  std::string out;
};

Run run_in_shell(const std::string& command) {
  std::string cmd = "(" + command + ") 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  REQUIRE(pipe);
  std::string out;
  char buf[4096];
  while (fgets(buf, sizeof buf, pipe)) out += buf;
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// Runs calkit without a shell and returns its peak resident memory in MiB (-1 when it failed).
double peak_mib(const std::vector<std::string>& args) {
  std::vector<std::string> words{CALKIT_BINARY};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, CALKIT_BINARY, &actions, nullptr, argv.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&actions);
  int status = 0;
  rusage usage{};
  REQUIRE(wait4(pid, &status, 0, &usage) == pid);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return -1;
  return usage.ru_maxrss / 1024.0;  // Linux: KiB
}

Run run(const std::string& args) { return run_in_shell(std::string(CALKIT_BINARY) + " " + args); }

Vec3 three_numbers(const std::string& text) {
  std::istringstream ss(text);
  Vec3 v;
  ss >> v[0] >> v[1] >> v[2];
  REQUIRE(!ss.fail());
  return v;
}

}  // namespace

TEST_CASE("calkit lut apply prints what OpenColorIO computes (tetrahedral and trilinear)") {
  auto path = lut_test::data("oracle_lut_3.cube");
  const Vec3 in(0.25, 0.5, 0.75);
  Run t = run("lut apply " + path.string() + " 0.25 0.5 0.75");
  REQUIRE(t.status == 0);
  CHECK((three_numbers(t.out) - lut_test::ocio_apply_file(path, OCIO::INTERP_TETRAHEDRAL, in)).cwiseAbs().maxCoeff() <
        1e-6);
  Run l = run("lut apply " + path.string() + " 0.9 0.1 0.5 --interp trilinear");
  REQUIRE(l.status == 0);
  CHECK((three_numbers(l.out) - lut_test::ocio_apply_file(path, OCIO::INTERP_LINEAR, Vec3(0.9, 0.1, 0.5)))
            .cwiseAbs()
            .maxCoeff() < 1e-6);
  Run j = run("lut apply " + path.string() + " 0.25 0.5 0.75 --json");
  REQUIRE(j.status == 0);
  CHECK(j.out.find("\"output\"") != std::string::npos);
}

TEST_CASE("calkit lut convert writes a CLF that OpenColorIO applies like the source .cube") {
  auto src = lut_test::scratch("cli_src.cube");
  Lut3d lut = lut_test::curvy_lut(9);
  write_lut3d(src, lut);
  auto dst = lut_test::scratch("cli_dst.clf");
  Run r = run("lut convert " + src.string() + " " + dst.string());
  REQUIRE(r.status == 0);
  for (const Vec3& p : lut_test::random_points(50, 31)) {
    Vec3 a = lut_test::ocio_apply_file(src, OCIO::INTERP_TETRAHEDRAL, p);
    Vec3 b = lut_test::ocio_apply_file(dst, OCIO::INTERP_TETRAHEDRAL, p);
    CHECK((a - b).cwiseAbs().maxCoeff() < 1e-6);
  }
  // 1D too
  auto src1 = lut_test::scratch("cli_src1d.cube");
  write_lut1d(src1, lut_test::curvy_lut1d(16));
  auto dst1 = lut_test::scratch("cli_dst1d.clf");
  REQUIRE(run("lut convert " + src1.string() + " " + dst1.string()).status == 0);
  Vec3 a = lut_test::ocio_apply_file(src1, OCIO::INTERP_LINEAR, Vec3(0.3, 0.6, 0.9));
  Vec3 b = lut_test::ocio_apply_file(dst1, OCIO::INTERP_LINEAR, Vec3(0.3, 0.6, 0.9));
  CHECK((a - b).cwiseAbs().maxCoeff() < 1e-6);
}

TEST_CASE("lut convert --icc-version 2 writes a v2 lut16 link ArgyllCMS loads, and the default v4 one it refuses") {
  if (!test::have_program("iccdump") || !test::have_program("xicclu")) {
    MESSAGE("skipped: ArgyllCMS (Debian's argyll) is not installed");
    return;
  }
  auto src = lut_test::scratch("cli_icc_src.cube");
  Lut3d lut = lut_test::curvy_lut(9);
  write_lut3d(src, lut);
  auto v2 = lut_test::scratch("cli_icc_v2.icc"), v4 = lut_test::scratch("cli_icc_v4.icc");
  REQUIRE(run("lut convert " + src.string() + " " + v2.string() + " --icc-version 2").status == 0);
  REQUIRE(run("lut convert " + src.string() + " " + v4.string()).status == 0);
  Run dump = run_in_shell("iccdump -v 3 " + v2.string());
  REQUIRE(dump.status == 0);
  CHECK(dump.out.find("Version      = 2.4.0") != std::string::npos);
  CHECK(dump.out.find("type     'mft2'") != std::string::npos);  // lut16Type, ICC.1:2001-04
  CHECK(dump.out.find("CLUT resolution = 9") != std::string::npos);
  Run refused = run_in_shell("iccdump " + v4.string());
  CHECK(refused.status != 0);
  CHECK(refused.out.find("V4 not supported") != std::string::npos);
  // Nodes through xicclu: the cube's values up to the 16-bit CLUT and xicclu's 6 decimals.
  for (int k : {0, 10, 81, 300, 500, 728}) {
    int r = k / 81, g = (k / 9) % 9, b = k % 9;
    Run x = run_in_shell(fmt::format("echo '{} {} {}' | xicclu -v0 -ff {}", r / 8.0, g / 8.0, b / 8.0, v2.string()));
    REQUIRE(x.status == 0);
    CHECK((three_numbers(x.out) - lut.at(r, g, b).cwiseMax(0.0).cwiseMin(1.0)).cwiseAbs().maxCoeff() <
          0.5 / 65535 + 1.5e-6);
  }
  CHECK(run("lut convert " + src.string() + " " + v2.string() + " --icc-version 3").status == 2);
}

TEST_CASE("calkit lut info reports size and title and the table range and bad input exits 2 with file:line") {
  Run r = run("lut info " + lut_test::data("oracle_lut_2.cube").string() + " --json");
  REQUIRE(r.status == 0);
  CHECK(r.out.find("\"size\": 2") != std::string::npos);
  CHECK(r.out.find("oracle test") != std::string::npos);  // TITLE in the published file
  CHECK(r.out.find("0.95") != std::string::npos);         // largest red value in the file
  auto bad = lut_test::scratch("cli_bad.cube");
  std::ofstream(bad) << "LUT_3D_SIZE 2\n0 0 0\n";
  Run e = run("lut info " + bad.string());
  CHECK(e.status == 2);
  CHECK(e.out.find(bad.string() + ":2:") != std::string::npos);
  CHECK(run("lut apply " + bad.string() + " 1 2 x").status == 2);
  Run h = run("lut apply --help");
  CHECK(h.status == 0);
  CHECK(h.out.find("Example:") != std::string::npos);
}

// Issue 15 item 15: a 128³ .cube (57 MB) took 800 MB of memory to read (a string and a vector of
// words per line). Reading it now needs about its text and its table.
TEST_CASE("calkit lut info reads a 128-cubed .cube in little more memory than the file") {
  auto path = lut_test::scratch("big128.cube");
  {
    std::ofstream out(path, std::ios::binary);
    out << "LUT_3D_SIZE 128\n";
    char row[64];
    for (int b = 0; b < 128; ++b)
      for (int g = 0; g < 128; ++g)
        for (int r = 0; r < 128; ++r) {
          std::snprintf(row, sizeof row, "%.9f %.9f %.9f\n", r / 127.0, g / 127.0, b / 127.0);
          out << row;
        }
  }
  const double file_mib = std::filesystem::file_size(path) / 1048576.0;
  const double peak = peak_mib({"lut", "info", path.string(), "--json"});
  INFO("file " << file_mib << " MiB, peak resident " << peak << " MiB");
  REQUIRE(peak > 0);
  // The text, the 2.1 million rows (48 MiB) and the program itself.
  CHECK(peak < 2 * file_mib + 100);
}

// Issue 15 item 2: a CLF with 12.5k / 25k / 50k <Description/> elements took 2.7 / 10.5 / 43 s
// to read (the line of every node was found by rescanning the text from its start).
TEST_CASE("a CLF with 40,000 Description elements is read in a linear pass") {
  auto path = lut_test::scratch("many_descriptions.clf");
  {
    std::ofstream out(path, std::ios::binary);
    out << "<?xml version=\"1.0\"?>\n<ProcessList id=\"a\" compCLFversion=\"3\">\n";
    for (int i = 0; i < 40000; ++i) out << "<Description/>\n";
    out << "<LUT3D inBitDepth=\"32f\" outBitDepth=\"32f\">\n<Array dim=\"2 2 2 3\">\n";
    for (int i = 0; i < 8; ++i) out << (i >> 2 & 1) << " " << (i >> 1 & 1) << " " << (i & 1) << "\n";
    out << "</Array>\n</LUT3D>\n</ProcessList>\n";
  }
  auto start = std::chrono::steady_clock::now();
  Run r = run("lut info " + path.string() + " --json");
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(r.status == 0);
  CHECK(r.out.find("\"size\": 2") != std::string::npos);
  // A quadratic reader needs about 27 s here; a linear one a small fraction of a second.
  CHECK(seconds < 5);
}

// Issue 15 item 7: LUT files were written in place, so a full disk left a torn file (and
// `lut convert` a 0-byte one). Each write now goes to a temporary file renamed over the target:
// a write that fails leaves no file at all. The full disk is a file size limit here (SIGXFSZ
// ignored, so write() fails with EFBIG as it would with ENOSPC).
TEST_CASE("lut convert onto a full disk leaves no output file, torn or empty, in any format") {
  auto dir = lut_test::scratch("full-disk");
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  Run made = run("lut convert " + lut_test::data("oracle_lut_2.cube").string() + " " + (dir / "small.cube").string());
  REQUIRE(made.status == 0);
  calkit::Lut3d big = lut_test::curvy_lut(33);
  calkit::write_lut3d(dir / "big.cube", big);
  for (const std::string ext : {".cube", ".3dl", ".clf", ".icc"}) {
    CAPTURE(ext);
    const std::filesystem::path out = dir / ("out" + ext);
    Run r = run_in_shell("trap '' XFSZ; ulimit -f 8; exec " + std::string(CALKIT_BINARY) + " lut convert " +
                         (dir / "big.cube").string() + " " + out.string());
    CHECK(r.status == 1);
    CHECK(r.out.find(out.string()) != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(out));
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir))  // no temporary file left behind
    CHECK(entry.path().filename().string().find(".tmp") == std::string::npos);
}

// Issue 15 item 13: a LUT whose title is Latin-1, not UTF-8, made `lut info --json` exit 1 with a
// raw nlohmann type_error.316 and no file name. It is now bad input naming the file and line.
TEST_CASE("a LUT file that is not UTF-8 is bad input naming its file and line") {
  auto path = lut_test::scratch("latin1_title.cube");
  std::ofstream(path, std::ios::binary) << "# calkit test\nTITLE \"Caf\xe9 grade\"\nLUT_3D_SIZE 2\n"
                                        << "0 0 0\n1 0 0\n0 1 0\n1 1 0\n0 0 1\n1 0 1\n0 1 1\n1 1 1\n";
  Run r = run("lut info " + path.string() + " --json");
  CHECK(r.status == 2);
  CHECK(r.out == "calkit: " + path.string() + ":2: is not UTF-8 text (save it as UTF-8)\n");
}
