#include "core/file_lock.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>

#include "core/error.hpp"

namespace calkit {

namespace {

// Byte 0 of the lock file is the gate, byte 1 the turn.
constexpr off_t kGate = 0;
constexpr off_t kTurn = 1;

// 0 or the errno of fcntl(2) for `length` bytes from `start` (length 0: to the end of the file,
// however long it grows); `wait` blocks until they are free.
int set_lock(int fd, short type, off_t start, off_t length, bool wait) {
  struct flock lock {};
  lock.l_type = type;
  lock.l_whence = SEEK_SET;
  lock.l_start = start;
  lock.l_len = length;
  while (::fcntl(fd, wait ? F_OFD_SETLKW : F_OFD_SETLK, &lock) != 0)
    if (errno != EINTR) return errno;
  return 0;
}

// What the waiting thread and the caller share. The caller stops waiting after its timeout; the
// thread may get the turn later, and then gives it straight back.
struct Wait {
  std::mutex mutex;
  std::condition_variable finished;
  bool done = false;
  bool abandoned = false;
  int error = 0;
};

}  // namespace

bool try_lock_exclusive(int fd, const std::filesystem::path& path) {
  int error = set_lock(fd, F_WRLCK, 0, 0, false);
  if (error == EAGAIN || error == EACCES) return false;
  if (error != 0) throw IoError(path.string(), std::string("cannot lock it: ") + std::strerror(error));
  return true;
}

FileTurn::FileTurn(const std::filesystem::path& lock_path, std::chrono::milliseconds timeout) {
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw IoError(lock_path.string(), std::string("cannot open the lock file: ") + std::strerror(errno));
  // fcntl(2) has no timed wait: a thread waits, and the caller waits for the thread.
  auto wait = std::make_shared<Wait>();
  std::thread waiter;
  try {
    waiter = std::thread([wait, fd] {
      int error = set_lock(fd, F_WRLCK, kGate, 1, true);
      if (error == 0) error = set_lock(fd, F_WRLCK, kTurn, 1, true);
      set_lock(fd, F_UNLCK, kGate, 1, false);
      std::lock_guard<std::mutex> lock(wait->mutex);
      if (wait->abandoned) {
        ::close(fd);
        return;
      }
      wait->done = true;
      wait->error = error;
      wait->finished.notify_one();
    });
  } catch (const std::system_error& e) {
    ::close(fd);
    throw IoError(lock_path.string(), std::string("cannot start a thread to wait for the lock: ") + e.what());
  }
  waiter.detach();

  std::unique_lock<std::mutex> lock(wait->mutex);
  if (!wait->finished.wait_for(lock, timeout, [&] { return wait->done; })) {
    wait->abandoned = true;  // the thread closes fd when it gets the turn, or the process ends
    return;
  }
  if (wait->error != 0) {
    ::close(fd);
    throw IoError(lock_path.string(), std::string("cannot lock the lock file: ") + std::strerror(wait->error));
  }
  fd_ = fd;
}

FileTurn::~FileTurn() {
  if (fd_ >= 0) ::close(fd_);  // closing the description releases its locks
}

}  // namespace calkit
