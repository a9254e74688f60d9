// `calkit serve` in a real browser (tests/browser/serve_check.py, headless Chromium through
// selenium): the token, the live meter, a calibration with rising progress, its report, the
// history page, and a run resumed from the page after the server was killed. The screenshots
// of each page are written to test-tmp/cli-serve/.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "tests/support/calkit_test_support.hpp"

namespace fs = std::filesystem;

TEST_CASE("calkit serve in headless Chromium: token, live meter, a calibration to the end, report, resume") {
  if (!calkit::test::have_program("chromium") || !calkit::test::have_program("chromedriver") ||
      calkit::test::run_shell("/usr/bin/python3 -c 'import selenium, PIL'") != 0) {
    MESSAGE("skipped: Debian's chromium, chromium-driver, python3-selenium or python3-pil is not installed");
    return;
  }
  fs::path dir = calkit::test::scratch_dir("cli", "serve");
  fs::create_directories(dir / "shots");
  fs::path script = fs::path(CALKIT_TEST_DATA).parent_path() / "browser" / "serve_check.py";
  std::string out;
  int status = calkit::test::run_shell("/usr/bin/python3 " + script.string() + " " + CALKIT_BINARY + " " +
                                           (dir / "runs").string() + " " + (dir / "shots").string(),
                                       &out);
  MESSAGE(out);
  CHECK(status == 0);
  for (const char* page :
       {"serve-setup.png", "serve-meter.png", "serve-run.png", "serve-report.png", "serve-history.png"})
    CHECK_MESSAGE(fs::exists(dir / "shots" / page), page);
}
