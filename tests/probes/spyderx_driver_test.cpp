// The production SpyderxDriver on the SpyderxEmulator (same vendor-USB boundary as the device).
// Truth is the light the virtual display emits; frame layouts and the ambient formula are the
// ones in probes.md §2 (ArgyllCMS spydX.c), worked by hand.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <cmath>

#include "core/error.hpp"
#include "emulators/spyderx_emulator.hpp"
#include "probes/spyderx_driver.hpp"
#include "probes/spyderx_protocol.hpp"
#include "sim/display_model.hpp"
#include "sim/virtual_display.hpp"

#include "emulator_bench.hpp"

using namespace calkit;

namespace {

struct Bench : EmulatorBench<SpyderxDriver, SpyderxEmulator, SpyderxOptions> {
  explicit Bench(const std::string& options = "", const char* model = "sim:reference", SpyderxOptions driver = {})
      : EmulatorBench(make_emulated_spyderx, options, load_display_model(model), std::move(driver)) {}
};

const std::vector<Vec3> kPatches = {{1, 1, 1}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0.5, 0.5, 0.5}};

}  // namespace

TEST_CASE("SpyderX frames: command and reply layouts with nonce and length") {
  Bytes cmd = spyderx::encode_command(0xCB, 0x1234, Bytes{0x02});
  CHECK(cmd == Bytes{0xCB, 0x12, 0x34, 0x00, 0x01, 0x02});  // cmd | nonce BE | len BE | payload
  spyderx::Reply r = spyderx::decode_reply(Bytes{0x12, 0x34, 0x00, 0x00, 0x02, 0xAA, 0xBB});
  CHECK(r.nonce == 0x1234);
  CHECK(r.status == 0);
  CHECK(r.payload == Bytes{0xAA, 0xBB});
  CHECK(error_kind([] {
          spyderx::decode_reply(Bytes{0x12, 0x34, 0x00, 0x00, 0x03, 0xAA});
        }) == ProbeErrorKind::Protocol);
  CHECK(spyderx::checksum(Bytes{0x80, 0x90, 0x01}) == 0x11);  // (128 + 144 + 1) mod 256
}

TEST_CASE("SpyderX ambient lux formula: a value worked by hand") {
  // cpl = 101·16/(44·60) = 0.6121; max(1000 − 187, 630 − 100) / cpl = 813 / 0.6121 = 1328.17
  CHECK(spyderx::ambient_lux(1000, 100, 101, 16) == doctest::Approx(1328.17).epsilon(1e-5));
  CHECK(spyderx::ambient_lux(100, 1000, 101, 16) == 0);  // clamped at 0
}

TEST_CASE("SpyderX identifies and reads the display within its accuracy") {
  Bench b;
  b.probe->open();
  CHECK(b.probe->identity().model == "Datacolor SpyderX");
  CHECK(b.probe->identity().firmware == "2.07");
  CHECK(b.probe->identity().serial == "SX019482");
  CHECK(b.probe->integration_ms() == 714);
  for (const Vec3& s : kPatches) {
    auto [got, truth] = b.read(s);
    CHECK(relative_error(got.XYZ, truth) < 5e-3);
  }
}

TEST_CASE("SpyderX resets before every measurement and echoes the nonce of each command") {
  Bench b;
  b.probe->open();
  const std::size_t before = b.emulator->resets();
  b.read({1, 1, 1});
  b.read({0.5, 0.5, 0.5});
  CHECK(b.emulator->resets() == before + 2);
  Bench g("garble-after=" + std::to_string(commands_in_open<Bench>()));  // a reply with another nonce
  g.probe->open();
  std::string message;
  CHECK(error_kind([&] { g.read({1, 1, 1}); }, &message) == ProbeErrorKind::Protocol);
  CHECK(message.find("nonce") != std::string::npos);
}

TEST_CASE("SpyderX on-board calibration for the display type") {
  Bench b("", "sim:ips-lcd");
  b.probe->open();
  double general = 0, led = 0;
  for (const Vec3& s : kPatches) general = std::max(general, b.error_of(s));
  b.probe->set_display_mode("standard-led");
  for (const Vec3& s : kPatches) led = std::max(led, b.error_of(s));
  CHECK(led < 5e-3);
  CHECK(general > 2 * led);
  CHECK_THROWS_AS(b.probe->set_display_mode("plasma"), InputError);
}

TEST_CASE("SpyderX black calibration removes the dark offset and expires after 30 minutes") {
  int asked = 0;
  SpyderxEmulator* device = nullptr;
  SpyderxOptions o;
  o.ask_user = [&](SpyderxStep step) {
    ++asked;
    device->set_cap(step == SpyderxStep::PutCapOn);
  };
  SimulatedClock clock;
  VirtualDisplay display(load_display_model("sim:reference"), clock);
  auto probe = make_emulated_spyderx(display, "", o, &device);
  probe->open();
  CHECK(asked == 2);
  // Issue 14 item 4: a negative dark count (channel G here) is kept, not clamped to 0 (ArgyllCMS
  // spectro/spydX.c keeps it).
  for (int c = 0; c < 3; ++c) CHECK(probe->black()[c] == device->dark()[static_cast<std::size_t>(c)]);
  display.show({0.1, 0.1, 0.1}, 10);
  clock.sleep_s(1);
  const Vec3 truth = display.steady_XYZ({0.1, 0.1, 0.1}, 10);
  CHECK(std::fabs(probe->read().XYZ[1] - truth[1]) < 2.0 / 60);  // within 2 counts at 60 counts per cd/m²
  clock.sleep_s(31 * 60);
  probe->read();
  CHECK(asked == 4);  // asked for the cap again

  // A dark offset above 60 counts (a warm unit) is kept, not refused: ArgyllCMS (spydX.c) checks
  // neither bound.
  Bench warm("dark=80:75:90");
  warm.probe->open();
  CHECK(warm.probe->black()[0] == 80);
  CHECK(warm.probe->black()[2] == 90);
}

TEST_CASE("SpyderX setup values as documented: 3 works, lower gives junk, higher a bad status") {
  SimulatedClock clock;
  VirtualDisplay display(load_display_model("sim:reference"), clock);
  SpyderxEmulator device(display);
  auto ask = [&](std::uint8_t v1) {
    device.bulk_write(spyderx::kOutEndpoint, spyderx::encode_command(spyderx::kMeasureSetup, 7, Bytes{v1}), 100);
    return spyderx::decode_reply(device.bulk_read(spyderx::kInEndpoint, 64, 100));
  };
  spyderx::Reply good = ask(3);
  CHECK(good.status == 0);
  CHECK(good.payload.size() == spyderx::kSetupLength);
  CHECK(spyderx::checksum(std::span(good.payload).first(9)) == good.payload[9]);
  CHECK(ask(1).payload == Bytes(spyderx::kSetupLength, 0xFF));
  CHECK(ask(4).status == spyderx::kStatusBad);
}

TEST_CASE("SpyderX errors: saturation, disconnect, lost reply, busy, permission") {
  Bench hot("counts-per-nit=1000");  // 250 cd/m² white would be 250 000 counts: clipped at 0xFFFF
  hot.probe->open();
  CHECK(error_kind([&] { hot.read({1, 1, 1}); }) == ProbeErrorKind::Saturated);
  Bench gone("disconnect-after=6");
  gone.probe->open();  // version, serial, calibration, setup, black = 5 commands
  CHECK(error_kind([&] {
          gone.read({1, 1, 1});
          gone.read({1, 1, 1});
        }) == ProbeErrorKind::Disconnected);
  Bench mute("mute-after=0");
  CHECK(error_kind([&] { mute.probe->open(); }) == ProbeErrorKind::Timeout);
  SimulatedClock clock;
  VirtualDisplay display(load_display_model("sim:reference"), clock);
  CHECK(error_kind([&] { make_emulated_spyderx(display, "busy"); }) == ProbeErrorKind::Busy);
  CHECK(error_kind([&] { make_emulated_spyderx(display, "permission"); }) == ProbeErrorKind::Permission);
}

TEST_CASE("SpyderX ambient: lux from the diffuser sensor, gain stepped down when saturated") {
  for (double lux : {30.0, 250.0, 20000.0}) {  // ≥ 100 counts: rounding < 1 %
    Bench b(fmt::format("lux={}", lux));
    b.probe->open();
    AmbientReading a = b.probe->read_ambient();
    CHECK(a.lux == doctest::Approx(lux).epsilon(0.02));
    CHECK(std::isnan(a.xy.x));  // monochrome sensor: no chromaticity
    CHECK_FALSE(a.has_chromaticity);
  }
}

// Issue 14 item 4: ArgyllCMS (spydX.c) sends the reset before every reading and ignores its
// result; the driver threw when it failed. The emulator's reset=stall fails every one.
TEST_CASE("SpyderX reads although the reset before each reading stalls") {
  Bench b("reset=stall");
  b.probe->open();
  auto [got, truth] = b.read({1, 1, 1});
  CHECK(relative_error(got.XYZ, truth) < 5e-3);
}
