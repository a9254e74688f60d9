#include "probes/transport/trace.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <deque>

#include "core/error.hpp"
#include "core/files.hpp"

namespace calkit {
namespace {

enum class Side { Host, Device, Neither };
enum class Arg { Hex8, Hex16, Dec };

struct EventKind {
  const char* name;
  Side side;
  std::vector<Arg> args;
  bool data;
  std::vector<TransportKind> wires;  // empty: any wire
};

const std::vector<EventKind>& event_kinds() {
  using enum TransportKind;
  static const std::vector<EventKind> kinds = {
      {"out", Side::Host, {}, true, {Hid}},
      {"in", Side::Device, {}, true, {Hid}},
      {"ctrl", Side::Host, {Arg::Hex8, Arg::Hex8, Arg::Hex16, Arg::Hex16, Arg::Dec}, true, {Usb}},
      {"ctrl-in", Side::Device, {}, true, {Usb}},
      {"bulk-out", Side::Host, {Arg::Hex8}, true, {Usb}},
      {"bulk-in", Side::Device, {Arg::Hex8}, true, {Usb}},
      {"int-out", Side::Host, {Arg::Hex8}, true, {Usb}},
      {"int-in", Side::Device, {Arg::Hex8}, true, {Usb}},
      {"reset", Side::Host, {}, false, {Hid, Usb}},
      {"baud", Side::Host, {Arg::Dec}, false, {Serial}},
      {"tx", Side::Host, {}, true, {Serial}},
      {"rx", Side::Device, {}, true, {Serial}},
      {"discard", Side::Neither, {}, false, {Serial}},
      {"timeout", Side::Device, {}, false, {}},
      {"error", Side::Device, {}, false, {}},
  };
  return kinds;
}

const EventKind* find_kind(std::string_view name) {
  for (const EventKind& k : event_kinds())
    if (name == k.name) return &k;
  return nullptr;
}

const EventKind& kind_of(const TraceEvent& e) { return *find_kind(e.kind); }

constexpr const char* kErrorKinds[] = {"NotFound",  "Permission", "Busy",     "Disconnected",
                                       "Saturated", "TooDark",    "Protocol", "Timeout"};

std::string error_kind_name(ProbeErrorKind k) { return kErrorKinds[static_cast<int>(k)]; }

bool error_kind_named(std::string_view name, ProbeErrorKind& out) {
  for (int i = 0; i < 8; ++i)
    if (name == kErrorKinds[i]) {
      out = static_cast<ProbeErrorKind>(i);
      return true;
    }
  return false;
}

std::string hex_bytes(std::span<const std::uint8_t> data) {
  std::string out;
  for (std::size_t i = 0; i < data.size();) {
    std::size_t run = 1;
    while (i + run < data.size() && data[i + run] == data[i]) ++run;
    if (!out.empty()) out += ' ';
    if (run >= 8) {
      out += fmt::format("{:02x}*{}", data[i], run);
      i += run;
    } else {
      out += fmt::format("{:02x}", data[i]);
      ++i;
    }
  }
  return out;
}

// Serial bytes as C-escaped text, for a comment a person can read.
std::string printable(std::span<const std::uint8_t> data) {
  std::string out = "\"";
  for (std::uint8_t b : data) {
    if (b == '\r')
      out += "\\r";
    else if (b == '\n')
      out += "\\n";
    else if (b == '"' || b == '\\')
      out += std::string("\\") + static_cast<char>(b);
    else if (b >= 0x20 && b < 0x7F)
      out += static_cast<char>(b);
    else
      out += fmt::format("\\x{:02x}", b);
  }
  return out + "\"";
}

std::string format_arg(Arg a, std::uint32_t v) {
  switch (a) {
    case Arg::Hex8:
      return fmt::format("{:02x}", v);
    case Arg::Hex16:
      return fmt::format("{:04x}", v);
    case Arg::Dec:
      return fmt::format("{}", v);
  }
  return "";
}

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ' && s[j] != '\t') ++j;
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

bool parse_unsigned(std::string_view s, int base, std::uint32_t max, std::uint32_t& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out, base);
  return ec == std::errc() && end == s.data() + s.size() && out <= max;
}

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return std::string(s);
}

// "KIND MESSAGE" of a failure.
void parse_failure(std::string_view text, TraceEvent& e, const std::string& name) {
  std::string t = trim(text);
  const std::size_t space = t.find(' ');
  const std::string kind = t.substr(0, space);
  if (!error_kind_named(kind, e.error_kind))
    throw InputError(name, e.line, "error",
                     fmt::format("'{}' is not a probe error kind ({})", kind, fmt::join(kErrorKinds, ", ")));
  e.failed = true;
  e.message = space == std::string::npos ? "" : trim(t.substr(space + 1));
}

TraceEvent parse_event(std::string_view line, int line_no, TransportKind wire, const std::string& name) {
  TraceEvent e;
  e.line = line_no;
  std::string_view body = line;
  std::string_view failure;
  if (std::size_t bang = line.find(" ! "); bang != std::string_view::npos) {
    body = line.substr(0, bang);
    failure = line.substr(bang + 3);
  }
  std::vector<std::string> w = words(body);
  const char* end = w[0].data() + w[0].size();
  auto [p, ec] = std::from_chars(w[0].data(), end, e.time_s);
  if (ec != std::errc() || p != end || !(e.time_s >= 0))
    throw InputError(name, line_no, "time", "'" + w[0] + "' is not a time in seconds");
  if (w.size() < 2) throw InputError(name, line_no, "event", "missing");
  const EventKind* kind = find_kind(w[1]);
  if (!kind) throw InputError(name, line_no, "event", "unknown event '" + w[1] + "'");
  if (!kind->wires.empty() && std::find(kind->wires.begin(), kind->wires.end(), wire) == kind->wires.end())
    throw InputError(name, line_no, "event", fmt::format("'{}' is not an event of a {} wire", w[1], wire_name(wire)));
  e.kind = kind->name;
  if (e.kind == "error") {
    std::size_t at = body.find("error");
    parse_failure(body.substr(at + 5), e, name);
    return e;
  }
  if (!failure.empty()) {
    if (kind->side != Side::Host)
      throw InputError(name, line_no, "event", "only a request can carry ' ! KIND MESSAGE'");
    parse_failure(failure, e, name);
  }
  e.failed = e.failed || e.kind == "timeout";
  if (e.kind == "timeout") e.error_kind = ProbeErrorKind::Timeout;
  std::size_t at = 2;
  if (w.size() < at + kind->args.size())
    throw InputError(name, line_no, e.kind, fmt::format("needs {} fields", kind->args.size()));
  for (Arg a : kind->args) {
    std::uint32_t v = 0;
    const bool ok = a == Arg::Dec ? parse_unsigned(w[at], 10, 0xFFFFFFFF, v)
                                  : parse_unsigned(w[at], 16, a == Arg::Hex8 ? 0xFF : 0xFFFF, v);
    if (!ok) throw InputError(name, line_no, e.kind, "'" + w[at] + "' is not a valid field");
    e.args.push_back(v);
    ++at;
  }
  for (; at < w.size(); ++at) {
    if (!kind->data) throw InputError(name, line_no, e.kind, "takes no bytes");
    const std::string& token = w[at];
    std::uint32_t byte = 0, count = 1;
    const std::size_t star = token.find('*');
    if (!parse_unsigned(std::string_view(token).substr(0, star), 16, 0xFF, byte) || star == 0 ||
        (star != std::string::npos &&
         (!parse_unsigned(std::string_view(token).substr(star + 1), 10, 1 << 20, count) || count == 0)))
      throw InputError(name, line_no, e.kind, "'" + token + "' is not a byte (HH or HH*N)");
    e.data.insert(e.data.end(), count, static_cast<std::uint8_t>(byte));
  }
  return e;
}

}  // namespace

std::string wire_name(TransportKind kind) {
  return kind == TransportKind::Hid ? "hid" : kind == TransportKind::Usb ? "usb" : "serial";
}

std::string format_trace_event(const TraceEvent& e) {
  const EventKind& kind = kind_of(e);
  if (e.kind == "error") return fmt::format("error {} {}", error_kind_name(e.error_kind), e.message);
  std::string out = e.kind;
  for (std::size_t i = 0; i < e.args.size() && i < kind.args.size(); ++i)
    out += " " + format_arg(kind.args[i], e.args[i]);
  if (!e.data.empty()) out += " " + hex_bytes(e.data);
  if (e.failed && e.kind != "timeout") out += fmt::format(" ! {} {}", error_kind_name(e.error_kind), e.message);
  return out;
}

Trace parse_trace(std::string_view text, const std::string& name) {
  Trace trace;
  trace.name = name;
  bool have_version = false, have_probe = false, have_wire = false;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    std::string_view raw = text.substr(pos, eol == std::string_view::npos ? std::string_view::npos : eol - pos);
    pos = eol == std::string_view::npos ? text.size() : eol + 1;
    ++line_no;
    std::string line = trim(raw.substr(0, raw.find('#')));
    if (line.empty()) continue;
    std::vector<std::string> w = words(line);
    if (w[0] == "calkit-trace" || w[0] == "probe" || w[0] == "wire") {
      if (!trace.events.empty()) throw InputError(name, line_no, w[0], "header lines come before the events");
      if (w.size() != 2) throw InputError(name, line_no, w[0], "expected one value");
      if (w[0] == "calkit-trace") {
        if (w[1] != "1")
          throw InputError(name, line_no, w[0], "unsupported version '" + w[1] + "' (this calkit reads 1)");
        have_version = true;
      } else if (w[0] == "probe") {
        trace.probe = w[1];
        have_probe = true;
      } else {
        if (w[1] == "hid")
          trace.wire = TransportKind::Hid;
        else if (w[1] == "usb")
          trace.wire = TransportKind::Usb;
        else if (w[1] == "serial")
          trace.wire = TransportKind::Serial;
        else
          throw InputError(name, line_no, "wire", "expected hid, usb or serial, got '" + w[1] + "'");
        have_wire = true;
      }
      continue;
    }
    if (!have_version || !have_probe || !have_wire)
      throw InputError(name, line_no, have_version ? (have_probe ? "wire" : "probe") : "calkit-trace",
                       "a trace starts with the lines 'calkit-trace 1', 'probe NAME' and 'wire KIND'");
    trace.events.push_back(parse_event(line, line_no, trace.wire, name));
  }
  if (!have_version || !have_probe || !have_wire)
    throw InputError(name, line_no, "calkit-trace",
                     "not a calkit trace (no 'calkit-trace 1', 'probe' and 'wire' lines)");
  return trace;
}

Trace read_trace(const std::filesystem::path& path) { return parse_trace(read_file_text(path), path.string()); }

// ---- Recording ----------------------------------------------------------------------------------

TraceWriter::TraceWriter(const std::filesystem::path& path, TransportKind wire, Clock& clock)
    : path_(path.string()), wire_(wire), clock_(clock), start_s_(clock.now_s()) {
  file_ = std::fopen(path_.c_str(), "w");
  if (!file_) throw_io_error(path_, "cannot write the trace");
}

TraceWriter::~TraceWriter() {
  if (file_) std::fclose(file_);
}

void TraceWriter::set_probe(const std::string& probe_spec) { probe_ = probe_spec; }

void TraceWriter::write_line(const std::string& line) {
  if (!header_written_) {
    header_written_ = true;
    write_line(
        fmt::format("# calkit probe trace (docs/probes.md): time_s event fields\ncalkit-trace 1\nprobe {}\nwire {}",
                    probe_, wire_name(wire_)));
  }
  if (std::fputs((line + "\n").c_str(), file_) < 0 || std::fflush(file_) != 0)
    throw_io_error(path_, "cannot write the trace");
}

void TraceWriter::record(TraceEvent e) {
  e.time_s = clock_.now_s() - start_s_;
  std::string line = fmt::format("{:.6f} {}", e.time_s, format_trace_event(e));
  if (wire_ == TransportKind::Serial && !e.data.empty()) line += "  # " + printable(e.data);
  write_line(line);
}

void TraceWriter::record_failure(const ProbeError& error) {
  TraceEvent e;
  e.failed = true;
  e.error_kind = error.kind();
  e.kind = error.kind() == ProbeErrorKind::Timeout ? "timeout" : "error";
  e.message = error.what();
  std::replace(e.message.begin(), e.message.end(), '\n', ' ');
  record(std::move(e));
}

namespace {

TraceEvent event(const char* kind, std::vector<std::uint32_t> args = {}, std::span<const std::uint8_t> data = {}) {
  TraceEvent e;
  e.kind = kind;
  e.args = std::move(args);
  e.data.assign(data.begin(), data.end());
  return e;
}

// A request as it went out; a failure is kept on the request's line.
template <class F>
auto traced_request(TraceWriter& w, TraceEvent e, F&& send) {
  try {
    auto result = send();
    w.record(std::move(e));
    return result;
  } catch (const ProbeError& error) {
    e.failed = true;
    e.error_kind = error.kind();
    e.message = error.what();
    w.record(std::move(e));
    throw;
  }
}

class TracedHid : public HidTransport {
 public:
  TracedHid(std::unique_ptr<HidTransport> inner, std::shared_ptr<TraceWriter> w)
      : inner_(std::move(inner)), w_(std::move(w)) {}
  void write_report(std::span<const std::uint8_t> report) override {
    traced_request(*w_, event("out", {}, report), [&] {
      inner_->write_report(report);
      return 0;
    });
  }
  Bytes read_report(int timeout_ms) override {
    try {
      Bytes b = inner_->read_report(timeout_ms);
      w_->record(event("in", {}, b));
      return b;
    } catch (const ProbeError& e) {
      w_->record_failure(e);
      throw;
    }
  }
  void reset_device() override {
    traced_request(*w_, event("reset"), [&] {
      inner_->reset_device();
      return 0;
    });
  }
  std::string path() const override { return inner_->path(); }

 private:
  std::unique_ptr<HidTransport> inner_;
  std::shared_ptr<TraceWriter> w_;
};

class TracedUsb : public UsbTransport {
 public:
  TracedUsb(std::unique_ptr<UsbTransport> inner, std::shared_ptr<TraceWriter> w)
      : inner_(std::move(inner)), w_(std::move(w)) {}
  int control_transfer(std::uint8_t request_type, std::uint8_t request, std::uint16_t value, std::uint16_t index,
                       std::span<std::uint8_t> data, int timeout_ms) override {
    const bool in = request_type & 0x80;
    TraceEvent setup = event("ctrl", {request_type, request, value, index, static_cast<std::uint32_t>(data.size())},
                             in ? std::span<const std::uint8_t>() : std::span<const std::uint8_t>(data));
    int n = traced_request(
        *w_, setup, [&] { return inner_->control_transfer(request_type, request, value, index, data, timeout_ms); });
    if (in) w_->record(event("ctrl-in", {}, data.first(static_cast<std::size_t>(std::max(n, 0)))));
    return n;
  }
  int bulk_write(std::uint8_t endpoint, std::span<const std::uint8_t> data, int timeout_ms) override {
    return traced_request(*w_, event("bulk-out", {endpoint}, data),
                          [&] { return inner_->bulk_write(endpoint, data, timeout_ms); });
  }
  Bytes bulk_read(std::uint8_t endpoint, std::size_t max_length, int timeout_ms) override {
    return read("bulk-in", endpoint, [&] { return inner_->bulk_read(endpoint, max_length, timeout_ms); });
  }
  int interrupt_write(std::uint8_t endpoint, std::span<const std::uint8_t> data, int timeout_ms) override {
    return traced_request(*w_, event("int-out", {endpoint}, data),
                          [&] { return inner_->interrupt_write(endpoint, data, timeout_ms); });
  }
  Bytes interrupt_read(std::uint8_t endpoint, std::size_t max_length, int timeout_ms) override {
    return read("int-in", endpoint, [&] { return inner_->interrupt_read(endpoint, max_length, timeout_ms); });
  }
  void reset_device() override {
    traced_request(*w_, event("reset"), [&] {
      inner_->reset_device();
      return 0;
    });
  }
  std::string path() const override { return inner_->path(); }

 private:
  template <class F>
  Bytes read(const char* kind, std::uint8_t endpoint, F&& receive) {
    try {
      Bytes b = receive();
      w_->record(event(kind, {endpoint}, b));
      return b;
    } catch (const ProbeError& e) {
      w_->record_failure(e);
      throw;
    }
  }
  std::unique_ptr<UsbTransport> inner_;
  std::shared_ptr<TraceWriter> w_;
};

// Reads go one byte at a time to the inner port, so the bytes of a read that times out (a
// reply without the terminator the driver waits for) are in the trace too.
class TracedSerial : public SerialTransport {
 public:
  TracedSerial(std::unique_ptr<SerialTransport> inner, std::shared_ptr<TraceWriter> w, Clock& clock)
      : inner_(std::move(inner)), w_(std::move(w)), clock_(clock) {}
  void set_baud(int baud) override {
    traced_request(*w_, event("baud", {static_cast<std::uint32_t>(baud)}), [&] {
      inner_->set_baud(baud);
      return 0;
    });
  }
  void write(std::span<const std::uint8_t> bytes) override {
    traced_request(*w_, event("tx", {}, bytes), [&] {
      inner_->write(bytes);
      return 0;
    });
  }
  using SerialTransport::write;
  std::string read_until(std::string_view terminators, std::size_t max_length, int timeout_ms) override {
    return read(max_length, timeout_ms,
                [&](const std::string& s) { return terminators.find(s.back()) != std::string_view::npos; });
  }
  std::string read_exact(std::size_t count, int timeout_ms) override {
    return read(count, timeout_ms, [](const std::string&) { return false; });
  }
  void discard_input() override {
    inner_->discard_input();
    w_->record(event("discard"));
  }
  std::string path() const override { return inner_->path(); }

 private:
  template <class Done>
  std::string read(std::size_t max_length, int timeout_ms, Done done) {
    const double deadline = clock_.now_s() + timeout_ms / 1000.0;
    std::string s;
    try {
      while (s.size() < max_length) {
        const int left = static_cast<int>(std::ceil((deadline - clock_.now_s()) * 1000));
        if (left <= 0)
          throw ProbeError(ProbeErrorKind::Timeout, fmt::format("{}: no complete reply within {} ms (got {} bytes)",
                                                                path(), timeout_ms, s.size()));
        s += inner_->read_exact(1, left);
        if (done(s)) break;
      }
    } catch (const ProbeError& e) {
      if (!s.empty()) w_->record(event("rx", {}, std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size())));
      w_->record_failure(e);
      throw;
    }
    w_->record(event("rx", {}, std::span(reinterpret_cast<const std::uint8_t*>(s.data()), s.size())));
    return s;
  }
  std::unique_ptr<SerialTransport> inner_;
  std::shared_ptr<TraceWriter> w_;
  Clock& clock_;
};

}  // namespace

std::unique_ptr<HidTransport> traced(std::unique_ptr<HidTransport> wire, std::shared_ptr<TraceWriter> trace) {
  if (!trace) return wire;
  return std::make_unique<TracedHid>(std::move(wire), std::move(trace));
}

std::unique_ptr<UsbTransport> traced(std::unique_ptr<UsbTransport> wire, std::shared_ptr<TraceWriter> trace) {
  if (!trace) return wire;
  return std::make_unique<TracedUsb>(std::move(wire), std::move(trace));
}

std::unique_ptr<SerialTransport> traced(std::unique_ptr<SerialTransport> wire, std::shared_ptr<TraceWriter> trace) {
  if (!trace) return wire;
  Clock& clock = trace->clock();
  return std::make_unique<TracedSerial>(std::move(wire), std::move(trace), clock);
}

ProbeWire traced_wire(ProbeWire wire, std::shared_ptr<TraceWriter> trace) {
  return std::visit([&](auto& w) -> ProbeWire { return traced(std::move(w), trace); }, wire);
}

// ---- Replay -------------------------------------------------------------------------------------

namespace {

// The trace and a cursor. Device events after a request are released to the driver's reads;
// the next request must be the trace's next request.
class Replay {
 public:
  Replay(Trace trace, Clock& clock) : trace_(std::move(trace)), clock_(clock), start_s_(clock.now_s()) {}

  std::string path() const { return "replay:" + trace_.name; }

  void request(TraceEvent sent) {
    release();
    while (next_ < trace_.events.size() && trace_.events[next_].kind == "discard") ++next_;
    if (next_ == trace_.events.size())
      throw ProbeError(ProbeErrorKind::Protocol,
                       fmt::format("{}: replay: the driver sent `{}` after the trace's last event", trace_.name,
                                   format_trace_event(sent)));
    const TraceEvent& want = trace_.events[next_];
    if (want.kind != sent.kind || want.args != sent.args || want.data != sent.data)
      throw ProbeError(ProbeErrorKind::Protocol,
                       fmt::format("{}:{}: replay: the driver sent `{}` where the trace has `{}`", trace_.name,
                                   want.line, format_trace_event(sent), format_trace_event(want)));
    ++next_;
    if (want.failed) throw ProbeError(want.error_kind, want.message);
  }

  // The next reply for a read of `kind` (with args); throws the recorded failure, or Timeout
  // when the trace has nothing more from the device before the next request.
  const TraceEvent& reply(const char* kind, std::vector<std::uint32_t> args = {}) {
    if (pending_.empty()) release();
    if (pending_.empty())
      throw ProbeError(ProbeErrorKind::Timeout, fmt::format("{}: replay: the device sends nothing more after line {}",
                                                            trace_.name, last_line()));
    const TraceEvent& e = *pending_.front();
    pending_.pop_front();
    if (clock_.now_s() - start_s_ < e.time_s) clock_.sleep_s(e.time_s - (clock_.now_s() - start_s_));
    if (e.failed) throw ProbeError(e.error_kind, e.message);
    if (e.kind != kind || e.args != args)
      throw ProbeError(ProbeErrorKind::Protocol,
                       fmt::format("{}:{}: replay: the driver reads `{}` where the trace has `{}`", trace_.name, e.line,
                                   format_trace_event(event(kind, args)), format_trace_event(e)));
    return e;
  }

  // Serial input flushed: everything the device sent so far is dropped.
  void drop_pending() {
    release();
    pending_.clear();
    while (next_ < trace_.events.size() && trace_.events[next_].kind == "discard") ++next_;
  }

 private:
  void release() {
    while (next_ < trace_.events.size() && kind_of(trace_.events[next_]).side == Side::Device)
      pending_.push_back(&trace_.events[next_++]);
  }
  int last_line() const { return next_ == 0 ? 0 : trace_.events[next_ - 1].line; }

  Trace trace_;
  Clock& clock_;
  double start_s_;
  std::size_t next_ = 0;
  std::deque<const TraceEvent*> pending_;
};

class ReplayHid : public HidTransport {
 public:
  explicit ReplayHid(std::shared_ptr<Replay> r) : r_(std::move(r)) {}
  void write_report(std::span<const std::uint8_t> report) override { r_->request(event("out", {}, report)); }
  Bytes read_report(int) override { return r_->reply("in").data; }
  void reset_device() override { r_->request(event("reset")); }
  std::string path() const override { return r_->path(); }

 private:
  std::shared_ptr<Replay> r_;
};

class ReplayUsb : public UsbTransport {
 public:
  explicit ReplayUsb(std::shared_ptr<Replay> r) : r_(std::move(r)) {}
  int control_transfer(std::uint8_t request_type, std::uint8_t request, std::uint16_t value, std::uint16_t index,
                       std::span<std::uint8_t> data, int) override {
    const bool in = request_type & 0x80;
    r_->request(event("ctrl", {request_type, request, value, index, static_cast<std::uint32_t>(data.size())},
                      in ? std::span<const std::uint8_t>() : std::span<const std::uint8_t>(data)));
    if (!in) return static_cast<int>(data.size());
    const Bytes& got = r_->reply("ctrl-in").data;
    const std::size_t n = std::min(got.size(), data.size());
    std::copy_n(got.begin(), n, data.begin());
    return static_cast<int>(n);
  }
  int bulk_write(std::uint8_t endpoint, std::span<const std::uint8_t> data, int) override {
    r_->request(event("bulk-out", {endpoint}, data));
    return static_cast<int>(data.size());
  }
  Bytes bulk_read(std::uint8_t endpoint, std::size_t max_length, int) override {
    return first(r_->reply("bulk-in", {endpoint}).data, max_length);
  }
  int interrupt_write(std::uint8_t endpoint, std::span<const std::uint8_t> data, int) override {
    r_->request(event("int-out", {endpoint}, data));
    return static_cast<int>(data.size());
  }
  Bytes interrupt_read(std::uint8_t endpoint, std::size_t max_length, int) override {
    return first(r_->reply("int-in", {endpoint}).data, max_length);
  }
  void reset_device() override { r_->request(event("reset")); }
  std::string path() const override { return r_->path(); }

 private:
  static Bytes first(const Bytes& b, std::size_t n) {
    return Bytes(b.begin(), b.begin() + static_cast<long>(std::min(n, b.size())));
  }
  std::shared_ptr<Replay> r_;
};

// The device's bytes as a stream: rx lines are appended as reads need them.
class ReplaySerial : public SerialTransport {
 public:
  explicit ReplaySerial(std::shared_ptr<Replay> r) : r_(std::move(r)) {}
  void set_baud(int baud) override { r_->request(event("baud", {static_cast<std::uint32_t>(baud)})); }
  void write(std::span<const std::uint8_t> bytes) override { r_->request(event("tx", {}, bytes)); }
  using SerialTransport::write;
  std::string read_until(std::string_view terminators, std::size_t max_length, int) override {
    return read(max_length, [&](const std::string& s) { return terminators.find(s.back()) != std::string_view::npos; });
  }
  std::string read_exact(std::size_t count, int) override {
    return read(count, [](const std::string&) { return false; });
  }
  void discard_input() override {
    received_.clear();
    at_ = 0;
    r_->drop_pending();
  }
  std::string path() const override { return r_->path(); }

 private:
  template <class Done>
  std::string read(std::size_t max_length, Done done) {
    std::string s;
    while (s.size() < max_length) {
      if (at_ == received_.size()) {
        const Bytes& b = r_->reply("rx").data;
        received_.assign(b.begin(), b.end());
        at_ = 0;
        continue;
      }
      s += received_[at_++];
      if (done(s)) break;
    }
    return s;
  }
  std::shared_ptr<Replay> r_;
  std::string received_;
  std::size_t at_ = 0;
};

}  // namespace

ProbeWire replay_wire(Trace trace, Clock& clock) {
  const TransportKind wire = trace.wire;
  auto replay = std::make_shared<Replay>(std::move(trace), clock);
  switch (wire) {
    case TransportKind::Hid:
      return std::make_unique<ReplayHid>(replay);
    case TransportKind::Usb:
      return std::make_unique<ReplayUsb>(replay);
    case TransportKind::Serial:
      return std::make_unique<ReplaySerial>(replay);
  }
  throw ProbeError(ProbeErrorKind::Protocol, "unknown wire");
}

}  // namespace calkit
