// calkit's WebSocket client against an independent server (Debian's python3-websockets), plain
// and over TLS with a self-signed certificate as an LG TV presents one.
#include "upload/websocket.hpp"

#include <doctest/doctest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "core/error.hpp"
#include "tests/support/calkit_test_support.hpp"

using namespace calkit;
namespace fs = std::filesystem;

namespace {

// Starts the echo server in the background; returns its pid and port (0 when it did not start).
std::pair<int, int> start_echo_server(const fs::path& dir, const std::string& tls_args) {
  fs::path script = fs::path(CALKIT_TEST_DATA).parent_path() / "upload" / "websocket_echo.py";
  std::string pid_text;
  test::run_shell("/usr/bin/python3 " + script.string() + " " + tls_args + " > " + (dir / "port").string() +
                      " 2>/dev/null & echo $!",
                  &pid_text);
  int pid = std::stoi(pid_text);
  for (int i = 0; i < 100; ++i) {
    std::string port = test::read_file_bytes(dir / "port");
    if (!port.empty() && port.back() == '\n') return {pid, std::stoi(port)};
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(pid, SIGTERM);
  return {pid, 0};
}

void check_echo(const WebSocketAddress& address) {
  WebSocket ws(address, std::chrono::milliseconds(5000));
  const std::string text = "{\"id\":\"calkit_1\",\"payload\":\"Δu′v′ ✓\"}";
  ws.send(text, std::chrono::milliseconds(5000));
  CHECK(ws.receive(std::chrono::milliseconds(5000)) == text);
  std::string big(300000, 'A');  // the size of a 33³ LUT's base64
  ws.send(big, std::chrono::milliseconds(5000));
  CHECK(ws.receive(std::chrono::milliseconds(5000)) == big);
  ws.close();
}

}  // namespace

TEST_CASE("the WebSocket client talks to python3-websockets, plain and over TLS") {
  if (test::run_shell("/usr/bin/python3 -c 'import websockets'") != 0 || !test::have_program("openssl")) {
    MESSAGE("skipped: Debian's python3-websockets or openssl is not installed");
    return;
  }
  fs::path dir = test::scratch_dir("upload", "websocket");
  REQUIRE(test::run_shell("openssl req -x509 -newkey rsa:2048 -nodes -subj /CN=lgwebostv -days 1 -keyout " +
                          (dir / "key.pem").string() + " -out " + (dir / "cert.pem").string()) == 0);
  for (bool tls : {false, true}) {
    INFO("tls ", tls);
    fs::remove(dir / "port");
    auto [pid, port] =
        start_echo_server(dir, tls ? (dir / "cert.pem").string() + " " + (dir / "key.pem").string() : "");
    REQUIRE(port > 0);
    check_echo({"127.0.0.1", port, tls, "/"});
    ::kill(pid, SIGTERM);
  }
}

TEST_CASE("a silent peer is a timeout, a closed port a refusal: both NetworkError, no hang") {
  fs::path dir = test::scratch_dir("upload", "websocket-silent");
  // A listening socket that never answers the handshake (python's plain socket server).
  std::string pid_text;
  test::run_shell(
      "/usr/bin/python3 -c \"import socket,time,sys; s=socket.socket(); s.bind(('127.0.0.1',0)); "
      "s.listen(); print(s.getsockname()[1], flush=True); time.sleep(30)\" > " +
          (dir / "port").string() + " & echo $!",
      &pid_text);
  int pid = std::stoi(pid_text);
  int port = 0;
  for (int i = 0; i < 100 && port == 0; ++i) {
    std::string text = test::read_file_bytes(dir / "port");
    if (!text.empty() && text.back() == '\n') port = std::stoi(text);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(port > 0);
  auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_AS(WebSocket({"127.0.0.1", port, false, "/"}, std::chrono::milliseconds(500)), NetworkError);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(3));
  ::kill(pid, SIGTERM);
  CHECK_THROWS_AS(WebSocket({"127.0.0.1", port, false, "/"}, std::chrono::milliseconds(500)), NetworkError);
}
