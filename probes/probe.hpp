#pragma once
// The contract every probe driver implements (virtual, emulated or real hardware). A driver is
// one file behind this interface; the measurement session knows nothing else about it.
#include <stdexcept>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "formats/measurement_set.hpp"

namespace calkit {

struct ProbeIdentity {
  std::string model;
  std::string serial;
  std::string firmware;
};

struct ProbeCapabilities {
  std::vector<std::string> display_modes;  // e.g. "lcd-white-led", "oled"; empty if none
  bool ambient = false;
  bool refresh_sync = false;
  bool spectral = false;
};

struct ProbeReading {
  // Absolute CIE 1931 XYZ, cd/m², as measured: near black, noise can make a component slightly
  // negative, and it stays so (clamping would bias every dark reading upwards).
  Vec3 XYZ = Vec3::Zero();
  // The driver's 1-sigma estimate for each XYZ component, cd/m²: what the probe's noise and
  // quantisation leave uncertain in this reading (docs/probes.md, "Low light").
  Vec3 uncertainty = Vec3::Zero();
  Spectrum spectrum;  // spectroradiometers only
  double integration_s = 0;
  bool valid = false;  // false: out of range for a reason that is not an error (e.g. flicker)
};

struct AmbientReading {
  double lux = 0;
  Xy xy;
  bool has_chromaticity = true;  // false: a monochrome ambient sensor (SpyderX); xy is NaN
};

enum class ProbeErrorKind { NotFound, Permission, Busy, Disconnected, Saturated, TooDark, Protocol, Timeout };

class ProbeError : public std::runtime_error {
 public:
  ProbeError(ProbeErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  ProbeErrorKind kind() const { return kind_; }

 private:
  ProbeErrorKind kind_;
};

class Probe {
 public:
  virtual ~Probe() = default;
  virtual void open() = 0;
  virtual void close() = 0;
  virtual ProbeIdentity identity() const = 0;
  virtual ProbeCapabilities capabilities() const = 0;
  virtual void set_display_mode(const std::string& mode) { (void)mode; }
  virtual ProbeReading read() = 0;  // one emissive reading of what is on the screen now
  virtual AmbientReading read_ambient() {
    throw ProbeError(ProbeErrorKind::Protocol, identity().model + " has no ambient mode");
  }
};

}  // namespace calkit
