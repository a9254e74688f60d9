// The PGenerator backend against its emulator over real loopback sockets: command strings in the
// form of the daemon's published example (`RGB=RECTANGLE;500,500;0;235,235,235;16,16,16;50,50`),
// window sides sqrt(area) of the screen (HCFR), 0x02 0x0D terminators, CTA-861 EOTF codes, the
// published video levels, device replies (OK / ERR / ALIVE) and discovery on loopback only.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "emulators/emulated_patterns.hpp"
#include "emulators/pgenerator_emulator.hpp"
#include "emulators/virtual_pattern_generator.hpp"
#include "patterns/pattern_backends.hpp"
#include "patterns/pgenerator_client.hpp"
#include "sim/display_model.hpp"
#include "tests/support/calkit_test_support.hpp"

using namespace calkit;

namespace {

PGeneratorOptions client_options(int port) {
  PGeneratorOptions o;
  o.host = "127.0.0.1";
  o.port = port;
  o.timeout_s = 5;
  o.log = [](const std::string&) {};
  return o;
}

Patch patch(const Vec3& rgb, int bits, SignalRange range, double window = 100) {
  Patch p = Patch::from_rgb(rgb, bits, range);
  p.window_percent = window;
  return p;
}

// Sends raw bytes to the emulator and returns everything it answers until the terminator.
std::string raw_exchange(TcpStream& s, const std::string& bytes) {
  s.send_all(bytes, 5);
  std::string reply;
  char buffer[256];
  while (reply.find(kPGeneratorEnd) == std::string::npos) {
    std::size_t n = s.recv_some(buffer, sizeof buffer, 5);
    REQUIRE(n > 0);
    reply.append(buffer, n);
  }
  return reply;
}

}  // namespace

TEST_CASE("patch commands: window sides sqrt(area), codes at the published video levels") {
  // 10 % of a 1920x1080 screen: sides sqrt(0.1) * 1920 = 607.2 and sqrt(0.1) * 1080 = 341.5.
  CHECK(pgenerator_rgb_command(patch(Vec3::Ones(), 10, SignalRange::Legal, 10), 1920, 1080, 8) ==
        "RGB=RECTANGLE;607,342;100;235,235,235;16,16,16;-1,-1");
  CHECK(pgenerator_rgb_command(patch(Vec3::Ones(), 10, SignalRange::Legal), 1920, 1080, 10) ==
        "RGB=RECTANGLE10bit;1920,1080;100;940,940,940;64,64,64;-1,-1");
  CHECK(pgenerator_rgb_command(patch(Vec3::Ones(), 8, SignalRange::Full, 25), 3840, 2160, 8) ==
        "RGB=RECTANGLE;1920,1080;100;255,255,255;0,0,0;-1,-1");
  Patch g = patch(Vec3::Zero(), 8, SignalRange::Legal, 10);
  g.background = {BackgroundKind::Grey, 0.5};  // 16 + 219 / 2 = 125.5 -> 126 (BT.709-6 levels)
  CHECK(pgenerator_rgb_command(g, 1920, 1080, 8) == "RGB=RECTANGLE;607,342;100;16,16,16;126,126,126;-1,-1");
}

TEST_CASE("output mode and HDR metadata commands") {
  PGeneratorOptions o;
  o.hdr = PGeneratorHdr::Pq;
  o.max_luma = 1000;
  o.min_luma = 0.005;  // wire unit 0.0001 cd/m2 -> 50
  o.max_cll = 1000;
  o.max_fall = 400;
  // CTA-861-G EOTF code 2 = SMPTE ST 2084; RGB quantisation 1 = limited.
  CHECK(pgenerator_output_commands(o, 10, SignalRange::Legal) ==
        std::vector<std::string>{"CMD:SET_PGENERATOR_CONF_MAX_BPC:10", "CMD:SET_PGENERATOR_CONF_RGB_QUANT_RANGE:1",
                                 "CMD:SET_PGENERATOR_CONF_IS_SDR:0", "CMD:SET_PGENERATOR_CONF_IS_HDR:1",
                                 "CMD:SET_PGENERATOR_CONF_EOTF:2", "CMD:SET_PGENERATOR_CONF_MAX_LUMA:1000",
                                 "CMD:SET_PGENERATOR_CONF_MIN_LUMA:50", "CMD:SET_PGENERATOR_CONF_MAX_CLL:1000",
                                 "CMD:SET_PGENERATOR_CONF_MAX_FALL:400"});
  o.hdr = PGeneratorHdr::Hlg;  // EOTF code 3
  CHECK(pgenerator_output_commands(o, 10, SignalRange::Full)[4] == "CMD:SET_PGENERATOR_CONF_EOTF:3");
  o.hdr = PGeneratorHdr::Sdr;
  CHECK(pgenerator_output_commands(o, 8, SignalRange::Full) ==
        std::vector<std::string>{"CMD:SET_PGENERATOR_CONF_MAX_BPC:8", "CMD:SET_PGENERATOR_CONF_RGB_QUANT_RANGE:2",
                                 "CMD:SET_PGENERATOR_CONF_IS_SDR:1", "CMD:SET_PGENERATOR_CONF_IS_HDR:0",
                                 "CMD:SET_PGENERATOR_CONF_EOTF:0"});
}

TEST_CASE("the emulator answers on the wire with 0x02 0x0D terminated replies") {
  PGeneratorEmulator emulator(nullptr);
  TcpStream s = TcpStream::connect("127.0.0.1", emulator.port(), 5);
  CHECK(raw_exchange(s, "CMD:GET_RESOLUTION\x02\r") == "OK:1920x1080\x02\r");
  CHECK(raw_exchange(s, "IS_ALIVE\x02\r") == "ALIVE\x02\r");
  // Two commands in one segment are two replies.
  std::string both = raw_exchange(s, "RGB=RECTANGLE;10,10;100;1,2,3;0,0,0;-1,-1\x02\rIS_ALIVE\x02\r");
  if (both.size() < 11) both += raw_exchange(s, "");
  CHECK(both == "OK\x02\rALIVE\x02\r");
}

TEST_CASE("emulator error replies for bad commands, the client raises them") {
  PGeneratorEmulator emulator(nullptr);
  PGeneratorClient client(client_options(emulator.port()));
  CHECK(client.width() == 1920);
  CHECK(client.height() == 1080);
  for (const char* bad :
       {"HELLO", "RGB=RECTANGLE;10,10;100;256,0,0;0,0,0;-1,-1", "RGB=RECTANGLE10bit;10,10;100;1024,0,0;0,0,0;-1,-1",
        "RGB=CIRCLE;10,10;100;1,1,1;0,0,0;-1,-1", "RGB=RECTANGLE;2000,10;100;1,1,1;0,0,0;-1,-1",
        "RGB=RECTANGLE;10,10;100;1,1;0,0,0;-1,-1", "RGB=RECTANGLE;10,10;100;1,1,1;0,0,0;1915,0",
        "CMD:SET_PGENERATOR_CONF_EOTF:7", "CMD:SET_PGENERATOR_CONF_NOPE:1", "CMD:SET_PGENERATOR_CONF_MAX_BPC:x"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(client.command(bad), ProtocolError);
  }
  CHECK(emulator.errors().size() == 10);
  CHECK(client.command("IS_ALIVE") == "ALIVE");
}

TEST_CASE("an oversized command gets an error and the connection is closed, others still served") {
  PGeneratorEmulator emulator(nullptr);
  {
    TcpStream s = TcpStream::connect("127.0.0.1", emulator.port(), 5);
    std::string flood(kPGeneratorMaxMessage + 100, 'A');
    CHECK(raw_exchange(s, flood) == "ERR:command too long\x02\r");
    char byte;
    CHECK_THROWS_AS(s.recv_exact(&byte, 1, 5), PeerClosed);
  }
  PGeneratorClient client(client_options(emulator.port()));
  CHECK_NOTHROW(client.show(patch(Vec3::Ones(), 8, SignalRange::Full)));
}

TEST_CASE("a client that vanishes mid-command does not stop the emulator") {
  PGeneratorEmulator emulator(nullptr);
  {
    TcpStream s = TcpStream::connect("127.0.0.1", emulator.port(), 5);
    s.send_all(std::string("RGB=RECTANGLE;10,1"), 5);
    s.abort_close();
  }
  PGeneratorClient client(client_options(emulator.port()));
  CHECK_NOTHROW(client.show(patch(Vec3::Ones(), 8, SignalRange::Full)));
}

TEST_CASE("client and emulator: configuration, patches on the display, black at close") {
  SimulatedClock clock;
  VirtualDisplay display(load_display_model("sim:woled-tv"), clock);
  PGeneratorEmulator emulator(&display);
  PGeneratorOptions o = client_options(emulator.port());
  o.hdr = PGeneratorHdr::Pq;
  PGeneratorClient client(o);
  Patch p;
  p.bits = 10;
  p.range = SignalRange::Legal;
  p.code = {940, 502, 64};
  p.window_percent = 10;
  client.show(p);
  {
    std::lock_guard lock(emulator.display_mutex());
    CHECK(display.shown_signal()[0] == doctest::Approx(1.0));  // BT.2100-2 narrow range 940 / 502 / 64
    CHECK(display.shown_signal()[1] == doctest::Approx(0.5));
    CHECK(display.shown_signal()[2] == doctest::Approx(0.0));
    // 607 x 342 pixels of 1920 x 1080: 10.01 % of the area.
    CHECK(display.shown_window_percent() == doctest::Approx(100 * 607.0 * 342 / (1920.0 * 1080)).epsilon(1e-3));
  }
  auto conf = emulator.conf();
  CHECK(conf["EOTF"] == "2");
  CHECK(conf["MAX_BPC"] == "10");
  CHECK(conf["RGB_QUANT_RANGE"] == "1");
  auto commands = emulator.commands();
  CHECK(commands.front() == "CMD:GET_RESOLUTION");
  CHECK(commands.back() == "RGB=RECTANGLE10bit;607,342;100;940,502,64;64,64,64;-1,-1");
  client.close();
  std::lock_guard lock(emulator.display_mutex());
  CHECK(display.shown_signal() == Vec3::Zero());
  CHECK(display.shown_window_percent() == 100);
  CHECK(emulator.errors().empty());
}

TEST_CASE("the emulated PGenerator shows exactly what the virtual generator shows at full field") {
  SimulatedClock clock_a, clock_b;
  VirtualDisplay through_protocol(load_display_model("sim:reference"), clock_a);
  VirtualDisplay direct(load_display_model("sim:reference"), clock_b);
  EmulatedPGenerator pgen(through_protocol, PGeneratorOptions{});
  VirtualPatternGenerator virtual_generator(direct);
  for (int bits : {8, 10}) {
    for (SignalRange range : {SignalRange::Full, SignalRange::Legal}) {
      for (const Vec3& rgb : {Vec3(1, 1, 1), Vec3(0.25, 0.5, 0.75), Vec3(0, 0, 0)}) {
        Patch p = Patch::from_rgb(rgb, bits, range);
        pgen.show(p);
        virtual_generator.show(p);
        CHECK(through_protocol.shown_signal() == direct.shown_signal());
        CHECK(through_protocol.shown_window_percent() == direct.shown_window_percent());
      }
    }
  }
}

TEST_CASE("discovery on loopback finds the emulator") {
  PGeneratorEmulatorOptions o;
  o.discovery = true;
  o.name = "bench-pi";
  PGeneratorEmulator emulator(nullptr, o);
  auto found = discover_pgenerators("127.0.0.1", emulator.discovery_port(), 1);
  REQUIRE(found.size() == 1);
  CHECK(found[0].address == "127.0.0.1");
  CHECK(found[0].name == "bench-pi");
}

TEST_CASE("pgenerator spec strings") {
  PGeneratorSpec s = parse_pgenerator_spec("pgenerator:192.168.1.50");
  CHECK(s.options.host == "192.168.1.50");
  CHECK(s.options.port == 85);  // PGenerator's pattern port (patterns.md section 2)
  s = parse_pgenerator_spec("pgenerator:tv-pi:port=8585,bits=10,hdr=pq,maxcll=1000,maxfall=400");
  CHECK(s.options.host == "tv-pi");
  CHECK(s.options.port == 8585);
  CHECK(s.options.bits == 10);
  CHECK(s.options.hdr == PGeneratorHdr::Pq);
  CHECK(s.options.max_cll == 1000);
  CHECK(parse_pgenerator_spec("pgenerator:discover").discover);
  CHECK(parse_pgenerator_spec("pgenerator:emulate:bits=8").emulate);
  for (const char* bad : {"pgenerator", "pgenerator:", "pgenerator:h:bits=9", "pgenerator:h:bits=12",
                          "pgenerator:h:hdr=dv", "pgenerator:h:port=0", "pgenerator:h:colour=1"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(parse_pgenerator_spec(bad), InputError);
  }
}

TEST_CASE("pattern backend tables: emulators need a simulated display, real devices must not have one") {
  SimulatedClock clock;
  VirtualDisplay display(load_display_model("sim:reference"), clock);
  CHECK(find_pattern_backend("resolve"));
  CHECK(find_pattern_backend("resolve:port=1"));
  CHECK(find_pattern_backend("pgenerator:h"));
  CHECK_FALSE(find_pattern_backend("virtual"));
  CHECK_FALSE(find_pattern_backend("resolver"));
  CHECK_THROWS_AS(find_pattern_backend("resolve:emulate")->open("resolve:emulate"), InputError);
  CHECK_THROWS_AS(find_pattern_backend("pgenerator:emulate")->open("pgenerator:emulate"), InputError);
  CHECK_THROWS_AS(open_emulated_pattern("pgenerator:192.0.2.1", display), InputError);
  CHECK_THROWS_AS(open_emulated_pattern("window", display), InputError);
  auto emulated = open_emulated_pattern("pgenerator:emulate", display);
  emulated->show(patch(Vec3::Ones(), 10, SignalRange::Full));
  CHECK(display.shown_signal() == Vec3::Ones());
}

namespace {

// A PGenerator that answers CMD:GET_RESOLUTION with `resolution` and everything else with OK,
// for one client, on a thread.
class FakePGenerator {
 public:
  explicit FakePGenerator(std::string resolution)
      : listener_("127.0.0.1", 0), resolution_(std::move(resolution)), thread_([this] { serve(); }) {}
  ~FakePGenerator() { thread_.join(); }
  int port() const { return listener_.port(); }

 private:
  void serve() {
    TcpStream client = listener_.accept(20);
    if (!client.is_open()) return;
    std::string pending;
    char buffer[512];
    try {
      for (;;) {
        std::size_t end = pending.find(kPGeneratorEnd);
        if (end == std::string::npos) {
          pending.append(buffer, client.recv_some(buffer, sizeof buffer, 20));
          continue;
        }
        const std::string command = pending.substr(0, end);
        pending.erase(0, end + kPGeneratorEnd.size());
        client.send_all((command == "CMD:GET_RESOLUTION" ? resolution_ : "OK") + kPGeneratorEnd, 5);
      }
    } catch (const std::exception&) {  // the client closed
    }
  }

  TcpListener listener_;
  std::string resolution_;
  std::thread thread_;
};

test::CalkitOutput show_on(const FakePGenerator& peer) {
  return test::run_calkit(
      "pattern show --pattern pgenerator:127.0.0.1:port=" + std::to_string(peer.port()) + " --rgb 500,500,500 --hold 0",
      test::Stderr::Capture);
}

}  // namespace

// Issue 15 item 11: the client took a 0x0 or 99999x99999 screen from the peer (then
// std::clamp(v, 1, 0), undefined behaviour, placed the patch) and echoed the peer's raw escape
// sequences to the terminal.
TEST_CASE("calkit pattern show refuses a screen size no PGenerator has and never prints the peer's escapes") {
  for (const std::string size : {"00x00", "99999x99999", "1920x0"}) {
    CAPTURE(size);
    FakePGenerator peer("OK:" + size);
    test::CalkitOutput r = show_on(peer);
    CHECK(r.status == 1);
    CHECK(r.output.find("screen (each side must be 1..16384)") != std::string::npos);
  }
  FakePGenerator hostile(
      "ERR \x1b]2;owned\x07\x1b[2J\x9b"
      "31m");
  test::CalkitOutput r = show_on(hostile);
  CHECK(r.status == 1);
  CHECK(r.output.find('\x1b') == std::string::npos);
  CHECK(r.output.find('\x07') == std::string::npos);
  CHECK(r.output.find('\x9b') == std::string::npos);
  CHECK(r.output.find("ERR \\x1b]2;owned\\x07\\x1b[2J\\x9b31m") != std::string::npos);
}
