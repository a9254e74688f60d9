// Sessions on the virtual display: settling against the display's own settled light, insertion
// cadence, and resumption after a probe disconnects or a stop request.
#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <memory>
#include <vector>

#include "core/error.hpp"
#include "emulators/pgenerator_emulator.hpp"
#include "emulators/resolve_client_emulator.hpp"
#include "emulators/sim_probe.hpp"
#include "emulators/virtual_pattern_generator.hpp"
#include "measure/journal.hpp"
#include "measure/session.hpp"
#include "sim/display_model.hpp"

using namespace calkit;
namespace fs = std::filesystem;

namespace {

// Clock, display, probe and pattern backend of one simulated run.
struct Bench {
  explicit Bench(DisplayModel model) : display(std::move(model), clock), probe(display), pattern(display) {
    probe.open();
  }
  SimulatedClock clock;
  VirtualDisplay display;
  SimProbe probe;
  VirtualPatternGenerator pattern;
};

// Remembers every patch shown, then passes it on.
class RecordingGenerator : public PatternGenerator {
 public:
  explicit RecordingGenerator(PatternGenerator& inner) : inner_(inner) {}
  std::string name() const override { return "recording"; }
  void show(const Patch& patch) override {
    shown.push_back(patch);
    inner_.show(patch);
  }
  std::vector<Patch> shown;

 private:
  PatternGenerator& inner_;
};

// A probe whose cable comes out after `reads_before_unplug` readings.
class UnpluggedProbe : public Probe {
 public:
  UnpluggedProbe(Probe& inner, int reads_before_unplug) : inner_(inner), left_(reads_before_unplug) {}
  void open() override {}
  void close() override {}
  ProbeIdentity identity() const override { return inner_.identity(); }
  ProbeCapabilities capabilities() const override { return inner_.capabilities(); }
  ProbeReading read() override {
    if (left_-- <= 0) throw ProbeError(ProbeErrorKind::Disconnected, "USB device gone");
    return inner_.read();
  }

 private:
  Probe& inner_;
  int left_;
};

DisplayModel reference_with_settle(double seconds) {
  DisplayModel model = load_display_model("sim:reference");
  model.settle.rise_s = seconds;
  model.settle.fall_s = seconds;
  return model;
}

PatchSet alternating_greys(int n) {
  PatchSet set{"alternating", {}};
  for (int i = 0; i < n; ++i) set.rgb.push_back(Vec3::Constant(i % 2 ? 0.3 : 1.0));
  return set;
}

fs::path scratch(const std::string& name) {
  fs::path dir = fs::path(CALKIT_TEST_TMP) / ("measure-session-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

}  // namespace

TEST_CASE("read-until-stable waits longer on a slow-settling display and lands on its settled light") {
  PatchSet set = alternating_greys(6);
  SessionOptions stable;
  stable.patch.window_percent = 10;
  stable.settle.mode = SettleMode::Stable;
  stable.settle.max_reads = 40;

  Bench fast(reference_with_settle(0.03)), slow(reference_with_settle(3.0));
  SessionResult on_fast = Session(fast.probe, fast.pattern, fast.clock, stable).run(set, nullptr);
  SessionResult on_slow = Session(slow.probe, slow.pattern, slow.clock, stable).run(set, nullptr);
  REQUIRE(on_fast.complete);
  REQUIRE(on_slow.complete);
  INFO("fast: " << on_fast.probe_reads << " reads, " << on_fast.settle_wait_s << " s; slow: " << on_slow.probe_reads
                << " reads, " << on_slow.settle_wait_s << " s");
  CHECK(on_slow.probe_reads > on_fast.probe_reads + 6);
  CHECK(on_slow.settle_wait_s > on_fast.settle_wait_s);
  // The accepted readings are the display's settled light (its noise-free truth), within a
  // few times the stability tolerance.
  for (std::size_t i = 0; i < set.rgb.size(); ++i) {
    Vec3 truth = slow.display.steady_XYZ(set.rgb[i], 10);
    CHECK(std::abs(on_slow.set.readings[i].XYZ.y() / truth.y() - 1) < 0.02);
  }
  // A fixed 0.2 s wait on the slow display reads it half-way through its transition.
  Bench slow_fixed(reference_with_settle(3.0));
  SessionOptions fixed = stable;
  fixed.settle = SettleOptions{};
  SessionResult hurried = Session(slow_fixed.probe, slow_fixed.pattern, slow_fixed.clock, fixed).run(set, nullptr);
  Vec3 truth = slow_fixed.display.steady_XYZ(set.rgb[1], 10);
  CHECK(std::abs(hurried.set.readings[1].XYZ.y() / truth.y() - 1) > 0.1);
}

TEST_CASE("stabilising patches are shown before every N-th patch and never measured") {
  Bench bench(load_display_model("sim:woled-tv"));
  RecordingGenerator recorder(bench.pattern);
  SessionOptions options;
  options.insert.every = 4;
  options.insert.rgb = Vec3::Constant(0.15);
  PatchSet set = alternating_greys(10);
  fs::path dir = scratch("insert");
  Journal journal = Journal::create(dir / "j", {patch_set_hash(set), 10, {}});
  SessionResult result = Session(bench.probe, recorder, bench.clock, options).run(set, &journal);
  REQUIRE(result.complete);
  REQUIRE(recorder.shown.size() == 12);  // 10 patches + before patch 4 and patch 8
  for (std::size_t k : {4u, 9u}) {
    CHECK(recorder.shown[k].window_percent == 100);
    CHECK((recorder.shown[k].signal() - Vec3::Constant(0.15)).cwiseAbs().maxCoeff() <
          0.5 / 1023 + 1e-12);  // half a 10-bit code
  }
  // Everything else is the patch set, in order.
  std::vector<Patch> measured;
  for (std::size_t k = 0; k < recorder.shown.size(); ++k)
    if (k != 4 && k != 9) measured.push_back(recorder.shown[k]);
  for (std::size_t i = 0; i < 10; ++i)
    CHECK((measured[i].signal() - set.rgb[i]).cwiseAbs().maxCoeff() < 0.5 / 1023 + 1e-12);
  CHECK(read_journal(dir / "j").entries.size() == 10);
}

TEST_CASE("a probe unplugged mid-session loses nothing: resuming gives the uninterrupted readings") {
  PatchSet set = alternating_greys(12);
  for (int i = 0; i < 12; ++i) set.rgb[i] = Vec3(i / 11.0, 1 - i / 11.0, 0.5);
  SessionOptions options;
  const JournalHeader header{patch_set_hash(set), 12, {}};
  fs::path path = scratch("unplug") / "meas.ti3.journal";

  {
    Bench bench(load_display_model("sim:ips-lcd"));
    UnpluggedProbe unplugged(bench.probe, 5);
    Journal journal = Journal::create(path, header);
    CHECK_THROWS_AS(Session(unplugged, bench.pattern, bench.clock, options).run(set, &journal), ProbeError);
  }
  CHECK(read_journal(path).entries.size() == 5);

  Bench again(load_display_model("sim:ips-lcd"));
  std::vector<JournalEntry> done;
  Journal journal = Journal::resume(path, header, done);
  SessionResult resumed = Session(again.probe, again.pattern, again.clock, options).run(set, &journal, done);
  REQUIRE(resumed.complete);
  CHECK(resumed.taken == 7);

  Bench whole(load_display_model("sim:ips-lcd"));
  SessionResult uninterrupted = Session(whole.probe, whole.pattern, whole.clock, options).run(set, nullptr);
  for (int i = 0; i < 12; ++i) {
    INFO("patch " << i);
    // The signal of the patch's 10-bit full-range code, D = round(E * 1023) (ITU-R BT.2100-2
    // Table 9), as the reading records it.
    for (int c = 0; c < 3; ++c) CHECK(resumed.set.readings[i].rgb[c] == std::round(set.rgb[i][c] * 1023) / 1023);
    CHECK(resumed.set.readings[i].XYZ.isApprox(uninterrupted.set.readings[i].XYZ, 1e-12));
  }
}

TEST_CASE("a stop request ends the session after the current reading") {
  Bench bench(load_display_model("sim:reference"));
  std::atomic<bool> stop{false};
  Session session(bench.probe, bench.pattern, bench.clock, SessionOptions{});
  session.stop = &stop;
  session.on_progress = [&](const SessionProgress& p) {
    if (p.done == 3) stop = true;
  };
  SessionResult result = session.run(alternating_greys(8), nullptr);
  CHECK_FALSE(result.complete);
  CHECK(result.taken == 3);
}

// Issue 20 item 4: a colorimeter that does not integrate longer near black (its noise floor ten
// times the SimProbe's, its integration fixed) reads dark patches with noise well above the
// stability tolerance. The display here settles in 30 ms, so every patch is settled at its first
// reading: two readings are all a patch needs, and the noise the probe states for each reading
// says by how much two readings of a settled patch differ.
TEST_CASE("read-until-stable does not re-read a settled dark patch for the noise the probe states") {
  PatchSet set{"near black and bright greys", {}};
  for (double v : {0.02, 0.04, 0.06, 0.08, 0.1, 0.5, 0.8, 1.0}) set.rgb.push_back(Vec3::Constant(v));
  SessionOptions stable;
  stable.patch.window_percent = 10;
  stable.settle.mode = SettleMode::Stable;
  stable.settle.max_reads = 8;
  SimProbeOptions noisy;
  noisy.noise_floor_nits = 0.03;
  noisy.max_integration_s = noisy.base_integration_s;
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    noisy.seed = seed;
    SimulatedClock clock;
    VirtualDisplay display(reference_with_settle(0.03), clock);
    SimProbe probe(display, noisy);
    probe.open();
    VirtualPatternGenerator pattern(display);
    SessionResult result = Session(probe, pattern, clock, stable).run(set, nullptr);
    REQUIRE(result.complete);
    INFO("seed " << seed << ": " << result.probe_reads << " reads for " << set.rgb.size() << " patches");
    // 3 sigma of a difference: a settled patch is re-read with probability 0.3 %.
    CHECK(result.probe_reads <= int(2 * set.rgb.size()) + 1);
    // Each accepted reading is the settled light within the noise the probe states for it.
    for (std::size_t i = 0; i < set.rgb.size(); ++i) {
      const Reading& r = result.set.readings[i];
      CHECK(std::abs(r.XYZ.y() - display.steady_XYZ(set.rgb[i], 10).y()) < 4 * r.uncertainty.y());
    }
  }
}

TEST_CASE("a reading records the signal the display was sent: the codes at the depth the backend sends") {
  // 0.3721 is code 380.66 at 10 bits and 94.9 at 8: the signal asked for and the one shown differ.
  const std::vector<Vec3> colours{Vec3(0.3721, 0.05, 0.9), Vec3(0.0123, 0.5, 0.777)};
  auto check_records_shown = [&](PatternGenerator& pattern, Bench& bench, SessionOptions options) {
    Session session(bench.probe, pattern, bench.clock, options);
    for (const Vec3& rgb : colours) {
      Reading r = session.measure(rgb);
      // What the display decoded from what reached it (the emulators parse the wire themselves).
      CHECK(r.rgb == bench.display.shown_signal());
      CHECK(r.rgb != rgb);
    }
  };
  SessionOptions options;
  SUBCASE("virtual, 10 bits") {
    Bench bench(load_display_model("sim:reference"));
    check_records_shown(bench.pattern, bench, options);
  }
  SUBCASE("virtual, legal range at 8 bits") {
    Bench bench(load_display_model("sim:reference"));
    options.patch.bits = 8;
    options.patch.range = SignalRange::Legal;
    check_records_shown(bench.pattern, bench, options);
  }
  SUBCASE("PGenerator at 8 bits on the wire, patches at 10") {
    Bench bench(load_display_model("sim:reference"));
    PGeneratorOptions o;
    o.bits = 8;
    EmulatedPGenerator pgen(bench.display, o);
    check_records_shown(pgen, bench, options);
  }
  SUBCASE("Resolve, LightSpace dialect (8 bits)") {
    Bench bench(load_display_model("sim:reference"));
    ResolveOptions o;
    o.port = 0;
    o.accept_timeout_s = 5;
    o.dialect = ResolveDialect::Ls;
    o.log = [](const std::string&) {};
    EmulatedResolve resolve(bench.display, o);
    check_records_shown(resolve, bench, options);
  }
}

TEST_CASE("a journal written before readings recorded the signal shown still resumes") {
  PatchSet set = alternating_greys(4);
  set.rgb[1] = Vec3(0.3721, 0.05, 0.9);
  const JournalHeader header{patch_set_hash(set), 4, {}};
  fs::path path = scratch("old-journal") / "meas.ti3.journal";
  {
    Journal journal = Journal::create(path, header);
    Reading old;
    old.rgb = set.rgb[1];  // as asked, not as shown
    old.XYZ = Vec3(10, 11, 12);
    journal.append({1, old, 0});
  }
  Bench bench(load_display_model("sim:reference"));
  std::vector<JournalEntry> done;
  Journal journal = Journal::resume(path, header, done);
  SessionResult resumed = Session(bench.probe, bench.pattern, bench.clock, SessionOptions{}).run(set, &journal, done);
  REQUIRE(resumed.complete);
  CHECK(resumed.taken == 3);
  CHECK(resumed.set.readings[1].XYZ == Vec3(10, 11, 12));
  CHECK(resumed.set.readings[1].rgb == Vec3(381, 51, 921) / 1023);  // the set records what was shown

  // An entry taken for neither the patch's RGB nor its signal is another set's: refused.
  fs::path other = scratch("other-journal") / "meas.ti3.journal";
  {
    Journal journal = Journal::create(other, header);
    Reading wrong;
    wrong.rgb = Vec3(0.3731, 0.05, 0.9);
    journal.append({1, wrong, 0});
  }
  std::vector<JournalEntry> theirs;
  Journal refused = Journal::resume(other, header, theirs);
  CHECK_THROWS_AS(Session(bench.probe, bench.pattern, bench.clock, SessionOptions{}).run(set, &refused, theirs),
                  InputError);
}
