#pragma once
// An LG webOS TV's network side, for tests and trying `--upload lg:` without a TV: a loopback
// WebSocket server (ws://, Boost.Beast) that pairs (the owner's prompt is accepted at once),
// answers the software info, and keeps what the calibration service is sent per picture mode,
// with the checks a TV makes (calibration mode, data type and count, the model's LUT size). Its
// wire facts are upload/lg_protocol.hpp's; tests/upload/ drives it with the independent client
// bscpylgtv as well as with calkit's.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "luts/lut.hpp"

namespace calkit {

struct LgTvEmulatorOptions {
  std::string model_name = "HE_DTV_W22O_AFABATAA";  // a 2022 Alpha 9 OLED: 33-point 3D LUTs
  int port = 0;                                     // 0: any free loopback port
};

// One calibration request as the TV received it.
struct LgCalibrationCall {
  std::string command;
  std::string picture_mode;  // CAL_START only
  std::string data;          // decoded bytes
  std::string data_type;
  long long count = 0;
  int option = 0;
};

class LgTvEmulator {
 public:
  explicit LgTvEmulator(LgTvEmulatorOptions options = {});
  ~LgTvEmulator();
  LgTvEmulator(const LgTvEmulator&) = delete;
  LgTvEmulator& operator=(const LgTvEmulator&) = delete;

  int port() const { return port_; }
  std::vector<LgCalibrationCall> calls() const;
  // The 3D LUT held for a picture mode's slot ("bt709", "bt2020"), decoded; none until uploaded.
  std::optional<Lut3d> lut3d(const std::string& picture_mode, const std::string& slot) const;
  bool in_calibration_mode() const;
  int pairings() const;  // prompts the owner accepted

  struct State;
  struct Server;

 private:
  std::shared_ptr<State> state_;
  std::unique_ptr<Server> server_;
  int port_ = 0;
};

}  // namespace calkit
