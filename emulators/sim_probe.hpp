#pragma once
// A virtual colorimeter reading a VirtualDisplay. Its noise is a deterministic function of
// (seed, what the display shows, the index of this read since that patch was shown, and which
// repeat of its colour in the set being read it is: Patch::repeat), never of a global call
// sequence, so a session killed and resumed reads bit-identical values.
#include <cstdint>

#include "probes/probe.hpp"
#include "sim/virtual_display.hpp"

namespace calkit {

struct SimProbeOptions {
  std::uint64_t seed = 1;
  double relative_noise = 0.002;                  // 1-sigma, fraction of each XYZ component
  double noise_floor_nits = 0.003;                // 1-sigma absolute noise at base_integration_s
  double base_integration_s = 0.25;               // integration on bright patches
  double max_integration_s = 2.0;                 // longest integration, on the darkest patches
  double dark_threshold_nits = 2.0;               // below this Y the probe integrates longer (~ 1/Y)
  double saturation_nits = 20000;                 // brighter -> ProbeError Saturated
  bool spectral_mismatch = false;                 // apply the display model's probe_mismatch matrix
  AmbientReading ambient{5.0, {0.3135, 0.3236}};  // the room: 5 lux near 6500 K
};

class SimProbe : public Probe {
 public:
  // The display must outlive the probe. read() takes integration_s of the display's clock.
  explicit SimProbe(VirtualDisplay& display, SimProbeOptions options = {});

  void open() override { open_ = true; }
  void close() override { open_ = false; }
  ProbeIdentity identity() const override;
  ProbeCapabilities capabilities() const override;
  ProbeReading read() override;
  AmbientReading read_ambient() override;

  const SimProbeOptions& options() const { return options_; }
  // Integration time the probe chooses for a patch of luminance Y, and the absolute noise
  // (1-sigma, per component) that goes with it: floor * sqrt(base / integration).
  double integration_for(double Y_nits) const;
  double floor_sigma_for(double integration_s) const;

 private:
  VirtualDisplay& display_;
  SimProbeOptions options_;
  bool open_ = false;
  std::uint64_t seen_show_count_ = ~std::uint64_t{0};
  std::uint64_t reads_since_show_ = 0;
  std::uint64_t ambient_reads_ = 0;
};

}  // namespace calkit
