#pragma once
// Probe traces: every transaction a driver makes through its wire, written as text while it
// happens (`--trace FILE`), and served back to the unchanged driver (`--probe replay:FILE`), which
// fails at the first request that differs from the recording. A trace a user records on a real
// instrument becomes a regression test (tests/probes/traces/). docs/probes.md has the format:
//
//   calkit-trace 1
//   probe i1d3,sync=yes               the probe-table row and its driver options
//   wire hid                          hid | usb | serial
//   0.000000 out 00 01 00*62          seconds since the start, event, fields
//   0.000412 in 00 00 01 00*61
//
// Host to device (a replay matches them in order, byte for byte):
//   out HEX                                HID output report (without the report-ID byte)
//   ctrl RT REQ VALUE INDEX LENGTH [HEX]   USB control transfer: setup packet (hex, length
//                                          decimal) and the data stage of a host-to-device one
//   bulk-out EP HEX / int-out EP HEX       USB bulk / interrupt OUT transfer
//   reset                                  USB port reset (HID and USB wires, before closing)
//   baud N                                 serial line rate
//   tx HEX                                 bytes written to a serial port
//   A request that failed carries " ! KIND MESSAGE" at the end of its line.
// Device to host (a replay serves them to the driver's reads):
//   in HEX                                 HID input report
//   ctrl-in HEX                            data stage of a device-to-host control transfer
//   bulk-in EP HEX / int-in EP HEX         USB IN transfer
//   rx HEX                                 bytes read from a serial port: a stream, so a replay's
//                                          reads may split or join rx lines
//   timeout                                the read got nothing (more) in time
//   error KIND MESSAGE                     the read failed (Disconnected, Protocol, ...)
// Neither: discard (serial input flushed: what was received and not read is dropped).
// HEX: bytes as two hex digits separated by spaces, HH*N for N copies of HH. '#' starts a comment.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "probes/transport/transport.hpp"

namespace calkit {

struct TraceEvent {
  int line = 0;
  double time_s = 0;
  std::string kind;                 // "out", "in", "ctrl", "rx", "timeout", "error", ...
  std::vector<std::uint32_t> args;  // setup packet, endpoint or baud rate
  Bytes data;
  bool failed = false;  // a request that failed, or an "error"/"timeout" event
  ProbeErrorKind error_kind = ProbeErrorKind::Protocol;
  std::string message;  // the failure's message
};

struct Trace {
  std::string name;   // the file, for messages
  std::string probe;  // "i1d3,sync=yes"
  TransportKind wire = TransportKind::Hid;
  std::vector<TraceEvent> events;
};

// InputError naming the file, line and field for anything that is not the grammar above.
Trace parse_trace(std::string_view text, const std::string& name);
Trace read_trace(const std::filesystem::path& path);

std::string wire_name(TransportKind kind);  // "hid", "usb", "serial"
// One event as a trace line shows it, without the time: "out 00 01 00*62".
std::string format_trace_event(const TraceEvent& event);

// Writes a trace as it happens: one line per transaction, flushed at once, so a crash or an
// unplugged probe keeps everything up to it (like the measurement journal, and unlike the other
// files calkit writes, a trace is a log: it is appended to, not written atomically).
class TraceWriter {
 public:
  // Truncates `path`. The header is written with the first event, so the probe spec may be
  // settled (set_probe) until then.
  TraceWriter(const std::filesystem::path& path, TransportKind wire, Clock& clock);
  ~TraceWriter();
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  void set_probe(const std::string& probe_spec);
  void record(TraceEvent event);                 // time_s is set here
  void record_failure(const ProbeError& error);  // a read that failed: "timeout" or "error"
  Clock& clock() { return clock_; }

 private:
  void write_line(const std::string& line);
  std::string path_;
  TransportKind wire_;
  Clock& clock_;
  double start_s_;
  std::string probe_;
  std::FILE* file_ = nullptr;
  bool header_written_ = false;
};

// The wire with every transaction written to `trace`; a null trace returns the wire unchanged.
std::unique_ptr<HidTransport> traced(std::unique_ptr<HidTransport> wire, std::shared_ptr<TraceWriter> trace);
std::unique_ptr<UsbTransport> traced(std::unique_ptr<UsbTransport> wire, std::shared_ptr<TraceWriter> trace);
std::unique_ptr<SerialTransport> traced(std::unique_ptr<SerialTransport> wire, std::shared_ptr<TraceWriter> trace);
ProbeWire traced_wire(ProbeWire wire, std::shared_ptr<TraceWriter> trace);

// A wire that plays `trace` back: each request must be the trace's next one (else ProbeError
// Protocol naming the line), reads get the recorded replies, and the clock advances to each
// reply's recorded time (a SimulatedClock replays a long session at once).
ProbeWire replay_wire(Trace trace, Clock& clock);

}  // namespace calkit
