#pragma once
// Verification history: every verification run is also recorded as one row in a local SQLite
// database, so that `calkit history DISPLAY` can show how a display drifts over time (white point,
// luminance, mean dE). Plain values in and out; the database is created on first use.
//
// Safety: the schema is versioned (PRAGMA user_version) and marked as calkit's (application_id);
// every insert is one IMMEDIATE transaction with synchronous=FULL, so a crash or a concurrent
// writer never leaves a torn row. Writers (a Create-mode open, record) take turns on
// "<database>.lock" first, so one that records again and again cannot starve another. A file that
// is not a calkit history database, a database from a newer calkit, or one that stays locked
// throws calkit::InputError naming the file.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "report/verification.hpp"

namespace calkit {

inline constexpr int kHistorySchemaVersion = 1;

// One recorded verification. Values that were not measured are NaN (NULL in the database).
struct HistoryRun {
  std::int64_t id = 0;  // the database's row id (0 before it is recorded)
  std::string date;     // ISO 8601 UTC, as VerificationInfo::date
  std::string display, probe, correction, target, label;
  std::string lut_file, lut_xxh64;
  bool hdr = false;
  Xy white_xy{kNotMeasured, kNotMeasured};  // the 100 % grey reading
  double white_nits = kNotMeasured;
  double black_nits = kNotMeasured;
  double peak_nits = kNotMeasured;  // brightest grey (HDR)
  double contrast = kNotMeasured;
  double mean_de2000 = kNotMeasured, p95_de2000 = kNotMeasured, max_de2000 = kNotMeasured;
  double mean_de_itp = kNotMeasured, p95_de_itp = kNotMeasured, max_de_itp = kNotMeasured;
  double greyscale_max_de2000 = kNotMeasured;
  bool pass = false;
  std::string verdict;    // the verdict line
  std::string json_path;  // the verification JSON the run was written to
};

// The row for a verification result written to json_path (made absolute).
HistoryRun history_run_from(const VerificationResult& result, const std::filesystem::path& json_path);

// $CALKIT_HISTORY, else $XDG_DATA_HOME/calkit/history.db, else ~/.local/share/calkit/history.db
// (XDG Base Directory Specification 0.8: an unset, empty or relative XDG_DATA_HOME is ignored).
std::filesystem::path default_history_path();

struct HistoryFilter {
  std::string display;  // empty: any
  std::string probe;
  std::string target;
};

struct HistoryDisplay {
  std::string display;
  int runs = 0;
  std::string first_date, last_date;
};

class HistoryDb {
 public:
  enum class Mode { Create, Existing };
  // Create: makes the parent directory and the database when missing (for recording).
  // Existing: the database must exist (for reading); throws InputError otherwise.
  explicit HistoryDb(const std::filesystem::path& path, Mode mode = Mode::Create);
  ~HistoryDb();
  HistoryDb(const HistoryDb&) = delete;
  HistoryDb& operator=(const HistoryDb&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // Inserts one run in its own transaction; returns its id.
  std::int64_t record(const HistoryRun& run);
  // Runs matching the filter, oldest first (by date, then id).
  std::vector<HistoryRun> runs(const HistoryFilter& filter = {}) const;
  // Every display with its number of runs, by display name.
  std::vector<HistoryDisplay> displays() const;

 private:
  struct Handle;
  std::filesystem::path path_;
  std::unique_ptr<Handle> db_;
};

// White-point drift of `run` from `reference`: dE2000 (CIE 142-2001) between the two white
// readings, both in CIELAB relative to the reference's white XYZ, so a change of luminance
// counts as well as one of chromaticity. NaN when either white was not measured.
double white_drift_de2000(const HistoryRun& reference, const HistoryRun& run);

// For each run (oldest first), the index of the run its drift is measured from: the first run of
// the same probe, target and label. Another meter or target white is not comparable, and an
// uncalibrated run is not the calibrated display drifting (calibrate records one of each).
std::vector<std::size_t> drift_references(const std::vector<HistoryRun>& runs);

}  // namespace calkit
