#pragma once
// PGenerator (a Raspberry Pi HDMI pattern generator) over its TCP port 85: ASCII commands and
// replies, each ended by 0x02 0x0D; a patch is `RGB=RECTANGLE;W,H;100;r,g,b;bgr,bgg,bgb;-1,-1`
// (pixels, -1,-1 = centred), answered `OK`. Output mode and HDR metadata are
// `CMD:SET_PGENERATOR_CONF_<KEY>:<value>`. Devices answer `Who is a PGenerator` UDP broadcasts
// on port 1977 with `I am a PGenerator <name>` (patterns.md section 2).
#include <functional>
#include <string>
#include <vector>

#include "patterns/pattern_generator.hpp"
#include "patterns/tcp_socket.hpp"

namespace calkit {

constexpr int kPGeneratorPort = 85;
constexpr int kPGeneratorDiscoveryPort = 1977;
inline const std::string kPGeneratorEnd = "\x02\r";  // ends every command and reply
constexpr std::size_t kPGeneratorMaxMessage = 4096;

enum class PGeneratorHdr { Unchanged, Sdr, Pq, Hlg };

struct PGeneratorOptions {
  std::string host;
  int port = kPGeneratorPort;
  int bits = 0;  // 8 or 10 on the wire; 0: the patch's own depth (12 reduced to 10)
  PGeneratorHdr hdr = PGeneratorHdr::Unchanged;
  // HDR static metadata (ST 2086 / CTA-861.3), sent with hdr=pq|hlg when > 0.
  double max_luma = 0, min_luma = 0, max_cll = 0, max_fall = 0;
  int width = 0, height = 0;  // 0: ask the device (CMD:GET_RESOLUTION)
  double timeout_s = 5;
  std::function<void(const std::string&)> log;  // default: stderr
};

// "pgenerator:HOST[:port=85,bits=10,hdr=pq|hlg|sdr,maxcll=N,maxfall=N,maxluma=N,minluma=N]",
// "pgenerator:discover[:...]" or "pgenerator:emulate[:...]"; InputError for anything else.
struct PGeneratorSpec {
  PGeneratorOptions options;
  bool discover = false;
  bool emulate = false;
};
PGeneratorSpec parse_pgenerator_spec(const std::string& spec);

// The patch command for a screen of width x height pixels at `bits` (8 or 10): the window is
// sqrt(area %) of each side, centred (-1,-1) or, for a placed patch, at its top-left pixel X,Y
// (its centre on the nearest pixel, inside the screen); 10-bit uses the RECTANGLE10bit form (uncertain, see
// patterns.md section 2).
std::string pgenerator_rgb_command(const Patch& patch, int width, int height, int bits);
// The configuration commands that select bit depth, range and HDR mode.
std::vector<std::string> pgenerator_output_commands(const PGeneratorOptions& options, int bits, SignalRange range);

struct PGeneratorDevice {
  std::string address;
  std::string name;
};
// Broadcasts `Who is a PGenerator` to address:port and collects the answers for timeout_s.
std::vector<PGeneratorDevice> discover_pgenerators(const std::string& broadcast_address = "255.255.255.255",
                                                   int port = kPGeneratorDiscoveryPort, double timeout_s = 2);

class PGeneratorClient : public PatternGenerator {
 public:
  explicit PGeneratorClient(PGeneratorOptions options);  // connects and reads the resolution
  ~PGeneratorClient() override;
  std::string name() const override;
  void show(const Patch& patch) override;
  Patch shown(const Patch& patch) const override;
  void close() override;  // full-field black, then disconnect

  // Sends one command and returns the reply's data ("OK:<data>" -> "<data>", "OK" -> "",
  // "ALIVE" -> "ALIVE");
  // throws ProtocolError for an ERR reply or a malformed one.
  std::string command(const std::string& text);
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  std::string read_reply();
  void log(const std::string& line) const;

  PGeneratorOptions options_;
  TcpStream stream_;
  std::string pending_;
  int width_ = 0, height_ = 0;
  int configured_bits_ = 0;
  SignalRange configured_range_ = SignalRange::Full;
  Patch last_;
  bool shown_ = false;
};

}  // namespace calkit
