#pragma once
// Wire facts of the Klein K10-A (also K-10, KV-10-A), shared by the driver and its emulator. Each
// fact cites an independent driver, read for facts only (no code taken):
//   A:  ArgyllCMS 3.2.0 spectro/kleink10.c (CursedHardware/argyllcms-unofficial-mirror @69b069d)
//   KC: Klein Instruments' own SDK, KClmtr.cpp and Enum.cpp (luhrjensen/KClmtr @ab29bbd, MIT)
//   BL: BrainardLabToolbox Klein10AColorimeterToolbox/K10A_device.c (@b343665)
// /work/notes/probes-facts.md §3 has the line numbers.
// Serial 9600 8N1, no flow control (A k10_init_coms); commands "XY\r"; replies have a fixed
// length, not line-terminated: a 2-char echo, the data, then "<e>" with an error character e
// (A k10_command; KC's command table). Every driver flushes the input before each command (A
// k10_fcommand via icoms; KC KClmtr.cpp; BL K10A_device.c).
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/types.hpp"

namespace calkit::k10 {

inline constexpr int kBaud = 9600;

// Open, in A's order (A k10_init_coms, k10_init_inst): P0 identify, D7 calibration list, L0 aiming
// lights off, J8 auto-range, P2 firmware. A ignores every failure of L0 and reads its 5 bytes;
// KC and BL send L0/L1 without reading a reply (KC's command table gives it length 0; BL
// K10A_device.c), and KC does not send L0 at connect at all (KC KClmtr::connect). The driver sends
// it, reads what comes within A's 0.5 s and ignores what it is: both kinds of unit then work.
// Timeouts in ms (A k10_init_inst, k10_read_cal_list, k10_read_cal_matrix, k10_read_sample).
inline constexpr int kIdentifyTimeoutMs = 500;   // P0
inline constexpr int kLightsTimeoutMs = 500;     // L0
inline constexpr int kRangeTimeoutMs = 1000;     // J1..J8
inline constexpr int kFirmwareTimeoutMs = 2000;  // P2
inline constexpr int kCalListTimeoutMs = 6000;   // D7
inline constexpr int kCalTimeoutMs = 2000;       // D1 and the record
inline constexpr int kMeasureTimeoutMs = 2000;   // N5
inline constexpr int kFlickerTimeoutMs = 2000;   // each T2 packet
// Ranges: J8 auto; J7 holds the current ranges; Jn (1..6) fixes range n, sent after J7 by both A
// (flicker capture, k10_read_flicker_samples) and KC (KClmtr::setRange: J7 then Jn; setRange(0)
// is J7 alone).
// N5 is retried on 'v'/'u' (range changing) at most 4 times in all (A RETRY_RANGE_ERROR,
// k10_read_sample).
inline constexpr int kRangeTries = 4;
// Flicker (A k10_read_flicker_samples): J8 if not auto-ranging, N5 for the ranges, J7, J<green
// range>, then T2 streams 96-byte packets (no header) until N5, whose reply ends the stream.

// Reply lengths, echo and "<e>" included (A k10_command callers; BL K10A_device.c).
inline constexpr std::size_t kIdentifyLength = 21;   // P0: model [2..8], serial [9..17]
inline constexpr std::size_t kFirmwareLength = 13;   // P2: 8 chars at [2]
inline constexpr std::size_t kShortLength = 5;       // L0/L1, J1..J8
inline constexpr std::size_t kMeasureLength = 15;    // N5: X, Y, Z at [2], [5], [8]; ranges [11]
inline constexpr std::size_t kCalListLength = 1925;  // D7: 96 × 20-char names at [2..]
inline constexpr std::size_t kCalSlots = 96;
inline constexpr std::size_t kCalNameLength = 20;
inline constexpr std::size_t kCalAckLength = 2;    // D1: echo, then the host sends idx + '\r'
inline constexpr std::size_t kCalLength = 131;     // the matrix record for that idx
inline constexpr std::size_t kCalFormatFlag = 21;  // 'C': CalMan format (9 float64 LE at [24])
inline constexpr std::size_t kCalManMatrix = 24;
inline constexpr std::size_t kKleinMatrix = 101;   // else 9 three-byte floats at [101..127]
inline constexpr std::size_t kFlickerPacket = 96;  // T2: 32 × 3 bytes at 256 Hz
inline constexpr double kFlickerRateHz = 256;

// Error characters inside "<e>" (A decodeK10err; KC Enum.cpp).
inline constexpr char kOk = '0';
inline constexpr char kOverHighRange = 'w';     // above the top range
inline constexpr char kTopOverRange = 'v';      // transient while auto-ranging up (retry)
inline constexpr char kBottomUnderRange = 'u';  // transient while auto-ranging down (retry)
std::string error_text(char e);

// Three-byte float: u16BE sign (bit 15) + 15-bit mantissa, then an int8 exponent; a measurement is
// ±m·2^(e−16), a calibration-matrix entry ±m·2^(e−15) (A decodeN5, k10_read_cal_matrix; KC
// parseK_float; BL K10A_device.c agree; KC reads an exponent byte of 128 as +128, A as −128).
double decode_float(const std::uint8_t* b, bool calibration = false);
std::array<std::uint8_t, 3> encode_float(double v, bool calibration = false);

// Range byte of N5: range[c] = bit(7−c) + 1 + 2·digit_c, d = r & 0x1F, digits (d/9)%3, (d/3)%3,
// d%3; ranges 1..6 per channel X, Y, Z (A decodeRange; KC parsingRange in Enum.cpp).
std::array<int, 3> decode_ranges(std::uint8_t r);
std::uint8_t encode_ranges(const std::array<int, 3>& ranges);

// Low light. A averages more N5 readings the darker the first one, by v = max(X, Y, Z): 20 below
// 0.2 cd/m²; 10 + 10·w³ up to 2 with w = 1 − (v − 0.2)/1.8; 4 + 6·w³ up to 20 with
// w = 1 − (v − 2)/18; 2 + 2·w³ up to 50 with w = 1 − (v − 20)/30; 1 above; each rounded
// (A k10_read_sample, AUTO_AVERAGE).
int readings_to_average(double v);
// Klein's noise floor: a negative value above −0.02/s/√(n) (three times that for X and Z) is noise,
// s the model's sensitivity (3 for a K-10-A, 1 for a K-10 and others), n the N5 readings averaged
// (32 samples each, at most 512 samples) (KC KClmtr::boxCarAvg, modelSensitivity). For a K-10-A
// and one reading: 0.0067 cd/m² in Y.
Vec3 noise_floor(const std::string& model, int readings);

}  // namespace calkit::k10
