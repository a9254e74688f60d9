// Verification history (records/history.hpp): what HistoryDb records is read back by an
// independent reader, the `sqlite3` shell (Debian sqlite3); the white drift is checked against
// LittleCMS; a foreign, corrupt or newer database is refused with one line naming the file; two
// processes recording at once both land, also when one holds the lock long and often; the
// default path follows the XDG Base Directory spec.
#include <doctest/doctest.h>
#include <lcms2.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "color/colorimetry.hpp"
#include "core/error.hpp"
#include "records/history.hpp"
#include "tests/report/scenario.hpp"

using namespace calkit;
using namespace calkit::test;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
  fs::path dir = fs::path(CALKIT_TEST_TMP) / ("history-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// Runs the sqlite3 shell on the database and returns its standard output.
// mode: -batch (list output) or -json.
std::string sqlite_shell(const fs::path& db, const std::string& mode, const std::string& sql) {
  std::string command = "sqlite3 " + mode + " '" + db.string() + "' \"" + sql + "\" 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string out;
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  REQUIRE(pclose(pipe) == 0);
  return out;
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// quote() renders a REAL so that it reads back to the same double (SQLite's quote(): %!.15g, or
// %!.20e when that would not round trip); NULL as "NULL".
double quoted_number(const nlohmann::json& v) {
  std::string text = v.get<std::string>();
  return text == "NULL" ? NAN : std::strtod(text.c_str(), nullptr);
}

void check_same(double stored, double expected) {
  if (std::isnan(expected)) {
    CHECK(std::isnan(stored));
  } else {
    CHECK(stored == expected);
  }
}

VerificationResult sdr_run(const std::string& label, const std::string& probe, const std::string& date,
                           bool calibrated) {
  auto target = rec709_bt1886(100, 0.05);
  VerificationOptions options;
  options.target = rec709_description(100, 0.05);
  options.info = {label,
                  "Suite A monitor",
                  probe,
                  "",
                  "bt1886",
                  calibrated ? "cal.cube" : "",
                  calibrated ? "0123456789abcdef" : "",
                  date,
                  "test"};
  TargetFunction display = calibrated ? calibrated_panel(target) : uncalibrated_panel();
  return evaluate(measure(verification_signals(), display), target, options);
}

VerificationResult hdr_run() {
  VerificationOptions options;
  options.target = rec2020_pq_description();
  options.info = {"hdr", "Suite A monitor", "i1d3", "woled.ccss", "pq-rec2020", "", "", "2026-11-23T09:30:00Z", "test"};
  return evaluate(measure(verification_signals(), calibrated_panel(rec2020_pq())), rec2020_pq(), options);
}

double greyscale_max(const VerificationResult& r) {
  for (const auto& g : r.summary.groups)
    if (g.group == "greyscale") return g.de2000.max;
  return NAN;
}

}  // namespace

TEST_CASE("three recorded runs read back through the sqlite3 shell hold the verification's values") {
  fs::path db_path = scratch("three") / "sub" / "history.db";  // the directory is created too
  std::vector<VerificationResult> results = {sdr_run("uncalibrated", "i1d3", "2026-11-21T10:00:00Z", false),
                                             sdr_run("calibrated", "i1d3", "2026-11-21T11:00:00Z", true), hdr_run()};
  std::vector<std::string> jsons = {"/data/a.json", "/data/b.json", "/data/c.json"};
  {
    HistoryDb db(db_path);
    for (std::size_t i = 0; i < results.size(); ++i) db.record(history_run_from(results[i], jsons[i]));
  }
  CHECK(trimmed(sqlite_shell(db_path, "-batch", "PRAGMA user_version")) == std::to_string(kHistorySchemaVersion));
  CHECK(trimmed(sqlite_shell(db_path, "-batch", "PRAGMA integrity_check")) == "ok");

  nlohmann::json rows = nlohmann::json::parse(sqlite_shell(
      db_path, "-json",
      "SELECT date, display, probe, correction, target, label, lut_file, lut_xxh64, hdr, pass, verdict, "
      "json_path, quote(white_x) AS wx, quote(white_y) AS wy, quote(white_nits) AS wn, quote(black_nits) AS bn, "
      "quote(peak_nits) AS pn, quote(contrast) AS c, quote(mean_de2000) AS m, quote(p95_de2000) AS p, "
      "quote(max_de2000) AS x, quote(mean_de_itp) AS mi, quote(p95_de_itp) AS pi, quote(max_de_itp) AS xi, "
      "quote(greyscale_max_de2000) AS g FROM runs ORDER BY id"));
  REQUIRE(rows.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) {
    CAPTURE(i);
    const VerificationResult& r = results[i];
    const nlohmann::json& row = rows[i];
    CHECK(row["date"] == r.info.date);
    CHECK(row["display"] == "Suite A monitor");
    CHECK(row["probe"] == r.info.probe);
    CHECK(row["correction"] == r.info.correction);
    CHECK(row["target"] == r.info.target);
    CHECK(row["label"] == r.info.label);
    CHECK(row["lut_file"] == r.info.lut_file);
    CHECK(row["lut_xxh64"] == r.info.lut_xxh64);
    CHECK(row["hdr"] == (r.target.hdr ? 1 : 0));
    CHECK(row["pass"] == (r.verdict.pass ? 1 : 0));
    CHECK(row["verdict"] == r.verdict.line);
    CHECK(row["json_path"] == jsons[i]);
    check_same(quoted_number(row["wx"]), r.greyscale.white_xy.x);
    check_same(quoted_number(row["wy"]), r.greyscale.white_xy.y);
    check_same(quoted_number(row["wn"]), r.greyscale.white_nits);
    check_same(quoted_number(row["bn"]), r.greyscale.black_nits);
    check_same(quoted_number(row["pn"]), r.greyscale.peak_nits);
    check_same(quoted_number(row["c"]), r.greyscale.contrast);
    check_same(quoted_number(row["m"]), r.summary.de2000.mean);
    check_same(quoted_number(row["p"]), r.summary.de2000.p95);
    check_same(quoted_number(row["x"]), r.summary.de2000.max);
    check_same(quoted_number(row["mi"]), r.summary.de_itp.mean);
    check_same(quoted_number(row["pi"]), r.summary.de_itp.p95);
    check_same(quoted_number(row["xi"]), r.summary.de_itp.max);
    check_same(quoted_number(row["g"]), greyscale_max(r));
  }
  CHECK(results[0].verdict.pass == false);  // the scenario has a failing and a passing run
  CHECK(results[1].verdict.pass == true);

  // HistoryDb reads back the same, filtered and oldest first.
  HistoryDb db(db_path, HistoryDb::Mode::Existing);
  std::vector<HistoryRun> runs = db.runs({"Suite A monitor", "i1d3", "bt1886"});
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].label == "uncalibrated");
  CHECK(runs[1].white_xy.x == results[1].greyscale.white_xy.x);
  CHECK(runs[1].mean_de2000 == results[1].summary.de2000.mean);
  CHECK(db.runs({"Suite A monitor", "", ""}).size() == 3);
  CHECK(db.runs({"another display", "", ""}).empty());
  std::vector<HistoryDisplay> displays = db.displays();
  REQUIRE(displays.size() == 1);
  CHECK(displays[0].runs == 3);
  CHECK(displays[0].first_date == "2026-11-21T10:00:00Z");
  CHECK(displays[0].last_date == "2026-11-23T09:30:00Z");
}

TEST_CASE("white drift is the dE2000 LittleCMS gives between the two whites relative to the first") {
  HistoryRun first, later, other_probe;
  first.probe = later.probe = "i1d3";
  other_probe.probe = "k10";
  first.white_xy = {0.3127, 0.3290};
  first.white_nits = 100;
  later.white_xy = {0.3090, 0.3240};
  later.white_nits = 96;
  other_probe.white_xy = {0.3200, 0.3300};
  other_probe.white_nits = 120;

  // LittleCMS: Lab of each white relative to the first white (both scaled to its Y = 1).
  Vec3 w = XYZ_from_xyY(first.white_xy, 1.0);
  Vec3 l = XYZ_from_xyY(later.white_xy, later.white_nits / first.white_nits);
  cmsCIEXYZ white{w.x(), w.y(), w.z()}, a{w.x(), w.y(), w.z()}, b{l.x(), l.y(), l.z()};
  cmsCIELab lab_a, lab_b;
  cmsXYZ2Lab(&white, &lab_a, &a);
  cmsXYZ2Lab(&white, &lab_b, &b);
  double expected = cmsCIE2000DeltaE(&lab_a, &lab_b, 1, 1, 1);
  CHECK(expected > 1);  // a visible drift, so the check means something
  CHECK(white_drift_de2000(first, later) == doctest::Approx(expected).epsilon(1e-9));
  CHECK(white_drift_de2000(first, first) == doctest::Approx(0).epsilon(1e-12));

  // Each run's drift is measured from the first run of its own probe, target and label.
  HistoryRun uncalibrated = later;
  uncalibrated.label = "uncalibrated";
  std::vector<std::size_t> refs = drift_references({first, other_probe, uncalibrated, later});
  CHECK(refs == std::vector<std::size_t>{0, 1, 2, 0});
  HistoryRun unmeasured;
  CHECK(std::isnan(white_drift_de2000(first, unmeasured)));
}

TEST_CASE("a corrupt or foreign or newer history database is refused with one line naming the file") {
  fs::path dir = scratch("bad");
  auto error_of = [](const fs::path& path, HistoryDb::Mode mode) {
    try {
      HistoryDb db(path, mode);
      db.runs();
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };

  fs::path garbage = dir / "garbage.db";
  std::ofstream(garbage) << std::string(4096, 'x');
  std::string message = error_of(garbage, HistoryDb::Mode::Create);
  CHECK(message.find(garbage.string()) == 0);
  CHECK(message.find("not a calkit history database") != std::string::npos);
  CHECK(message.find('\n') == std::string::npos);
  CHECK(error_of(garbage, HistoryDb::Mode::Existing).find("not a calkit history database") != std::string::npos);

  fs::path foreign = dir / "foreign.db";
  sqlite_shell(foreign, "-batch", "CREATE TABLE t (x); INSERT INTO t VALUES (1);");
  CHECK(error_of(foreign, HistoryDb::Mode::Create).find("another program") != std::string::npos);

  fs::path newer = dir / "newer.db";
  { HistoryDb db(newer); }
  sqlite_shell(newer, "-batch", "PRAGMA user_version = 2;");
  CHECK(error_of(newer, HistoryDb::Mode::Existing).find("newer") != std::string::npos);

  CHECK(error_of(dir, HistoryDb::Mode::Create).find("is a directory") != std::string::npos);
  CHECK(error_of(dir / "missing.db", HistoryDb::Mode::Existing).find("no verification history") != std::string::npos);
  CHECK_FALSE(fs::exists(dir / "missing.db"));  // reading never creates one
}

TEST_CASE("a row changed to the wrong type by another program is bad input naming the column") {
  fs::path db_path = scratch("row") / "history.db";
  { HistoryDb(db_path).record(history_run_from(sdr_run("a", "i1d3", "2026-11-21T10:00:00Z", true), "a.json")); }
  sqlite_shell(db_path, "-batch", "UPDATE runs SET white_x = 'abc';");
  HistoryDb db(db_path, HistoryDb::Mode::Existing);
  try {
    db.runs();
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(e.field() == "runs.white_x");
    CHECK(e.file() == db_path.string());
  }
}

namespace {

// Forks a process that records `count` runs of `display` into db_path, opening and closing the
// database for each. With a slow commit, SQLite deletes each commit's journal that much later,
// while it holds its exclusive lock, as on a slow disk (sqlite3_vfs.xSetSystemCall, SQLite's own
// hook for testing the unix VFS). The process exits 0 when every run landed, and says why not.
std::chrono::milliseconds g_unlink_delay{0};
int slow_unlink(const char* path) {
  std::this_thread::sleep_for(g_unlink_delay);
  return ::unlink(path);
}

pid_t record_in_child(const fs::path& db_path, const std::string& display, int count,
                      std::chrono::milliseconds slow_commit) {
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid > 0) return pid;
  int status = 0;
  try {
    if (slow_commit.count() > 0) {
      g_unlink_delay = slow_commit;
      sqlite3_vfs* vfs = sqlite3_vfs_find(nullptr);
      if (vfs->xSetSystemCall(vfs, "unlink", reinterpret_cast<sqlite3_syscall_ptr>(slow_unlink)) != SQLITE_OK)
        throw std::runtime_error("SQLite's unix VFS has no unlink hook");
    }
    HistoryRun run = history_run_from(sdr_run("c", "i1d3", "2026-11-21T10:00:00Z", true), "c.json");
    run.display = display;
    for (int i = 0; i < count; ++i) HistoryDb(db_path).record(run);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", display.c_str(), e.what());
    status = 1;
  }
  _exit(status);
}

void check_exited_zero(pid_t pid) {
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

std::string runs_per_display(const fs::path& db_path) {
  return trimmed(
      sqlite_shell(db_path, "-batch", "SELECT display, count(*) FROM runs GROUP BY display ORDER BY display"));
}

}  // namespace

TEST_CASE("two processes recording at once into a new database both land") {
  fs::path db_path = scratch("concurrent") / "history.db";
  std::vector<pid_t> children;
  for (int p = 0; p < 2; ++p) children.push_back(record_in_child(db_path, "display " + std::to_string(p), 40, {}));
  for (pid_t pid : children) check_exited_zero(pid);
  CHECK(runs_per_display(db_path) == "display 0|40\ndisplay 1|40");
  CHECK(trimmed(sqlite_shell(db_path, "-batch", "PRAGMA integrity_check")) == "ok");
}

// CI saw the case above fail: one process landed 13 of its 40 runs, then waited out its 10 s
// while the other recorded on (SQLite's busy handler polls, and missed every gap between the
// other's commits). Here each commit holds SQLite's lock 300 ms, as on a slow disk, so one
// process's 40 take 12 s, more than a writer's 10 s wait; before writers took turns
// (core/file_lock.hpp) one of the two failed in each try (2 of 2).
TEST_CASE("two processes recording often on a slow disk both land") {
  fs::path db_path = scratch("slow-disk") / "history.db";
  std::vector<pid_t> children;
  for (int p = 0; p < 2; ++p)
    children.push_back(record_in_child(db_path, "display " + std::to_string(p), 40, std::chrono::milliseconds(300)));
  for (pid_t pid : children) check_exited_zero(pid);
  CHECK(runs_per_display(db_path) == "display 0|40\ndisplay 1|40");
  CHECK(trimmed(sqlite_shell(db_path, "-batch", "PRAGMA integrity_check")) == "ok");
}

TEST_CASE("the default history path follows the XDG Base Directory Specification") {
  unsetenv("CALKIT_HISTORY");
  setenv("XDG_DATA_HOME", "/tmp/xdg-data", 1);
  CHECK(default_history_path() == fs::path("/tmp/xdg-data/calkit/history.db"));
  setenv("HOME", "/home/someone", 1);
  setenv("XDG_DATA_HOME", "relative/path", 1);  // the spec: a relative path is invalid, ignore it
  CHECK(default_history_path() == fs::path("/home/someone/.local/share/calkit/history.db"));
  unsetenv("XDG_DATA_HOME");
  CHECK(default_history_path() == fs::path("/home/someone/.local/share/calkit/history.db"));
  setenv("CALKIT_HISTORY", "/srv/calkit/history.db", 1);
  CHECK(default_history_path() == fs::path("/srv/calkit/history.db"));
}
