#pragma once
// Wire facts of the X-Rite/Calibrite i1Display Pro family (i1d3), shared by the driver and its
// emulator. Each fact cites an independent driver, read for facts only (no code taken):
//   A: ArgyllCMS 3.2.0 spectro/i1d3.c (CursedHardware/argyllcms-unofficial-mirror @69b069d)
//   O: openI1D3, openI1D3lib/openI1D3probe.cpp (smedith/openI1D3probeDriver @bbd1c45)
// /work/notes/probes-facts.md §1 has the line numbers.
#include <array>
#include <cstdint>
#include <span>
#include <string>

namespace calkit::i1d3 {

inline constexpr std::uint16_t kVendorId = 0x0765;  // A spectro/insttypes.c, usb/55-Argyll.rules
inline constexpr std::uint16_t kProductId = 0x5020;
// 64-byte reports out and in; over hidapi with a leading report ID 0x00 (A i1d3_command; O
// openI1D3hidFuncs.h).
inline constexpr std::size_t kReportSize = 64;
inline constexpr double kClockHz = 12e6;        // measurement clock (A i1d3_init_inst, clk_freq)
inline constexpr double kSaturationHz = 250e3;  // ≈16 000 cd/m²: "too bright" (A I1D3_SAT_FREQ)

// FreqMeasure 0x0100: [1..4] the gate in 12 MHz clocks, u32LE; reply counts of both edges u32LE
// at [2], [6], [10] for R, G, B (A i1d3_freq_measure; the gate A clamps to 20 s, O to 6 s).
// PeriodMeasure 0x0200: edge counts u16LE at [1], [3], [5], the channel mask at [7]; reply 12 MHz
// clock counts u32LE at [2], [6], [10] (A i1d3_period_measure). The mask's bit order disagrees:
// A takes bit i for channel i, O R=0x04, G=0x02, B=0x01 (O measureRawClockCycleCountForSignalCount),
// so the driver always enables all three.
inline constexpr std::uint8_t kPeriodMaskAll = 0x07;
// GetDiffuserPos reply[1] (A i1d3_get_diffpos).
inline constexpr int kDiffuserDisplay = 0;
inline constexpr int kDiffuserAmbient = 1;

// Command codes: (major << 8) | minor. Byte 0 of a command is the major code; byte 1 carries the
// minor code only when the major code is 0x00 (A i1d3_command; O openI1D3probe::sendCommand).
// Reply: byte 0 is the status, byte 1 echoes the MAJOR code, so every 0x00xx command answers
// "00 00" (A i1d3_command, O sendCommand agree); see reply_echo().
enum Command : std::uint16_t {
  kGetInfo = 0x0000,
  kGetStatus = 0x0001,
  kProductName = 0x0010,
  kProductType = 0x0011,
  kFirmwareVersion = 0x0012,
  kFirmwareDate = 0x0013,
  kLockStatus = 0x0020,
  kFreqMeasure = 0x0100,
  kPeriodMeasure = 0x0200,
  kReadInternalEeprom = 0x0800,
  kReadExternalEeprom = 0x1200,
  kSetLed = 0x2100,
  kGetDiffuserPos = 0x9400,  // reply[1]: 0 display, 1 ambient; no echo (A i1d3_command, i1d3_get_diffpos)
  kGetLockChallenge = 0x9900,
  kSendLockResponse = 0x9A00,
  // Writes that can brick or rebrand a probe (O openI1D3probe::enableEepromWriteAccess and the
  // EEPROM writers). The driver never sends them; the emulator flags them.
  kWriteInternalEeprom = 0x0700,
  kWriteExternalEeprom = 0x1300,
  kEnableWrite = 0xAB00,
};
bool is_write_command(std::uint16_t code);
// The byte 1 a reply to `code` carries: its major code (A i1d3_command; O sendCommand).
inline std::uint8_t reply_echo(std::uint16_t code) { return static_cast<std::uint8_t>(code >> 8); }
// Whether byte 1 of the reply is an echo at all: not for 0x9400 (the position) nor for 0x1000
// MoreHardware (A i1d3_command).
inline bool reply_has_echo(std::uint16_t code) { return code != kGetDiffuserPos && code != 0x1000; }

inline constexpr std::uint8_t kStatusOk = 0x00;
// Period mode saw no edges before the device's own timeout (Rev B; A i1d3_command). A then
// measures frequency over 10 s (A i1d3_take_emis_measurement, "permeasfail").
inline constexpr std::uint8_t kStatusNoEdges = 0x83;
inline constexpr std::uint8_t kStatusUnknownCommand = 0x01;
inline constexpr std::uint8_t kUnlockAccepted = 0x77;  // SendLockResponse reply[2] (A i1d3_unlock)

// Reply timeouts: 1 s for information commands, 40 s for measurements (A i1d3_command callers,
// I1D3_MEAS_TIMEOUT; O uses 1 s and 60 s).
inline constexpr int kInfoTimeoutMs = 1000;
inline constexpr int kMeasureTimeoutMs = 40000;

// External EEPROM layout (8192 bytes), read with 0x1200: big-endian address at [1..2], length
// (≤ 59) at [3], data from reply[5]; internal EEPROM with 0x0800: address [1], length (≤ 60) [2],
// data from reply[4] (A i1d3_read_external_eeprom, i1d3_read_internal_eeprom). Offsets from A
// i1d3_decode_extEE / i1d3_decode_intEE.
inline constexpr std::size_t kExternalEepromSize = 8192;
inline constexpr std::size_t kInternalEepromSize = 256;
inline constexpr std::size_t kChecksumOffset = 0x0002;                     // u16LE
inline constexpr std::size_t kSensorOffset[3] = {0x0026, 0x05A2, 0x0B1E};  // R, G, B float32LE
inline constexpr std::size_t kDiffuserOffset = 0x10BC;
inline constexpr std::size_t kOemSignatureOffset = 0x1638;
inline constexpr int kSensorBands = 351;  // 380..730 nm, 1 nm
inline constexpr double kSensorStartNm = 380;
// The external EEPROM's checksum (u16LE at 0x0002) is the 16-bit sum of bytes 4..end. A sums
// 4..0x1799 first and refuses a mismatch only on revision "A-01"; on later revisions it tries
// 4..0x178D and goes on whether or not that matches ("A-02 & B seem to have abandoned reliable
// checksums", A i1d3_decode_extEE). O's library never checks; O's utility, in its signature
// rewrite only, wants one of the two ranges to match (O openI1D3probe::calExternalEepromChkksum).
// The driver follows A: it fails A-01 units only.
inline constexpr std::size_t kChecksumEndFull = 0x1799;
inline constexpr std::size_t kChecksumEndShort = 0x178D;
inline bool checksum_must_match(const std::string& hardware_revision) { return hardware_revision == "A-01"; }
std::uint16_t eeprom_checksum(std::span<const std::uint8_t> eeprom, std::size_t end);

// Internal EEPROM (256 bytes).
inline constexpr std::size_t kSerialOffset = 0x10;  // 20 ASCII chars
inline constexpr std::size_t kSerialLength = 20;
inline constexpr std::size_t kRevisionOffset = 0x2C;  // 10 ASCII chars, "B-02"
inline constexpr std::size_t kRevisionLength = 10;

// OEM unlock keys (k0, k1 before negation): published interoperability constants (A i1d3_codes[],
// i1d3_unlock; O createUnLockResponse). OEM variants differ only in the key.
struct UnlockKey {
  const char* name;
  std::uint32_t k0;
  std::uint32_t k1;
};
std::span<const UnlockKey> unlock_keys();
const UnlockKey& unlock_key(const std::string& name);  // InputError for an unknown name

// The 64-byte SendLockResponse command for a 64-byte challenge reply (command byte set, the
// 16 response bytes at [24..39], the rest zero).
std::array<std::uint8_t, kReportSize> unlock_response(std::span<const std::uint8_t> challenge, const UnlockKey& key);

// Little-endian helpers on report buffers.
std::uint32_t u32le(std::span<const std::uint8_t> b, std::size_t at);
std::uint16_t u16le(std::span<const std::uint8_t> b, std::size_t at);
float f32le(std::span<const std::uint8_t> b, std::size_t at);
void put_u32le(std::span<std::uint8_t> b, std::size_t at, std::uint32_t v);
void put_u16le(std::span<std::uint8_t> b, std::size_t at, std::uint16_t v);
void put_f32le(std::span<std::uint8_t> b, std::size_t at, float v);

}  // namespace calkit::i1d3
