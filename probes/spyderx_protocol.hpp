#pragma once
// Wire facts of the Datacolor SpyderX, shared by the driver and its emulator. Facts from
// /work/shared/research/probes.md §2 (ArgyllCMS spydX.c read as documentation; no code taken).
// Vendor-class USB: a control-transfer reset, then framed commands on bulk EP 0x01 OUT and
// replies on EP 0x81 IN, each carrying a nonce the device echoes.
#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "probes/transport/transport.hpp"

namespace calkit::spyderx {

inline constexpr std::uint16_t kVendorId = 0x085C;
inline constexpr std::uint16_t kProductId = 0x0A00;
inline constexpr std::uint8_t kOutEndpoint = 0x01;
inline constexpr std::uint8_t kInEndpoint = 0x81;

// Reset: vendor, interface, host-to-device; Argyll sends it at init and before every measurement.
inline constexpr std::uint8_t kResetRequestType = 0x41;
inline constexpr std::uint8_t kResetRequest = 0x02;
inline constexpr std::uint16_t kResetValue = 2;
inline constexpr double kResetSettleS = 0.5;

enum Command : std::uint8_t {
  kHardwareVersion = 0xD9,  // reply 0x17: ASCII major at [0], minor at [2..3]
  kSerialNumber = 0xC2,     // reply 0x25: 8 ASCII chars at [4..11]
  kGetCalibration = 0xCB,   // send ix (0..3); reply 0x2A, checksummed
  kMeasureSetup = 0xC3,     // send v1; reply 0x0A, checksummed
  kMeasure = 0xD2,          // send v2 u16BE, s1, s2[4]; reply 4 × u16BE raw X, Y, Z, IR
  kAmbient = 0xD4,          // send inttime, gain code; reply c0 u16BE, c1 u16BE, inttime, gain
};
inline constexpr std::size_t kHardwareVersionLength = 0x17;
inline constexpr std::size_t kSerialLength = 0x25;
inline constexpr std::size_t kCalibrationLength = 0x2A;
inline constexpr std::size_t kSetupLength = 0x0A;
inline constexpr std::size_t kMeasureLength = 8;
inline constexpr std::size_t kAmbientLength = 6;
inline constexpr std::uint8_t kStatusOk = 0x00;
inline constexpr std::uint8_t kStatusBad = 0x01;  // e.g. setup v1 > 3
inline constexpr std::uint8_t kSetupV1 = 3;       // the only setup value that works
inline constexpr std::uint16_t kRawSaturated = 0xFFFF;

// On-board calibrations, by index.
inline constexpr std::array<const char*, 4> kCalibrationNames = {"general", "standard-led", "wide-gamut-led", "gb-led"};

// Ambient sensor (≈ AMS TSL25721): gain codes and Argyll's lux formula.
inline constexpr std::uint8_t kAmbientIntegration = 101;
inline constexpr std::array<std::uint8_t, 4> kGainCodes = {0x11, 0x10, 0x01, 0x00};  // 120, 16, 8, 1
double gain_of(std::uint8_t code);  // 0 for an unknown code
// cpl = inttime·gain/(44·60); lux = max(c0 − 1.87·c1, 0.63·c0 − c1)/cpl, clamped >= 0.
double ambient_lux(double c0, double c1, int inttime, double gain);

// Frame out: cmd | nonce u16BE | payload length u16BE | payload.
Bytes encode_command(std::uint8_t cmd, std::uint16_t nonce, std::span<const std::uint8_t> payload);
// Frame in: nonce u16BE | status | payload length u16BE | payload.
struct Reply {
  std::uint16_t nonce = 0;
  std::uint8_t status = 0;
  Bytes payload;
};
Bytes encode_reply(const Reply& reply);
Reply decode_reply(std::span<const std::uint8_t> frame);  // ProbeError Protocol when malformed
struct Frame {
  std::uint8_t cmd = 0;
  std::uint16_t nonce = 0;
  Bytes payload;
};
Frame decode_command(std::span<const std::uint8_t> frame);  // ProbeError Protocol when malformed

// "ck": the last payload byte is the sum of the bytes before it, mod 256.
std::uint8_t checksum(std::span<const std::uint8_t> bytes);

std::uint16_t u16be(std::span<const std::uint8_t> b, std::size_t at);
void put_u16be(std::span<std::uint8_t> b, std::size_t at, std::uint16_t v);

}  // namespace calkit::spyderx
