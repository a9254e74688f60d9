#pragma once
// A measurement session whose readings go to `<output>.journal` as they are taken and, when the
// session completes, to `output` (atomically; then the journal is removed). Shared by every
// command that measures a patch set (`calkit calibrate`, `calkit verify`), so an interrupted run
// resumes the same way everywhere.
#include <atomic>
#include <filesystem>
#include <map>
#include <string>

#include "measure/session.hpp"

namespace calkit {

struct JournaledRunOptions {
  bool resume = false;                      // continue <output>.journal; without it an existing journal is refused
  bool quiet = false;                       // no progress line
  std::string label;                        // printed before the progress line ("profile", "verify after")
  std::map<std::string, std::string> info;  // MeasurementSet::info of the file written
  // The rig the readings depend on (probe, display, pattern generator, seed, correction), bound
  // into the journal's header with the session's patch options: --resume on another is refused.
  std::map<std::string, std::string> rig;
  const std::atomic<bool>* stop = nullptr;  // SIGINT flag, checked between readings
};

// Runs `session` over `patches`. Returns the result; when it is not complete (stopped) the
// readings so far are in the journal and nothing else is written. Throws InputError for a
// journal that exists without `resume` or does not belong to these patches and this rig, and
// std::runtime_error (naming the journal) when the probe fails.
SessionResult measure_journaled(Session& session, const PatchSet& patches, const std::filesystem::path& output,
                                const JournaledRunOptions& options);

}  // namespace calkit
