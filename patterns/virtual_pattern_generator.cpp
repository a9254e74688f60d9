#include "patterns/virtual_pattern_generator.hpp"

#include <algorithm>

#include "patterns/patch_codes.hpp"

namespace calkit {

double background_signal(const Background& background, const Vec3& signal, double window_percent) {
  switch (background.kind) {
    case BackgroundKind::Black:
      return 0;
    case BackgroundKind::Grey:
      return std::clamp(background.level, 0.0, 1.0);
    case BackgroundKind::ConstantApl: {
      double area = std::clamp(window_percent / 100, 0.0, 1.0);
      if (area >= 1) return 0;
      double bg = (background.level - area * signal.mean()) / (1 - area);
      return std::clamp(bg, 0.0, 1.0);
    }
  }
  return 0;
}

void VirtualPatternGenerator::show(const Patch& patch) {
  Vec3 signal = patch.signal();
  WindowGeometry g = window_geometry(patch);
  display_.show_at(signal, patch.window_percent, background_signal(patch.background, signal, patch.window_percent),
                   g.centre_x(), g.centre_y());
}

void VirtualPatternGenerator::close() { display_.show(Vec3::Zero(), 100, 0); }

}  // namespace calkit
