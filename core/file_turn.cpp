#include "core/file_turn.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "core/error.hpp"

namespace calkit {

namespace {

// Byte 0 of the lock file is the gate, byte 1 the turn.
constexpr off_t kGate = 0;
constexpr off_t kTurn = 1;

// 0 or the errno of fcntl(2); `wait` blocks until the byte is free.
int set_lock(int fd, short type, off_t byte, bool wait) {
  struct flock lock {};
  lock.l_type = type;
  lock.l_whence = SEEK_SET;
  lock.l_start = byte;
  lock.l_len = 1;
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

FileTurn::FileTurn(const std::filesystem::path& lock_path, std::chrono::milliseconds timeout) {
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw IoError(lock_path.string(), std::string("cannot open the lock file: ") + std::strerror(errno));
  // fcntl(2) has no timed wait: a thread waits, and the caller waits for the thread.
  auto wait = std::make_shared<Wait>();
  std::thread([wait, fd] {
    int error = set_lock(fd, F_WRLCK, kGate, true);
    if (error == 0) error = set_lock(fd, F_WRLCK, kTurn, true);
    set_lock(fd, F_UNLCK, kGate, false);
    std::lock_guard<std::mutex> lock(wait->mutex);
    if (wait->abandoned) {
      ::close(fd);
      return;
    }
    wait->done = true;
    wait->error = error;
    wait->finished.notify_one();
  }).detach();

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
