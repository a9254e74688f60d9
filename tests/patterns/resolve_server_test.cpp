// The Resolve backend over real loopback sockets: frame bytes against DisplayCAL's published
// layout (patterns.md section 1), codes against the published video levels (ITU-R BT.709-6 8-bit
// 16/235, BT.2100-2 10-bit 64/940), geometry against sqrt(area), and the session behaviour
// (reconnects, vanishing and misbehaving peers, disallowed addresses). Every wait is bounded.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/error.hpp"
#include "emulators/resolve_client_emulator.hpp"
#include "emulators/virtual_pattern_generator.hpp"
#include "patterns/resolve_server.hpp"
#include "sim/display_model.hpp"
#include "tests/support/calkit_test_support.hpp"

using namespace calkit;

namespace {

Patch grey(const Vec3& rgb, int bits, SignalRange range, double window = 100) {
  Patch p = Patch::from_rgb(rgb, bits, range);
  p.window_percent = window;
  return p;
}

ResolveOptions test_options(std::vector<std::string>* log = nullptr) {
  ResolveOptions o;
  o.port = 0;  // a free port: test cases run in parallel
  o.accept_timeout_s = 5;
  o.send_timeout_s = 5;
  o.log = [log](const std::string& line) {
    if (log) log->push_back(line);
  };
  return o;
}

ResolveEmulatorOptions emulator_options(int port, const std::string& source = "") {
  ResolveEmulatorOptions e;
  e.port = port;
  e.source = source;
  e.connect_timeout_s = 5;
  return e;
}

bool eventually(const std::function<bool()>& condition, double timeout_s = 5) {
  auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return condition();
}

bool contains(const std::vector<std::string>& lines, const std::string& part) {
  for (const auto& l : lines)
    if (l.find(part) != std::string::npos) return true;
  return false;
}

// A server that accepts one emulator connection and lets a test write raw bytes to it.
struct RawServer {
  TcpListener listener{"127.0.0.1", 0};
  TcpStream accept() {
    TcpStream s = listener.accept(5);
    REQUIRE(s.is_open());
    return s;
  }
};

}  // namespace

TEST_CASE("CM frame bytes follow DisplayCAL's layout with 4-byte big-endian length") {
  // 10% of the AREA: side sqrt(0.1) = 0.316228, top-left (1 - 0.316228) / 2 = 0.341886.
  Patch p;
  p.code = {512, 512, 512};
  p.bits = 10;
  p.window_percent = 10;
  std::string expected =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?><calibration><color red=\"512\" green=\"512\" blue=\"512\" "
      "bits=\"10\"/><background red=\"0\" green=\"0\" blue=\"0\" bits=\"10\"/><geometry x=\"0.3419\" "
      "y=\"0.3419\" cx=\"0.3162\" cy=\"0.3162\"/></calibration>";
  CHECK(resolve_xml(p, ResolveDialect::Cm) == expected);
  std::string frame = resolve_frame(expected);
  REQUIRE(frame.size() == expected.size() + 4);
  std::size_t n = expected.size();
  CHECK(static_cast<unsigned char>(frame[0]) == ((n >> 24) & 0xff));
  CHECK(static_cast<unsigned char>(frame[1]) == ((n >> 16) & 0xff));
  CHECK(static_cast<unsigned char>(frame[2]) == ((n >> 8) & 0xff));
  CHECK(static_cast<unsigned char>(frame[3]) == (n & 0xff));
  CHECK(frame.substr(4) == expected);
}

TEST_CASE("LS frame bytes follow DisplayCAL's layout at 8 bits") {
  // DisplayCAL's published example geometry: x = y = 0.45, cx = cy = 0.1, i.e. a 1 % area window.
  Patch p;
  p.code = {128, 128, 128};
  p.bits = 8;
  p.window_percent = 1;
  CHECK(resolve_xml(p, ResolveDialect::Ls) ==
        "<?xml version=\"1.0\" encoding=\"UTF-8\" ?><calibration><shapes><rectangle><color red=\"128\" "
        "green=\"128\" blue=\"128\" /><geometry x=\"0.4500\" y=\"0.4500\" cx=\"0.1000\" cy=\"0.1000\" />"
        "</rectangle></shapes></calibration>");
}

TEST_CASE("both dialects carry the published video levels at 8 and 10 bits, full and legal") {
  struct Case {
    ResolveDialect dialect;
    int patch_bits;
    SignalRange range;
    int wire_bits, black, white;
  };
  // Legal: BT.709-6 16/235 at 8 bits, BT.2100-2 64/940 at 10 bits (a 2-bit shift of 16/235).
  // Full: 0 / 2^n - 1.
  std::vector<Case> cases{
      {ResolveDialect::Cm, 10, SignalRange::Legal, 10, 64, 940},
      {ResolveDialect::Cm, 8, SignalRange::Legal, 8, 16, 235},
      {ResolveDialect::Cm, 10, SignalRange::Full, 10, 0, 1023},
      {ResolveDialect::Cm, 8, SignalRange::Full, 8, 0, 255},
      {ResolveDialect::Ls, 10, SignalRange::Legal, 8, 16, 235},
      {ResolveDialect::Ls, 8, SignalRange::Legal, 8, 16, 235},
      {ResolveDialect::Ls, 10, SignalRange::Full, 8, 0, 255},
      {ResolveDialect::Ls, 8, SignalRange::Full, 8, 0, 255},
  };
  for (const Case& c : cases) {
    CAPTURE(static_cast<int>(c.dialect));
    CAPTURE(c.patch_bits);
    CAPTURE(static_cast<int>(c.range));
    ResolveFrame white = parse_resolve_xml(resolve_xml(grey(Vec3::Ones(), c.patch_bits, c.range), c.dialect));
    ResolveFrame black = parse_resolve_xml(resolve_xml(grey(Vec3::Zero(), c.patch_bits, c.range), c.dialect));
    CHECK(white.bits == c.wire_bits);
    CHECK(white.color == std::array<int, 3>{c.white, c.white, c.white});
    CHECK(black.color == std::array<int, 3>{c.black, c.black, c.black});
  }
  // Intermediate legal codes move by exact 2-bit shifts: 10-bit 502 (50 %) -> 8-bit 125.5 -> 126.
  Patch mid;
  mid.bits = 10;
  mid.range = SignalRange::Legal;
  mid.code = {500, 502, 504};
  CHECK(parse_resolve_xml(resolve_xml(mid, ResolveDialect::Ls)).color == std::array<int, 3>{125, 126, 126});
  CHECK(parse_resolve_xml(resolve_xml(mid, ResolveDialect::Cm)).color == std::array<int, 3>{500, 502, 504});
}

TEST_CASE("window geometry is the centred square root of the area") {
  for (double pct : {1.0, 4.0, 10.0, 18.0, 25.0, 50.0, 100.0}) {
    CAPTURE(pct);
    ResolveFrame f =
        parse_resolve_xml(resolve_xml(grey(Vec3::Constant(0.5), 10, SignalRange::Full, pct), ResolveDialect::Cm));
    double side = std::sqrt(pct / 100);
    CHECK(f.cx == doctest::Approx(side).epsilon(1e-4));
    CHECK(f.cy == doctest::Approx(side).epsilon(1e-4));
    CHECK(f.x == doctest::Approx((1 - side) / 2).epsilon(1e-4));  // centred: equal margins
    CHECK(f.y == doctest::Approx((1 - side) / 2).epsilon(1e-4));
    CHECK(displayed_patch(f, SignalRange::Full).window_percent == doctest::Approx(pct));
  }
}

TEST_CASE("backgrounds: black, grey and constant APL in the CM background element") {
  Patch p = grey(Vec3::Ones(), 10, SignalRange::Legal, 10);
  ResolveFrame black = parse_resolve_xml(resolve_xml(p, ResolveDialect::Cm));
  REQUIRE(black.background);
  CHECK(*black.background == std::array<int, 3>{64, 64, 64});  // legal black
  p.background = {BackgroundKind::Grey, 0.5};
  // Legal 50 %: (219 * 0.5 + 16) * 4 = 502 (BT.2100-2 narrow-range formula).
  CHECK(*parse_resolve_xml(resolve_xml(p, ResolveDialect::Cm)).background == std::array<int, 3>{502, 502, 502});
  // Constant APL 0.2 around a 10 % white window: (0.2 - 0.1 * 1) / 0.9 = 0.1111 -> 4 * (219/9 + 16) = 161.3.
  p.background = {BackgroundKind::ConstantApl, 0.2};
  CHECK(*parse_resolve_xml(resolve_xml(p, ResolveDialect::Cm)).background == std::array<int, 3>{161, 161, 161});
  // LS: a non-black background is a first full-frame rectangle (8-bit: 16 + 219 / 2 = 125.5 -> 126).
  p.background = {BackgroundKind::Grey, 0.5};
  ResolveFrame ls = parse_resolve_xml(resolve_xml(p, ResolveDialect::Ls));
  REQUIRE(ls.background);
  CHECK(*ls.background == std::array<int, 3>{126, 126, 126});
  CHECK(ls.color == std::array<int, 3>{235, 235, 235});
}

TEST_CASE("patches reach the emulated display unchanged over a real socket") {
  SimulatedClock clock;
  VirtualDisplay display(load_display_model("sim:reference"), clock);
  ResolveServer server(test_options());
  ResolveClientEmulator emulator(&display, emulator_options(server.port()));
  emulator.set_input_range(SignalRange::Legal);
  emulator.start();
  Patch p;
  p.bits = 10;
  p.range = SignalRange::Legal;
  p.code = {940, 502, 64};
  p.window_percent = 10;
  server.show(p);
  REQUIRE(emulator.wait_for_frames(1, 5));
  std::lock_guard lock(emulator.display_mutex());
  // The display decodes 940/502/64 as 1 / 0.5 / 0 (BT.2100-2 narrow range).
  CHECK(display.shown_signal()[0] == doctest::Approx(1.0));
  CHECK(display.shown_signal()[1] == doctest::Approx(0.5));
  CHECK(display.shown_signal()[2] == doctest::Approx(0.0));
  CHECK(display.shown_window_percent() == doctest::Approx(10));
  CHECK(emulator.errors().empty());
}

TEST_CASE("the emulated rig shows exactly what the virtual generator shows") {
  SimulatedClock clock_a, clock_b;
  VirtualDisplay through_protocol(load_display_model("sim:reference"), clock_a);
  VirtualDisplay direct(load_display_model("sim:reference"), clock_b);
  EmulatedResolve resolve(through_protocol, test_options());
  VirtualPatternGenerator virtual_generator(direct);
  for (SignalRange range : {SignalRange::Full, SignalRange::Legal}) {
    for (const Vec3& rgb : {Vec3(1, 1, 1), Vec3(0.25, 0.5, 0.75), Vec3(0, 0, 0), Vec3(0.9, 0.1, 0.3)}) {
      Patch p = Patch::from_rgb(rgb, 10, range);
      resolve.show(p);
      virtual_generator.show(p);
      CHECK(through_protocol.shown_signal() == direct.shown_signal());
      CHECK(through_protocol.shown_window_percent() == direct.shown_window_percent());
      CHECK(through_protocol.shown_background() == direct.shown_background());
    }
  }
  resolve.close();
  CHECK(through_protocol.shown_signal() == Vec3::Zero());  // full-field black at the end
  CHECK(through_protocol.shown_window_percent() == 100);
}

TEST_CASE("a client that drops and reconnects continues the session and gets the current patch") {
  std::vector<std::string> log;
  ResolveServer server(test_options(&log));
  ResolveClientEmulator emulator(nullptr, emulator_options(server.port()));
  emulator.start();
  Patch a = grey(Vec3::Constant(0.5), 10, SignalRange::Legal, 10);
  server.show(a);
  REQUIRE(emulator.wait_for_frames(1, 5));
  emulator.stop();  // Resolve disconnects
  CHECK(eventually([&] { return !server.client_connected(); }));
  emulator.start();  // and comes back
  server.wait_for_client();
  REQUIRE(emulator.wait_for_frames(2, 5));
  CHECK(emulator.last_frame()->color == std::array<int, 3>{502, 502, 502});  // current patch re-sent
  Patch b = grey(Vec3::Ones(), 10, SignalRange::Legal, 10);
  server.show(b);
  REQUIRE(emulator.wait_for_frames(3, 5));
  CHECK(emulator.last_frame()->color == std::array<int, 3>{940, 940, 940});
  CHECK(server.connections() == 2);
  CHECK(contains(log, "waiting for Resolve to reconnect"));
  CHECK(emulator.errors().empty());
}

TEST_CASE("a client that vanishes is detected and the next patch goes to its replacement") {
  ResolveServer server(test_options());
  TcpStream vanishing = TcpStream::connect("127.0.0.1", server.port(), 5);
  server.show(grey(Vec3::Constant(0.5), 8, SignalRange::Full));
  char header[4];
  vanishing.recv_exact(header, 4, 5);  // mid-frame: header read, body not
  vanishing.abort_close();             // reset, as a crashed Resolve
  ResolveClientEmulator emulator(nullptr, emulator_options(server.port()));
  emulator.start();
  server.show(grey(Vec3::Ones(), 8, SignalRange::Full));
  REQUIRE(emulator.wait_for_frames(1, 5));
  CHECK(emulator.last_frame()->color == std::array<int, 3>{255, 255, 255});
  CHECK(server.connections() == 2);
}

TEST_CASE("the emulator flags a server that vanishes mid-frame, oversized and malformed frames") {
  struct Case {
    std::string bytes;
    std::string error;
  };
  std::string good = resolve_xml(grey(Vec3::Ones(), 10, SignalRange::Full), ResolveDialect::Cm);
  std::vector<Case> cases{
      {resolve_frame(good).substr(0, 30), "peer closed inside"},          // vanished mid-frame
      {std::string("\x00\x01\x11\x71", 4), "frame length 70001"},         // oversized
      {std::string("\x00\x00\x00\x00", 4), "frame length 0"},             // empty
      {resolve_frame("<calibration/>"), "missing <?xml"},                 // no declaration
      {resolve_frame(good.substr(0, good.size() - 1)), "malformed XML"},  // truncated document
  };
  for (const Case& c : cases) {
    CAPTURE(c.error);
    RawServer raw;
    ResolveClientEmulator emulator(nullptr, emulator_options(raw.listener.port()));
    emulator.start();
    TcpStream s = raw.accept();
    s.send_all(c.bytes, 5);
    s.shutdown_and_close();
    REQUIRE(emulator.wait_finished(5));
    REQUIRE(emulator.errors().size() == 1);
    CHECK(emulator.errors()[0].find(c.error) != std::string::npos);
    CHECK(emulator.frames() == 0);
  }
}

TEST_CASE("strict XML checks reject malformed and out-of-range frames") {
  const std::string decl = "<?xml version=\"1.0\" encoding=\"utf-8\"?>";
  const std::string geo = "<geometry x=\"0\" y=\"0\" cx=\"1\" cy=\"1\"/>";
  std::vector<std::string> bad{
      decl + "<calibration><color red=\"1024\" green=\"0\" blue=\"0\" bits=\"10\"/>" + geo + "</calibration>",
      decl + "<calibration><color red=\"-1\" green=\"0\" blue=\"0\" bits=\"10\"/>" + geo + "</calibration>",
      decl + "<calibration><color red=\"1\" green=\"0\" blue=\"0\" bits=\"16\"/>" + geo + "</calibration>",
      decl + "<calibration><color red=\"1\" red=\"1\" green=\"0\" blue=\"0\" bits=\"10\"/>" + geo + "</calibration>",
      decl + "<calibration><color red=\"1\" green=\"0\" blue=\"0\"/>" + geo + "</calibration>",
      decl + "<calibration><color red=\"1\" green=\"0\" blue=\"0\" bits=\"10\"/></calibration>",
      decl + "<calibration><color red=\"1\" green=\"0\" blue=\"0\" bits=\"10\"/>" + geo + "text</calibration>",
      decl + "<calibration><color red=\"1\" green=\"0\" blue=\"0\" bits=\"10\"/>" + geo + "</calibraton>",
      decl +
          "<calibration><color red=\"1\" green=\"0\" blue=\"0\" bits=\"10\"/>"
          "<geometry x=\"0.5\" y=\"0\" cx=\"0.6\" cy=\"1\"/></calibration>",
      decl + "<calibration><color red=\"1\" green=\"0\" blue=\"0\" bits=\"10\"/>" + geo + "</calibration><x/>",
      decl + "<calibration><color red=\"1\" green=\"0\" blue=\"0\" bits=\"10\"/>" + geo + "<extra/></calibration>",
      decl + "<calibration><shapes><rectangle><color red=\"256\" green=\"0\" blue=\"0\" />" + geo +
          "</rectangle></shapes></calibration>",
      decl + "<calibration><color red=\"1\" green=\"0\" blue=\"0\" bits=\"10\"/>" + geo + "</calibration>\xc3\xa9",
      "<?xml version=\"2.0\"?><calibration/>",
  };
  for (const std::string& xml : bad) {
    CAPTURE(xml);
    CHECK_THROWS_AS(parse_resolve_xml(xml), ProtocolError);
  }
}

TEST_CASE("a misbehaving client that floods the server is dropped, the server keeps serving") {
  std::vector<std::string> log;
  ResolveServer server(test_options(&log));
  TcpStream flood = TcpStream::connect("127.0.0.1", server.port(), 5);
  server.show(grey(Vec3::Zero(), 10, SignalRange::Full));
  std::string garbage(100000, 'x');
  try {
    flood.send_all(garbage, 2);
  } catch (const NetworkError&) {  // the server may already have reset us
  }
  ResolveClientEmulator emulator(nullptr, emulator_options(server.port()));
  emulator.start();
  REQUIRE(emulator.wait_connected(5));
  server.show(grey(Vec3::Ones(), 10, SignalRange::Full));
  REQUIRE(emulator.wait_for_frames(1, 5));
  CHECK(emulator.last_frame()->color == std::array<int, 3>{1023, 1023, 1023});
  CHECK(contains(log, "unexpected bytes"));
}

TEST_CASE("a peer outside 127.0.0.1 and allow= is rejected, allow= admits it") {
  std::vector<std::string> log;
  ResolveServer server(test_options(&log));
  ResolveClientEmulator other(nullptr, emulator_options(server.port(), "127.0.0.2"));
  ResolveClientEmulator local(nullptr, emulator_options(server.port()));
  other.start();
  REQUIRE(other.wait_connected(5));  // TCP handshake done, queued for accept
  local.start();
  REQUIRE(local.wait_connected(5));
  server.show(grey(Vec3::Ones(), 10, SignalRange::Full));
  REQUIRE(local.wait_for_frames(1, 5));
  CHECK(other.wait_finished(5));
  CHECK(other.frames() == 0);
  CHECK(server.rejected_peers() == 1);
  CHECK(contains(log, "rejected a connection from 127.0.0.2"));

  ResolveOptions allowing = test_options();
  allowing.bind = "127.0.0.1";
  allowing.allow = {"127.0.0.2"};
  ResolveServer open_server(allowing);
  ResolveClientEmulator admitted(nullptr, emulator_options(open_server.port(), "127.0.0.2"));
  admitted.start();
  open_server.show(grey(Vec3::Ones(), 10, SignalRange::Full));
  CHECK(admitted.wait_for_frames(1, 5));
  CHECK(open_server.rejected_peers() == 0);
}

TEST_CASE("close shows full-field black in the session's range") {
  ResolveServer server(test_options());
  ResolveClientEmulator emulator(nullptr, emulator_options(server.port()));
  emulator.start();
  server.show(grey(Vec3::Ones(), 10, SignalRange::Legal, 10));
  server.close();
  REQUIRE(emulator.wait_finished(5));
  REQUIRE(emulator.frames() == 2);
  ResolveFrame f = *emulator.last_frame();
  CHECK(f.color == std::array<int, 3>{64, 64, 64});  // BT.2100-2 10-bit narrow-range black
  CHECK(f.x == 0);
  CHECK(f.cx == 1);
  CHECK(emulator.errors().empty());  // the orderly close is not an error
}

TEST_CASE("no client within the accept timeout is a NetworkError, not a hang") {
  ResolveOptions o = test_options();
  o.accept_timeout_s = 0.2;
  ResolveServer server(o);
  CHECK_THROWS_AS(server.show(grey(Vec3::Ones(), 10, SignalRange::Full)), NetworkError);
}

TEST_CASE("resolve spec strings") {
  bool emulate = true;
  ResolveOptions o = parse_resolve_spec("resolve", &emulate);
  CHECK(o.port == 20002);  // DisplayCAL's default (patterns.md section 1)
  CHECK(o.dialect == ResolveDialect::Cm);
  CHECK(o.allow.empty());
  CHECK_FALSE(emulate);
  o = parse_resolve_spec("resolve:port=20003,bind=0.0.0.0,allow=192.168.1.20+10.0.0.2,dialect=ls", &emulate);
  CHECK(o.port == 20003);
  CHECK(o.bind == "0.0.0.0");
  CHECK(o.allow == std::vector<std::string>{"192.168.1.20", "10.0.0.2"});
  CHECK(o.dialect == ResolveDialect::Ls);
  parse_resolve_spec("resolve:emulate", &emulate);
  CHECK(emulate);
  for (const char* bad : {"resolve:port=x", "resolve:port=70000", "resolve:foo=1", "resolve:allow=300.1.1.1",
                          "resolve:allow=", "resolve:dialect=xx", "resolve:bind=host", "resolver"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(parse_resolve_spec(bad, &emulate), InputError);
  }
  CHECK_THROWS_AS(parse_resolve_spec("resolve:emulate"), InputError);  // only where emulation is possible
}

namespace {

std::string read_data_section(const std::string& path) {
  std::ifstream in(path);
  std::string line, out;
  bool data = false;
  while (std::getline(in, line)) {
    if (line.rfind("BEGIN_DATA", 0) == 0 && line.find("FORMAT") == std::string::npos) data = true;
    if (data) out += line + "\n";
  }
  return out;
}

int run(const std::string& command) { return std::system((command + " >/dev/null 2>&1").c_str()); }

}  // namespace

TEST_CASE("calkit measure through the Resolve and PGenerator emulators reads what the virtual run reads") {
  const std::string calkit = CALKIT_BINARY;
  const std::string tmp = std::string(CALKIT_TEST_TMP) + "/net_cli_";
  REQUIRE(run(calkit + " patches --set greyscale --count 6 -o " + tmp + "set.ti1") == 0);
  const std::string common = " measure --probe sim --display sim:reference --seed 7 --patches " + tmp + "set.ti1 -q";
  for (const std::string& pattern : {std::string("resolve:emulate"), std::string("pgenerator:emulate")}) {
    CAPTURE(pattern);
    // Legal range at 10 bits; Resolve also with a 10 % window (its geometry carries the area
    // exactly to 0.01 %); PGenerator at full field (pixel rectangles round the area).
    std::string window = pattern == "resolve:emulate" ? " --window 10" : " --window 100";
    std::string options = " --bits 10 --range legal" + window;
    std::remove((tmp + "virtual.ti3").c_str());
    std::remove((tmp + "network.ti3").c_str());
    REQUIRE(run(calkit + common + options + " --pattern virtual -o " + tmp + "virtual.ti3") == 0);
    REQUIRE(run(calkit + common + options + " --pattern " + pattern + " -o " + tmp + "network.ti3") == 0);
    std::string direct = read_data_section(tmp + "virtual.ti3");
    std::string through_protocol = read_data_section(tmp + "network.ti3");
    REQUIRE(direct.size() > 50);
    CHECK(through_protocol == direct);  // same seed, same patches: bit-identical readings
  }
}

// Issue 15 item 14: `--pattern resolve:port=P,allow=127.0.0.1` listened on every interface
// (0.0.0.0), where the README promises loopback unless allow= names other addresses. The server
// prints where it listens, then waits for Resolve (ended by `timeout`).
TEST_CASE("calkit listens for Resolve on loopback unless allow= names another machine") {
  auto listening_on = [](const std::string& spec) {
    test::CalkitOutput r = test::run_calkit("pattern show --pattern " + spec + " --rgb 940,940,940 --hold 0",
                                            test::Stderr::Capture, "timeout 2");
    std::size_t at = r.output.find("waiting for DaVinci Resolve on ");
    REQUIRE(at != std::string::npos);
    at += std::string("waiting for DaVinci Resolve on ").size();
    return r.output.substr(at, r.output.find(':', at) - at);
  };
  CHECK(listening_on("resolve:port=0") == "127.0.0.1");
  CHECK(listening_on("resolve:port=0,allow=127.0.0.1") == "127.0.0.1");
  CHECK(listening_on("resolve:port=0,allow=127.0.0.2+127.0.0.3") == "127.0.0.1");
  CHECK(listening_on("resolve:port=0,allow=192.0.2.7") == "0.0.0.0");
  CHECK(listening_on("resolve:port=0,allow=192.0.2.7,bind=127.0.0.1") == "127.0.0.1");
}
