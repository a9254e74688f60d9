// The HTML report in a real browser: headless Chromium (Debian `chromium`, installed by
// scripts/install-deps) loads it with no console message and no network request, and draws a
// page that is not blank. Chromium missing is a failure, not a skip.
#include <doctest/doctest.h>

#include <png.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/html/verification_page.hpp"
#include "tests/report/scenario.hpp"

using namespace calkit;
using namespace calkit::test;
namespace fs = std::filesystem;

namespace {

std::string find_chromium() {
  if (const char* env = std::getenv("CALKIT_CHROMIUM")) return env;
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':'))
    for (const char* name : {"chromium", "chromium-browser"})
      if (fs::exists(fs::path(dir) / name)) return (fs::path(dir) / name).string();
  return "";
}

struct PageLoad {
  int status = -1;
  std::string log;        // chromium's stderr
  nlohmann::json netlog;  // --log-net-log
  fs::path screenshot;
};

// Loads a file in a fresh headless Chromium profile. The host resolver maps every name to
// NOTFOUND, so neither the page nor the browser's own background services reach the network.
PageLoad load_page(const fs::path& html, const std::string& name) {
  std::string chromium = find_chromium();
  REQUIRE_MESSAGE(!chromium.empty(), "chromium is not installed: run scripts/install-deps");
  fs::path dir = fs::path(CALKIT_TEST_TMP) / ("chromium-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  PageLoad load;
  load.screenshot = dir / "screenshot.png";
  std::string command = "'" + chromium +
                        "' --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                        "--disable-background-networking --disable-component-update --disable-sync "
                        "--disable-default-apps --disable-extensions --no-default-browser-check "
                        "'--host-resolver-rules=MAP * ~NOTFOUND' --user-data-dir='" +
                        (dir / "profile").string() + "' --enable-logging=stderr --v=0 --log-net-log='" +
                        (dir / "netlog.json").string() + "' --window-size=1280,1800 --hide-scrollbars --screenshot='" +
                        load.screenshot.string() + "' 'file://" + fs::absolute(html).string() + "' > '" +
                        (dir / "stdout.txt").string() + "' 2> '" + (dir / "stderr.txt").string() + "'";
  load.status = std::system(command.c_str());
  std::ifstream err(dir / "stderr.txt");
  load.log.assign(std::istreambuf_iterator<char>(err), {});
  std::ifstream net(dir / "netlog.json");
  load.netlog = nlohmann::json::parse(net, nullptr, false);
  return load;
}

// Lines where the page wrote to the console (errors, CSP violations, warnings alike).
std::vector<std::string> console_lines(const PageLoad& load) {
  std::vector<std::string> out;
  std::stringstream lines(load.log);
  std::string line;
  while (std::getline(lines, line))
    if (line.find(":CONSOLE") != std::string::npos) out.push_back(line);
  return out;
}

// URLs the page (not the browser itself) asked for: network-log URL_REQUEST_START_JOB events
// whose initiator is an origin (a file: page is "null"), other than file: and data: URLs.
std::vector<std::string> page_requests(const PageLoad& load) {
  std::vector<std::string> out;
  const auto& json = load.netlog;
  REQUIRE_MESSAGE(json.is_object(), "no network log from chromium");
  int start_job = json["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].get<int>();
  for (const auto& event : json["events"]) {
    if (event.value("type", -1) != start_job || !event.contains("params")) continue;
    const auto& params = event["params"];
    if (!params.contains("url")) continue;  // the end of a job
    std::string url = params.value("url", "");
    std::string initiator = params.contains("initiator") && params["initiator"].is_string()
                                ? params["initiator"].get<std::string>()
                                : "null";
    if (initiator == "not an origin") continue;  // the browser's own services
    if (url.rfind("file:", 0) == 0 || url.rfind("data:", 0) == 0) continue;
    out.push_back(url);
  }
  return out;
}

struct Image {
  int width = 0, height = 0;
  std::vector<unsigned char> rgba;
};

Image read_png(const fs::path& path) {
  Image image;
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  REQUIRE_MESSAGE(png_image_begin_read_from_file(&png, path.c_str()) != 0, "cannot read ", path.string());
  png.format = PNG_FORMAT_RGBA;
  image.width = static_cast<int>(png.width);
  image.height = static_cast<int>(png.height);
  image.rgba.resize(PNG_IMAGE_SIZE(png));
  REQUIRE(png_image_finish_read(&png, nullptr, image.rgba.data(), 0, nullptr) != 0);
  return image;
}

double luminance_variance(const Image& image) {
  double sum = 0, sum2 = 0;
  std::size_t n = 0;
  for (std::size_t i = 0; i + 3 < image.rgba.size(); i += 4, ++n) {
    double y = 0.2126 * image.rgba[i] + 0.7152 * image.rgba[i + 1] + 0.0722 * image.rgba[i + 2];
    sum += y;
    sum2 += y * y;
  }
  double mean = sum / static_cast<double>(n);
  return sum2 / static_cast<double>(n) - mean * mean;
}

fs::path write_text(const std::string& name, const std::string& text) {
  fs::path path = fs::path(CALKIT_TEST_TMP) / name;
  std::ofstream(path) << text;
  return path;
}

std::vector<VerificationResult> before_and_after() {
  auto target = rec709_bt1886(100, 0.05);
  VerificationOptions options;
  options.target = rec709_description(100, 0.05);
  options.info.label = "uncalibrated";
  auto before = evaluate(measure(verification_signals(), uncalibrated_panel()), target, options);
  options.info.label = "calibrated";
  auto after = evaluate(measure(verification_signals(), calibrated_panel(target)), target, options);
  return {before, after};
}

}  // namespace

TEST_CASE("chromium loads the before/after report with no console message or request, and draws it") {
  fs::path html = write_text("report_chromium.html", render_html(before_and_after()));
  PageLoad load = load_page(html, "report");
  CHECK(load.status == 0);
  auto console = console_lines(load);
  CHECK_MESSAGE(console.empty(), (console.empty() ? "" : console.front()));
  auto requests = page_requests(load);
  CHECK_MESSAGE(requests.empty(), (requests.empty() ? "" : requests.front()));
  Image shot = read_png(load.screenshot);
  CHECK(shot.width == 1280);
  CHECK(shot.height == 1800);
  // A blank page is one colour; the report has text, charts and badges.
  CHECK(luminance_variance(shot) > 100.0);
}

TEST_CASE("the browser checks catch a page that fetches or logs (negative control)") {
  // The same checks must fail on a page that requests an image from a loopback port (nothing
  // listens there) and on a page whose CSP blocks such a request (a console message).
  fs::path fetching =
      write_text("report_fetching.html",
                 "<!DOCTYPE html><html><body><p>x</p><img src=\"http://127.0.0.1:9/x.png\"></body></html>");
  CHECK_FALSE(page_requests(load_page(fetching, "fetching")).empty());
  fs::path blocked = write_text(
      "report_blocked.html",
      "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">"
      "</head><body><img src=\"http://127.0.0.1:9/x.png\"></body></html>");
  CHECK_FALSE(console_lines(load_page(blocked, "blocked")).empty());
}
