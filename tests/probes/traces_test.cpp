// Hand-made traces (tests/probes/traces/*.txt, written by make_traces.py from the byte sequences
// of independent drivers: ArgyllCMS, openI1D3, Klein's SDK, Photo Research's manual, the MATLAB
// SpectraScan driver; never from calkit's emulators) replayed through the unchanged drivers: a
// replay fails at the first request that differs from the trace, so each driver must send what
// the independent drivers send, in their order (the i1d3 trace caught the EEPROMs read in an
// order the compiler chose). And a trace recorded from an emulator replays to the same answers.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "emulator_bench.hpp"
#include "emulators/emulated_probes.hpp"
#include "probes/k10_driver.hpp"
#include "probes/probe_table.hpp"
#include "probes/transport/trace.hpp"

using namespace calkit;
namespace fs = std::filesystem;

namespace {

const fs::path kTraces = fs::path(CALKIT_TEST_DATA).parent_path() / "probes" / "traces";

struct Expected {
  const char* file;
  int good_readings;   // readings the trace holds, in order
  bool then_too_dark;  // and one more the instrument answers "too dark"
};

}  // namespace

TEST_CASE("hand-made traces of independent drivers replay through the unchanged drivers") {
  for (const Expected& e :
       {Expected{"i1d3.txt", 2, false}, Expected{"spyderx.txt", 1, false}, Expected{"k10.txt", 2, false},
        Expected{"jeti-1211.txt", 1, false}, Expected{"jeti-1201.txt", 1, false}, Expected{"pr655.txt", 1, true}}) {
    CAPTURE(e.file);
    SimulatedClock clock;
    std::unique_ptr<Probe> probe = open_replayed_probe(kTraces / e.file, clock);
    probe->open();
    CHECK_FALSE(probe->identity().serial.empty());
    // The PR-655 manual's D110 reply "00000,67065106" (p.118): a status, then the serial.
    if (std::string(e.file) == "pr655.txt") CHECK(probe->identity().serial == "67065106");
    for (int i = 0; i < e.good_readings; ++i) {
      ProbeReading r = probe->read();
      CHECK(r.XYZ.allFinite());
      CHECK(r.XYZ.y() > 0);
    }
    if (e.then_too_dark) CHECK(error_kind([&] { probe->read(); }) == ProbeErrorKind::TooDark);
    // The K10 trace then fixes a range as ArgyllCMS does (J7, then Jn) and auto-ranges again.
    if (auto* k10 = dynamic_cast<K10Driver*>(probe.get())) {
      k10->set_fixed_range(3);
      k10->set_auto_range();
    }
  }
}
