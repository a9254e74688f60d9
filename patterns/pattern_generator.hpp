#pragma once
// The contract every pattern backend implements (virtual display, local window, Resolve,
// PGenerator). A backend is one file behind this interface.
#include <array>
#include <string>

#include "core/types.hpp"

namespace calkit {

enum class SignalRange { Full, Legal };  // legal = video levels, 16-235 at 8 bits
enum class BackgroundKind { Black, Grey, ConstantApl };

struct Background {
  BackgroundKind kind = BackgroundKind::Black;
  double level = 0;  // grey level 0..1 for Grey; target average picture level 0..1 for ConstantApl
};

struct Patch {
  std::array<int, 3> code{0, 0, 0};  // RGB code values at `bits`
  int bits = 8;                      // 8, 10 or 12
  SignalRange range = SignalRange::Full;
  double window_percent = 100;  // patch area as % of screen area, centred
  Background background;
  double settle_hint_s = 0;  // how long the display may need after this patch change
  // Patch centre as a fraction of the screen width and height from the top left; the default
  // centres it. A window that would leave the screen is moved inside it (uniformity zones).
  double centre_x = 0.5, centre_y = 0.5;
  // How many earlier patches of the set being read show this same colour (a set may read black
  // more than once). Generators ignore it; a virtual display passes it to its virtual probe,
  // which draws fresh noise for each repeat, as a real meter does, and the same on a resume.
  int repeat = 0;

  // Code values for normalised device RGB 0..1. Legal range scales the 8-bit 16-235 levels by a
  // bit shift (10-bit 64-940), as the field does.
  static Patch from_rgb(const Vec3& rgb, int bits = 10, SignalRange range = SignalRange::Full);
  // The normalised 0..1 full-range signal the display decodes from the code values.
  Vec3 signal() const;
};

class PatternGenerator {
 public:
  virtual ~PatternGenerator() = default;
  virtual std::string name() const = 0;
  virtual void show(const Patch& patch) = 0;
  // The patch as the backend puts it on the wire: one that sends fewer bits than the patch has
  // reduces its codes, and a reading belongs to the signal shown, not to the one asked for.
  virtual Patch shown(const Patch& patch) const { return patch; }
  virtual void close() {}
};

}  // namespace calkit
