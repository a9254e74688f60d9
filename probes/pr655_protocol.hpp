#pragma once
// Wire facts of the Photo Research PR-655 / PR-670 (SpectraScan), shared by the driver and its
// emulator. Each fact cites an independent source, read for facts only (no code taken):
//   MAN: Photo Research, "PR-655/670 Remote Mode Commands" (the manual, in
//        Matthew-Lochridge/Photo_Research @59ade7d, Manuals/), by page
//   ML:  SpectraScanPR655.m, the MATLAB SpectraScan driver (same repository)
//   PT:  Psychtoolbox PR655Toolbox (PR655init.m, PR655write.m, PR655measspd.m, PR655parsespdstr.m)
//        and PR670Toolbox (kleinerm/Psychtoolbox-3)
//   PP:  PsychoPy psychopy/hardware/pr.py (@42f5a90) and psychopy-photoresearch (@cda3b36)
// /work/notes/probes-facts.md §5 has the line numbers.
// USB CDC-ACM serial ("the USB driver sets these parameters", MAN p.102; PT opens 9600 8N1, ML
// 2400 with hardware flow control: nominal over CDC-ACM).
namespace calkit::pr655 {

inline constexpr int kBaud = 9600;
// Remote mode: "P" "H" "O" "T" "O" as single characters, no CR (MAN p.103; ML connect; PT
// PR655init; PP classic sends "PHOTO\n" in one write). The reply is " REMOTE MODE": ML reads
// exactly 12 characters, PT reads until the port is idle, nobody relies on a terminator, so the
// driver waits for the text, not for an end of line. 10 s (PT, PP).
inline constexpr const char* kRemoteCommand = "PHOTO";
inline constexpr const char* kRemoteReply = "REMOTE MODE";
inline constexpr int kRemoteTimeoutMs = 10000;
// Commands: characters one at a time, then CR (MAN p.103 requires single characters; PT paces
// them 50 ms apart, PP 0.1 s; ML and IG write whole strings, which work for them).
inline constexpr double kCharacterPauseS = 0.05;
inline constexpr int kReplyTimeoutMs = 3000;
inline constexpr int kMeasureTimeoutMs = 30000;  // M5/M2 (PT PR655, PP; the PR-670 toolbox allows 300 s)
// Replies end in CR LF. D/M replies start with a status, "0000," or "00000," when good (MAN
// p.105 gives 4 digits, its data pages 5: "00000,PR-670"), else just the code (MAN p.105):
// all zeros is good. D111 the model, D110 the serial number, the field after the status (ML;
// PP takes the last field; PT keeps 8 characters and trailing blanks may follow).
// Q leaves remote mode: MAN gives no CR, PT's PR-655 toolbox sends "Q\r"; the driver sends the CR
// too (in local mode the instrument ignores it).

// Measurement status codes (MAN p.122, "Remote control measurement errors"; ML read_code the same):
inline constexpr int kOk = 0;
inline constexpr int kNotConstant = -1;  // light source not constant
inline constexpr int kOverload = -2;     // light overload, signal too intense
inline constexpr int kCannotSync = -3;   // below 20 Hz, above 400 Hz, or signal too low
inline constexpr int kAdaptiveError = -4;
inline constexpr int kWeakLight = -8;  // weak light, insufficient signal
inline constexpr int kSyncError = -9;
inline constexpr int kCannotAutoSync = -10;
inline constexpr int kAdaptiveTimeout = -12;
// PT's PR-655 toolbox reads these otherwise: −1 and 10 "low light", −8 "could not sync", and 18
// data of low confidence (PR655measspd.m); PP treats 10 and 18 as "light low" (PR-650 codes). The
// driver accepts both readings: −8 and 10 are too dark, 18 still returns data.
inline constexpr int kLightLowPr650 = 18;
inline constexpr int kTooDarkPr650 = 10;

// The PR-655 spectrum: 380..780 nm at 4 nm, 101 lines "nm,value" in W/(sr·m²·nm) after a header
// "status,units,peak nm,integrated radiometric,integrated photon" (MAN p.116; PT
// PR655parsespdstr parses 101 records from 380); the PR-670 sends 201 at 2 nm (MAN D120, PT
// PR670parsespdstr). The driver reads the grid from the lines.
inline constexpr int kEndNm = 780;

}  // namespace calkit::pr655
