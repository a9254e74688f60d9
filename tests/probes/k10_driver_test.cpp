// The production K10Driver on the K10Emulator (same serial boundary as the FTDI port). Truth is
// the light the virtual display emits; the three-byte float vectors are the worked examples in
// probes.md §3 (ArgyllCMS kleink10.c).
#include <doctest/doctest.h>

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <complex>
#include <numbers>
#include <thread>

#include "color/colorimetry.hpp"
#include "core/error.hpp"
#include "emulators/k10_emulator.hpp"
#include "probes/k10_driver.hpp"
#include "probes/k10_protocol.hpp"
#include "sim/display_model.hpp"
#include "sim/virtual_display.hpp"

#include "emulator_bench.hpp"

using namespace calkit;

namespace {

struct Bench : EmulatorBench<K10Driver, K10Emulator, K10Options> {
  explicit Bench(const std::string& options = "", DisplayModel model = load_display_model("sim:ips-lcd"),
                 K10Options driver = {})
      : EmulatorBench(make_emulated_k10, options, std::move(model), std::move(driver)) {}
};

const std::vector<Vec3> kPatches = {{1, 1, 1}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0.5, 0.5, 0.5}, {0.2, 0.1, 0.05}};

}  // namespace

TEST_CASE("K10 three-byte floats: the worked examples of the protocol notes") {
  const std::uint8_t half[3] = {0x40, 0x00, 0x01}, minus_eight[3] = {0xC0, 0x00, 0x05};
  CHECK(k10::decode_float(half) == 0.5);
  CHECK(k10::decode_float(minus_eight) == -8.0);
  CHECK(k10::decode_float(half, true) == 1.0);  // matrices use 2^(e-15)
  auto b = k10::encode_float(0.5);
  CHECK((b[0] == 0x40 && b[1] == 0x00 && b[2] == 0x01));
  for (double v : {123.456, -0.00123, 6543.21, 1e-4})
    CHECK(k10::decode_float(k10::encode_float(v).data()) == doctest::Approx(v).epsilon(4e-5));  // 15-bit mantissa
}

TEST_CASE("K10 range byte: a value worked by hand from the published formula") {
  // ranges (6, 1, 4): bits 7 and 5 set (6-1 and 4-1 are odd), digits (2, 0, 1) -> d = 18 + 0 + 1.
  CHECK(k10::encode_ranges({6, 1, 4}) == 0xB3);
  auto r = k10::decode_ranges(0xB3);
  CHECK((r[0] == 6 && r[1] == 1 && r[2] == 4));
}

TEST_CASE("K10 identify and list the on-board calibrations") {
  Bench b;
  b.probe->open();
  CHECK(b.probe->identity().model == "Klein K-10-A");
  CHECK(b.probe->identity().serial == "K10A04711");
  CHECK(b.probe->identity().firmware == "v01.09fh");
  auto modes = b.probe->capabilities().display_modes;
  REQUIRE(modes.size() == K10Emulator::slots().size());
  CHECK(modes[0] == "WOLED");
}

TEST_CASE("K10 factory XYZ matches the light of a white-LED LCD") {
  Bench b;
  b.probe->open();
  for (const Vec3& s : kPatches) {
    auto [got, truth] = b.read(s);
    CHECK(relative_error(got.XYZ, truth) < 2e-3);
  }
}

TEST_CASE("K10 on-board matrix for the display type corrects the filter mismatch on a WOLED") {
  Bench b("", load_display_model("sim:woled-tv"));
  b.probe->open();
  double factory_worst = 0, corrected_worst = 0;
  for (const Vec3& s : kPatches) factory_worst = std::max(factory_worst, b.error_of(s));
  b.probe->set_display_mode("woled");
  for (const Vec3& s : kPatches) {
    auto [got, truth] = b.read(s);
    corrected_worst = std::max(corrected_worst, relative_error(got.XYZ, truth));
  }
  CHECK(corrected_worst < 2e-3);
  CHECK(factory_worst > 3 * corrected_worst);
  CHECK_THROWS_AS(b.probe->set_display_mode("no such panel"), InputError);
}

TEST_CASE("K10 auto-range follows the light: retries the transient range codes") {
  Bench b;
  b.probe->open();
  auto [white, white_truth] = b.read({1, 1, 1});
  CHECK(b.emulator->ranges()[1] == 5);  // white of sim:ips-lcd in 60..600 cd/m²
  auto [black, black_truth] = b.read({0, 0, 0});
  CHECK(b.emulator->ranges()[1] <= 2);
  CHECK(black.XYZ[1] == doctest::Approx(black_truth[1]).epsilon(0.01));
  CHECK(white.XYZ[1] == doctest::Approx(white_truth[1]).epsilon(0.002));
}

// A fixed range is for the flicker stream only (ArgyllCMS k10_read_flicker fixes the ranges an N5
// chose, then streams): a reading returns to auto-range first, so white reads after a low range.
TEST_CASE("K10 over-range: a reading after a fixed range auto-ranges, light above the top range saturates") {
  Bench b;
  b.probe->open();
  b.probe->set_fixed_range(2);
  b.display.show({1, 1, 1});
  b.clock.sleep_s(1);
  CHECK(b.probe->read().XYZ[1] == doctest::Approx(b.display.steady_XYZ({1, 1, 1}, 100)[1]).epsilon(0.01));
  DisplayModel bright = load_display_model("sim:ips-lcd");
  bright.peak_nits = 9000;  // above the 6000 cd/m² top range
  Bench c("", bright);
  c.probe->open();
  c.display.show({1, 1, 1});
  c.clock.sleep_s(1);
  CHECK(error_kind([&] { c.probe->read(); }) == ProbeErrorKind::Saturated);
}

TEST_CASE("K10 faults: disconnect mid-reply, lost reply, corrupted reply, busy and permission") {
  {
    Bench b("disconnect-after=8");
    b.probe->open();
    CHECK(error_kind([&] {
            for (int i = 0; i < 10; ++i) b.read({1, 1, 1});
          }) == ProbeErrorKind::Disconnected);
  }
  {
    Bench b("mute-after=5");
    b.probe->open();
    CHECK(error_kind([&] {
            for (int i = 0; i < 5; ++i) b.read({1, 1, 1});
          }) == ProbeErrorKind::Timeout);
  }
  {
    Bench b("garble-after=1");
    CHECK(error_kind([&] { b.probe->open(); }) == ProbeErrorKind::Protocol);
  }
  SimulatedClock clock;
  VirtualDisplay display(load_display_model("sim:ips-lcd"), clock);
  CHECK(error_kind([&] { make_emulated_k10(display, "busy"); }) == ProbeErrorKind::Busy);
  CHECK(error_kind([&] { make_emulated_k10(display, "permission"); }) == ProbeErrorKind::Permission);
  CHECK_THROWS_AS(make_emulated_k10(display, "bogus=1"), InputError);
}

TEST_CASE("K10 flicker stream: the strongest line is the display's flicker rate") {
  Bench b("refresh=50,flicker=0.2");
  b.probe->open();
  b.display.show({1, 1, 1});
  b.clock.sleep_s(1);
  b.probe->read();
  std::vector<double> x = b.probe->read_flicker(512);  // 2 s at 256 Hz
  REQUIRE(x.size() == 512);
  double mean = 0;
  for (double v : x) mean += v / x.size();
  double best = 0, best_f = 0;
  for (double f = 5; f < 128; f += 0.5) {
    std::complex<double> sum = 0;
    for (std::size_t i = 0; i < x.size(); ++i)
      sum += (x[i] - mean) * std::polar(1.0, -2 * std::numbers::pi * f * i / 256.0);
    if (std::abs(sum) > best) best = std::abs(sum), best_f = f;
  }
  CHECK(best_f == doctest::Approx(50).epsilon(0.01));
  CHECK(b.probe->read().XYZ[1] > 0);  // the stream stopped cleanly: readings work again
}

TEST_CASE("K10 driver over a real pseudo-terminal at 9600 8N1, relayed to the emulator") {
  SimulatedClock clock;
  VirtualDisplay display(load_display_model("sim:ips-lcd"), clock);
  K10Emulator device(display);
  int master = -1, slave = -1;
  char name[128];
  REQUIRE(openpty(&master, &slave, name, nullptr, nullptr) == 0);
  std::atomic<bool> stop{false};
  std::thread relay([&] {
    while (!stop) {
      pollfd p{master, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      char buf[256];
      ssize_t n = ::read(master, buf, sizeof buf);
      if (n <= 0) break;
      device.write(std::string_view(buf, static_cast<std::size_t>(n)));
      std::string out = device.drain_output();
      if (!out.empty() && ::write(master, out.data(), out.size()) < 0) break;
    }
  });
  {
    K10Driver probe(open_serial(name, k10::kBaud), clock);
    probe.open();
    CHECK(probe.identity().model == "Klein K-10-A");
    display.show({1, 1, 1}, 10);
    clock.sleep_s(1);
    CHECK(relative_error(probe.read().XYZ, display.steady_XYZ({1, 1, 1})) < 2e-3);
  }
  stop = true;
  relay.join();
  close(slave);
  close(master);
}
