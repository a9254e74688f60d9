#pragma once
// Uploading a calibration to an LG webOS TV over its SSAP WebSocket API (upload/lg_protocol.hpp):
// pair (the TV asks its owner once; the key it gives is kept), enter the picture mode's
// calibration mode, switch the TV's own corrections to bypass, upload the 3D LUT into the slot,
// read it back, leave calibration mode.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "luts/lut.hpp"
#include "upload/websocket.hpp"

namespace calkit {

// lg:HOST[:PORT][,tls=no][,mode=PICTURE_MODE][,slot=bt709|bt2020][,size=17|33][,keys=FILE]
struct LgTvSpec {
  std::string host;
  int port = 0;            // 0: 3001 with TLS, 3000 without
  bool tls = true;         // newer firmware closes the plain port
  std::string picture_mode;  // empty: expert1 for the BT.709 slot, hdr_cinema for BT.2020
  std::string slot;          // empty: bt2020 for a LUT solved for a PQ target, else bt709
  int lut_size = 0;          // 0: from the TV's model (chip)
  std::filesystem::path key_file;  // empty: default_lg_key_file()
};
LgTvSpec parse_lg_spec(const std::string& text);  // the part after "lg:"; ValueError when malformed
std::string lg_spec_usage();

// $XDG_CONFIG_HOME/calkit/lg-tv-keys.json, else ~/.config/calkit/lg-tv-keys.json: one client key
// per TV address, written when a TV accepts the pairing.
std::filesystem::path default_lg_key_file();

class LgTv {
 public:
  using Say = std::function<void(const std::string&)>;
  // Connects and registers; on the first connection the TV shows a prompt that its owner
  // accepts with the remote (up to `pairing_timeout`).
  LgTv(const LgTvSpec& spec, Say say, std::chrono::seconds pairing_timeout = std::chrono::seconds(60));
  ~LgTv();

  // A request and its answer's payload; NetworkError when the TV answers with an error.
  nlohmann::json request(const std::string& uri, const nlohmann::json& payload);
  std::string model_name();
  std::vector<std::uint16_t> read_lut3d(int size);

 private:
  LgTvSpec spec_;
  Say say_;
  std::unique_ptr<WebSocket> socket_;
  int next_id_ = 1;
};

struct LgUploadResult {
  std::string model;
  std::string picture_mode, slot;
  int lut_size = 0;
  bool read_back_matches = false;
  Lut3d uploaded;  // the LUT as the TV holds it (decoded from what it returned)
};

// The whole upload of `lut` (resampled to the TV's size); leaves calibration mode even when a
// step fails. `hdr` picks the default slot and picture mode.
LgUploadResult upload_to_lg_tv(const LgTvSpec& spec, const Lut3d& lut, bool hdr, const LgTv::Say& say);

// The LUT sampled at size³ nodes (tetrahedral), as a TV of another size takes it.
Lut3d resampled_lut3d(const Lut3d& lut, int size);

}  // namespace calkit
