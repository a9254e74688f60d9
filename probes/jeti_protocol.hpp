#pragma once
// Wire facts of the JETI specbos 1201/1211 (and the spectraval 1501/1511 identities), shared by
// the driver and its emulator. Facts from /work/shared/research/probes.md §4a (ArgyllCMS
// specbos.c read as documentation; no code taken). Serial 8N1, no flow control; commands
// "*...\r"; queries answer a line ending in '\r', setters ACK, errors NAK (then "*stat:err?"),
// "*init" ACKs on accept and rings BEL when the measurement is done.
#include <array>

namespace calkit::jeti {

inline constexpr char kAck = 0x06;
inline constexpr char kNak = 0x15;
inline constexpr char kBel = 0x07;
inline constexpr char kEnq = 0x05;  // stripped from replies
inline constexpr std::array<int, 3> kBauds = {921600, 115200, 38400};  // probed in this order

// Error numbers (specbos.h list).
inline constexpr int kErrorOverexposed = 120;
inline constexpr int kErrorUnderexposed = 121;
inline constexpr int kErrorExceedsCalWavelength = 141;
inline constexpr int kErrorUnknownCommand = 1;  // [assumed] any other code reads the same to the driver

// The spectral range the driver asks for: the devices' calibrated 380..780 nm at 1 nm.
inline constexpr int kStartNm = 380;
inline constexpr int kEndNm = 780;
inline constexpr int kStepNm = 1;

}  // namespace calkit::jeti
