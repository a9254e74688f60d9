#pragma once
// The pattern backend of a virtual display: decodes the patch's code values (range, bits) and
// shows them on a VirtualDisplay with the patch window and background.
#include "patterns/pattern_generator.hpp"
#include "sim/virtual_display.hpp"

namespace calkit {

class VirtualPatternGenerator : public PatternGenerator {
 public:
  explicit VirtualPatternGenerator(VirtualDisplay& display) : display_(display) {}
  std::string name() const override { return "virtual:" + display_.model().name; }
  void show(const Patch& patch) override;
  void close() override;  // full-field black, as generators do at the end of a run

 private:
  VirtualDisplay& display_;
};

}  // namespace calkit
