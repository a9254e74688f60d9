// The web pattern page in a real browser: headless Chromium paints the patches `calkit pattern
// show --pattern web` serves, and its screenshots must hold the patch's 8-bit codes exactly
// (tests/browser/web_pattern_check.py).
#include <doctest/doctest.h>

#include <filesystem>
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
}

TEST_CASE("web patterns: show() without a page is a network failure after the timeout") {
  WebPatternOptions o = parse_web_pattern_spec("web:port=0,timeout=1");
  WebPatternServer server(o);
  CHECK(server.port() > 0);
  CHECK_THROWS_AS(server.show(Patch::from_rgb(Vec3(1, 1, 1))), NetworkError);
  CHECK_THROWS_AS(parse_web_pattern_spec("web:colour=yes"), InputError);
}
