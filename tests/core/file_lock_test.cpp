// core/file_lock.hpp: a file locked by one open is refused to another until it is closed, and
// processes take turns on a lock file. The invariants checked: two processes never hold the turn
// at once (their enter/leave lines in a shared file never interleave), two that ask again and
// again alternate, a wait that runs out says so in its time, and a turn given up on is not kept.
#include "core/file_lock.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "core/error.hpp"
#include "tests/support/calkit_test_support.hpp"

using namespace calkit;
using namespace calkit::test;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// Appends "<who><sign>\n" in one write(2) to a file opened O_APPEND, so lines of two processes
// never mix.
void log_line(const fs::path& log, char who, char sign) {
  int fd = ::open(log.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
  REQUIRE(fd >= 0);
  const char line[3] = {who, sign, '\n'};
  REQUIRE(::write(fd, line, 3) == 3);
  ::close(fd);
}

// Holds the turn `times` times for `hold` each, asking again at once after each; logs each hold.
// Returns false if a wait ran out.
bool take_turns(const fs::path& lock, const fs::path& log, char who, int times, std::chrono::milliseconds hold,
                std::chrono::milliseconds timeout) {
  for (int i = 0; i < times; ++i) {
    FileTurn turn(lock, timeout);
    if (!turn.held()) return false;
    log_line(log, who, '+');
    std::this_thread::sleep_for(hold);
    log_line(log, who, '-');
  }
  return true;
}

pid_t fork_turns(const fs::path& lock, const fs::path& log, char who, int times, std::chrono::milliseconds hold) {
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) _exit(take_turns(lock, log, who, times, hold, 10s) ? 0 : 1);
  return pid;
}

int exit_status(pid_t pid) {
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  return WEXITSTATUS(status);
}

}  // namespace

TEST_CASE("a file locked by one open is refused to a second, here and in another process, until it is closed") {
  fs::path path = scratch_dir("core-file-lock", "exclusive") / "journal";
  int first = ::open(path.c_str(), O_WRONLY | O_CREAT, 0644);
  int second = ::open(path.c_str(), O_WRONLY);
  REQUIRE(first >= 0);
  REQUIRE(second >= 0);
  CHECK(try_lock_exclusive(first, path));
  CHECK(try_lock_exclusive(first, path));  // the same open may lock again
  CHECK_FALSE(try_lock_exclusive(second, path));
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int other = ::open(path.c_str(), O_WRONLY);
    _exit(other >= 0 && !try_lock_exclusive(other, path) ? 0 : 1);
  }
  CHECK(exit_status(pid) == 0);
  ::close(first);
  CHECK(try_lock_exclusive(second, path));
  ::close(second);
}

TEST_CASE("two processes asking again and again take the turn by turns, never two at once") {
  fs::path dir = scratch_dir("core-file-turn", "served");
  fs::path lock = dir / "turn.lock";
  fs::path log = dir / "log";
  // The other process asks again the moment it gives the turn back, 40 times over 2 s; this one
  // does the same 10 times, each wait at most 1 s. (Each holds 50 ms: a process whose next ask
  // the scheduler delays longer than the other's hold is not yet waiting, and may be passed.)
  pid_t other = fork_turns(lock, log, 'A', 40, 50ms);
  while (!fs::exists(log)) std::this_thread::sleep_for(1ms);  // the other holds its first turn
  CHECK(take_turns(lock, log, 'B', 10, 50ms, 1s));
  CHECK(exit_status(other) == 0);

  // Never two at once: every "+" is followed by the same process's "-".
  std::string lines = read_file_bytes(log);
  REQUIRE(lines.size() == (40 + 10) * 2 * 3);
  for (std::size_t i = 0; i < lines.size(); i += 6) {
    CAPTURE(i);
    CHECK(lines[i + 1] == '+');
    CHECK(lines[i + 3] == lines[i]);
    CHECK(lines[i + 4] == '-');
  }
  // While both asked, they took turns strictly by turns: from this process's first turn to its
  // last, no process held the turn twice in a row.
  std::string holders;
  for (std::size_t i = 0; i < lines.size(); i += 6) holders += lines[i];
  std::size_t first = holders.find('B');
  std::size_t last = holders.rfind('B');
  CHECK(holders.substr(first, last - first + 1) == "BABABABABABABABABAB");
  CHECK(last + 1 < holders.size());  // and while the other was still taking its own
}

TEST_CASE("a wait that runs out returns in its time, and the turn given up on is not kept") {
  fs::path dir = scratch_dir("core-file-turn", "timeout");
  fs::path lock = dir / "turn.lock";
  fs::path log = dir / "log";
  pid_t holder = fork_turns(lock, log, 'A', 1, 1500ms);
  while (!fs::exists(log)) std::this_thread::sleep_for(1ms);

  auto start = std::chrono::steady_clock::now();
  FileTurn late(lock, 200ms);
  auto waited = std::chrono::steady_clock::now() - start;
  CHECK_FALSE(late.held());
  CHECK(waited >= 200ms);
  CHECK(waited < 1400ms);  // well before the holder gives the turn back

  CHECK(exit_status(holder) == 0);
  // The wait given up on gets the turn when the holder ends and must hand it straight back.
  FileTurn next(lock, 5s);
  CHECK(next.held());
}

TEST_CASE("a lock file that cannot be opened is an IoError naming it") {
  fs::path lock = scratch_dir("core-file-turn", "missing") / "no-such-folder" / "turn.lock";
  try {
    FileTurn turn(lock, 1s);
    FAIL("no error");
  } catch (const IoError& e) {
    CHECK(std::string(e.what()).find(lock.string()) == 0);
  }
}
