// The `calkit color` calculator, run as a process (CALKIT_BINARY).
#include <doctest/doctest.h>

#include <sys/wait.h>
#include <cstdio>
#include <string>

namespace {
struct Run {
  std::string out;
  int status = -1;
};
Run run(const std::string& args) {
  Run r;
  std::string cmd = std::string(CALKIT_BINARY) + " " + args + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[512];
  while (fgets(buf, sizeof buf, p)) r.out += buf;
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}
}  // namespace

TEST_CASE("calkit color de2000 prints Sharma pair 1 as 2.0425") {
  Run r = run("color de2000 50 2.6772 -79.7751 50 0 -82.7485");
  CHECK(r.status == 0);
  CHECK(r.out == "2.0425\n");
}

TEST_CASE("calkit color exits 2 on garbage") {
  CHECK(run("color de2000 50 abc -79.7751 50 0 -82.7485").status == 2);
  CHECK(run("color de2000 50 1 2").status == 2);
  CHECK(run("color pq --nits -3").status == 2);
  CHECK(run("color cct 0.9 0.9").status == 2);
  CHECK(run("color convert --from Foo --to Lab 1 2 3").status == 2);
  CHECK(run("color bt1886 --signal 0.5 --white 1 --black 5").status == 2);
}

TEST_CASE("calkit color pq and bt1886 print the published vectors") {
  CHECK(run("color pq --nits 100").out == "0.5080784215\n");   // pq_vectors.csv
  CHECK(run("color pq --nits 1000").out == "0.7518270962\n");  // pq_vectors.csv
  CHECK(run("color bt1886 --signal 0.5 --white 100 --black 0.05").out ==
        "20.91888657\n");  // bt1886_vectors.csv: 20.9188865734
}

TEST_CASE("calkit color --json is a JSON object with the value") {
  Run r = run("color de2000 50 2.6772 -79.7751 50 0 -82.7485 --json");
  CHECK(r.status == 0);
  CHECK(r.out.front() == '{');
  CHECK(r.out.find("\"delta_e\": 2.04245") != std::string::npos);
}

TEST_CASE("calkit color convert xyY to Lab: D65 at half the white is L* 76.069") {
  // CIE 15: L* = 116 (0.5)^(1/3) - 16 = 76.0692610, a* = b* = 0 for the white's chromaticity.
  Run r = run("color convert --from xyY --to Lab 0.3127 0.3290 50");
  CHECK(r.status == 0);
  CHECK(r.out.rfind("76.06926101 ", 0) == 0);
}
