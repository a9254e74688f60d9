#pragma once
// DaVinci Resolve as a pattern generator: calkit is the TCP server (default port 20002) that
// Resolve connects to (Color page -> Workspace -> Monitor Calibration -> CalMAN). Every patch is
// one frame: a 4-byte big-endian length and a UTF-8 XML document, in the "CM" (Calman-style,
// 10-bit, background and geometry) or "LS" (LightSpace-style, 8-bit, shapes) dialect. There is
// no handshake and Resolve never answers (patterns.md section 1).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "patterns/pattern_generator.hpp"
#include "patterns/tcp_socket.hpp"

namespace calkit {

enum class ResolveDialect { Cm, Ls };

// Frames are at most this long; a receiver rejects longer or empty ones (PGenerator+ does too).
constexpr std::size_t kResolveMaxFrame = 65536;

struct ResolveOptions {
  int port = 20002;                // 0: any free port (tests, the in-process emulator)
  std::string bind;                // empty: 127.0.0.1, or 0.0.0.0 when allow= names a non-loopback address
  std::vector<std::string> allow;  // peer addresses accepted besides 127.0.0.1
  ResolveDialect dialect = ResolveDialect::Cm;
  double accept_timeout_s = -1;  // how long show() waits for Resolve; negative: forever
  double send_timeout_s = 10;
  std::size_t max_incoming_bytes = 4096;        // Resolve sends nothing; a peer sending more is dropped
  std::function<void(const std::string&)> log;  // default: stderr
};

// "resolve[:port=N,bind=ADDR,allow=IP[+IP...],dialect=cm|ls,emulate]"; InputError naming the
// key for anything else. emulate (may be null) reports the emulate flag.
ResolveOptions parse_resolve_spec(const std::string& spec, bool* emulate = nullptr);

// The XML document of one patch (window side sqrt(area %), at the patch's position: the
// <geometry> x, y are its top-left corner in frame fractions). CM carries the patch's
// codes at its own depth (12-bit reduced to 10) plus the background; LS carries 8-bit codes and,
// when the background is not black, a full-frame rectangle for it before the patch.
std::string resolve_xml(const Patch& patch, ResolveDialect dialect);
// The bits a patch's codes travel at: CM its own depth up to 10, LS 8.
int resolve_wire_bits(const Patch& patch, ResolveDialect dialect);
// 4-byte big-endian length + the bytes of xml.
std::string resolve_frame(const std::string& xml);

class ResolveServer : public PatternGenerator {
 public:
  explicit ResolveServer(ResolveOptions options);  // binds and listens at once
  ~ResolveServer() override;

  std::string name() const override;
  // Waits for Resolve if none is connected (or it went away), then sends the patch. A client
  // that disconnects mid-session is waited for again; the session goes on.
  void show(const Patch& patch) override;
  Patch shown(const Patch& patch) const override;
  // Full-field black (no burn-in), then closes the connection.
  void close() override;

  // Blocks until a client is connected; when it is a new one, re-sends the current patch.
  void wait_for_client();
  bool client_connected();
  int port() const { return listener_.port(); }
  std::uint64_t frames_sent() const { return frames_sent_; }
  std::uint64_t connections() const { return connections_; }
  std::uint64_t rejected_peers() const { return rejected_; }
  // What to do in Resolve to connect, for the waiting message.
  std::string connect_instructions() const;

 private:
  bool allowed(const std::string& peer) const;
  void log(const std::string& line) const;
  void accept_client();
  void drop_client(const std::string& why);
  void check_client();
  bool send_current();

  ResolveOptions options_;
  TcpListener listener_;
  TcpStream client_;
  Patch current_;
  bool has_current_ = false;
  bool closed_ = false;
  std::uint64_t frames_sent_ = 0;
  std::uint64_t connections_ = 0;
  std::uint64_t rejected_ = 0;
  std::size_t incoming_ = 0;
};

}  // namespace calkit
