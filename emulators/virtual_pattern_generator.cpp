#include "emulators/virtual_pattern_generator.hpp"

#include "patterns/patch_codes.hpp"

namespace calkit {

void VirtualPatternGenerator::show(const Patch& patch) {
  Vec3 signal = patch.signal();
  WindowGeometry g = window_geometry(patch);
  display_.show_at(signal, patch.window_percent, background_signal(patch.background, signal, patch.window_percent),
                   g.centre_x(), g.centre_y(), patch.repeat);
}

void VirtualPatternGenerator::close() { display_.show(Vec3::Zero(), 100, 0); }

}  // namespace calkit
