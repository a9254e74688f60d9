#include "records/history.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <system_error>

#include <fmt/core.h>
#include <sqlite3.h>

#include "color/colorimetry.hpp"
#include "color/difference.hpp"
#include "core/error.hpp"
#include "core/file_lock.hpp"
#include "core/files.hpp"

namespace calkit {

namespace fs = std::filesystem;

namespace {

// "ckhi": marks the file as a calkit history (PRAGMA application_id, SQLite file format §1.3.4).
constexpr int kApplicationId = 0x636b6869;
constexpr int kBusyTimeoutMs = 10000;

constexpr const char* kSchema = R"sql(
CREATE TABLE runs (
  id INTEGER PRIMARY KEY,
  date TEXT NOT NULL,
  display TEXT NOT NULL,
  probe TEXT NOT NULL,
  correction TEXT NOT NULL,
  target TEXT NOT NULL,
  label TEXT NOT NULL,
  lut_file TEXT NOT NULL,
  lut_xxh64 TEXT NOT NULL,
  hdr INTEGER NOT NULL,
  white_x REAL, white_y REAL, white_nits REAL, black_nits REAL, peak_nits REAL, contrast REAL,
  mean_de2000 REAL, p95_de2000 REAL, max_de2000 REAL,
  mean_de_itp REAL, p95_de_itp REAL, max_de_itp REAL,
  greyscale_max_de2000 REAL,
  pass INTEGER NOT NULL,
  verdict TEXT NOT NULL,
  json_path TEXT NOT NULL
);
CREATE INDEX runs_by_display ON runs (display, probe, target, date);
)sql";

constexpr const char* kColumns =
    "id, date, display, probe, correction, target, label, lut_file, lut_xxh64, hdr, white_x, white_y, "
    "white_nits, black_nits, peak_nits, contrast, mean_de2000, p95_de2000, max_de2000, mean_de_itp, "
    "p95_de_itp, max_de_itp, greyscale_max_de2000, pass, verdict, json_path";

[[noreturn]] void fail_locked(const fs::path& path) {
  throw InputError(
      path.string(), 0, "",
      fmt::format("the history database stayed locked by another program for {} s", kBusyTimeoutMs / 1000));
}

// Writers take turns on "<database>.lock" before SQLite's own locks (core/file_lock.hpp says why:
// SQLite's busy handler polls, and a writer that records again and again can starve another).
FileTurn writer_turn(const fs::path& path) {
  try {
    FileTurn turn(path.string() + ".lock", std::chrono::milliseconds(kBusyTimeoutMs));
    if (!turn.held()) fail_locked(path);
    return turn;
  } catch (const IoError& e) {
    throw InputError(path.string(), 0, "", std::string("the history database cannot be written (") + e.what() + ")");
  }
}

[[noreturn]] void fail(const fs::path& path, sqlite3* db, int code, const std::string& doing) {
  std::string why = db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  std::string text;
  switch (code & 0xff) {
    case SQLITE_NOTADB:
      text = "not a calkit history database (" + why + ")";
      break;
    case SQLITE_CORRUPT:
      text = "the history database is corrupt (" + why + "); move it away to start a new one";
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      fail_locked(path);
    default:
      text = doing + ": " + why;
  }
  throw InputError(path.string(), 0, "", text);
}

}  // namespace

struct HistoryDb::Handle {
  sqlite3* db = nullptr;
  ~Handle() { sqlite3_close(db); }
};

namespace {

class Statement {
 public:
  Statement(sqlite3* db, const fs::path& path, const std::string& sql) : db_(db), path_(path) {
    int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr);
    if (rc != SQLITE_OK) fail(path, db, rc, "reading the history database");
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void bind(int i, const std::string& text) { check(sqlite3_bind_text(stmt_, i, text.c_str(), -1, SQLITE_TRANSIENT)); }
  void bind(int i, double v) {
    check(std::isfinite(v) ? sqlite3_bind_double(stmt_, i, v) : sqlite3_bind_null(stmt_, i));
  }
  void bind(int i, bool v) { check(sqlite3_bind_int(stmt_, i, v ? 1 : 0)); }

  // True while there is a row.
  bool step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(path_, db_, rc, "using the history database");
  }

  // Strict readers: a row of the wrong type (a hand-edited or foreign database) is bad input.
  std::int64_t integer(int i, const char* field) const {
    if (sqlite3_column_type(stmt_, i) != SQLITE_INTEGER) bad(i, field, "not an integer");
    return sqlite3_column_int64(stmt_, i);
  }
  std::string text(int i, const char* field) const {
    if (sqlite3_column_type(stmt_, i) != SQLITE_TEXT) bad(i, field, "not text");
    return reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
  }
  double real(int i, const char* field) const {
    int type = sqlite3_column_type(stmt_, i);
    if (type == SQLITE_NULL) return kNotMeasured;
    if (type != SQLITE_FLOAT && type != SQLITE_INTEGER) bad(i, field, "not a number");
    return sqlite3_column_double(stmt_, i);
  }

 private:
  [[noreturn]] void bad(int, const char* field, const char* what) const {
    throw InputError(path_.string(), 0, std::string("runs.") + field, what);
  }
  void check(int rc) {
    if (rc != SQLITE_OK) fail(path_, db_, rc, "writing the history database");
  }
  sqlite3* db_;
  const fs::path& path_;
  sqlite3_stmt* stmt_ = nullptr;
};

void exec(sqlite3* db, const fs::path& path, const char* sql) {
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) fail(path, db, rc, "using the history database");
}

// SQLite's own check of every page and index (PRAGMA quick_check, sqlite.org/pragma.html): a
// damaged file opens and even takes inserts, so it is checked before anything is read or added.
void check_integrity(sqlite3* db, const fs::path& path) {
  Statement s(db, path, "PRAGMA quick_check");
  std::string first = s.step() ? s.text(0, "quick_check") : "no answer";
  std::replace(first.begin(), first.end(), '\n', ' ');  // one line
  if (first != "ok")
    throw InputError(
        path.string(), 0, "",
        "the history database is corrupt (SQLite's integrity check: " + first + "); move it away to start a new one");
}

std::int64_t pragma(sqlite3* db, const fs::path& path, const char* name) {
  Statement s(db, path, std::string("PRAGMA ") + name);
  if (!s.step()) return 0;
  return s.integer(0, name);
}

// Creates the schema in an empty file, or checks that an existing one is calkit's, of a version
// this build reads. Runs inside the caller's transaction when creating.
void check_or_create_schema(sqlite3* db, const fs::path& path, bool may_create) {
  std::int64_t objects = 0;
  {
    Statement s(db, path, "SELECT count(*) FROM sqlite_master");
    if (s.step()) objects = s.integer(0, "count");
  }
  if (objects == 0 && may_create) {
    exec(db, path, kSchema);
    exec(db, path,
         fmt::format("PRAGMA application_id = {}; PRAGMA user_version = {}", kApplicationId, kHistorySchemaVersion)
             .c_str());
    return;
  }
  std::int64_t app = pragma(db, path, "application_id");
  std::int64_t version = pragma(db, path, "user_version");
  if (app != kApplicationId || version < 1)
    throw InputError(path.string(), 0, "", "not a calkit history database (an SQLite file of another program)");
  if (version > kHistorySchemaVersion)
    throw InputError(path.string(), 0, "",
                     fmt::format("history schema version {} is newer than this calkit reads ({}); update calkit",
                                 version, kHistorySchemaVersion));
}

HistoryRun read_row(const Statement& s) {
  HistoryRun r;
  r.id = s.integer(0, "id");
  r.date = s.text(1, "date");
  r.display = s.text(2, "display");
  r.probe = s.text(3, "probe");
  r.correction = s.text(4, "correction");
  r.target = s.text(5, "target");
  r.label = s.text(6, "label");
  r.lut_file = s.text(7, "lut_file");
  r.lut_xxh64 = s.text(8, "lut_xxh64");
  r.hdr = s.integer(9, "hdr") != 0;
  r.white_xy = {s.real(10, "white_x"), s.real(11, "white_y")};
  r.white_nits = s.real(12, "white_nits");
  r.black_nits = s.real(13, "black_nits");
  r.peak_nits = s.real(14, "peak_nits");
  r.contrast = s.real(15, "contrast");
  r.mean_de2000 = s.real(16, "mean_de2000");
  r.p95_de2000 = s.real(17, "p95_de2000");
  r.max_de2000 = s.real(18, "max_de2000");
  r.mean_de_itp = s.real(19, "mean_de_itp");
  r.p95_de_itp = s.real(20, "p95_de_itp");
  r.max_de_itp = s.real(21, "max_de_itp");
  r.greyscale_max_de2000 = s.real(22, "greyscale_max_de2000");
  r.pass = s.integer(23, "pass") != 0;
  r.verdict = s.text(24, "verdict");
  r.json_path = s.text(25, "json_path");
  return r;
}

}  // namespace

HistoryDb::HistoryDb(const fs::path& path, Mode mode) : path_(path), db_(std::make_unique<Handle>()) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) throw InputError(path.string(), 0, "", "the history database path is a directory");
  bool create = mode == Mode::Create;
  if (!create && !fs::exists(path, ec))
    throw InputError(path.string(), 0, "", "no verification history here yet (calkit verify records one)");
  if (create && path.has_parent_path()) {
    fs::create_directories(path.parent_path(), ec);
    if (ec) throw InputError(path.string(), 0, "", "cannot create its directory: " + ec.message());
  }
  std::optional<FileTurn> turn;
  if (create) turn.emplace(writer_turn(path));
  int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db_->db, flags, nullptr);
  if (rc != SQLITE_OK) fail(path, db_->db, rc, "cannot open the history database");
  sqlite3_extended_result_codes(db_->db, 1);
  sqlite3_busy_timeout(db_->db, kBusyTimeoutMs);
  exec(db_->db, path, "PRAGMA synchronous = FULL");
  // SQLite opens a file it may not write read-only without a word; recording must say so first.
  if (create && sqlite3_db_readonly(db_->db, "main") == 1)
    throw InputError(path.string(), 0, "", "the history database cannot be written (read-only)");
  check_integrity(db_->db, path);
  if (!create) {
    check_or_create_schema(db_->db, path, false);
    return;
  }
  // Two processes may create the same new file at once: the check and the creation are one
  // write transaction, so the second sees the first one's schema.
  exec(db_->db, path, "BEGIN IMMEDIATE");
  try {
    check_or_create_schema(db_->db, path, true);
    exec(db_->db, path, "COMMIT");
  } catch (...) {
    sqlite3_exec(db_->db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

HistoryDb::~HistoryDb() = default;

std::int64_t HistoryDb::record(const HistoryRun& r) {
  FileTurn turn = writer_turn(path_);
  exec(db_->db, path_, "BEGIN IMMEDIATE");
  try {
    Statement s(db_->db, path_,
                "INSERT INTO runs (date, display, probe, correction, target, label, lut_file, lut_xxh64, hdr, "
                "white_x, white_y, white_nits, black_nits, peak_nits, contrast, mean_de2000, p95_de2000, "
                "max_de2000, mean_de_itp, p95_de_itp, max_de_itp, greyscale_max_de2000, pass, verdict, json_path) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, "
                "?21, ?22, ?23, ?24, ?25)");
    int i = 0;
    for (const std::string* t :
         {&r.date, &r.display, &r.probe, &r.correction, &r.target, &r.label, &r.lut_file, &r.lut_xxh64})
      s.bind(++i, *t);
    s.bind(++i, r.hdr);
    for (double v : {r.white_xy.x, r.white_xy.y, r.white_nits, r.black_nits, r.peak_nits, r.contrast, r.mean_de2000,
                     r.p95_de2000, r.max_de2000, r.mean_de_itp, r.p95_de_itp, r.max_de_itp, r.greyscale_max_de2000})
      s.bind(++i, v);
    s.bind(++i, r.pass);
    s.bind(++i, r.verdict);
    s.bind(++i, r.json_path);
    s.step();
    std::int64_t id = sqlite3_last_insert_rowid(db_->db);
    exec(db_->db, path_, "COMMIT");
    return id;
  } catch (...) {
    sqlite3_exec(db_->db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::vector<HistoryRun> HistoryDb::runs(const HistoryFilter& filter) const {
  Statement s(db_->db, path_,
              fmt::format("SELECT {} FROM runs WHERE (?1 = '' OR display = ?1) AND (?2 = '' OR probe = ?2) "
                          "AND (?3 = '' OR target = ?3) ORDER BY date, id",
                          kColumns));
  s.bind(1, filter.display);
  s.bind(2, filter.probe);
  s.bind(3, filter.target);
  std::vector<HistoryRun> out;
  while (s.step()) out.push_back(read_row(s));
  return out;
}

std::vector<HistoryDisplay> HistoryDb::displays() const {
  Statement s(db_->db, path_,
              "SELECT display, count(*), min(date), max(date) FROM runs GROUP BY display ORDER BY display");
  std::vector<HistoryDisplay> out;
  while (s.step())
    out.push_back(
        {s.text(0, "display"), static_cast<int>(s.integer(1, "count")), s.text(2, "date"), s.text(3, "date")});
  return out;
}

HistoryRun history_run_from(const VerificationResult& result, const fs::path& json_path) {
  const auto& i = result.info;
  const auto& g = result.greyscale;
  const auto& s = result.summary;
  HistoryRun r;
  r.date = i.date;
  r.display = i.display;
  r.probe = i.probe;
  r.correction = i.correction;
  r.target = i.target.empty() ? result.target.name : i.target;
  r.label = i.label;
  r.lut_file = i.lut_file;
  r.lut_xxh64 = i.lut_xxh64;
  r.hdr = result.target.hdr;
  r.white_xy = g.white_xy;
  r.white_nits = g.white_nits;
  r.black_nits = g.black_nits;
  r.peak_nits = g.peak_nits;
  r.contrast = g.contrast;
  if (s.de2000.count > 0) {
    r.mean_de2000 = s.de2000.mean;
    r.p95_de2000 = s.de2000.p95;
    r.max_de2000 = s.de2000.max;
  }
  if (s.de_itp.count > 0) {
    r.mean_de_itp = s.de_itp.mean;
    r.p95_de_itp = s.de_itp.p95;
    r.max_de_itp = s.de_itp.max;
  }
  for (const GroupStats& group : s.groups)
    if (group.group == "greyscale" && group.de2000.count > 0) r.greyscale_max_de2000 = group.de2000.max;
  r.pass = result.verdict.pass;
  r.verdict = result.verdict.line;
  r.json_path = json_path.empty() ? std::string() : fs::absolute(json_path).lexically_normal().string();
  return r;
}

fs::path default_history_path() {
  const char* explicit_path = std::getenv("CALKIT_HISTORY");
  if (explicit_path && *explicit_path) return explicit_path;
  fs::path folder = calkit_user_folder(UserFolder::Data);
  if (folder.empty()) throw ValueError("--history", "no HOME to keep the history in; give --history PATH");
  return folder / "history.db";
}

double white_drift_de2000(const HistoryRun& reference, const HistoryRun& run) {
  Vec3 ref = XYZ_from_xyY(reference.white_xy, reference.white_nits);
  Vec3 now = XYZ_from_xyY(run.white_xy, run.white_nits);
  if (!ref.allFinite() || !now.allFinite() || !(ref.y() > 0)) return kNotMeasured;
  return delta_e2000(lab_from_XYZ(ref, ref), lab_from_XYZ(now, ref));
}

std::vector<std::size_t> drift_references(const std::vector<HistoryRun>& runs) {
  std::vector<std::size_t> out(runs.size());
  for (std::size_t i = 0; i < runs.size(); ++i) {
    out[i] = i;
    for (std::size_t j = 0; j < i; ++j)
      if (runs[j].probe == runs[i].probe && runs[j].target == runs[i].target && runs[j].label == runs[i].label) {
        out[i] = j;
        break;
      }
  }
  return out;
}

}  // namespace calkit
