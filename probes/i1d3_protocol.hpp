#pragma once
// Wire facts of the X-Rite/Calibrite i1Display Pro family (i1d3), shared by the driver and its
// emulator. Facts from /work/shared/research/probes.md §1 (ArgyllCMS i1d3.c, openI1D3 and
// i1d3util read as documentation only; no code taken).
#include <array>
#include <cstdint>
#include <span>
#include <string>

namespace calkit::i1d3 {

inline constexpr std::uint16_t kVendorId = 0x0765;
inline constexpr std::uint16_t kProductId = 0x5020;
inline constexpr std::size_t kReportSize = 64;
inline constexpr double kClockHz = 12e6;  // measurement clock
inline constexpr double kSaturationHz = 250e3;  // ≈16 000 cd/m², Argyll's "too bright"

// Command codes: (major << 8) | minor; byte 0 = major, byte 1 = minor when major == 0.
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
  kGetDiffuserPos = 0x9400,
  kGetLockChallenge = 0x9900,
  kSendLockResponse = 0x9A00,
  // Writes that can brick or rebrand a probe. The driver never sends them; the emulator flags them.
  kWriteInternalEeprom = 0x0700,
  kWriteExternalEeprom = 0x1300,
  kEnableWrite = 0xAB00,
};
bool is_write_command(std::uint16_t code);

inline constexpr std::uint8_t kStatusOk = 0x00;
inline constexpr std::uint8_t kStatusNoEdges = 0x83;  // period mode: no edges before device timeout
inline constexpr std::uint8_t kStatusUnknownCommand = 0x01;
inline constexpr std::uint8_t kUnlockAccepted = 0x77;

// External EEPROM layout (8192 bytes).
inline constexpr std::size_t kExternalEepromSize = 8192;
inline constexpr std::size_t kInternalEepromSize = 256;
inline constexpr std::size_t kChecksumOffset = 0x0002;  // u16LE
inline constexpr std::size_t kSensorOffset[3] = {0x0026, 0x05A2, 0x0B1E};  // R, G, B float32LE
inline constexpr std::size_t kDiffuserOffset = 0x10BC;
inline constexpr std::size_t kOemSignatureOffset = 0x1638;
inline constexpr int kSensorBands = 351;  // 380..730 nm, 1 nm
inline constexpr double kSensorStartNm = 380;
// Last byte of the checksummed range [4 .. end]: A-01 units 0x1799, A-02 and B 0x178D.
std::size_t checksum_end(const std::string& hardware_revision);
std::uint16_t eeprom_checksum(std::span<const std::uint8_t> eeprom, std::size_t end);

// Internal EEPROM (256 bytes).
inline constexpr std::size_t kSerialOffset = 0x10;  // 20 ASCII chars
inline constexpr std::size_t kSerialLength = 20;
inline constexpr std::size_t kRevisionOffset = 0x2C;  // 10 ASCII chars, "B-02"
inline constexpr std::size_t kRevisionLength = 10;

// OEM unlock keys (k0, k1 before negation). Published interoperability constants (ArgyllCMS
// i1d3_codes[], openI1D3); OEM variants differ only in the key.
struct UnlockKey {
  const char* name;
  std::uint32_t k0;
  std::uint32_t k1;
};
std::span<const UnlockKey> unlock_keys();
const UnlockKey& unlock_key(const std::string& name);  // InputError for an unknown name

// The 64-byte SendLockResponse command for a 64-byte challenge reply (command byte set, the
// 16 response bytes at [24..39], the rest zero).
std::array<std::uint8_t, kReportSize> unlock_response(std::span<const std::uint8_t> challenge,
                                                      const UnlockKey& key);

// Little-endian helpers on report buffers.
std::uint32_t u32le(std::span<const std::uint8_t> b, std::size_t at);
std::uint16_t u16le(std::span<const std::uint8_t> b, std::size_t at);
float f32le(std::span<const std::uint8_t> b, std::size_t at);
void put_u32le(std::span<std::uint8_t> b, std::size_t at, std::uint32_t v);
void put_u16le(std::span<std::uint8_t> b, std::size_t at, std::uint16_t v);
void put_f32le(std::span<std::uint8_t> b, std::size_t at, float v);

}  // namespace calkit::i1d3
