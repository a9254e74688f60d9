#pragma once
// Plays DaVinci Resolve's side of the Resolve pattern protocol over a real TCP connection: it
// connects to a ResolveServer, reads frames, checks framing and XML strictly, decodes each patch
// and shows it on a VirtualDisplay. Tests use it to check the wire format; `--pattern
// resolve:emulate` uses it to run a whole calibration through the real protocol code.
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "patterns/resolve_server.hpp"
#include "patterns/tcp_socket.hpp"
#include "sim/virtual_display.hpp"

namespace calkit {

// One decoded frame. Geometry is in frame fractions, x/y the top-left corner.
struct ResolveFrame {
  ResolveDialect dialect = ResolveDialect::Cm;
  int bits = 8;
  std::array<int, 3> color{};
  std::optional<std::array<int, 3>> background;  // CM <background>, or LS's full-frame rectangle
  int background_bits = 8;
  double x = 0, y = 0, cx = 1, cy = 1;
};

// Strict parse of one frame's XML (either dialect): well-formed ASCII XML with the declaration,
// exactly the expected elements and attributes, integer codes within 0..2^bits-1, geometry
// inside the frame. Throws ProtocolError naming what is wrong.
ResolveFrame parse_resolve_xml(const std::string& xml);
// Reads one frame: 4-byte big-endian length (1..kResolveMaxFrame) then that many bytes. Throws
// PeerClosed at a clean end between frames, ProtocolError for a bad length or a truncated frame.
std::string read_resolve_frame(TcpStream& stream, double timeout_s);

// What a decoded frame means to a display set to decode `input_range` (the TV's input-range
// setting): the signal, window % of area and background signal VirtualDisplay::show takes.
struct DisplayedPatch {
  Vec3 signal = Vec3::Zero();
  double window_percent = 100;
  double background_signal = 0;
  double centre_x = 0.5, centre_y = 0.5;  // the rectangle's centre, frame fractions
};
DisplayedPatch displayed_patch(const ResolveFrame& frame, SignalRange input_range);

struct ResolveEmulatorOptions {
  std::string host = "127.0.0.1";
  int port = 20002;
  std::string source;  // local address to connect from (tests: 127.0.0.2)
  SignalRange input_range = SignalRange::Full;
  double connect_timeout_s = 5;
  double frame_timeout_s = 5;  // a started frame must complete within this
};

class ResolveClientEmulator {
 public:
  // display may be null: frames are then only decoded and recorded.
  ResolveClientEmulator(VirtualDisplay* display, ResolveEmulatorOptions options);
  ~ResolveClientEmulator();
  ResolveClientEmulator(const ResolveClientEmulator&) = delete;
  ResolveClientEmulator& operator=(const ResolveClientEmulator&) = delete;

  // Connects in a background thread and reads frames until stop(), vanish(), the server closing
  // or a protocol violation (recorded in errors(); the connection is then dropped).
  void start();
  void stop();    // orderly disconnect (shutdown + close), joins the thread
  void vanish();  // drops the connection with a reset, as a crashed Resolve does
  bool running() const { return running_; }

  bool wait_for_frames(std::uint64_t count, double timeout_s) const;  // total frames applied
  bool wait_connected(double timeout_s) const;
  bool wait_finished(double timeout_s) const;  // the reading thread has ended
  std::uint64_t frames() const;
  std::optional<ResolveFrame> last_frame() const;
  std::vector<std::string> errors() const;
  void set_input_range(SignalRange range) { input_range_ = range; }
  // Patch::repeat of the next frames: not on the wire, handed over as the input range is, so the
  // virtual probe draws as it does on the direct virtual path.
  void set_repeat(int repeat) { repeat_ = repeat; }

  // Held while a frame is applied to the display; lock it to read the display from another thread.
  std::mutex& display_mutex() { return display_mutex_; }

 private:
  void run();
  void record_error(const std::string& error);

  VirtualDisplay* display_;
  ResolveEmulatorOptions options_;
  std::atomic<SignalRange> input_range_;
  std::atomic<int> repeat_{0};
  std::thread thread_;
  std::atomic<int> stop_mode_{0};  // 0 run, 1 stop (orderly), 2 vanish (reset)
  std::atomic<bool> running_{false};
  std::mutex display_mutex_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  bool connected_ = false;
  bool finished_ = true;
  std::uint64_t frames_ = 0;
  std::optional<ResolveFrame> last_;
  std::vector<std::string> errors_;
};

// `--pattern resolve:emulate`: a ResolveServer on 127.0.0.1 (free port) and an emulator thread
// feeding `display`. show() returns once the emulator has shown the frame, so a probe reading
// the display afterwards sees exactly the patch that went through the protocol.
class EmulatedResolve : public PatternGenerator {
 public:
  EmulatedResolve(VirtualDisplay& display, ResolveOptions options);
  ~EmulatedResolve() override;
  std::string name() const override;
  void show(const Patch& patch) override;
  Patch shown(const Patch& patch) const override { return server_->shown(patch); }
  void close() override;
  ResolveClientEmulator& emulator() { return *emulator_; }

 private:
  void wait_applied();
  std::unique_ptr<ResolveServer> server_;
  std::unique_ptr<ResolveClientEmulator> emulator_;
};

}  // namespace calkit
