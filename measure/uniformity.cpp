#include "measure/uniformity.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/progress.hpp"
#include "measure/journal.hpp"
#include "measure/options.hpp"
#include "measure/progress.hpp"

namespace calkit {

namespace {

bool valid_side(int n) { return n == 3 || n == 5 || n == 7 || n == 9; }

int parse_side(const std::string& text, const std::string& whole) {
  char* end = nullptr;
  long n = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || !valid_side(static_cast<int>(n)))
    throw ValueError("--grid", "'" + whole + "': rows and columns must each be 3, 5, 7 or 9 (e.g. 5x5, 5x3)");
  return static_cast<int>(n);
}

// Shows every patch at one zone's position.
class PlacedPattern : public PatternGenerator {
 public:
  explicit PlacedPattern(PatternGenerator& inner) : inner_(inner) {}
  std::string name() const override { return inner_.name(); }
  void show(const Patch& patch) override {
    Patch placed = patch;
    placed.centre_x = zone_.centre_x;
    placed.centre_y = zone_.centre_y;
    inner_.show(placed);
  }
  Patch shown(const Patch& patch) const override { return inner_.shown(patch); }
  void place(const UniformityZone& zone) { zone_ = zone; }

 private:
  PatternGenerator& inner_;
  UniformityZone zone_;
};

// What makes one run different from another: every (level, zone centre) in order and the patch
// size; hashed like a patch set so a journal is only resumed by the same plan.
std::string plan_hash(const UniformitySessionOptions& options, const std::vector<ZoneReading>& plan) {
  PatchSet key;
  auto zones = uniformity_zones(options.rows, options.cols);
  for (const ZoneReading& r : plan) {
    const UniformityZone& z = zones[static_cast<std::size_t>((r.row - 1) * options.cols + (r.col - 1))];
    key.rgb.emplace_back(r.level, z.centre_x, z.centre_y);
  }
  key.rgb.emplace_back(options.rows, options.cols, options.session.patch.window_percent);
  return patch_set_hash(key);
}

}  // namespace

void parse_uniformity_grid(const std::string& text, int& rows, int& cols) {
  std::size_t x = text.find_first_of("xX");
  if (x == std::string::npos) {
    rows = cols = parse_side(text, text);
  } else {
    rows = parse_side(text.substr(0, x), text);
    cols = parse_side(text.substr(x + 1), text);
  }
}

std::vector<double> parse_uniformity_levels(const std::string& text) {
  std::vector<double> levels;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = std::min(text.find(',', start), text.size());
    double pct = parse_number(text.substr(start, end - start), "--level");
    if (!(pct > 0 && pct <= 100)) throw ValueError("--level", fmt::format("{} is not a level in (0, 100] %", pct));
    if (std::find(levels.begin(), levels.end(), pct / 100) != levels.end())
      throw ValueError("--level", fmt::format("{} % is given twice", pct));
    levels.push_back(pct / 100);
    start = end + 1;
  }
  return levels;
}

std::vector<UniformityZone> uniformity_zones(int rows, int cols) {
  std::vector<UniformityZone> zones;
  for (int r = 1; r <= rows; ++r)
    for (int c = 1; c <= cols; ++c) zones.push_back({r, c, (c - 0.5) / cols, (r - 0.5) / rows});
  return zones;
}

double uniformity_window_percent(int rows, int cols) {
  double side = 1.0 / std::max(rows, cols);
  return 100 * side * side;
}

std::vector<ZoneReading> uniformity_plan(const UniformitySessionOptions& options) {
  std::vector<ZoneReading> plan;
  for (const UniformityZone& z : uniformity_zones(options.rows, options.cols))
    for (double level : options.levels) plan.push_back({z.row, z.col, level, Vec3::Zero()});
  return plan;
}

UniformitySessionResult measure_uniformity(Probe& probe, PatternGenerator& pattern, Clock& clock,
                                           const std::filesystem::path& journal_path,
                                           const UniformitySessionOptions& options) {
  if (!valid_side(options.rows) || !valid_side(options.cols))
    throw ValueError("--grid", "rows and columns must each be 3, 5, 7 or 9");
  if (options.levels.empty()) throw ValueError("--level", "no level to measure");
  std::vector<ZoneReading> plan = uniformity_plan(options);
  const int total = static_cast<int>(plan.size());
  JournalHeader header{plan_hash(options, plan), total, options.rig};
  header.rig.merge(patch_options_binding(options.session.patch));
  std::vector<JournalEntry> resumed;
  Journal journal = Journal::open(journal_path, header, options.resume, "uniformity run", resumed);

  UniformitySessionResult result;
  std::vector<bool> have(plan.size(), false);
  for (const JournalEntry& e : resumed) {
    plan[static_cast<std::size_t>(e.index)].XYZ = e.reading.XYZ;
    have[static_cast<std::size_t>(e.index)] = true;
  }
  int done = static_cast<int>(resumed.size());
  if (!options.quiet) {
    if (done > 0)
      std::fprintf(stderr, "calkit: uniformity: resuming, %d of %d readings already in %s\n", done, total,
                   journal_path.c_str());
    else
      std::fprintf(stderr, "calkit: uniformity: %dx%d zones, %zu level(s), %d readings\n", options.rows, options.cols,
                   options.levels.size(), total);
  }

  PlacedPattern placed(pattern);
  Session session(probe, placed, clock, options.session);
  Progress progress("uniformity: measuring", total, options.quiet, done);
  const std::vector<UniformityZone> zones = uniformity_zones(options.rows, options.cols);
  const std::size_t per_zone = options.levels.size();
  bool stopped = false;
  for (std::size_t zi = 0; zi < zones.size() && !stopped; ++zi) {
    const UniformityZone& zone = zones[zi];
    std::size_t first = zi * per_zone;
    if (std::all_of(have.begin() + static_cast<long>(first), have.begin() + static_cast<long>(first + per_zone),
                    [](bool b) { return b; }))
      continue;
    placed.place(zone);
    if (options.stop && options.stop->load()) break;
    if (options.place_probe) {
      // Put the first missing patch up so the user sees where the probe goes.
      for (std::size_t i = first; i < first + per_zone; ++i)
        if (!have[i]) {
          placed.show(session.patch_for(Vec3::Constant(plan[i].level)));
          break;
        }
      progress.pause();
      if (!options.place_probe(zone)) break;
    }
    for (std::size_t i = first; i < first + per_zone; ++i) {
      if (have[i]) continue;
      if (options.stop && options.stop->load()) {
        stopped = true;
        break;
      }
      Reading reading = session.measure(Vec3::Constant(plan[i].level));
      journal.append({static_cast<int>(i), reading, clock.now_s()});
      plan[i].XYZ = reading.XYZ;
      have[i] = true;
      ++done;
      ++result.taken;
      progress.update(done, reading_detail(reading.rgb, reading.XYZ));
    }
  }
  progress.finish();
  journal.close();
  result.complete = done == total;
  result.readings = std::move(plan);
  return result;
}

}  // namespace calkit
