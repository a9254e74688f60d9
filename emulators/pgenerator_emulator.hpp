#pragma once
// Plays a PGenerator device on 127.0.0.1 (a free port): accepts the port-85 command set, answers
// like the device (OK, OK:<data>, ERR:<why>, ALIVE) and shows each patch on a VirtualDisplay,
// decoded with the bit depth of the command and the range set by RGB_QUANT_RANGE. Optionally
// answers discovery datagrams. Used by tests and by `--pattern pgenerator:emulate`.
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "patterns/pgenerator_client.hpp"
#include "patterns/tcp_socket.hpp"
#include "sim/virtual_display.hpp"

namespace calkit {

struct PGeneratorEmulatorOptions {
  int width = 1920, height = 1080;
  bool discovery = false;  // answer "Who is a PGenerator" on a UDP port of 127.0.0.1
  std::string name = "calkit-emulator";
};

class PGeneratorEmulator {
 public:
  PGeneratorEmulator(VirtualDisplay* display, PGeneratorEmulatorOptions options = {});
  ~PGeneratorEmulator();
  PGeneratorEmulator(const PGeneratorEmulator&) = delete;
  PGeneratorEmulator& operator=(const PGeneratorEmulator&) = delete;

  int port() const { return listener_.port(); }
  int discovery_port() const { return udp_ ? udp_->port() : 0; }
  void stop();

  // The reply the device gives to one command (without terminator); applies patches and
  // configuration as a side effect.
  std::string handle(const std::string& command);

  std::vector<std::string> commands() const;        // every command received, in order
  std::vector<std::string> errors() const;          // every ERR reply sent
  std::map<std::string, std::string> conf() const;  // SET_PGENERATOR_CONF_* values
  std::mutex& display_mutex() { return display_mutex_; }
  // Patch::repeat of the next patches: not on the wire, handed over so the virtual probe draws
  // as it does on the direct virtual path.
  void set_repeat(int repeat) { repeat_ = repeat; }

 private:
  void run();
  void serve_client(TcpStream& client, std::string& pending);
  std::string show_rgb(const std::string& body);

  VirtualDisplay* display_;
  PGeneratorEmulatorOptions options_;
  TcpListener listener_;
  std::unique_ptr<UdpSocket> udp_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> repeat_{0};
  std::mutex display_mutex_;
  mutable std::mutex mutex_;
  std::vector<std::string> commands_;
  std::vector<std::string> errors_;
  std::map<std::string, std::string> conf_;
};

// `--pattern pgenerator:emulate`: an in-process PGeneratorEmulator feeding `display` and a
// PGeneratorClient talking to it over loopback. The device answers OK after showing the patch,
// so show() returns with the display already showing it.
class EmulatedPGenerator : public PatternGenerator {
 public:
  EmulatedPGenerator(VirtualDisplay& display, PGeneratorOptions options);
  std::string name() const override { return "pgenerator:emulate(" + client_->name() + ")"; }
  void show(const Patch& patch) override;
  Patch shown(const Patch& patch) const override { return client_->shown(patch); }
  void close() override;
  PGeneratorEmulator& emulator() { return *emulator_; }

 private:
  std::unique_ptr<PGeneratorEmulator> emulator_;  // declared first: outlives the client
  std::unique_ptr<PGeneratorClient> client_;
};

}  // namespace calkit
