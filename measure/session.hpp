#pragma once
// A measurement session: for each patch, show it, wait for the display to settle, read the
// probe, journal the reading. Knows nothing about which probe or pattern backend it drives.
#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "formats/measurement_set.hpp"
#include "measure/journal.hpp"
#include "patterns/pattern_generator.hpp"
#include "probes/probe.hpp"

namespace calkit {

enum class SettleMode { Fixed, Stable };

struct SettleOptions {
  SettleMode mode = SettleMode::Fixed;
  double delay_s = 0.2;  // Fixed: the wait; Stable: the wait before the first reading
  // Stable: read until two consecutive readings agree: |ΔY| <= tolerance * Y + floor_nits and
  // |Δxy| <= xy_tolerance, each widened by 3 sigma of the difference the probe's stated noise
  // gives (issue 20: a settled dark patch is not read again for its noise), at most max_reads
  // readings, interval_s apart.
  double tolerance = 0.005;
  double floor_nits = 0.01;
  double xy_tolerance = 0.001;
  int max_reads = 8;
  double interval_s = 0.1;
};

// A full-field (or any) patch shown, not measured, before every `every`-th patch: keeps an OLED's
// ABL and the panel temperature at a steady state (DisplayCAL's "full field pattern insertion").
struct InsertOptions {
  int every = 0;  // 0: never
  Vec3 rgb = Vec3::Constant(0.15);
  double duration_s = 2.0;
  double window_percent = 100;
};

struct PatchOptions {
  int bits = 10;
  SignalRange range = SignalRange::Full;
  double window_percent = 100;
  Background background;
};

// What a reading depends on in these options, for a journal's header: bits, range, window and
// background (the settling only changes when a reading is taken).
std::map<std::string, std::string> patch_options_binding(const PatchOptions& patch);

struct SessionOptions {
  PatchOptions patch;
  SettleOptions settle;
  InsertOptions insert;
  int invalid_retries = 3;  // readings flagged invalid (flicker, overrange) are re-taken
};

struct SessionProgress {
  int done = 0;  // readings in hand (journal included)
  int total = 0;
  int index = 0;  // patch just read
  Vec3 rgb = Vec3::Zero();
  Vec3 XYZ = Vec3::Zero();
};

struct SessionResult {
  MeasurementSet set;  // complete only when `complete`
  bool complete = false;
  int taken = 0;             // readings taken in this run (not resumed ones)
  int probe_reads = 0;       // probe.read() calls in this run (stable settling reads several times)
  double settle_wait_s = 0;  // time spent waiting for the display in this run
};

class Session {
 public:
  Session(Probe& probe, PatternGenerator& pattern, Clock& clock, SessionOptions options);

  std::function<void(const SessionProgress&)> on_progress;  // after every reading
  const std::atomic<bool>* stop = nullptr;                  // checked between readings (SIGINT)

  // Measures the patches not already in `resumed` (journal entries), appending each reading to
  // `journal` (may be null) as it is taken. Stops early when *stop becomes true; a ProbeError
  // propagates after everything read so far is journaled, as it does for a reading that is not
  // plausible (color/plausibility.hpp: NaN, far below zero, absurdly bright), which is never
  // journaled. InputError for a resumed entry whose RGB is not its patch's.
  SessionResult run(const PatchSet& patches, Journal* journal, const std::vector<JournalEntry>& resumed = {});

  // Show one colour, settle, read (spot readings). The reading's rgb is the signal shown: the
  // patch's code values at the depth the pattern backend sends (shown_signal), not the RGB asked
  // for. Between them lies up to half a code (a whole one where the window truncates 10-bit codes
  // to 8), which at 8 bits is 4 % of the light at 10 % signal (gamma 2.2): a fit to the RGB asked
  // for reads that as error.
  Reading measure(const Vec3& rgb, int repeat = 0);  // repeat: Patch::repeat

  Patch patch_for(const Vec3& rgb) const;
  Vec3 shown_signal(const Vec3& rgb) const;
  const SessionOptions& options() const { return options_; }

 private:
  ProbeReading read_valid();
  ProbeReading read_settled();
  void wait(double seconds);

  Probe& probe_;
  PatternGenerator& pattern_;
  Clock& clock_;
  SessionOptions options_;
  int probe_reads_ = 0;
  double settle_wait_s_ = 0;
};

}  // namespace calkit
