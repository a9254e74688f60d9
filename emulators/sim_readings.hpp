#pragma once
// Readings of a virtual display by the SimProbe, taken as a measurement session takes them
// (measure/session.hpp): each patch sent as 10-bit full-range codes in a 10 % window on black,
// read 2 s after it is shown (settled), and recorded at the signal those codes carry. What the
// solver's tests and benchmarks fit their models to.
#include <vector>

#include "emulators/sim_probe.hpp"
#include "formats/measurement_set.hpp"
#include "sim/display_model.hpp"

namespace calkit {

// Each reading with the 1-sigma the SimProbe states for it, as a probe's driver states it.
MeasurementSet read_with_sim_probe(const DisplayModel& display, const std::vector<Vec3>& rgb,
                                   const SimProbeOptions& options = {});

}  // namespace calkit
