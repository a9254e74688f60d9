#pragma once
// Wire facts of the Photo Research PR-655 / PR-670 (SpectraScan), shared by the driver and its
// emulator. Facts from /work/shared/research/probes.md §4b (Psychtoolbox PR655Toolbox and
// PsychoPy pr.py read as documentation; no code taken). USB CDC-ACM serial, 9600 8N1, no
// handshake. "PHOTO" (no CR) enters remote mode; other commands end in CR; replies are
// comma-separated lines starting with a quality code.
namespace calkit::pr655 {

inline constexpr int kBaud = 9600;
inline constexpr const char* kRemoteCommand = "PHOTO";  // sent without CR
inline constexpr int kRemoteTimeoutMs = 10000;
inline constexpr int kMeasureTimeoutMs = 30000;  // M2/M5 can take ~30 s in the dark

// Quality codes, first field of a measurement reply.
inline constexpr int kOk = 0;
inline constexpr int kLightLow = 18;      // data returned, low confidence
inline constexpr int kTooDark = -1;       // also 10
inline constexpr int kTooDarkAlt = 10;
inline constexpr int kCannotSync = -8;
inline constexpr int kOverload = 19;      // [assumed] too bright: not in the sources
inline constexpr int kBadCommand = -5;    // [assumed] unknown command

// The PR-655 spectrum: 380..780 nm at 4 nm (101 lines "nm,value", W/(sr·m²·nm)). The driver
// reads the grid from the lines, as the PR-670's grid is unverified.
inline constexpr int kStartNm = 380;
inline constexpr int kEndNm = 780;
inline constexpr int kStepNm = 4;

}  // namespace calkit::pr655
