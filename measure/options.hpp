#pragma once
// Session options from their command-line spellings, shared by `calkit measure` and `spot`.
// Every parser throws InputError naming the option for a malformed or out-of-range value.
#include <string>

#include "measure/session.hpp"

namespace calkit {

// "0.2" (fixed delay, seconds) or "stable" / "stable:0.2" (read until stable, first wait 0.2 s).
SettleOptions parse_settle(const std::string& text);
// "black", "grey:0.2", "apl:0.18".
Background parse_background(const std::string& text);
// "full" or "legal".
SignalRange parse_range(const std::string& text);
// "r,g,b", each 0..1.
// One command-line number: anything but a whole finite number is an InputError naming the option.
double parse_number(const std::string& text, const std::string& option);
Vec3 parse_rgb(const std::string& text, const std::string& option);
// 8, 10 or 12; window 1..100 %.
void check_patch_options(const PatchOptions& options);
// --bits, --range, --window, --background together, checked.
PatchOptions make_patch_options(int bits, const std::string& range, double window_percent,
                                const std::string& background);

}  // namespace calkit
