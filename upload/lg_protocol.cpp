#include "upload/lg_protocol.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "core/error.hpp"

namespace calkit::lg {
namespace {

constexpr std::array kSdrModes = {"cinema", "expert1", "expert2", "game", "technicolorExpert", "filmMaker"};
constexpr std::array kHdr10Modes = {"hdr_cinema", "hdr_game", "hdr_technicolorExpert", "hdr_filmMaker"};

// Chip codes in model_name[7..11] (webos_client.py calibration_support_info).
constexpr std::array kChips33 = {"W18O", "W19O", "W20O", "W21O", "W22O", "W23O", "W24G", "W24O", "W25G", "W25O"};
constexpr std::array kChips17 = {"W18H", "W19H", "W20H", "W21H", "W22H", "W23H", "W24H", "W25H"};

template <std::size_t N>
bool contains(const std::array<const char*, N>& list, const std::string& s) {
  return std::any_of(list.begin(), list.end(), [&](const char* x) { return s == x; });
}

// LG's signed test manifest from its Connect SDK, which webOS TVs accept for a PROMPT pairing
// (handshake.py): the permissions asked for and the signature over the "signed" part.
nlohmann::json manifest() {
  return {
      {"appVersion", "1.1"},
      {"manifestVersion", 1},
      {"permissions",
       {"LAUNCH", "LAUNCH_WEBAPP", "APP_TO_APP", "CLOSE", "TEST_OPEN", "TEST_PROTECTED", "CONTROL_AUDIO",
        "CONTROL_DISPLAY", "CONTROL_INPUT_JOYSTICK", "CONTROL_INPUT_MEDIA_RECORDING", "CONTROL_INPUT_MEDIA_PLAYBACK",
        "CONTROL_INPUT_TV", "CONTROL_POWER", "CONTROL_TV_SCREEN", "READ_APP_STATUS", "READ_CURRENT_CHANNEL",
        "READ_INPUT_DEVICE_LIST", "READ_NETWORK_STATE", "READ_RUNNING_APPS", "READ_TV_CHANNEL_LIST",
        "WRITE_NOTIFICATION_TOAST", "READ_POWER_STATE", "READ_COUNTRY_INFO", "CONTROL_INPUT_TEXT",
        "CONTROL_MOUSE_AND_KEYBOARD", "READ_INSTALLED_APPS", "READ_SETTINGS", "READ_STORAGE_DEVICE_LIST"}},
      {"signatures",
       {{{"signature",
          "eyJhbGdvcml0aG0iOiJSU0EtU0hBMjU2Iiwia2V5SWQiOiJ0ZXN0LXNpZ25pbmctY2VydCIsInNpZ25hdHVyZVZlcnNpb24iOjF9."
          "hrVRgjCwXVvE2OOSpDZ58hR+59aFNwYDyjQgKk3auukd7pcegmE2CzPCa0bJ0ZsRAcKkCTJrWo5iDzNhMBWRyaMOv5zWSrthlf7G128q"
          "vIlpMT0YNY+n/FaOHE73uLrS/g7swl3/qH/BGFG2Hu4RlL48eb3lLKqTt2xKHdCs6Cd4RMfJPYnzgvI4BNrFUKsjkcu+WD4OO2A27Pq1n"
          "50cMchmcaXadJhGrOqH5YmHdOCj5NSHzJYrsW0HPlpuAx/ECMeIZYDh6RMqaFM2DXzdKX9NmmyqzJ3o/0lkk/N97gfVRLW5hA29yeAwaC"
          "ViZNCP8iC9aO0q9fQojoa7NQnAtw=="},
         {"signatureVersion", 1}}}},
      {"signed",
       {{"appId", "com.lge.test"},
        {"created", "20140509"},
        {"localizedAppNames", {{"", "LG Remote App"}, {"ko-KR", "리모컨 앱"}, {"zxx-XX", "ЛГ Rэмotэ AПП"}}},
        {"localizedVendorNames", {{"", "LG Electronics"}}},
        {"permissions",
         {"TEST_SECURE", "CONTROL_INPUT_TEXT", "CONTROL_MOUSE_AND_KEYBOARD", "READ_INSTALLED_APPS", "READ_LGE_SDX",
          "READ_NOTIFICATIONS", "SEARCH", "WRITE_SETTINGS", "WRITE_NOTIFICATION_ALERT", "CONTROL_POWER",
          "READ_CURRENT_CHANNEL", "READ_RUNNING_APPS", "READ_UPDATE_INFO", "UPDATE_FROM_REMOTE_APP",
          "READ_LGE_TV_INPUT_EVENTS", "READ_TV_CURRENT_TIME"}},
        {"serial", "2f930e2d2cfe083771f68e4fe7bb07"},
        {"vendorId", "com.lge"}}}};
}

}  // namespace

bool is_sdr_picture_mode(const std::string& mode) { return contains(kSdrModes, mode); }
bool is_hdr10_picture_mode(const std::string& mode) { return contains(kHdr10Modes, mode); }

std::string picture_modes_usage() {
  std::string out = "SDR:";
  for (const char* m : kSdrModes) out += std::string(" ") + m;
  out += "; HDR10:";
  for (const char* m : kHdr10Modes) out += std::string(" ") + m;
  return out;
}

int lut3d_size_for_model(const std::string& model_name) {
  if (model_name.rfind("HE_DTV_", 0) != 0 || model_name.size() < 11) return 0;
  std::string chip = model_name.substr(7, 4);
  if (contains(kChips33, chip)) return 33;
  if (contains(kChips17, chip)) return 17;
  return 0;
}

std::vector<std::uint16_t> encode_lut3d(const Lut3d& lut) {
  std::vector<std::uint16_t> out;
  out.reserve(lut.table.size() * 3);
  for (const Vec3& v : lut.table)
    for (int c = 0; c < 3; ++c) {
      if (!std::isfinite(v[c])) throw ValueError("LUT", "a LUT value is not a number: nothing is uploaded");
      // std::nearbyint rounds halves to even under the default rounding mode, as numpy's rint.
      out.push_back(std::uint16_t(std::clamp(std::nearbyint(v[c] * 4096), 0.0, 4095.0)));
    }
  return out;
}

Lut3d decode_lut3d(const std::vector<std::uint16_t>& values, int size) {
  if (size < 2 || values.size() != std::size_t(size) * size * size * 3)
    throw InputError("LG TV", 0, "data", "a 3D LUT of " + std::to_string(values.size()) + " values is not 3 x size³");
  Lut3d lut;
  lut.size = size;
  lut.table.resize(std::size_t(size) * size * size);
  for (std::size_t i = 0; i < lut.table.size(); ++i)
    for (int c = 0; c < 3; ++c) {
      std::uint16_t v = values[3 * i + std::size_t(c)];
      lut.table[i][c] = v >= 4095 ? 1.0 : v / 4096.0;
    }
  return lut;
}

std::vector<std::uint16_t> unity_lut1d() {
  std::vector<std::uint16_t> out;
  for (int c = 0; c < 3; ++c)
    for (int i = 0; i < 1024; ++i) out.push_back(std::uint16_t(std::nearbyint(32767.0 * i / 1023)));
  return out;
}

std::string bytes_of(const std::vector<std::uint16_t>& values) {
  std::string out;
  out.reserve(values.size() * 2);
  for (std::uint16_t v : values) {
    out.push_back(char(v & 0xff));
    out.push_back(char(v >> 8));
  }
  return out;
}

std::string bytes_of(const std::vector<float>& values) {
  std::string out;
  for (float f : values) {
    std::uint32_t bits;
    std::memcpy(&bits, &f, 4);
    for (int b = 0; b < 4; ++b) out.push_back(char((bits >> (8 * b)) & 0xff));
  }
  return out;
}

std::vector<std::uint16_t> uint16_values(const std::string& bytes) {
  if (bytes.size() % 2) throw InputError("LG TV", 0, "data", "an odd number of bytes for 16-bit values");
  std::vector<std::uint16_t> out(bytes.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = std::uint16_t(std::uint8_t(bytes[2 * i]) | std::uint8_t(bytes[2 * i + 1]) << 8);
  return out;
}

std::string base64_encode(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), int(bytes.size()));
  out.resize(std::size_t(n));
  return out;
}

std::string base64_decode(const std::string& text) {
  if (text.size() % 4) throw InputError("LG TV", 0, "data", "base64 text whose length is not a multiple of 4");
  std::string out(3 * (text.size() / 4), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(text.data()), int(text.size()));
  if (n < 0) throw InputError("LG TV", 0, "data", "not base64 text");
  // EVP_DecodeBlock keeps the padding's zero bytes: drop one per '='.
  std::size_t pad = text.empty() ? 0 : std::size_t(text.back() == '=') + std::size_t(text.size() > 1 && text[text.size() - 2] == '=');
  out.resize(std::size_t(n) - pad);
  return out;
}

nlohmann::json registration_message(const std::string& client_key) {
  nlohmann::json payload{{"forcePairing", false}, {"manifest", manifest()}, {"pairingType", "PROMPT"}};
  if (!client_key.empty()) payload["client-key"] = client_key;
  return {{"type", "register"}, {"id", "register_0"}, {"payload", payload}};
}

nlohmann::json calibration_payload(const std::string& command, const std::string& picture_mode) {
  nlohmann::json p{{"command", command}, {"profileNo", 0}, {"programID", 1}};
  if (!picture_mode.empty()) p["picMode"] = picture_mode;
  return p;
}

nlohmann::json calibration_payload(const std::string& command, const std::string& data_bytes, std::size_t count,
                                   const char* data_type) {
  nlohmann::json p = calibration_payload(command);
  p["data"] = base64_encode(data_bytes);
  p["dataCount"] = count;
  p["dataType"] = data_type;
  p["dataOpt"] = kApplyAndSave;
  return p;
}

}  // namespace calkit::lg
