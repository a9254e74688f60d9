#pragma once
// A WebSocket client (RFC 6455) for text messages, over TCP or TLS, every wait bounded. Built on
// Boost.Beast (Debian's libboost-dev): calkit writes no framing of its own.
#include <chrono>
#include <memory>
#include <string>

namespace calkit {

struct WebSocketAddress {
  std::string host;
  int port = 0;
  bool tls = false;  // wss://: TLS without checking the certificate (a TV's is self-signed)
  std::string path = "/";
};

class WebSocket {
 public:
  // Connects and completes the handshake within `timeout`; NetworkError otherwise.
  WebSocket(const WebSocketAddress& address, std::chrono::milliseconds timeout);
  ~WebSocket();
  WebSocket(const WebSocket&) = delete;
  WebSocket& operator=(const WebSocket&) = delete;

  void send(const std::string& text, std::chrono::milliseconds timeout);
  // The next text message; NetworkError when none arrives within `timeout` or the peer closes.
  std::string receive(std::chrono::milliseconds timeout);
  void close();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace calkit
