#include "measure/session.hpp"

#include <cmath>

#include <fmt/core.h>

#include "color/colorimetry.hpp"
#include "color/plausibility.hpp"
#include "core/error.hpp"

namespace calkit {
namespace {

// Two readings of one patch agree when they differ by no more than the tolerance plus what the
// probe's stated noise explains (3 sigma of the difference): a settled patch then takes two
// readings however noisy the probe is there (near black, above all), and a patch still changing
// by more than the noise is read again. A probe that states no noise is held to the tolerance.
bool readings_agree(const ProbeReading& a, const ProbeReading& b, const SettleOptions& s) {
  const Vec3 noise = 3 * (a.uncertainty.cwiseAbs2() + b.uncertainty.cwiseAbs2()).cwiseSqrt();
  const double brighter = std::max(a.XYZ.y(), b.XYZ.y());
  if (std::abs(a.XYZ.y() - b.XYZ.y()) > s.tolerance * brighter + s.floor_nits + noise.y()) return false;
  // Chromaticity of near-black readings is noise; luminance agreement is enough there.
  if (brighter < 20 * s.floor_nits) return true;
  // x = X / (X + Y + Z): a component's noise moves x and y by about its sigma over the sum.
  const double xy_noise = noise.maxCoeff() / std::max(std::min(a.XYZ.sum(), b.XYZ.sum()), 1e-12);
  Xy xa = xy_from_XYZ(a.XYZ), xb = xy_from_XYZ(b.XYZ);
  return std::hypot(xa.x - xb.x, xa.y - xb.y) <= s.xy_tolerance + xy_noise;
}

}  // namespace

std::map<std::string, std::string> patch_options_binding(const PatchOptions& patch) {
  static constexpr const char* kBackground[] = {"black", "grey", "apl"};
  return {{"bits", std::to_string(patch.bits)},
          {"range", patch.range == SignalRange::Legal ? "legal" : "full"},
          {"window", fmt::format("{:g}", patch.window_percent)},
          {"background",
           fmt::format("{}:{:g}", kBackground[static_cast<int>(patch.background.kind)], patch.background.level)}};
}

Session::Session(Probe& probe, PatternGenerator& pattern, Clock& clock, SessionOptions options)
    : probe_(probe), pattern_(pattern), clock_(clock), options_(options) {}

Patch Session::patch_for(const Vec3& rgb) const {
  Patch patch = Patch::from_rgb(rgb, options_.patch.bits, options_.patch.range);
  patch.window_percent = options_.patch.window_percent;
  patch.background = options_.patch.background;
  return patch;
}

void Session::wait(double seconds) {
  clock_.sleep_s(seconds);
  settle_wait_s_ += std::max(seconds, 0.0);
}

ProbeReading Session::read_valid() {
  ProbeReading r;
  for (int attempt = 0; attempt <= options_.invalid_retries; ++attempt) {
    r = probe_.read();
    ++probe_reads_;
    if (r.valid) return r;
  }
  throw ProbeError(ProbeErrorKind::Protocol,
                   fmt::format("no valid reading after {} attempts", options_.invalid_retries + 1));
}

ProbeReading Session::read_settled() {
  const SettleOptions& s = options_.settle;
  wait(s.delay_s);
  ProbeReading previous = read_valid();
  if (s.mode == SettleMode::Fixed) return previous;
  for (int reads = 1; reads < s.max_reads; ++reads) {
    wait(s.interval_s);
    ProbeReading current = read_valid();
    if (readings_agree(previous, current, s)) return current;
    previous = current;
  }
  return previous;  // never settled within max_reads: keep the latest, the closest to settled
}

Vec3 Session::shown_signal(const Vec3& rgb) const { return pattern_.shown(patch_for(rgb)).signal(); }

Reading Session::measure(const Vec3& rgb, int repeat) {
  Patch patch = patch_for(rgb);
  patch.repeat = repeat;
  pattern_.show(patch);
  ProbeReading r = read_settled();
  // A broken reading (a correction turning it into NaN, a garbled reply) stops the session here,
  // before it reaches the journal, the fit or a LUT.
  if (std::string why = implausible_reading(r.XYZ); !why.empty())
    throw ProbeError(ProbeErrorKind::Protocol,
                     fmt::format("{} gave a reading that is not light from a display ({}) for RGB {:g} {:g} {:g}",
                                 probe_.identity().model, why, rgb[0], rgb[1], rgb[2]));
  Reading reading;
  reading.rgb = pattern_.shown(patch).signal();
  reading.XYZ = r.XYZ;
  reading.uncertainty = r.uncertainty;
  reading.spectrum = r.spectrum;
  return reading;
}

SessionResult Session::run(const PatchSet& patches, Journal* journal, const std::vector<JournalEntry>& resumed) {
  const int total = static_cast<int>(patches.rgb.size());
  // What each patch shows, and which repeat of that colour it is (the set's, so a resumed session
  // knows it too; two colours that meet on one code are a repeat of it).
  std::vector<Vec3> shown(total);
  for (int i = 0; i < total; ++i) shown[i] = shown_signal(patches.rgb[i]);
  const std::vector<int> repeats = repeat_counts(shown);
  std::vector<Reading> readings(total);
  std::vector<bool> have(total, false);
  int done = 0;
  for (const JournalEntry& e : resumed) {
    if (e.index < 0 || e.index >= total || have[e.index]) continue;
    // Journals record the signal shown (before: the patch's RGB as asked; those still resume).
    if (e.reading.rgb != shown[e.index] && e.reading.rgb != patches.rgb[e.index])
      throw InputError(journal ? journal->path().string() : "", 0, "index",
                       fmt::format("the journal's reading for patch {} was taken for RGB {:g} {:g} {:g}, not the "
                                   "patch's {:g} {:g} {:g}",
                                   e.index, e.reading.rgb[0], e.reading.rgb[1], e.reading.rgb[2],
                                   patches.rgb[e.index][0], patches.rgb[e.index][1], patches.rgb[e.index][2]));
    readings[e.index] = e.reading;
    readings[e.index].rgb = shown[e.index];
    have[e.index] = true;
    ++done;
  }
  probe_reads_ = 0;
  settle_wait_s_ = 0;
  SessionResult result;
  const InsertOptions& insert = options_.insert;
  for (int i = 0; i < total; ++i) {
    if (have[i]) continue;
    if (stop && stop->load()) break;
    // Keyed on the patch index, so a resumed session inserts at the same places.
    if (insert.every > 0 && i > 0 && i % insert.every == 0) {
      Patch filler = patch_for(insert.rgb);
      filler.window_percent = insert.window_percent;
      pattern_.show(filler);
      wait(insert.duration_s);
    }
    Reading reading = measure(patches.rgb[i], repeats[i]);
    if (journal) journal->append({i, reading, clock_.now_s()});
    readings[i] = reading;
    have[i] = true;
    ++done;
    ++result.taken;
    if (on_progress) {
      on_progress(SessionProgress{done, total, i, reading.rgb, reading.XYZ});
    }
  }
  result.complete = done == total;
  result.probe_reads = probe_reads_;
  result.settle_wait_s = settle_wait_s_;
  if (result.complete) result.set.readings = std::move(readings);
  return result;
}

}  // namespace calkit
