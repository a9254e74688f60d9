#pragma once
// Small POSIX socket helpers for the network pattern backends (Resolve, PGenerator) and their
// emulators: blocking sockets whose every wait is bounded with poll(), IPv4 only, no extra deps.
#include <cstddef>
#include <stdexcept>
#include <string>

#include "core/error.hpp"

namespace calkit {

// The peer closed the connection (orderly or by reset) while we were reading or writing.
class PeerClosed : public NetworkError {
 public:
  using NetworkError::NetworkError;
};

// Owns one file descriptor; closes it on destruction. Movable, not copyable.
class SocketFd {
 public:
  SocketFd() = default;
  explicit SocketFd(int fd) : fd_(fd) {}
  SocketFd(SocketFd&& other) noexcept : fd_(other.release()) {}
  SocketFd& operator=(SocketFd&& other) noexcept;
  SocketFd(const SocketFd&) = delete;
  SocketFd& operator=(const SocketFd&) = delete;
  ~SocketFd() { reset(); }

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int release();
  void reset();

 private:
  int fd_ = -1;
};

// A connected TCP stream. Timeouts are in seconds; a negative timeout waits forever.
class TcpStream {
 public:
  TcpStream() = default;
  TcpStream(SocketFd fd, std::string peer) : fd_(std::move(fd)), peer_(std::move(peer)) {}

  // Connects to host:port (IPv4 dotted address or a name resolved by getaddrinfo). source, if
  // given, binds the local address first (tests use 127.0.0.2 as "another machine").
  static TcpStream connect(const std::string& host, int port, double timeout_s, const std::string& source = "");

  bool is_open() const { return fd_.valid(); }
  const std::string& peer() const { return peer_; }  // dotted IPv4 address of the other end
  int fd() const { return fd_.get(); }

  void send_all(const void* data, std::size_t size, double timeout_s);
  void send_all(const std::string& bytes, double timeout_s) { send_all(bytes.data(), bytes.size(), timeout_s); }
  // Reads exactly size bytes; throws PeerClosed if the peer closes first, NetworkError on timeout.
  void recv_exact(void* data, std::size_t size, double timeout_s);
  // Reads what is available (at most size bytes), waiting up to timeout_s; 0 means timed out.
  // Throws PeerClosed at end of stream.
  std::size_t recv_some(void* data, std::size_t size, double timeout_s);
  // True when the peer has closed (end of stream or error) without consuming pending data;
  // pending bytes are left for the caller.
  // Waits until data can be read; false on timeout.
  bool wait_readable(double timeout_s);

  void shutdown_and_close();  // orderly: shutdown(SHUT_RDWR) then close
  void abort_close();         // RST: SO_LINGER 0, as a peer that vanishes does

 private:
  SocketFd fd_;
  std::string peer_;
};

// The peer broke the protocol (bad framing, malformed or oversized message, bad value).
class ProtocolError : public NetworkError {
 public:
  using NetworkError::NetworkError;
};

// A listening TCP socket.
class TcpListener {
 public:
  // bind_address "0.0.0.0" for every interface; port 0 picks a free port (see port()).
  TcpListener(const std::string& bind_address, int port, int backlog = 4);
  int port() const { return port_; }
  const std::string& bind_address() const { return bind_address_; }
  // Waits up to timeout_s (negative: forever) for a connection; an unopened stream on timeout.
  TcpStream accept(double timeout_s);

 private:
  SocketFd fd_;
  std::string bind_address_;
  int port_ = 0;
};

// A UDP socket for discovery broadcasts.
class UdpSocket {
 public:
  // Binds bind_address:port (port 0: any); broadcast enables SO_BROADCAST.
  UdpSocket(const std::string& bind_address, int port, bool broadcast = false);
  int port() const { return port_; }
  void send_to(const std::string& bytes, const std::string& address, int port);
  // One datagram, or false on timeout; from is the sender's dotted address, from_port its port.
  bool recv_from(std::string& bytes, std::string& from, double timeout_s, int* from_port = nullptr);

 private:
  SocketFd fd_;
  int port_ = 0;
};

// poll() helper: waits until fd is readable (events POLLIN) or writable; false on timeout.
bool wait_fd(int fd, short events, double timeout_s);

}  // namespace calkit
