#include "serve/run_progress.hpp"

#include "core/error.hpp"
#include "measure/journal.hpp"

namespace calkit {
namespace fs = std::filesystem;
namespace {

struct Stage {
  const char* name;
  const char* file;  // the stage's final file; its journal is <file>.journal while it measures
  double weight;
};
constexpr Stage kStages[] = {{"profile", "profile.ti3", 0.70},
                             {"verify before", "verify-before-readings.json", 0.14},
                             {"verify after", "verify-after-readings.json", 0.14},
                             {"report", "report.html", 0.02}};

}  // namespace

RunProgress calibrate_run_progress(const fs::path& folder) {
  RunProgress p;
  p.stage = "starting";
  for (const Stage& s : kStages) {
    fs::path file = folder / s.file;
    if (fs::exists(file)) {
      p.fraction += s.weight;
      p.stage = s.name;
      continue;
    }
    p.stage = s.name;
    fs::path journal = journal_path_for(file);
    if (fs::exists(journal)) {
      try {
        JournalContents j = read_journal(journal);
        p.total = j.header.patch_count;
        p.done = int(j.entries.size());
        if (p.total > 0) p.fraction += s.weight * double(p.done) / double(p.total);
        if (!j.entries.empty()) {
          p.last_rgb = j.entries.back().reading.rgb;
          p.last_XYZ = j.entries.back().reading.XYZ;
        }
      } catch (const std::exception&) {  // being written this instant, or damaged: no figures yet
      }
    }
    return p;
  }
  p.stage = "done";
  p.fraction = 1;
  return p;
}

}  // namespace calkit
