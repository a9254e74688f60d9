#include "upload/websocket.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <fmt/format.h>

#include <optional>

#include "core/error.hpp"

namespace calkit {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// Runs one asynchronous operation to its end or to the deadline: Beast's tcp_stream cancels the
// operation at its expiry, which then completes with beast::error::timeout.
template <class Start>
void run_bounded(net::io_context& io, beast::tcp_stream& lowest, std::chrono::milliseconds timeout, const char* what,
                 Start&& start) {
  beast::error_code result;
  bool done = false;
  lowest.expires_after(timeout);
  start([&](beast::error_code ec, auto&&...) {
    result = ec;
    done = true;
  });
  io.restart();
  io.run();
  if (!done) throw NetworkError(fmt::format("WebSocket: {} did not finish", what));
  if (result == beast::error::timeout)
    throw NetworkError(fmt::format("WebSocket: no answer within {} s ({})", timeout.count() / 1000.0, what));
  if (result) throw NetworkError(fmt::format("WebSocket: {}: {}", what, result.message()));
}

}  // namespace

struct WebSocket::Impl {
  virtual ~Impl() = default;
  virtual void send(const std::string& text, std::chrono::milliseconds timeout) = 0;
  virtual std::string receive(std::chrono::milliseconds timeout) = 0;
  virtual void close() = 0;
};

namespace {

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

template <class Stream>
class Connection : public WebSocket::Impl {
 public:
  explicit Connection(const WebSocketAddress& a, std::chrono::milliseconds timeout) {
    if constexpr (std::is_same_v<Stream, PlainStream>) {
      ws_.emplace(io_);
    } else {
      ssl_.set_verify_mode(net::ssl::verify_none);
      ws_.emplace(io_, ssl_);
    }
    tcp::resolver resolver(io_);
    beast::error_code ec;
    auto endpoints = resolver.resolve(a.host, std::to_string(a.port), ec);
    if (ec) throw NetworkError(fmt::format("cannot resolve {}: {}", a.host, ec.message()));
    run_bounded(io_, lowest(), timeout, "connect",
                [&](auto handler) { lowest().async_connect(endpoints, std::move(handler)); });
    if constexpr (std::is_same_v<Stream, TlsStream>) {
      SSL_set_tlsext_host_name(ws_->next_layer().native_handle(), a.host.c_str());  // SNI, as browsers send
      run_bounded(io_, lowest(), timeout, "TLS handshake", [&](auto handler) {
        ws_->next_layer().async_handshake(net::ssl::stream_base::client, std::move(handler));
      });
    }
    std::string host = fmt::format("{}:{}", a.host, a.port);
    run_bounded(io_, lowest(), timeout, "WebSocket handshake",
                [&](auto handler) { ws_->async_handshake(host, a.path, std::move(handler)); });
    ws_->text(true);
    ws_->read_message_max(64 << 20);  // a 33³ LUT read back is ~290 kB of base64; bound it anyway
  }

  void send(const std::string& text, std::chrono::milliseconds timeout) override {
    run_bounded(io_, lowest(), timeout, "send",
                [&](auto handler) { ws_->async_write(net::buffer(text), std::move(handler)); });
  }

  std::string receive(std::chrono::milliseconds timeout) override {
    beast::flat_buffer buffer;
    run_bounded(io_, lowest(), timeout, "receive", [&](auto handler) { ws_->async_read(buffer, std::move(handler)); });
    return beast::buffers_to_string(buffer.data());
  }

  void close() override {
    if (!ws_ || !ws_->is_open()) return;
    try {
      run_bounded(io_, lowest(), std::chrono::milliseconds(1000), "close", [&](auto handler) {
        ws_->async_close(beast::websocket::close_code::normal, std::move(handler));
      });
    } catch (const NetworkError&) {  // a peer that does not answer the close: the socket goes anyway
    }
  }

 private:
  beast::tcp_stream& lowest() { return beast::get_lowest_layer(*ws_); }

  net::io_context io_;
  net::ssl::context ssl_{net::ssl::context::tls_client};
  std::optional<beast::websocket::stream<Stream>> ws_;
};

}  // namespace

WebSocket::WebSocket(const WebSocketAddress& address, std::chrono::milliseconds timeout) {
  if (address.tls)
    impl_ = std::make_unique<Connection<TlsStream>>(address, timeout);
  else
    impl_ = std::make_unique<Connection<PlainStream>>(address, timeout);
}

WebSocket::~WebSocket() = default;

void WebSocket::send(const std::string& text, std::chrono::milliseconds timeout) { impl_->send(text, timeout); }
std::string WebSocket::receive(std::chrono::milliseconds timeout) { return impl_->receive(timeout); }
void WebSocket::close() {
  if (impl_) impl_->close();
}

}  // namespace calkit
