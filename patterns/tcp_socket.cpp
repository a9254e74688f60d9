#include "patterns/tcp_socket.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace calkit {
namespace {

using Clock = std::chrono::steady_clock;

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

// Remaining milliseconds until deadline for poll(); -1 waits forever.
int remaining_ms(double timeout_s, Clock::time_point start) {
  if (timeout_s < 0) return -1;
  auto left = std::chrono::duration<double>(timeout_s) - (Clock::now() - start);
  double ms = std::chrono::duration<double, std::milli>(left).count();
  return ms <= 0 ? 0 : static_cast<int>(ms + 0.999);
}

sockaddr_in ipv4_address(const std::string& host, int port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (host.empty() || host == "0.0.0.0") {
    addr.sin_addr.s_addr = htonl(INADDR_ANY);
    return addr;
  }
  if (inet_pton(AF_INET, host.c_str(), &addr.sin_addr) == 1) return addr;
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0 || !found)
    throw NetworkError("cannot resolve host '" + host + "'");
  addr.sin_addr = reinterpret_cast<sockaddr_in*>(found->ai_addr)->sin_addr;
  freeaddrinfo(found);
  return addr;
}

std::string dotted(const sockaddr_in& addr) {
  char text[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &addr.sin_addr, text, sizeof text);
  return text;
}

SocketFd new_socket(int type) {
  SocketFd fd(::socket(AF_INET, type | SOCK_CLOEXEC, 0));
  if (!fd.valid()) throw NetworkError(errno_text("socket"));
  return fd;
}

void check_port(int port) {
  if (port < 0 || port > 65535) throw NetworkError("port " + std::to_string(port) + " out of range");
}

}  // namespace

bool wait_fd(int fd, short events, double timeout_s) {
  auto start = Clock::now();
  for (;;) {
    pollfd p{fd, events, 0};
    int n = ::poll(&p, 1, remaining_ms(timeout_s, start));
    if (n > 0) return true;  // ready, or error/hang-up: the next call reports it
    if (n == 0) return false;
    if (errno != EINTR) throw NetworkError(errno_text("poll"));
  }
}

SocketFd& SocketFd::operator=(SocketFd&& other) noexcept {
  if (this != &other) {
    reset();
    fd_ = other.release();
  }
  return *this;
}

int SocketFd::release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

void SocketFd::reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

TcpStream TcpStream::connect(const std::string& host, int port, double timeout_s, const std::string& source) {
  check_port(port);
  sockaddr_in addr = ipv4_address(host, port);
  SocketFd fd = new_socket(SOCK_STREAM);
  if (!source.empty()) {
    sockaddr_in local = ipv4_address(source, 0);
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&local), sizeof local) != 0)
      throw NetworkError(errno_text("bind " + source));
  }
  // Non-blocking connect so the wait is bounded, then back to blocking.
  int flags = ::fcntl(fd.get(), F_GETFL);
  ::fcntl(fd.get(), F_SETFL, flags | O_NONBLOCK);
  int rc = ::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  if (rc != 0 && errno != EINPROGRESS) throw NetworkError(errno_text("connect " + host + ":" + std::to_string(port)));
  if (rc != 0) {
    if (!wait_fd(fd.get(), POLLOUT, timeout_s))
      throw NetworkError("connect " + host + ":" + std::to_string(port) + ": timed out");
    int error = 0;
    socklen_t len = sizeof error;
    ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &len);
    if (error != 0) {
      errno = error;
      throw NetworkError(errno_text("connect " + host + ":" + std::to_string(port)));
    }
  }
  ::fcntl(fd.get(), F_SETFL, flags);
  int one = 1;
  ::setsockopt(fd.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // small frames, no batching
  return TcpStream(std::move(fd), dotted(addr));
}

void TcpStream::send_all(const void* data, std::size_t size, double timeout_s) {
  if (!is_open()) throw PeerClosed("send on a closed connection");
  auto start = Clock::now();
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    if (!wait_fd(fd(), POLLOUT, timeout_s < 0 ? -1 : remaining_ms(timeout_s, start) / 1000.0))
      throw NetworkError("send to " + peer_ + ": timed out");
    ssize_t n = ::send(fd(), p, size, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) continue;
      if (errno == EPIPE || errno == ECONNRESET) throw PeerClosed("peer " + peer_ + " closed the connection");
      throw NetworkError(errno_text("send to " + peer_));
    }
    p += n;
    size -= static_cast<std::size_t>(n);
  }
}

std::size_t TcpStream::recv_some(void* data, std::size_t size, double timeout_s) {
  if (!is_open()) throw PeerClosed("receive on a closed connection");
  if (!wait_fd(fd(), POLLIN, timeout_s)) return 0;
  for (;;) {
    ssize_t n = ::recv(fd(), data, size, MSG_DONTWAIT);
    if (n > 0) return static_cast<std::size_t>(n);
    if (n == 0) throw PeerClosed("peer " + peer_ + " closed the connection");
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return 0;
    if (errno == ECONNRESET) throw PeerClosed("peer " + peer_ + " reset the connection");
    throw NetworkError(errno_text("receive from " + peer_));
  }
}

void TcpStream::recv_exact(void* data, std::size_t size, double timeout_s) {
  auto start = Clock::now();
  char* p = static_cast<char*>(data);
  while (size > 0) {
    double left = timeout_s < 0 ? -1 : remaining_ms(timeout_s, start) / 1000.0;
    if (timeout_s >= 0 && left <= 0) throw NetworkError("receive from " + peer_ + ": timed out");
    std::size_t n = recv_some(p, size, left);
    if (n == 0 && timeout_s >= 0 && remaining_ms(timeout_s, start) == 0)
      throw NetworkError("receive from " + peer_ + ": timed out");
    p += n;
    size -= n;
  }
}

bool TcpStream::wait_readable(double timeout_s) { return is_open() && wait_fd(fd(), POLLIN, timeout_s); }

void TcpStream::shutdown_and_close() {
  if (!is_open()) return;
  ::shutdown(fd(), SHUT_RDWR);
  fd_.reset();
}

void TcpStream::abort_close() {
  if (!is_open()) return;
  linger l{1, 0};
  ::setsockopt(fd(), SOL_SOCKET, SO_LINGER, &l, sizeof l);
  fd_.reset();
}

TcpListener::TcpListener(const std::string& bind_address, int port, int backlog)
    : bind_address_(bind_address.empty() ? "0.0.0.0" : bind_address) {
  check_port(port);
  fd_ = new_socket(SOCK_STREAM);
  int one = 1;
  ::setsockopt(fd_.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr = ipv4_address(bind_address_, port);
  if (::bind(fd_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    throw NetworkError(errno_text("bind " + bind_address_ + ":" + std::to_string(port)));
  if (::listen(fd_.get(), backlog) != 0) throw NetworkError(errno_text("listen"));
  socklen_t len = sizeof addr;
  ::getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
}

TcpStream TcpListener::accept(double timeout_s) {
  if (!wait_fd(fd_.get(), POLLIN, timeout_s)) return {};
  sockaddr_in peer{};
  socklen_t len = sizeof peer;
  int fd = ::accept4(fd_.get(), reinterpret_cast<sockaddr*>(&peer), &len, SOCK_CLOEXEC);
  if (fd < 0) {
    if (errno == EINTR || errno == EAGAIN || errno == ECONNABORTED) return {};
    throw NetworkError(errno_text("accept"));
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return TcpStream(SocketFd(fd), dotted(peer));
}

UdpSocket::UdpSocket(const std::string& bind_address, int port, bool broadcast) {
  check_port(port);
  fd_ = new_socket(SOCK_DGRAM);
  int one = 1;
  ::setsockopt(fd_.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (broadcast) ::setsockopt(fd_.get(), SOL_SOCKET, SO_BROADCAST, &one, sizeof one);
  sockaddr_in addr = ipv4_address(bind_address, port);
  if (::bind(fd_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
    throw NetworkError(errno_text("bind udp " + bind_address + ":" + std::to_string(port)));
  socklen_t len = sizeof addr;
  ::getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
}

void UdpSocket::send_to(const std::string& bytes, const std::string& address, int port) {
  sockaddr_in addr = ipv4_address(address, port);
  if (::sendto(fd_.get(), bytes.data(), bytes.size(), 0, reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0)
    throw NetworkError(errno_text("send udp to " + address));
}

bool UdpSocket::recv_from(std::string& bytes, std::string& from, double timeout_s, int* from_port) {
  if (!wait_fd(fd_.get(), POLLIN, timeout_s)) return false;
  char buffer[1500];
  sockaddr_in peer{};
  socklen_t len = sizeof peer;
  ssize_t n = ::recvfrom(fd_.get(), buffer, sizeof buffer, MSG_DONTWAIT, reinterpret_cast<sockaddr*>(&peer), &len);
  if (n < 0) return false;
  bytes.assign(buffer, static_cast<std::size_t>(n));
  from = dotted(peer);
  if (from_port) *from_port = ntohs(peer.sin_port);
  return true;
}

}  // namespace calkit
