#pragma once
// Virtual displays that each add one physical effect to a clean panel, over its plausible range
// (issue 20): what the solver's bias test must pass on, so that the display model is built from
// physics that holds on every panel rather than tuned to a built-in display. None is a built-in;
// the levels span what published reviews of each technology report.
#include <string>
#include <vector>

#include "sim/display_model.hpp"

namespace calkit {

// A clean panel: an additive display with three power-law channels (gamma 2.2), no crosstalk,
// sag, quantisation or non-uniformity. SDR: P3-D65 primaries, 200 cd/m², black 0.05 cd/m² at
// the white's colour. HDR: a PQ input decoded exactly, 1000 cd/m² peak, hard clip at the peak.
DisplayModel clean_display_model(bool hdr);

struct SingleEffectDisplay {
  std::string effect;  // "shadow tone", "white sub-pixel", "crosstalk", "power sag", ...
  std::string level;   // the parameter and its value, "toe 0.05"
  DisplayModel model;  // clean_display_model with that one parameter changed
};

// Every effect at one to four levels: shadow tone near black (toe of the tone curves, black
// level and colour), the tone curves' shape (shoulder, unequal gammas), white sub-pixel share and
// colour, crosstalk, power sag with the patch's load, ABL on the frame's load, black bloom, PQ
// tracking error and roll-off.
std::vector<SingleEffectDisplay> single_effect_displays();

}  // namespace calkit
