// Display-model files: round trips and one-line errors naming the field.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "sim/display_model.hpp"
#include "sim/virtual_display.hpp"
#include "tests/support/calkit_test_support.hpp"

using namespace calkit;

namespace {

const char* kMinimal = R"({
  "name": "test-panel",
  "primaries": {"red": [0.64, 0.33], "green": [0.30, 0.60], "blue": [0.15, 0.06], "white": [0.3127, 0.3290]},
  "peak_nits": 120
})";

std::string field_of_error(const std::string& json) {
  try {
    display_model_from_json(json, "panel.json");
  } catch (const InputError& e) {
    CHECK(e.file() == "panel.json");
    return e.field();
  }
  return "(no error)";
}

std::string with(const std::string& extra) {
  std::string s = kMinimal;
  return s.substr(0, s.rfind('}')) + ", " + extra + "}";
}

}  // namespace

TEST_CASE("JSON round trip of every built-in keeps every parameter") {
  for (const auto& name : builtin_display_names()) {
    CAPTURE(name);
    DisplayModel m = load_display_model(name);
    std::string text = display_model_to_json(m);
    DisplayModel back = display_model_from_json(text);
    CHECK(display_model_to_json(back) == text);
    SimulatedClock clock;
    VirtualDisplay a(m, clock), b(back, clock);
    for (Vec3 s : {Vec3(0.2, 0.5, 0.7), Vec3(1, 1, 1), Vec3(0.05, 0.0, 0.01)})
      CHECK(a.steady_XYZ(s, 40, 0.2) == b.steady_XYZ(s, 40, 0.2));
  }
}

TEST_CASE("a minimal JSON model is an ideal display and files load by path") {
  DisplayModel m = display_model_from_json(kMinimal);
  CHECK(m.peak_nits == 120);
  CHECK(m.black_nits == 0);
  CHECK(m.crosstalk == Mat3::Identity());
  std::string path = std::string(CALKIT_TEST_TMP) + "/sim_model_roundtrip.json";
  save_display_model(load_display_model("sim:woled-tv"), path);
  CHECK(display_model_to_json(load_display_model(path)) == display_model_to_json(load_display_model("sim:woled-tv")));
  CHECK_THROWS_AS(load_display_model(std::string(CALKIT_TEST_TMP) + "/sim_no_such_model.json"), InputError);
}

TEST_CASE("malformed JSON names the file and line") {
  try {
    display_model_from_json("{\n  \"name\": \"x\",\n  \"peak_nits\": ,\n}", "bad.json");
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(e.file() == "bad.json");
    CHECK(e.line() == 3);
  }
}

TEST_CASE("bad fields throw InputError naming the field") {
  CHECK(field_of_error(R"({"name": "x", "peak_nits": 100})") == "primaries");
  CHECK(
      field_of_error(
          R"({"primaries": {"red": [0.64, 0.33], "green": [0.3, 0.6], "blue": [0.15, 0.06], "white": [0.3127, 0.329]}})") ==
      "peak_nits");
  CHECK(field_of_error(with(R"("abl": {"knee_apl": "high"})")) == "abl.knee_apl");
  CHECK(field_of_error(with(R"("abl": {"knee_apl": 0.1, "full_field_nits": 500})")) == "abl.full_field_nits");
  CHECK(field_of_error(with(R"("black": {"nits": -1})")) == "black.nits");
  CHECK(field_of_error(with(R"("tone": [{"gamma": 2.2}, {"gamma": 0}, {"gamma": 2.2}])")) == "tone[1].gamma");
  CHECK(field_of_error(with(R"("crosstalk": [[1, 0, 0], [0, 1], [0, 0, 1]])")) == "crosstalk[1]");
  CHECK(field_of_error(with(R"("eotf": "hlg")")) == "eotf");
  CHECK(field_of_error(with(R"("abl": {"knee": 0.1})")) == "abl.knee");
  CHECK(field_of_error(with(R"("peak_nit": 100)")) == "peak_nit");
  CHECK(field_of_error(with(R"("hdr": {"tracking_error": [[0.5, 0.0], [0.2, 0.1]]})")) == "hdr.tracking_error[1]");
  CHECK(field_of_error(with(R"("panel_bits": 10.5)")) == "panel_bits");
  std::string bad_red = kMinimal;
  bad_red.replace(bad_red.find("[0.64, 0.33]"), 12, "[0.8, 0.3]");
  CHECK(field_of_error(bad_red) == "primaries.red");
}

namespace {

// A minimal model file with `extra` fields, given to `calkit display show`.
test::CalkitOutput show(const std::string& name, const std::string& text) {
  std::filesystem::path path = test::scratch_dir("sim-model-cli", name) / (name + ".json");
  test::write_file_bytes(path, text);
  return test::run_calkit("display show " + path.string() + " --json", test::Stderr::Capture);
}

}  // namespace

// Issue 15 item 12: 1e400 gave a raw out_of_range.406 with exit 1; panel_bits 4294967306 was read
// as 10; a crosstalk entry of 1e308 gave NaN readings.
TEST_CASE("calkit display show refuses numbers beyond a double, a wrapped panel_bits and absurd matrices") {
  struct Case {
    std::string name, text, says;
  };
  const std::vector<Case> cases = {
      {"huge_number", with(R"("peak_nits": 1e400)"), ": invalid JSON: number overflow parsing '1e400'"},
      {"wrapped_bits", with(R"("panel_bits": 4294967306)"), ": field panel_bits: must be 0 (none) or 6..16"},
      {"crosstalk", with(R"("crosstalk": [[1, 1e308, 0], [0, 1, 0], [0, 0, 1]])"), ": field crosstalk[0][1]: "},
      {"mismatch", with(R"("probe_mismatch": [[-1, 0, 0], [0, -1, 0], [0, 0, -1]])"), ": field probe_mismatch: "},
  };
  for (const Case& c : cases) {
    CAPTURE(c.name);
    test::CalkitOutput r = show(c.name, c.text);
    CHECK(r.status == 2);
    CHECK(r.output.find(c.name + ".json" + c.says) != std::string::npos);
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
  }
}

// Issue 15 item 7: `display --save` wrote in place and left a 0-byte file when the write failed.
// The full disk is a file size limit (SIGXFSZ ignored: write() fails with EFBIG as with ENOSPC).
TEST_CASE("display show --save onto a full disk leaves no file") {
  std::filesystem::path dir = test::scratch_dir("sim-model-cli", "full-disk");
  std::filesystem::path saved = dir / "model.json";
  test::CalkitOutput r = test::run_calkit("display show sim:woled-tv --save " + saved.string(), test::Stderr::Capture,
                                          "trap '' XFSZ; ulimit -f 1;");
  CHECK(r.status == 1);
  CHECK(r.output.find(saved.string() + ": cannot write: File too large") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(saved));
  CHECK(std::filesystem::is_empty(dir));
}
