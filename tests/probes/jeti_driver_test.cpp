// The production JetiDriver on the JetiEmulator (same serial boundary as the FTDI port). Truth is
// the light the virtual display emits: the spectrum the probe returns, integrated with the CIE
// observer, must give the display's XYZ within the array's quantisation.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "color/colorimetry.hpp"
#include "color/observer.hpp"
#include "core/error.hpp"
#include "emulators/display_spectrum.hpp"
#include "emulators/jeti_emulator.hpp"
#include "probes/jeti_driver.hpp"
#include "probes/jeti_protocol.hpp"
#include "sim/display_model.hpp"
#include "sim/virtual_display.hpp"

#include "emulator_bench.hpp"

using namespace calkit;

namespace {

struct Bench : EmulatorBench<JetiDriver, JetiEmulator, JetiOptions> {
  explicit Bench(const std::string& options = "", DisplayModel model = load_display_model("sim:qdoled-hdr"),
                 JetiOptions driver = {})
      : EmulatorBench(make_emulated_jeti, options, std::move(model), std::move(driver)) {}
};

}  // namespace

TEST_CASE("JETI finds the baud rate and identifies") {
  for (int baud : {921600, 115200, 38400}) {
    Bench b(fmt::format("baud={}", baud));
    b.probe->open();
    CHECK(b.probe->baud() == baud);
    CHECK(b.probe->identity().model == "JETI specbos 1211");
    CHECK(b.probe->identity().serial == "8675309");
    CHECK(b.probe->capabilities().spectral);
  }
  Bench wrong("baud=9600");  // no rate the driver tries
  CHECK(error_kind([&] { wrong.probe->open(); }) == ProbeErrorKind::NotFound);
}

TEST_CASE("JETI spectrum integrates to the display's XYZ (CIE 1931 2°), with luminance") {
  Bench b;
  b.probe->open();
  for (Vec3 s :
       {Vec3(1, 1, 1), Vec3(1, 0, 0), Vec3(0, 1, 0), Vec3(0, 0, 1), Vec3(0.3, 0.3, 0.3), Vec3(0.05, 0.05, 0.05)}) {
    auto [reading, truth] = b.read(s);
    // The range the device states (*para:wavbeg?, *para:wavend?), its end held to 830 nm
    // (ArgyllCMS specbos_init_inst), in 1 nm steps.
    CHECK(reading.spectrum.start_nm == JetiEmulator::kFirstNm);
    REQUIRE(
        reading.spectrum.values.size() ==
        std::size_t(std::min<double>(JetiEmulator::kLastNm, calkit::jeti::kLongestEndNm) - JetiEmulator::kFirstNm + 1));
    CHECK(reading.spectrum.step_nm == 1);
    CHECK(relative_error(reading.XYZ, truth) < 1e-3);
    CHECK(b.probe->last_luminance() == doctest::Approx(truth[1]).epsilon(1e-3));
    // The device's own XYZ of the same measurement agrees with the host's integration.
    CHECK(relative_error(b.probe->device_XYZ(), reading.XYZ) < 1e-4);
  }
}

TEST_CASE("JETI 1964 10° observer on request") {
  JetiOptions ten;
  ten.observer = Observer::Cie1964_10deg;
  Bench b("", load_display_model("sim:qdoled-hdr"), ten);
  b.probe->open();
  auto [reading, truth] = b.read({1, 1, 1});
  // The light is the model's spectrum of the true XYZ; the 10° tristimulus of that spectrum.
  DisplaySpectralModel model(b.display.model());
  Spectrum s = model.spectrum_of(truth);
  Vec3 expected = XYZ_from_spectrum(s.values, s.start_nm, s.step_nm, Observer::Cie1964_10deg);
  CHECK(relative_error(reading.XYZ, expected) < 1e-3);
  CHECK(relative_error(reading.XYZ, truth) > 5e-3);  // narrow-band primaries: the observers differ
  CHECK(b.probe->last_luminance() == doctest::Approx(truth[1]).epsilon(1e-3));
}

TEST_CASE("JETI exposure errors: overexposed is Saturated, no light is TooDark") {
  Bench b("gain=20");  // 20x the counts: the brightest band of 1000 cd/m² white overflows in 0.1 ms
  b.probe->open();
  b.display.show({1, 1, 1}, 10);
  b.clock.sleep_s(1);
  DisplaySpectralModel m(b.display.model());
  Spectrum s = m.spectrum_of(b.display.steady_XYZ({1, 1, 1}, 10));
  REQUIRE(*std::max_element(s.values.begin(), s.values.end()) * JetiEmulator::kCountsPerRadianceMs * 20 * 0.1 > 65535);
  CHECK(error_kind([&] { b.probe->read(); }) == ProbeErrorKind::Saturated);
  DisplayModel black_oled = load_display_model("sim:qdoled-hdr");
  black_oled.black_nits = 0;
  Bench d("", black_oled);
  d.probe->open();
  d.display.show({0, 0, 0});
  d.clock.sleep_s(1);
  CHECK(error_kind([&] { d.probe->read(); }) == ProbeErrorKind::TooDark);
}

TEST_CASE("JETI faults: disconnect, lost reply, corrupted identity, retried spectrum, busy") {
  const int opened = commands_in_open<Bench>();
  {
    Bench b("disconnect-after=" + std::to_string(opened + 1));
    b.probe->open();
    CHECK(error_kind([&] { b.read({1, 1, 1}); }) == ProbeErrorKind::Disconnected);
  }
  {
    Bench b("mute-after=" + std::to_string(opened));  // the reading's first query never answers
    b.probe->open();
    CHECK(error_kind([&] { b.read({1, 1, 1}); }) == ProbeErrorKind::Timeout);
  }
  {
    Bench b("garble-after=0");
    CHECK(error_kind([&] { b.probe->open(); }) == ProbeErrorKind::Protocol);
  }
  {
    // A reading sends *contr:mhead?, *contr:laser 0, *conf:aver 1, *init, then *fetch:sprad: its
    // reply arrives corrupted once and is fetched again.
    Bench b("garble-after=" + std::to_string(opened + 4));
    b.probe->open();
    auto [reading, truth] = b.read({1, 1, 1});
    CHECK(relative_error(reading.XYZ, truth) < 1e-3);
  }
  SimulatedClock clock;
  VirtualDisplay display(load_display_model("sim:reference"), clock);
  CHECK(error_kind([&] { make_emulated_jeti(display, "busy"); }) == ProbeErrorKind::Busy);
  CHECK_THROWS_AS(make_emulated_jeti(display, "colour=blue"), InputError);
}
