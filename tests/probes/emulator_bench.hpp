#pragma once
// Shared by the SpyderX, K10, JETI and PR-655 tests: a production driver on its emulator over a
// virtual display, a settled reading next to the display's true light, and the error kind a call
// throws.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <utility>

#include "core/clock.hpp"
#include "probes/probe.hpp"
#include "sim/display_model.hpp"
#include "sim/virtual_display.hpp"

namespace calkit {

inline double relative_error(const Vec3& a, const Vec3& truth) { return (a - truth).norm() / truth.norm(); }

template <class Driver, class Emulator, class Options>
struct EmulatorBench {
  using Make = std::unique_ptr<Driver> (*)(VirtualDisplay&, const std::string&, Options, Emulator**);
  SimulatedClock clock;
  VirtualDisplay display;
  Emulator* emulator = nullptr;
  std::unique_ptr<Driver> probe;

  EmulatorBench(Make make, const std::string& options, DisplayModel model, Options driver)
      : display(std::move(model), clock) {
    probe = make(display, options, std::move(driver), &emulator);
  }
  // A settled 10 % window patch: {the probe's reading, the display's true XYZ}.
  std::pair<ProbeReading, Vec3> read(const Vec3& signal) {
    display.show(signal, 10);
    clock.sleep_s(1.0);
    return {probe->read(), display.steady_XYZ(signal, 10)};
  }
  double error_of(const Vec3& signal) {
    auto [reading, truth] = read(signal);
    return relative_error(reading.XYZ, truth);
  }
};

template <class F>
ProbeErrorKind error_kind(F f, std::string* message = nullptr) {
  try {
    f();
  } catch (const ProbeError& e) {
    if (message) *message = e.what();
    return e.kind();
  }
  FAIL("no ProbeError thrown");
  return ProbeErrorKind::Protocol;
}

// How many commands a driver's open() sends to its emulator: the fewest after which a device
// that goes mute still opens (so fault schedules can aim at a reading's commands).
template <class Bench>
int commands_in_open() {
  for (int n = 1; n < 64; ++n) {
    Bench b("mute-after=" + std::to_string(n));
    try {
      b.probe->open();
      return n;
    } catch (const ProbeError&) {
    }
  }
  FAIL("open() never finishes");
  return 0;
}

}  // namespace calkit
