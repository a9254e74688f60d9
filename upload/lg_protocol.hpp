#pragma once
// Wire facts of LG webOS TVs (2018 and newer, Alpha 7 / Alpha 9 chips): the SSAP messages over
// WebSocket and the calibration service that takes 1D and 3D LUTs. Shared by the client
// (upload/lg_tv.*) and the emulator (emulators/lg_tv_emulator.*), which is checked against the
// independent client bscpylgtv in tests/upload/.
//
// Sources (facts only, no code): bscpylgtv (chros73/bscpylgtv @ ee401cd, MIT) webos_client.py
// (ports, message shapes, calibration_request, calibration_support_info), cal_commands.py
// (command names), constants.py (picture modes, data types), lut_tools.py (LUT encodings),
// handshake.py (the registration manifest, LG's Connect SDK test manifest), endpoints.py (URIs).
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "luts/lut.hpp"

namespace calkit::lg {

inline constexpr int kTlsPort = 3001;    // wss://, a self-signed certificate (webos_client.py)
inline constexpr int kPlainPort = 3000;  // ws://, closed on newer firmware

inline constexpr const char* kCalibrationUri = "ssap://externalpq/setExternalPqData";
inline constexpr const char* kGetCalibrationUri = "ssap://externalpq/getExternalPqData";
inline constexpr const char* kSoftwareInfoUri = "ssap://com.webos.service.update/getCurrentSWInformation";

// Calibration commands (cal_commands.py); every one but CAL_START runs in calibration mode only.
inline constexpr const char* kCalStart = "CAL_START";
inline constexpr const char* kCalEnd = "CAL_END";
inline constexpr const char* kUpload1dLut = "1D_DPG_DATA";
inline constexpr const char* kUpload3dLutBt709 = "BT709_3D_LUT_DATA";
inline constexpr const char* kUpload3dLutBt2020 = "BT2020_3D_LUT_DATA";
inline constexpr const char* kGet3dLut = "GET_3D_LUT_DATA";
inline constexpr const char* kDegamma22 = "1D_2_2_EN";  // de-gamma before the 3x3 matrix
inline constexpr const char* kRegamma045 = "1D_0_45_EN";
inline constexpr const char* kGamutBt709 = "BT709_3BY3_GAMUT_DATA";
inline constexpr const char* kGamutBt2020 = "BT2020_3BY3_GAMUT_DATA";

// dataType strings for numpy's uint16 and float32 (constants.py CALIBRATION_TYPE_MAP).
inline constexpr const char* kUint16 = "unsigned integer16";
inline constexpr const char* kFloat32 = "float";

// dataOpt: 0 apply, 1 apply and save, 2 reset to the factory data (webos_client.py).
inline constexpr int kApplyAndSave = 1;

bool is_sdr_picture_mode(const std::string& mode);   // cinema, expert1, expert2, game, technicolorExpert, filmMaker
bool is_hdr10_picture_mode(const std::string& mode);  // hdr_cinema, hdr_game, hdr_technicolorExpert, hdr_filmMaker
std::string picture_modes_usage();

// The 3D LUT size a TV takes from its software info's model_name ("HE_DTV_W22O_AFABATAA": chip
// W22O, an Alpha 9, 33 points; W..H chips, Alpha 7, 17 points); 0 when the chip is not known.
int lut3d_size_for_model(const std::string& model_name);

// 3D LUT: size³ RGB triples of uint16, red index fastest (the .cube order), each value
// round(v * 4096) clipped to 0..4095 (lut_tools.py read_cube_file; its unity LUT spaces the nodes
// 4096 / (n - 1) apart and clips the last to 4095). The emulator decodes 4095 as 1.0.
std::vector<std::uint16_t> encode_lut3d(const Lut3d& lut);
Lut3d decode_lut3d(const std::vector<std::uint16_t>& values, int size);
// 1D LUT: 3 x 1024 uint16 (all red, then green, then blue), 0..32767 (lut_tools.py unity_lut_1d).
std::vector<std::uint16_t> unity_lut1d();

// Little-endian bytes (numpy's tobytes on the TV's and the PC's byte order) and base64 (RFC 4648).
std::string bytes_of(const std::vector<std::uint16_t>& values);
std::string bytes_of(const std::vector<float>& values);
std::vector<std::uint16_t> uint16_values(const std::string& bytes);
std::string base64_encode(const std::string& bytes);
std::string base64_decode(const std::string& text);  // InputError when it is not base64

// The "register" message, with the stored client key when there is one (handshake.py).
nlohmann::json registration_message(const std::string& client_key);
// The payload of a calibration request (webos_client.py calibration_request): command,
// profileNo 0, programID 1, and with data its base64 bytes, dataCount, dataType and dataOpt.
nlohmann::json calibration_payload(const std::string& command, const std::string& picture_mode = "");
nlohmann::json calibration_payload(const std::string& command, const std::string& data_bytes, std::size_t count,
                                   const char* data_type);

}  // namespace calkit::lg
