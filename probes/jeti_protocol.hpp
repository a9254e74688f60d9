#pragma once
// Wire facts of the JETI specbos 1201/1211 (and the spectraval 1501/1511 identities), shared by
// the driver and its emulator. Each fact cites an independent driver, read for facts only (no
// code taken):
//   A:   ArgyllCMS 3.2.0 spectro/specbos.c, specbos.h (CursedHardware/argyllcms-unofficial-mirror @69b069d)
//   CRS: psychopy-crs psychopy_crs/hardware/spectrocal.py (@f34dc32), a SpectroCAL MkII (a specbos)
//   PX:  PySpecobs1211 specobs1211.py (xylophoneengine @3ccdf52), low confidence: corroboration only
// /work/notes/probes-facts.md §4 has the line numbers.
// Serial 8N1, no flow control; commands "*...\r"; queries answer a line ending in '\r', setters
// ACK, errors NAK, after which "*stat:err?" answers "Error Code: %d"; ENQ bytes are dropped from
// replies; the input is flushed before each command (A specbos_fcommand).
#include <array>
#include <string>

namespace calkit::jeti {

inline constexpr char kAck = 0x06;
inline constexpr char kNak = 0x15;
inline constexpr char kBel = 0x07;
inline constexpr char kEnq = 0x05;  // stripped from replies (A specbos_fcommand)
// "*idn?" at each rate, 0.5 s each, fastest first (A specbos_init_coms).
inline constexpr std::array<int, 3> kBauds = {921600, 115200, 38400};
inline constexpr int kIdentifyTimeoutMs = 500;
inline constexpr int kReplyTimeoutMs = 1000;  // queries and setters (A specbos_init_inst)
// Identity: "JETI_SB%d" (at least 11 chars) names the model; a reply starting "SB05" is a 1201;
// "JETI_SDCM3", "DCM3_JETI", "SPECFIRM_JETI_1501" a spectraval (A specbos_init_coms).
// Serial: "*para:spnum?" answers "spectrometer number: %d" or a bare "%d" (A specbos_init_coms).

// Open (A specbos_init_inst): *conf:default, *para:calibn 0, *para:expo 1 (auto-exposure),
// *conf:maxtin N, *conf:func 6 (radiometric), *conf:form 4 (ASCII), *para:wavbeg? and
// *para:wavend? ("Predefined start wave: %lf", "... end wave: %lf"; CRS reads a tab after the
// colon), *conf:wran BEG min(END, 830) 1, *conf:aver 1; *vers? in verbose mode (PX: firmware
// ≤ 1.49 answers it in two lines, which the flush before the next command drops).
// maxtin: ((measto − 3.6)/2) s with measto 6 + 3.6 s on a 1211, 16 + 3.6 s on a 1201. A NAK on a
// 1201 is ignored ("1201 firmware V1.8.3 and earlier doesn't support maxtin"), fatal on others
// (A specbos_init_inst). PX spells it *CONF:MAXTINT (unverified).
inline constexpr int kMaxIntegrationMs1211 = 3000;
inline constexpr int kMaxIntegrationMs1201 = 8000;
inline constexpr double kLongestEndNm = 830;
// Reading (A specbos_read_sample): *contr:mhead? answers "mhead: %d", 0 for the emissive head (1:
// ambient; refuse otherwise); *contr:laser 0 must ACK (target laser off); *conf:aver 1; *init ACKs,
// then rings BEL when done, within measto + 10 s (19.6 s on a 1211, 29.6 s on a 1201); error 141
// (beyond the calibrated wavelengths, a third-party calibration) once: *conf:wran 380 780 1 and
// *init again.
inline constexpr int kMeasureTimeoutMs1211 = 19600;
inline constexpr int kMeasureTimeoutMs1201 = 29600;
// *fetch:sprad: two header lines, one value per band in W/(sr·m²·nm), then one more terminator:
// A reads until 2 + bands + 1 terminators (CR, ACK or NAK) within 6 s and skips the first two
// lines; PX: spectral blocks end "\r\r". A converts to mW (×1000) and retries the fetch up to 5
// times (an FT232R overrun). The driver reads the header and the bands and leaves the last
// terminator to the flush before the next command, so a device without it works too.
inline constexpr int kSpectrumTimeoutMs = 6000;
inline constexpr int kSpectrumTries = 5;
// *fetch:XYZ answers three lines " X: %lf", "Y: %lf", "Z: %lf" (A reads 3 terminators).

// Error numbers (A specbos.h): 120 overexposed, 121 underexposed, 123 adaptive integration time
// (A maps all three to a misread, specbos_interp_code), 141 beyond the calibrated wavelengths.
inline constexpr int kErrorOverexposed = 120;
inline constexpr int kErrorUnderexposed = 121;
inline constexpr int kErrorAdaptiveIntegration = 123;
inline constexpr int kErrorExceedsCalWavelength = 141;
inline constexpr int kErrorCommand = 4;  // SPECBOS_COMMAND (A specbos.h): the code a NAK gives

// The fallback range after error 141 (A specbos_read_sample).
inline constexpr int kFallbackStartNm = 380;
inline constexpr int kFallbackEndNm = 780;
inline constexpr int kStepNm = 1;

}  // namespace calkit::jeti
