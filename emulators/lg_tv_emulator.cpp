#include "emulators/lg_tv_emulator.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <deque>
#include <thread>

#include "core/error.hpp"
#include "upload/lg_protocol.hpp"

namespace calkit {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using nlohmann::json;

// What the TV keeps: paired keys, calibration mode, and per picture mode the data it was sent.
struct LgTvEmulator::State {
  LgTvEmulatorOptions options;
  mutable std::mutex mutex;
  std::vector<std::string> keys;
  int pairings = 0;
  std::string calibrating;  // the picture mode in calibration mode, empty outside it
  std::map<std::pair<std::string, std::string>, std::vector<std::uint16_t>> luts;  // (mode, slot)
  std::vector<LgCalibrationCall> calls;

  int lut_size() const { return lg::lut3d_size_for_model(options.model_name); }

  // The answer to one message: zero or more messages back.
  std::vector<json> answer(const json& m, bool& registered) {
    std::lock_guard<std::mutex> lock(mutex);
    json id = m.value("id", json());
    std::string type = m.value("type", "");
    if (type == "register") return register_client(id, m.value("payload", json::object()), registered);
    if (type != "request") return {error(id, "400 unknown message type")};
    if (!registered) return {error(id, "401 insufficient permissions")};
    std::string uri = m.value("uri", "");
    const json payload = m.value("payload", json::object());
    if (uri == lg::kSoftwareInfoUri)
      return {response(id, {{"returnValue", true},
                            {"product_name", "webOSTV 7.0"},
                            {"model_name", options.model_name},
                            {"major_ver", "03"},
                            {"minor_ver", "30.70"}})};
    if (uri == lg::kCalibrationUri) return {response(id, calibration(payload))};
    if (uri == lg::kGetCalibrationUri) return {response(id, get_calibration(payload))};
    return {error(id, "404 no such service or method")};
  }

  std::vector<json> register_client(const json& id, const json& payload, bool& registered) {
    std::string key = payload.value("client-key", json()).is_string() ? payload.value("client-key", "") : "";
    std::vector<json> out;
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      // An unknown client: the TV asks its owner, who accepts here at once.
      out.push_back({{"type", "response"}, {"id", id}, {"payload", {{"pairingType", "PROMPT"}, {"returnValue", true}}}});
      key = fmt::format("emulated-key-{:04d}", int(keys.size()) + 1);
      keys.push_back(key);
      ++pairings;
    }
    registered = true;
    out.push_back({{"type", "registered"}, {"id", id}, {"payload", {{"client-key", key}}}});
    return out;
  }

  json calibration(const json& p) {
    std::string command = p.value("command", "");
    LgCalibrationCall call{command, p.value("picMode", ""), "", p.value("dataType", ""), 0, p.value("dataOpt", 0)};
    if (command == lg::kCalStart) {
      if (!lg::is_sdr_picture_mode(call.picture_mode) && !lg::is_hdr10_picture_mode(call.picture_mode))
        return refused("unknown picture mode " + call.picture_mode);
      calibrating = call.picture_mode;
      calls.push_back(call);
      return {{"returnValue", true}};
    }
    if (calibrating.empty()) return refused("not in calibration mode");
    if (command == lg::kCalEnd) {
      calibrating.clear();
      calls.push_back(call);
      return {{"returnValue", true}};
    }
    try {
      call.data = lg::base64_decode(p.value("data", ""));
    } catch (const InputError&) {
      return refused("data is not base64");
    }
    call.count = p.value("dataCount", 0LL);
    std::size_t width = call.data_type == lg::kUint16 ? 2 : call.data_type == lg::kFloat32 ? 4 : 0;
    if (width == 0) return refused("unknown dataType " + call.data_type);
    if (call.count < 0 || std::size_t(call.count) * width != call.data.size())
      return refused("dataCount does not match the data");
    if (std::string why = check(call); !why.empty()) return refused(why);
    if (command == lg::kUpload3dLutBt709 || command == lg::kUpload3dLutBt2020) {
      std::string slot = command == lg::kUpload3dLutBt709 ? "bt709" : "bt2020";
      if (call.option == 2)
        luts.erase({calibrating, slot});
      else
        luts[{calibrating, slot}] = lg::uint16_values(call.data);
    }
    calls.push_back(call);
    return {{"returnValue", true}};
  }

  // The size and type a command takes (lg_protocol.hpp); a reset (dataOpt 2) sends no data.
  std::string check(const LgCalibrationCall& c) const {
    if (c.option == 2) return c.count == 0 ? "" : "a reset carries no data";
    auto expect = [&](const char* type, long long count) {
      return c.data_type == type && c.count == count ? "" : fmt::format("{} takes {} values of {}", c.command, count, type);
    };
    long long n = lut_size();
    if (c.command == lg::kUpload3dLutBt709 || c.command == lg::kUpload3dLutBt2020) return expect(lg::kUint16, 3 * n * n * n);
    if (c.command == lg::kUpload1dLut) return expect(lg::kUint16, 3 * 1024);
    if (c.command == lg::kDegamma22 || c.command == lg::kRegamma045) return expect(lg::kUint16, 1);
    if (c.command == lg::kGamutBt709 || c.command == lg::kGamutBt2020) return expect(lg::kFloat32, 9);
    return "unknown command " + c.command;
  }

  json get_calibration(const json& p) {
    if (p.value("command", "") != lg::kGet3dLut) return refused("unknown command");
    if (calibrating.empty()) return refused("not in calibration mode");
    std::string slot = lg::is_hdr10_picture_mode(calibrating) ? "bt2020" : "bt709";
    auto found = luts.find({calibrating, slot});
    std::vector<std::uint16_t> values;
    if (found != luts.end()) {
      values = found->second;
    } else {  // the unity LUT (lut_tools.py unity_lut_3d)
      int n = lut_size();
      for (int b = 0; b < n; ++b)
        for (int g = 0; g < n; ++g)
          for (int r = 0; r < n; ++r)
            for (int i : {r, g, b}) values.push_back(std::uint16_t(std::min(4095.0, std::nearbyint(4096.0 * i / (n - 1)))));
    }
    return {{"returnValue", true},
            {"data", lg::base64_encode(lg::bytes_of(values))},
            {"dataCount", values.size()},
            {"dataType", lg::kUint16}};
  }

  static json refused(const std::string& why) { return {{"returnValue", false}, {"errorText", why}}; }
  static json response(const json& id, json payload) {
    return {{"type", "response"}, {"id", id}, {"payload", std::move(payload)}};
  }
  static json error(const json& id, const std::string& what) {
    return {{"type", "error"}, {"id", id}, {"error", what}, {"payload", json::object()}};
  }
};

namespace {

// One client connection: messages are read one after the other and answered in order.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<LgTvEmulator::State> state)
      : ws_(std::move(socket)), state_(std::move(state)) {}

  void start() {
    ws_.read_message_max(16 << 20);
    ws_.async_accept([self = shared_from_this()](beast::error_code ec) {
      if (!ec) self->read();
    });
  }

 private:
  void read() {
    ws_.async_read(buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return;
      std::string text = beast::buffers_to_string(self->buffer_.data());
      self->buffer_.consume(self->buffer_.size());
      json m = json::parse(text, nullptr, false);
      std::vector<json> answers = m.is_object() ? self->state_->answer(m, self->registered_)
                                                : std::vector<json>{LgTvEmulator::State::error(json(), "400 bad JSON")};
      for (const json& a : answers) self->send(a.dump());
      self->read();
    });
  }

  void send(std::string text) {
    out_.push_back(std::move(text));
    if (out_.size() == 1) write();
  }

  void write() {
    ws_.text(true);
    ws_.async_write(net::buffer(out_.front()), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->out_.pop_front();
      if (!ec && !self->out_.empty()) self->write();
    });
  }

  beast::websocket::stream<beast::tcp_stream> ws_;
  std::shared_ptr<LgTvEmulator::State> state_;
  beast::flat_buffer buffer_;
  std::deque<std::string> out_;
  bool registered_ = false;
};

}  // namespace

struct LgTvEmulator::Server {
  net::io_context io;
  tcp::acceptor acceptor{io};
  std::shared_ptr<State> state;
  std::thread thread;

  void accept() {
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
      if (ec) return;  // closed: the emulator is stopping
      std::make_shared<Session>(std::move(socket), state)->start();
      accept();
    });
  }
};

LgTvEmulator::LgTvEmulator(LgTvEmulatorOptions options)
    : state_(std::make_shared<State>()), server_(std::make_unique<Server>()) {
  state_->options = std::move(options);
  server_->state = state_;
  tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(state_->options.port));
  server_->acceptor.open(endpoint.protocol());
  server_->acceptor.set_option(net::socket_base::reuse_address(true));
  server_->acceptor.bind(endpoint);
  server_->acceptor.listen();
  port_ = server_->acceptor.local_endpoint().port();
  server_->accept();
  server_->thread = std::thread([this] { server_->io.run(); });
}

LgTvEmulator::~LgTvEmulator() {
  server_->io.stop();
  server_->thread.join();
}

std::vector<LgCalibrationCall> LgTvEmulator::calls() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->calls;
}

std::optional<Lut3d> LgTvEmulator::lut3d(const std::string& picture_mode, const std::string& slot) const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  auto found = state_->luts.find({picture_mode, slot});
  if (found == state_->luts.end()) return std::nullopt;
  return lg::decode_lut3d(found->second, state_->lut_size());
}

bool LgTvEmulator::in_calibration_mode() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return !state_->calibrating.empty();
}

int LgTvEmulator::pairings() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return state_->pairings;
}

}  // namespace calkit
