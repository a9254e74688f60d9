#pragma once
// Locks between processes on files, as fcntl(2) open file description locks: held by an open
// file, released when it is closed or the process ends (one that dies holding a lock leaves
// nothing behind; a child forked while it is held shares it until it execs or ends).
#include <chrono>
#include <filesystem>
#include <utility>

namespace calkit {

// Locks the whole file `path`, open on `fd`, for that open file, without waiting: false when
// another open file holds a lock on it (another process, or another open of it in this one).
// IoError naming path when the system cannot lock it.
bool try_lock_exclusive(int fd, const std::filesystem::path& path);

// One process at a time: an exclusive lock on a lock file, waited for at most a given time, that a
// process asking again cannot take back from the one waiting at the gate.
//
// Why not poll (SQLite's busy handler, a loop of non-blocking locks): a poller sleeps between
// tries and can miss every short gap between another process's holds. CI saw it: of two
// processes recording 40 runs each into the history, one landed 13 and then waited out its 10 s
// while the other recorded on. Here a waiter sleeps in the kernel on the lock and is woken when it
// is released (F_OFD_SETLKW), and holds a gate while it waits, so a process that gives the turn
// back and asks again at once queues behind it. Two processes alternate strictly; it is not
// first come, first served: Linux wakes every waiter of a released lock to race for it, so with
// three or more, one waiting for the gate can be passed.
class FileTurn {
 public:
  // Opens `lock_path` (creating it) and waits at most `timeout` for the turn. IoError naming the
  // file when it cannot be opened for writing; held() is false when the wait ran out.
  FileTurn(const std::filesystem::path& lock_path, std::chrono::milliseconds timeout);
  ~FileTurn();  // gives the turn back
  FileTurn(const FileTurn&) = delete;
  FileTurn& operator=(const FileTurn&) = delete;
  FileTurn(FileTurn&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}

  bool held() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

}  // namespace calkit
