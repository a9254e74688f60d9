// The web pattern page in a real browser: headless Chromium paints the patches `calkit pattern
// show --pattern web` serves, and its screenshots must hold the patch's 8-bit codes exactly
// (tests/browser/web_pattern_check.py); what the browser painted is also what
// WebPatternServer::shown() says a reading was taken of.
#include <doctest/doctest.h>

#include <array>
#include <filesystem>
#include <regex>
#include <string>

#include "core/error.hpp"
#include "patterns/web_pattern.hpp"
#include "tests/support/calkit_test_support.hpp"

using namespace calkit;
namespace fs = std::filesystem;

namespace {

bool have_browser() {
  return test::have_program("chromium") && test::have_program("chromedriver") &&
         test::run_shell("/usr/bin/python3 -c 'import selenium, PIL'") == 0;
}

}  // namespace

TEST_CASE("web patterns: headless Chromium's screenshot holds the exact codes of each patch") {
  if (!have_browser()) {
    MESSAGE("skipped: Debian's chromium, chromium-driver, python3-selenium or python3-pil is not installed");
    return;
  }
  fs::path dir = test::scratch_dir("patterns", "web-browser");
  fs::path script = fs::path(CALKIT_TEST_DATA).parent_path() / "browser" / "web_pattern_check.py";
  std::string out;
  int status = test::run_shell("/usr/bin/python3 " + script.string() + " " + CALKIT_BINARY + " " + dir.string(), &out);
  MESSAGE(out);
  CHECK(status == 0);
  // Each line: "R,G,B at BITS bits, ...: centre (r, g, b) ...", the centre as Chromium painted it.
  WebPatternServer server(parse_web_pattern_spec("web:port=0,timeout=1"));
  const std::regex line(R"((\d+),(\d+),(\d+) at (\d+) bits.*centre \((\d+), (\d+), (\d+)\))");
  int compared = 0;
  for (auto it = std::sregex_iterator(out.begin(), out.end(), line); it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    Patch asked;
    asked.code = {std::stoi(m[1]), std::stoi(m[2]), std::stoi(m[3])};
    asked.bits = std::stoi(m[4]);
    Patch shown = server.shown(asked);
    INFO(m[0]);
    CHECK(shown.bits == 8);
    CHECK(shown.code == std::array<int, 3>{std::stoi(m[5]), std::stoi(m[6]), std::stoi(m[7])});
    ++compared;
  }
  CHECK(compared == 4);
}

TEST_CASE("web patterns: show() without a page is a network failure after the timeout") {
  WebPatternOptions o = parse_web_pattern_spec("web:port=0,timeout=1");
  WebPatternServer server(o);
  CHECK(server.port() > 0);
  CHECK_THROWS_AS(server.show(Patch::from_rgb(Vec3(1, 1, 1))), NetworkError);
  CHECK_THROWS_AS(parse_web_pattern_spec("web:colour=yes"), InputError);
}

TEST_CASE("web patterns: shown() is the patch at 8 bits, rounded to the nearest code") {
  WebPatternServer server(parse_web_pattern_spec("web:port=0"));
  Patch p;
  p.code = {3, 601, 1022};  // by hand: 3·255/1023 = 0.75, 601·255/1023 = 149.8, 1022·255/1023 = 254.75
  p.bits = 10;
  CHECK(server.shown(p).bits == 8);
  CHECK(server.shown(p).code == std::array<int, 3>{1, 150, 255});
}

TEST_CASE("web patterns: a server closed right after it is made does not hang") {
  // httplib's stop() does nothing before listen has begun, and listen then never returns: this
  // closing hung in the destructor's join before the fix (ctest's timeout fails the case).
  for (int i = 0; i < 100; ++i) WebPatternServer server(parse_web_pattern_spec("web:port=0"));
}
