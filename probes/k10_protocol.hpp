#pragma once
// Wire facts of the Klein K10-A (also K-10, KV-10-A), shared by the driver and its emulator.
// Facts from /work/shared/research/probes.md §3 (ArgyllCMS kleink10.c read as documentation;
// no code taken). Serial 9600 8N1, no flow control; commands "XY\r"; replies have a fixed length
// (not line-terminated): a 2-char echo, the data, then "<e>" with an error character e.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace calkit::k10 {

inline constexpr int kBaud = 9600;

// Reply lengths, echo and "<e>" included.
inline constexpr std::size_t kIdentifyLength = 21;   // P0: model [2..8], serial [9..17]
inline constexpr std::size_t kFirmwareLength = 13;   // P2: 8 chars at [2]
inline constexpr std::size_t kShortLength = 5;       // L0/L1, J1..J8
inline constexpr std::size_t kMeasureLength = 15;    // N5: X, Y, Z at [2], [5], [8]; ranges [11]
inline constexpr std::size_t kCalListLength = 1925;  // D7: 96 × 20-char names at [2..]
inline constexpr std::size_t kCalSlots = 96;
inline constexpr std::size_t kCalNameLength = 20;
inline constexpr std::size_t kCalAckLength = 2;      // D1: echo, then the host sends idx + '\r'
inline constexpr std::size_t kCalLength = 131;       // the matrix record for that idx
inline constexpr std::size_t kCalFormatFlag = 21;    // 'C': CalMan format (9 float64 LE at [24])
inline constexpr std::size_t kCalManMatrix = 24;
inline constexpr std::size_t kKleinMatrix = 101;     // else 9 three-byte floats at [101..127]
inline constexpr std::size_t kFlickerPacket = 96;    // T2: 32 × 3 bytes at 256 Hz
inline constexpr double kFlickerRateHz = 256;

// Error characters inside "<e>".
inline constexpr char kOk = '0';
inline constexpr char kOverHighRange = 'w';   // above the top range
inline constexpr char kTopOverRange = 'v';    // transient while auto-ranging up (retry)
inline constexpr char kBottomUnderRange = 'u';  // transient while auto-ranging down (retry)
std::string error_text(char e);

// Three-byte float: u16BE sign (bit 15) + 15-bit mantissa, then an int8 exponent; a measurement is
// ±m·2^(e−16), a calibration-matrix entry ±m·2^(e−15).
double decode_float(const std::uint8_t* b, bool calibration = false);
std::array<std::uint8_t, 3> encode_float(double v, bool calibration = false);

// Range byte of N5: range[c] = bit(7−c) + 1 + 2·digit_c, d = r & 0x1F, digits (d/9)%3, (d/3)%3,
// d%3; ranges 1..6 per channel X, Y, Z.
std::array<int, 3> decode_ranges(std::uint8_t r);
std::uint8_t encode_ranges(const std::array<int, 3>& ranges);

}  // namespace calkit::k10
