#pragma once
// Klein K10-A colorimeter over its FTDI serial port (wire facts: probes/k10_protocol.hpp, cited to
// ArgyllCMS and Klein's SDK). open(): identify, list the on-board calibration matrices, aiming
// lights off, auto-range, firmware, in ArgyllCMS's order. read(): N5 with the auto-range retries
// the device asks for, averaged when dark by ArgyllCMS's schedule, with Klein's noise floor as its
// uncertainty; the selected on-board matrix is applied host-side. It never sends the
// flash-writing black-calibration command (B7).
#include <memory>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/device_spec.hpp"
#include "probes/probe.hpp"
#include "probes/transport/transport.hpp"

namespace calkit {

struct K10Options {
  std::string calibration;        // an on-board matrix name (D7 list); empty: factory XYZ only
  bool average_when_dark = true;  // k10::readings_to_average: 20 below 0.2 cd/m², 1 from 50
};

struct K10Calibration {
  int index = 0;  // 1..96
  std::string name;
  Mat3 matrix = Mat3::Identity();
};

class K10Driver : public Probe {
 public:
  K10Driver(std::unique_ptr<SerialTransport> transport, Clock& clock, K10Options options = {});

  void open() override;
  void close() override { open_ = false; }
  ProbeIdentity identity() const override { return identity_; }
  ProbeCapabilities capabilities() const override;
  void set_display_mode(const std::string& mode) override;  // an on-board calibration name
  ProbeReading read() override;

  // One N5 reading in the device's factory XYZ (no matrix, no averaging).
  Vec3 measure_factory_XYZ(std::array<int, 3>* ranges = nullptr);
  const std::vector<K10Calibration>& calibrations() const { return calibrations_; }  // names only
  K10Calibration read_calibration(int index);  // D1: the matrix of slot index (1..96)
  const K10Calibration& selected_calibration() const { return selected_; }
  void set_fixed_range(int range);  // 1..6 (J7 then Jn); 0: hold the current ranges (J7)
  void set_auto_range();            // J8
  // `count` luminance samples of the T2 flicker stream (256 Hz), relative to the range's top.
  std::vector<double> read_flicker(std::size_t count);

 private:
  std::string command(const std::string& cmd, std::size_t reply_length, int timeout_ms, char* error = nullptr);
  void check_open() const;

  std::unique_ptr<SerialTransport> transport_;
  Clock& clock_;
  K10Options options_;
  bool open_ = false;
  ProbeIdentity identity_;
  std::vector<K10Calibration> calibrations_;
  K10Calibration selected_;
  bool auto_range_ = true;
  std::string k10_model_;  // "K-10-A", as P0 gives it (Klein's noise floor depends on it)
};

// The K10 on `path` (e.g. /dev/ttyUSB0), not yet opened.
// The driver's own --probe options: mode=NAME picks an on-board matrix.
K10Options k10_options(const std::vector<SpecOption>& options);
// The probe-table row's driver (probe_table.cpp) on an open wire.
std::unique_ptr<Probe> make_k10_probe(ProbeWire wire, Clock& clock, const std::vector<SpecOption>& options);

}  // namespace calkit
