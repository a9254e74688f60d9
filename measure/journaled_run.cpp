#include "measure/journaled_run.hpp"

#include <cstdio>
#include <stdexcept>

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/progress.hpp"
#include "formats/measurement_file.hpp"
#include "measure/journal.hpp"
#include "measure/progress.hpp"

namespace calkit {

SessionResult measure_journaled(Session& session, const PatchSet& patches, const std::filesystem::path& output,
                                const JournaledRunOptions& options) {
  if (patches.rgb.empty()) throw InputError(output.string(), 0, "", "the patch set is empty");
  const int total = static_cast<int>(patches.rgb.size());
  JournalHeader header{patch_set_hash(patches), total, options.rig};
  header.rig.merge(patch_options_binding(session.options().patch));
  const std::filesystem::path journal_path = journal_path_for(output);
  std::vector<JournalEntry> resumed;
  Journal journal = Journal::open(journal_path, header, options.resume, "session", resumed);

  int done = static_cast<int>(resumed.size());
  if (!options.quiet && done > 0)
    std::fprintf(stderr, "calkit: %s: resuming, %d of %d readings already in %s\n", options.label.c_str(), done, total,
                 journal_path.c_str());
  Progress progress(options.label + ": measuring", total, options.quiet, done);
  session.on_progress = [&](const SessionProgress& p) {
    done = p.done;
    progress.update(p.done, reading_detail(p.rgb, p.XYZ));
  };
  session.stop = options.stop;

  SessionResult result;
  try {
    result = session.run(patches, &journal, resumed);
  } catch (const ProbeError& e) {
    progress.finish();
    journal.close();
    throw std::runtime_error(fmt::format(
        "probe error: {}; {} of {} readings are saved in {}; fix the probe and run the same command with --resume",
        e.what(), done, total, journal_path.string()));
  }
  progress.finish();
  session.on_progress = nullptr;
  if (!result.complete) {
    journal.close();
    return result;
  }
  for (const auto& [key, value] : options.info) result.set.info[key] = value;
  result.set.info["patch_set_hash"] = header.patch_set_hash;
  write_measurements(output, result.set);
  journal.remove();
  return result;
}

}  // namespace calkit
