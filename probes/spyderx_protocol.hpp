#pragma once
// Wire facts of the Datacolor SpyderX, shared by the driver and its emulator. Each fact cites an
// independent driver, read for facts only (no code taken):
//   A:  ArgyllCMS 3.2.0 spectro/spydX.c, spydX.h (CursedHardware/argyllcms-unofficial-mirror @69b069d)
//   PC: PsyCalibrator spyderX.m (yangzhangpsy/PsyCalibrator @45e5b51), a MATLAB driver
//   PM: spyderx.py (patrickmineault/spyderX @3771770), a Python port of PC
// /work/notes/probes-facts.md §2 has the line numbers.
// Vendor-class USB: a control-transfer reset, then framed commands on EP 0x01 OUT and replies on
// EP 0x81 IN (A spydX_command; PC uses bulk transfers), each carrying a nonce the device echoes.
#include <array>
#include <cstdint>
#include <span>
#include <string>

#include "probes/transport/transport.hpp"

namespace calkit::spyderx {

inline constexpr std::uint16_t kVendorId = 0x085C;  // A spectro/insttypes.c
inline constexpr std::uint16_t kProductId = 0x0A00;
inline constexpr std::uint8_t kOutEndpoint = 0x01;  // A spydX_command; PC spyderX.m
inline constexpr std::uint8_t kInEndpoint = 0x81;

// Reset: bmRequestType 0x41 (vendor, interface, host-to-device), bRequest 0x02, wValue 2, wIndex 0,
// no data, 5 s. A sends it at init and before every measurement, ignores whether it succeeded and
// sleeps 500 ms (A spydX_reset, spydX_Measure, spydX_init_inst); PC and PM send it before every
// measurement and check nothing either (PC spyderX.m; PM spyderx.py).
inline constexpr std::uint8_t kResetRequestType = 0x41;
inline constexpr std::uint8_t kResetRequest = 0x02;
inline constexpr std::uint16_t kResetValue = 2;
inline constexpr double kResetSettleS = 0.5;
inline constexpr int kTimeoutMs = 5000;  // every command (A spydX_command callers)

enum Command : std::uint8_t {
  kHardwareVersion = 0xD9,  // reply 0x17: ASCII major at [0], minor at [2..3] (A spydX_getHWverno)
  kSerialNumber = 0xC2,     // reply 0x25: 8 ASCII chars at [4..11] (A spydX_getSerNo)
  kGetCalibration = 0xCB,   // send ix (0..3); reply 0x2A, checksummed (A spydX_getCalibration)
  kMeasureSetup = 0xC3,     // send v1; reply 0x0A, checksummed (A spydX_measSettup)
  kMeasure = 0xD2,          // send v2 u16BE, s1, s2[4]; reply 4 × u16BE raw X, Y, Z, IR (A spydX_Measure)
  kAmbient = 0xD4,          // send inttime, gain code; reply c0 u16BE, c1 u16BE, inttime, gain (A spydX_AmbMeasure)
};
// Calibration reply: ix, v1, v2 u16BE (integration ms), 9 float32 LE of a row-major matrix taking
// counts to XYZ, v3, checksum (A spydX_getCalibration: XYZ = M·counts, spydX_GetReading). PC and
// PM multiply a row vector by M, the transpose (PC spyderX.m; PM spyderx.py); no third source
// decides, so the driver follows A.
// Setup reply: s1, s2[4], s3[4] (black subtraction counts), checksum (A spydX_measSettup). A
// sends the setup before every reading and black calibration (A spydX_GetReading,
// spydX_BlackCal); PC once at init. Both work for them; the driver follows A.
// Open: reset, 0xD9, 0xC2, 0xCB, then an ambient measurement (101, 0x10) "to initialize it",
// whose result nobody uses (A spydX_init_inst; PC spyderX.m does the same).
// Black calibration: a normal reading with the cap on; bcal = raw − s3 as signed counts, with no
// clamp and no limit (A spydX_BlackCal; PC, PM the same). XYZ = M·(raw − s3 − bcal).
inline constexpr std::size_t kHardwareVersionLength = 0x17;
inline constexpr std::size_t kSerialLength = 0x25;
inline constexpr std::size_t kCalibrationLength = 0x2A;
inline constexpr std::size_t kSetupLength = 0x0A;
inline constexpr std::size_t kMeasureLength = 8;
inline constexpr std::size_t kAmbientLength = 6;
inline constexpr std::uint8_t kStatusOk = 0x00;
inline constexpr std::uint8_t kStatusBad = 0x01;        // [assumed] what the emulator answers to a bad command
inline constexpr std::uint8_t kSetupV1 = 3;             // the only gain setting that works (A spydX.h)
inline constexpr std::uint16_t kRawSaturated = 0xFFFF;  // [ours] a u16 count at its maximum; A does not check

// On-board calibrations, by index: General (CCFL), Standard LED, Wide Gamut LED, GB LED (A
// spydX_disptypesel).
inline constexpr std::array<const char*, 4> kCalibrationNames = {"general", "standard-led", "wide-gamut-led", "gb-led"};

// Ambient sensor (≈ AMS TSL25721): gain codes and the lux formula (A spydX_GetAmbientReading;
// A and PC always use inttime 101 and gain 0x10).
inline constexpr std::uint8_t kAmbientIntegration = 101;
inline constexpr std::uint8_t kAmbientInitGain = 0x10;
inline constexpr std::array<std::uint8_t, 4> kGainCodes = {0x11, 0x10, 0x01, 0x00};  // 120, 16, 8, 1
double gain_of(std::uint8_t code);                                                   // 0 for an unknown code
// cpl = inttime·gain/(44·60); lux = max(c0 − 1.87·c1, 0.63·c0 − c1)/cpl, clamped >= 0.
double ambient_lux(double c0, double c1, int inttime, double gain);

// Frame out: cmd | nonce u16BE | payload length u16BE | payload. The device echoes any nonce: A
// sends random ones, PC fixed ones (A spydX_command; PC spyderX.m); the driver counts them, so a
// trace replays (each command still gets its own).
Bytes encode_command(std::uint8_t cmd, std::uint16_t nonce, std::span<const std::uint8_t> payload);
// Frame in: nonce u16BE | status | payload length u16BE | payload; A checks the length, then that
// bytes [2..3] are zero, the nonce, the payload length (A spydX_command).
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
