// Transports: the termios serial port against a pseudo-terminal (the kernel's tty layer plays the
// device), the udev rules file against the VID:PIDs published in probes.md.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <pty.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "probes/transport/transport.hpp"

using namespace calkit;

namespace {

struct Pty {
  int master = -1, slave = -1;
  std::string path;
  Pty() {
    char name[128];
    REQUIRE(openpty(&master, &slave, name, nullptr, nullptr) == 0);
    path = name;
  }
  ~Pty() {
    if (slave >= 0) close(slave);
    if (master >= 0) close(master);
  }
  void send(const std::string& s) const {
    REQUIRE(::write(master, s.data(), s.size()) == static_cast<ssize_t>(s.size()));
  }
};

template <class F>
ProbeErrorKind error_kind(F f) {
  try {
    f();
  } catch (const ProbeError& e) {
    return e.kind();
  }
  FAIL("no ProbeError thrown");
  return ProbeErrorKind::Protocol;
}

}  // namespace

TEST_CASE("serial: read until a terminator, read exactly N, write reaches the device") {
  Pty pty;
  auto port = open_serial(pty.path, 9600);
  pty.send("*idn?\rJETI_SB1211\r\x06rest");
  CHECK(port->read_until("\r", 100, 1000) == "*idn?\r");
  CHECK(port->read_until("\x06\x15", 100, 1000) == "JETI_SB1211\r\x06");
  CHECK(port->read_exact(4, 1000) == "rest");
  port->write(std::string_view("N5\r"));
  char buf[8] = {};
  CHECK(::read(pty.master, buf, sizeof buf) == 3);
  CHECK(std::string(buf, 3) == "N5\r");
}

TEST_CASE("serial: timeout, busy, not found and hang-up are typed errors") {
  Pty pty;
  auto port = open_serial(pty.path, 115200);
  pty.send("partial");
  CHECK(error_kind([&] { port->read_until("\r", 100, 50); }) == ProbeErrorKind::Timeout);
  CHECK(error_kind([&] { open_serial(pty.path, 9600); }) == ProbeErrorKind::Busy);
  CHECK(error_kind([&] { open_serial("/dev/calkit-no-such-tty", 9600); }) == ProbeErrorKind::NotFound);
  CHECK(error_kind([&] { port->set_baud(12345); }) == ProbeErrorKind::Protocol);
  close(pty.master);  // the device goes away
  pty.master = -1;
  CHECK(error_kind([&] { port->read_exact(4, 500); }) == ProbeErrorKind::Disconnected);
}

TEST_CASE("permission errors carry the udev hint") {
  ProbeError e = permission_error("/dev/hidraw3");
  CHECK(e.kind() == ProbeErrorKind::Permission);
  CHECK(std::string(e.what()).find("calkit probe setup") != std::string::npos);
}

TEST_CASE("the shipped udev rules are the generated ones and cover the published VID:PIDs") {
  std::ifstream in(std::string(CALKIT_TEST_DATA) + "/../../probes/udev/60-calkit.rules");
  REQUIRE(in);
  std::stringstream text;
  text << in.rdbuf();
  CHECK(text.str() == udev_rules());  // regenerate with `calkit probe setup --print`
  // probes.md summary table: i1d3 0765:5020, SpyderX 085C:0A00 (ArgyllCMS insttypes.c).
  for (const char* ids : {"ATTRS{idVendor}==\"0765\", ATTRS{idProduct}==\"5020\"",
                          "ATTRS{idVendor}==\"085c\", ATTRS{idProduct}==\"0a00\""})
    CHECK(text.str().find(ids) != std::string::npos);
  for (const SupportedDevice& d : supported_devices()) CHECK_FALSE(d.driver.empty());
}
