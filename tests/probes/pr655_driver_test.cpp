// The production Pr655Driver on the Pr655Emulator (same serial boundary as the CDC-ACM port).
// Truth is the light the virtual display emits: the 4 nm spectrum, integrated with the CIE
// observer, gives the display's XYZ within the summation error of 4 nm sampling.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "color/observer.hpp"
#include "core/error.hpp"
#include "emulators/display_spectrum.hpp"
#include "emulators/pr655_emulator.hpp"
#include "formats/measurement_file.hpp"
#include "probes/pr655_driver.hpp"
#include "sim/display_model.hpp"
#include "sim/virtual_display.hpp"

#include "emulator_bench.hpp"

using namespace calkit;

namespace {

struct Bench : EmulatorBench<Pr655Driver, Pr655Emulator, Pr655Options> {
  explicit Bench(const std::string& options = "", const char* model = "sim:woled-tv", Pr655Options driver = {})
      : EmulatorBench(make_emulated_pr655, options, load_display_model(model), std::move(driver)) {}
};

}  // namespace

TEST_CASE("PR-655 enters remote mode, identifies, and leaves remote mode on close") {
  Bench b;
  b.probe->open();
  CHECK(b.emulator->remote());
  CHECK(b.probe->identity().model == "Photo Research PR-655");
  CHECK(b.probe->identity().serial == "65512345");
  CHECK(b.probe->capabilities().spectral);
  b.probe->close();
  CHECK_FALSE(b.emulator->remote());
  Bench c("model=PR-670");
  c.probe->open();
  CHECK(c.probe->identity().model == "Photo Research PR-670");
}

TEST_CASE("PR-655 M5 spectrum (380..780 nm / 4 nm) integrates to the display's XYZ") {
  Bench b;
  b.probe->open();
  for (Vec3 s : {Vec3(1, 1, 1), Vec3(1, 0, 0), Vec3(0, 1, 0), Vec3(0, 0, 1), Vec3(0.4, 0.4, 0.4)}) {
    auto [reading, truth] = b.read(s);
    REQUIRE(reading.spectrum.values.size() == 101);
    CHECK(reading.spectrum.step_nm == 4);
    CHECK(relative_error(reading.XYZ, truth) < 2e-3);
    CHECK(b.probe->last_luminance() == doctest::Approx(truth[1]).epsilon(2e-3));
    CHECK(b.probe->last_quality() == 0);
    // M2's XYZ (the instrument's own) agrees with the host's integration of M5.
    CHECK(relative_error(b.probe->measure_XYZ(), reading.XYZ) < 1e-3);
  }
}

TEST_CASE("PR-655 1964 10° observer on request") {
  Pr655Options ten;
  ten.observer = Observer::Cie1964_10deg;
  Bench b("", "sim:woled-tv", ten);
  b.probe->open();
  auto [reading, truth] = b.read({1, 1, 1});
  DisplaySpectralModel model(b.display.model());
  Spectrum s = model.spectrum_of(truth);
  CHECK(relative_error(reading.XYZ, XYZ_from_spectrum(s.values, s.start_nm, s.step_nm, Observer::Cie1964_10deg)) <
        2e-3);
}

// Issue 14 item 7: the PR-655's codes as the MATLAB SpectraScan driver reads them: −8 weak light
// (too dark), −2 overload (too bright); dim light above the floor reads with code 0.
TEST_CASE("PR-655 quality codes: dim light reads, weak light and overload are errors") {
  Bench b;
  b.probe->open();
  auto [dim, dim_truth] = b.read({0.02, 0.02, 0.02});
  REQUIRE(dim_truth[1] < 0.2);
  CHECK(b.probe->last_quality() == 0);
  CHECK(relative_error(dim.XYZ, dim_truth) < 2e-3);
  DisplayModel oled = load_display_model("sim:woled-tv");
  oled.black_nits = 0;
  SimulatedClock clock;
  VirtualDisplay display(oled, clock);
  auto dark = make_emulated_pr655(display);
  dark->open();
  display.show({0, 0, 0});
  clock.sleep_s(1);
  CHECK(error_kind([&] { dark->read(); }) == ProbeErrorKind::TooDark);
  Bench bright("max-luminance=100");
  bright.probe->open();
  CHECK(error_kind([&] { bright.read({1, 1, 1}); }) == ProbeErrorKind::Saturated);
}

TEST_CASE("PR-655 faults: disconnect mid-spectrum, lost reply, corrupted reply, permission") {
  {
    Bench b("disconnect-after=3");  // PHOTO, D111, D110, then M5 is cut off half way
    b.probe->open();
    CHECK(error_kind([&] { b.read({1, 1, 1}); }) == ProbeErrorKind::Disconnected);
  }
  {
    Bench b("mute-after=1");
    CHECK(error_kind([&] { b.probe->open(); }) == ProbeErrorKind::Timeout);
  }
  {
    Bench b("garble-after=3");
    b.probe->open();
    CHECK(error_kind([&] { b.read({1, 1, 1}); }) == ProbeErrorKind::Protocol);
  }
  SimulatedClock clock;
  VirtualDisplay display(load_display_model("sim:reference"), clock);
  CHECK(error_kind([&] { make_emulated_pr655(display, "permission"); }) == ProbeErrorKind::Permission);
  CHECK_THROWS_AS(make_emulated_pr655(display, "model=PR-999"), InputError);
}

// Every emulated driver of this family through the real CLI: `calkit measure` as a process, the
// readings compared with the virtual display's light computed in-process (sim:reference).
TEST_CASE("CLI measure through emulated spyderx, k10, jeti and pr655 reads near the sim truth") {
  std::filesystem::create_directories(CALKIT_TEST_TMP);
  const std::string dir = std::string(CALKIT_TEST_TMP) + "/spectro_cli_";
  const PatchSet patches{"small", {{1, 1, 1}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0.5, 0.5, 0.5}}};
  write_patches(dir + "patches.json", patches);
  SimulatedClock clock;
  VirtualDisplay truth(load_display_model("sim:reference"), clock);
  // The K10's factory calibration is for white-LED LCDs: on board, "Reference monitor" fits this panel.
  for (std::string probe :
       {"emulated:spyderx", "emulated:k10,mode=Reference monitor", "emulated:jeti", "emulated:pr655"}) {
    CAPTURE(probe);
    const std::string out = dir + probe.substr(9, probe.find(',') - 9) + ".json";
    std::filesystem::remove(out);
    std::filesystem::remove(out + ".journal");
    const std::string cmd = std::string(CALKIT_BINARY) + " measure -q --window 10 --display sim:reference --probe '" +
                            probe + "' --patches " + dir + "patches.json -o " + out;
    REQUIRE(std::system(cmd.c_str()) == 0);
    MeasurementSet set = read_measurements(out);
    REQUIRE(set.readings.size() == patches.rgb.size());
    for (const Reading& r : set.readings) {
      const Vec3 expected = truth.steady_XYZ(r.rgb, 10);
      CHECK((r.XYZ - expected).norm() / expected.norm() < 5e-3);
    }
  }
}

// The bar: a full `calkit calibrate` (measure, solve, LUT, verify) through each driver on
// its emulator. Verification re-measures through the LUT with the same probe, whose accuracy
// against the display's light the cases above establish.
TEST_CASE("CLI calibrate through every emulated probe passes verification") {
  std::filesystem::create_directories(CALKIT_TEST_TMP);
  for (std::string probe : {"i1d3", "spyderx", "k10", "jeti", "pr655"}) {
    CAPTURE(probe);
    const std::string out = std::string(CALKIT_TEST_TMP) + "/spectro_calibrate_" + probe;
    std::filesystem::remove_all(out);
    const std::string cmd = std::string(CALKIT_BINARY) +
                            " calibrate -q --display sim:reference --probe emulated:" + probe + " --patches 100 -o " +
                            out + " 2>&1";
    FILE* pipe = popen(cmd.c_str(), "r");
    REQUIRE(pipe);
    std::string text;
    char buf[512];
    while (std::fgets(buf, sizeof buf, pipe)) text += buf;
    CHECK(pclose(pipe) == 0);
    CHECK(text.find("after (calibrated):    PASS") != std::string::npos);
    CHECK(std::filesystem::exists(out + "/calibration.cube"));
  }
}
