#include "upload/lg_tv.hpp"

#include <fmt/format.h>

#include "core/device_spec.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "luts/apply.hpp"
#include "upload/lg_protocol.hpp"

namespace calkit {
namespace fs = std::filesystem;
namespace {

constexpr std::chrono::milliseconds kTimeout{10000};

nlohmann::json read_keys(const fs::path& file) {
  if (!fs::exists(file)) return nlohmann::json::object();
  try {
    nlohmann::json keys = nlohmann::json::parse(read_file_text(file));
    if (keys.is_object()) return keys;
  } catch (const nlohmann::json::exception&) {
  }
  throw InputError(file.string(), 0, "", "not a JSON object of LG TV client keys (delete it to pair again)");
}

std::string flag_bytes(bool on) { return lg::bytes_of(std::vector<std::uint16_t>{std::uint16_t(on)}); }

std::string identity_matrix_bytes() { return lg::bytes_of(std::vector<float>{1, 0, 0, 0, 1, 0, 0, 0, 1}); }

}  // namespace

std::string lg_spec_usage() {
  return "lg:HOST[:PORT][,tls=no][,mode=PICTURE_MODE][,slot=bt709|bt2020][,size=33|17][,keys=FILE]";
}

LgTvSpec parse_lg_spec(const std::string& text) {
  LgTvSpec s;
  std::string head = text.substr(0, text.find(','));
  std::string rest = head.size() < text.size() ? text.substr(head.size() + 1) : "";
  s.host = head.substr(0, head.find(':'));
  if (s.host.empty()) throw ValueError("--upload", "lg: needs the TV's address: " + lg_spec_usage());
  for (const SpecOption& o : split_spec_options(rest, "--upload")) {
    if (o.key == "tls") {
      s.tls = spec_flag(o);
    } else if (o.key == "mode") {
      if (!lg::is_sdr_picture_mode(o.value) && !lg::is_hdr10_picture_mode(o.value))
        bad_spec_option(o, "unknown picture mode '" + o.value + "' (" + lg::picture_modes_usage() + ")");
      s.picture_mode = o.value;
    } else if (o.key == "slot") {
      if (o.value != "bt709" && o.value != "bt2020") bad_spec_option(o, "bt709 or bt2020");
      s.slot = o.value;
    } else if (o.key == "size") {
      s.lut_size = spec_int(o, 17, 33);
      if (s.lut_size != 17 && s.lut_size != 33) bad_spec_option(o, "LG TVs take 17 or 33 points");
    } else if (o.key == "keys" && !o.value.empty()) {
      s.key_file = o.value;
    } else {
      bad_spec_option(o, "unknown option (" + lg_spec_usage() + ")");
    }
  }
  if (head.find(':') != std::string::npos)
    s.port = spec_int({"--upload", "port", head.substr(head.find(':') + 1)}, 1, 65535);
  else
    s.port = s.tls ? lg::kTlsPort : lg::kPlainPort;
  return s;
}

fs::path default_lg_key_file() {
  fs::path folder = calkit_user_folder(UserFolder::Config);
  if (folder.empty()) throw ValueError("--upload", "no HOME to keep the TV's key in; give lg:HOST,keys=FILE");
  return folder / "lg-tv-keys.json";
}

LgTv::LgTv(const LgTvSpec& spec, Say say, std::chrono::seconds pairing_timeout) : spec_(spec), say_(std::move(say)) {
  if (spec_.key_file.empty()) spec_.key_file = default_lg_key_file();
  nlohmann::json keys = read_keys(spec_.key_file);
  std::string key = keys.value(spec_.host, "");
  socket_ = std::make_unique<WebSocket>(WebSocketAddress{spec_.host, spec_.port, spec_.tls, "/"}, kTimeout);
  socket_->send(lg::registration_message(key).dump(), kTimeout);
  auto deadline = std::chrono::steady_clock::now() + pairing_timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0)
      throw NetworkError(
          fmt::format("the TV at {} did not accept the pairing within {} s", spec_.host, pairing_timeout.count()));
    nlohmann::json m = nlohmann::json::parse(socket_->receive(left), nullptr, false);
    if (m.is_discarded()) throw NetworkError("the TV at " + spec_.host + " sent something that is not JSON");
    std::string type = m.value("type", "");
    if (type == "error") throw NetworkError("the TV refused the pairing: " + m.value("error", std::string("?")));
    if (type == "response" && m["payload"].value("pairingType", "") == "PROMPT")
      say_(fmt::format("the TV shows a pairing request: accept it with the TV's remote (waiting up to {} s)",
                       pairing_timeout.count()));
    if (type != "registered") continue;
    std::string given = m["payload"].value("client-key", "");
    if (given.empty()) throw NetworkError("the TV registered calkit without a client key");
    if (given != key) {
      keys[spec_.host] = given;
      write_file_atomically(spec_.key_file, keys.dump(2) + "\n");
      say_("paired with the TV; its key is kept in " + spec_.key_file.string());
    }
    return;
  }
}

LgTv::~LgTv() {
  if (socket_) socket_->close();
}

nlohmann::json LgTv::request(const std::string& uri, const nlohmann::json& payload) {
  std::string id = fmt::format("calkit_{}", next_id_++);
  socket_->send(nlohmann::json{{"id", id}, {"type", "request"}, {"uri", uri}, {"payload", payload}}.dump(), kTimeout);
  for (;;) {
    nlohmann::json m = nlohmann::json::parse(socket_->receive(kTimeout), nullptr, false);
    if (m.is_discarded() || !m.is_object()) throw NetworkError("the TV sent something that is not a JSON object");
    if (m.value("id", "") != id) continue;  // an event for another subscription
    std::string what = payload.is_object() && payload.contains("command") ? payload.value("command", uri) : uri;
    if (m.value("type", "") == "error")
      throw NetworkError(fmt::format("the TV refused {}: {}", what, m.value("error", std::string("?"))));
    const nlohmann::json& answer = m["payload"];
    if (!answer.is_object() || !answer.value("returnValue", false))
      throw NetworkError(fmt::format("the TV refused {}: {}", what, answer.dump()));
    return answer;
  }
}

std::string LgTv::model_name() {
  return request(lg::kSoftwareInfoUri, nlohmann::json::object()).value("model_name", "");
}

std::vector<std::uint16_t> LgTv::read_lut3d(int size) {
  nlohmann::json answer = request(lg::kGetCalibrationUri, {{"command", lg::kGet3dLut}});
  if (answer.value("dataType", "") != lg::kUint16)
    throw NetworkError("the TV returned its 3D LUT as '" + answer.value("dataType", std::string()) + "'");
  std::vector<std::uint16_t> values = lg::uint16_values(lg::base64_decode(answer.value("data", "")));
  if (values.size() != std::size_t(size) * size * size * 3 || answer.value("dataCount", 0) != int(values.size()))
    throw NetworkError(fmt::format("the TV returned {} values for a {}³ 3D LUT", values.size(), size));
  return values;
}

Lut3d resampled_lut3d(const Lut3d& lut, int size) {
  if (lut.size == size) return lut;
  Lut3d out = identity_lut3d(size);
  for (Vec3& v : out.table) v = apply_tetrahedral(lut, v);
  out.title = lut.title;
  out.metadata = lut.metadata;
  return out;
}

LgUploadResult upload_to_lg_tv(const LgTvSpec& spec, const Lut3d& lut, bool hdr, const LgTv::Say& say) {
  LgTv tv(spec, say);
  LgUploadResult r;
  r.model = tv.model_name();
  r.lut_size = spec.lut_size ? spec.lut_size : lg::lut3d_size_for_model(r.model);
  if (r.lut_size == 0)
    throw ValueError("--upload", "the TV's model " + r.model +
                                     " is not known to take a 3D LUT (LG's Alpha 7 and 9 chips from 2018); "
                                     "give size=33 or size=17 if it does");
  r.slot = !spec.slot.empty() ? spec.slot : hdr ? "bt2020" : "bt709";
  r.picture_mode = !spec.picture_mode.empty() ? spec.picture_mode : r.slot == "bt2020" ? "hdr_cinema" : "expert1";
  const bool hdr_mode = lg::is_hdr10_picture_mode(r.picture_mode);
  Lut3d tv_lut = resampled_lut3d(lut, r.lut_size);
  std::vector<std::uint16_t> values = lg::encode_lut3d(tv_lut);
  auto send = [&](const char* command, const std::string& bytes, std::size_t count, const char* type) {
    tv.request(lg::kCalibrationUri, lg::calibration_payload(command, bytes, count, type));
  };

  say(fmt::format("LG {}: {}³ LUT into the {} slot of picture mode {}", r.model, r.lut_size, r.slot, r.picture_mode));
  tv.request(lg::kCalibrationUri, lg::calibration_payload(lg::kCalStart, r.picture_mode));
  try {
    // The TV's own corrections out of the way, as bscpylgtv's set_bypass_modes_sdr / _hdr10: in
    // SDR modes the de-gamma/re-gamma around the 3x3 matrices off and the matrices identity; in
    // both a unity 1D LUT, so that the 3D LUT alone maps the signal.
    if (!hdr_mode) {
      send(lg::kDegamma22, flag_bytes(false), 1, lg::kUint16);
      send(lg::kRegamma045, flag_bytes(false), 1, lg::kUint16);
      send(lg::kGamutBt709, identity_matrix_bytes(), 9, lg::kFloat32);
      send(lg::kGamutBt2020, identity_matrix_bytes(), 9, lg::kFloat32);
    }
    std::vector<std::uint16_t> unity = lg::unity_lut1d();
    send(lg::kUpload1dLut, lg::bytes_of(unity), unity.size(), lg::kUint16);
    send(r.slot == "bt2020" ? lg::kUpload3dLutBt2020 : lg::kUpload3dLutBt709, lg::bytes_of(values), values.size(),
         lg::kUint16);
    std::vector<std::uint16_t> back = tv.read_lut3d(r.lut_size);
    r.read_back_matches = back == values;
    r.uploaded = lg::decode_lut3d(back, r.lut_size);
  } catch (...) {
    try {
      tv.request(lg::kCalibrationUri, lg::calibration_payload(lg::kCalEnd));
    } catch (const std::exception&) {  // the first failure is the one to report
    }
    throw;
  }
  tv.request(lg::kCalibrationUri, lg::calibration_payload(lg::kCalEnd));
  if (!r.read_back_matches) throw NetworkError("the 3D LUT the TV returned differs from the one uploaded");
  say("uploaded; the TV returned the same 3D LUT");
  return r;
}

}  // namespace calkit
