// SerialTransport over POSIX termios: raw 8N1, no flow control, exclusive (flock + TIOCEXCL) so a
// second program gets Busy instead of stealing bytes.
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "probes/transport/transport.hpp"

namespace calkit {
namespace {

speed_t speed_for(int baud) {
  switch (baud) {
    case 9600:
      return B9600;
    case 19200:
      return B19200;
    case 38400:
      return B38400;
    case 57600:
      return B57600;
    case 115200:
      return B115200;
    case 230400:
      return B230400;
    case 460800:
      return B460800;
    case 921600:
      return B921600;
    case 3000000:
      return B3000000;
    default:
      throw ProbeError(ProbeErrorKind::Protocol, fmt::format("unsupported baud rate {}", baud));
  }
}

class TermiosTransport : public SerialTransport {
 public:
  TermiosTransport(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  ~TermiosTransport() override {
    ::flock(fd_, LOCK_UN);
    ::close(fd_);
  }

  void set_baud(int baud) override {
    termios t{};
    if (::tcgetattr(fd_, &t) != 0) fail("tcgetattr");
    ::cfmakeraw(&t);
    t.c_cflag &= ~static_cast<tcflag_t>(PARENB | CSTOPB | CSIZE | CRTSCTS);
    t.c_cflag |= CS8 | CLOCAL | CREAD;
    t.c_iflag &= ~static_cast<tcflag_t>(IXON | IXOFF | IXANY);
    t.c_cc[VMIN] = 0;
    t.c_cc[VTIME] = 0;
    speed_t s = speed_for(baud);
    ::cfsetispeed(&t, s);
    ::cfsetospeed(&t, s);
    if (::tcsetattr(fd_, TCSANOW, &t) != 0) fail("tcsetattr");
  }

  void write(std::span<const std::uint8_t> bytes) override {
    std::size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::write(fd_, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && errno == EAGAIN) {
        wait_for(POLLOUT, 1000);
        continue;
      }
      if (n < 0) fail("write");
      done += static_cast<std::size_t>(n);
    }
    ::tcdrain(fd_);
  }

  std::string read_until(std::string_view terminators, std::size_t max_length, int timeout_ms) override {
    return read_loop(max_length, timeout_ms,
                     [&](const std::string& s) { return terminators.find(s.back()) != std::string_view::npos; });
  }

  std::string read_exact(std::size_t count, int timeout_ms) override {
    return read_loop(count, timeout_ms, [](const std::string&) { return false; });
  }

  void discard_input() override { ::tcflush(fd_, TCIFLUSH); }
  std::string path() const override { return path_; }

 private:
  template <class Done>
  std::string read_loop(std::size_t max_length, int timeout_ms, Done done) {
    using Clock = std::chrono::steady_clock;
    auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    std::string s;
    while (s.size() < max_length) {
      int left =
          static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
      if (left <= 0 || !wait_for(POLLIN, left))
        throw ProbeError(ProbeErrorKind::Timeout,
                         fmt::format("{}: no complete reply within {} ms (got {} bytes)", path_, timeout_ms, s.size()));
      char c;
      ssize_t n = ::read(fd_, &c, 1);
      if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
      if (n <= 0)  // readable but no data: the tty hung up (USB serial adapter unplugged)
        throw ProbeError(ProbeErrorKind::Disconnected, path_ + ": device disconnected in the middle of a read");
      s += c;
      if (done(s)) break;
    }
    return s;
  }

  bool wait_for(short events, int timeout_ms) {
    pollfd p{fd_, events, 0};
    int rc = ::poll(&p, 1, timeout_ms);
    if (rc < 0 && errno != EINTR) fail("poll");
    if (rc > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL)) && !(p.revents & events))
      throw ProbeError(ProbeErrorKind::Disconnected, path_ + ": device disconnected");
    return rc > 0;
  }

  [[noreturn]] void fail(const char* what) {
    int e = errno;
    if (e == EIO || e == ENODEV || e == ENXIO)
      throw ProbeError(ProbeErrorKind::Disconnected,
                       fmt::format("{}: device disconnected ({})", path_, std::strerror(e)));
    throw ProbeError(ProbeErrorKind::Protocol, fmt::format("{}: {} failed ({})", path_, what, std::strerror(e)));
  }

  int fd_;
  std::string path_;
};

}  // namespace

std::unique_ptr<SerialTransport> open_serial(const std::string& path, int baud) {
  int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    if (e == EACCES || e == EPERM) throw permission_error(path);
    if (e == EBUSY) throw ProbeError(ProbeErrorKind::Busy, path + " is busy: another program holds it open");
    if (e == ENOENT || e == ENODEV || e == ENXIO)
      throw ProbeError(ProbeErrorKind::NotFound, path + ": no such serial device (unplugged?)");
    throw ProbeError(ProbeErrorKind::Protocol, fmt::format("{}: cannot open ({})", path, std::strerror(e)));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0 || ::ioctl(fd, TIOCEXCL) != 0) {
    ::close(fd);
    throw ProbeError(ProbeErrorKind::Busy, path + " is busy: another program holds it open");
  }
  auto t = std::make_unique<TermiosTransport>(fd, path);
  t->set_baud(baud);
  t->discard_input();
  return t;
}

}  // namespace calkit
