#pragma once
// Code-value conversions shared by the network pattern backends. Integer arithmetic only: a
// patch's codes are never re-quantised through floating point.
#include <array>

#include "patterns/pattern_generator.hpp"

namespace calkit {

// One code value from from_bits to to_bits. Legal range moves by bit shift (10-bit 64-940 =
// 8-bit 16-235 << 2, ITU-R BT.2100-2 Table 9), rounding to nearest when reducing; full range
// scales 0..2^m-1 onto 0..2^n-1 with rounding (1023 -> 255, 255 -> 1023).
int convert_code(int code, int from_bits, int to_bits, SignalRange range);
std::array<int, 3> codes_at_bits(const Patch& patch, int bits);
// The patch with its codes at `bits` (what a backend that sends `bits` shows).
Patch patch_at_bits(const Patch& patch, int bits);

// Grey signal of the screen around a window of `window_percent` showing `signal`. ConstantApl
// keeps the mean signal of the frame at the background level (Argyll's "constant video"
// background: bg = (A - a*mean) / (1 - a), clamped to 0..1, a = window area fraction).
double background_signal(const Background& background, const Vec3& signal, double window_percent);

// The background grey of a patch as a code value at `bits` in the patch's range (black: the
// range's black code). Grey and constant-APL levels are signals 0..1 and are quantised here.
int background_code(const Patch& patch, int bits);

// Side of a centred window of `window_percent` of the screen AREA, as a fraction of the screen
// width and height: sqrt(pct / 100) (HCFR, PGenerator+; patterns.md section 5).
double window_side(double window_percent);

// The patch rectangle in screen fractions, top-left origin: sides window_side(window_percent),
// centred on (centre_x, centre_y) and moved inside the screen. A centred patch gets x = (1 - side) / 2.
struct WindowGeometry {
  double x = 0, y = 0, width = 1, height = 1;
  double centre_x() const { return x + width / 2; }
  double centre_y() const { return y + height / 2; }
};
WindowGeometry window_geometry(const Patch& patch);
bool is_centred(const Patch& patch);

// Window % of area from a rectangle's area fraction, rounded to 0.01 % (the precision a 4-decimal
// geometry or a pixel rectangle carries), so that 10 % sent comes back as 10 %.
double window_percent_from_area(double area_fraction);

}  // namespace calkit
