#pragma once
// Pieces shared by the SpyderX, Klein K10-A, JETI and Photo Research device emulators: the
// option/fault grammar of `emulated:NAME,...` specs, the schedule that turns those faults into
// disconnects, lost replies and corrupted replies, a serial-port device base class, and a
// three-filter colorimeter head whose mismatch to the CIE observer depends on the display's
// spectrum (what on-board calibration matrices per display type exist to correct).
#include <functional>
#include <string>

#include "core/clock.hpp"
#include "core/device_spec.hpp"
#include "core/types.hpp"
#include "emulators/display_spectrum.hpp"
#include "formats/measurement_set.hpp"
#include "probes/transport/transport.hpp"

namespace calkit {

// Faults an emulator can inject, shared by every device emulator so tests read alike.
struct DeviceFaults {
  int disconnect_after_commands = -1;  // >= 0: the device vanishes after this many commands
  bool busy = false;                   // opening fails: another program holds it
  bool permission_denied = false;      // opening fails: no access to the device node
  bool wrong_unlock = false;           // the device rejects every unlock response (i1d3)
  bool corrupt_eeprom = false;         // the stored calibration fails its checksum (i1d3)
  int mute_after_commands = -1;        // >= 0: the next command after this many gets no reply (timeout)
  int garble_after_commands = -1;      // >= 0: the next reply after this many arrives corrupted
};

// Parses "disconnect-after=N,mute-after=N,garble-after=N,busy,permission" plus the device's own
// keys, which `extra` handles (returns false for a key it does not know). Unknown keys throw
// InputError naming the key and listing `usage`.
DeviceFaults parse_emulator_options(const std::string& device, const std::vector<SpecOption>& options,
                                    const std::function<bool(const SpecOption&)>& extra, const std::string& usage);

// The fault to throw when an emulated device is "opened" with busy/permission_denied set.
void throw_open_fault(const DeviceFaults& faults, const std::string& path);

// Decides what happens to each command a device receives.
class FaultSchedule {
 public:
  enum class Action { Answer, Disconnect, Mute, Garble };
  explicit FaultSchedule(const DeviceFaults& faults) : faults_(faults) {}
  Action next_command();
  bool disconnected() const { return disconnected_; }
  std::size_t commands() const { return commands_; }

 private:
  DeviceFaults faults_;
  std::size_t commands_ = 0;
  bool disconnected_ = false;
};

// A device on a serial line, answering in-process. Subclasses parse complete commands out of the
// bytes the host wrote (consume) and queue replies with answer(); reads take from that queue and
// time out (after sleeping the timeout on the device clock) when it runs dry. A wrong baud rate
// garbles the host's bytes, so the device never answers.
class SerialDeviceEmulator : public SerialTransport {
 public:
  SerialDeviceEmulator(std::string path, const DeviceFaults& faults, Clock& clock, int device_baud);

  void set_baud(int baud) override;
  void write(std::span<const std::uint8_t> bytes) override;
  using SerialTransport::write;
  std::string read_until(std::string_view terminators, std::size_t max_length, int timeout_ms) override;
  std::string read_exact(std::size_t count, int timeout_ms) override;
  void discard_input() override { output_.clear(); }
  std::string path() const override { return path_; }

  std::size_t command_count() const { return schedule_.commands(); }
  // Everything the device has sent and nobody read (to relay it onto a real tty in tests).
  std::string drain_output() { return take(output_.size()); }
  int host_baud() const { return baud_; }

 protected:
  // Takes every complete command off the front of `input` and answers it.
  virtual void consume(std::string& input) = 0;
  // Streaming devices add output here when the host wants more than is queued; false: nothing.
  virtual bool produce_more() { return false; }
  // Call once per complete command; false: the device ignores it (muted or gone).
  bool begin_command();
  void answer(std::string bytes);  // applies a pending garble/disconnect to this reply
  Clock& clock_;

 private:
  std::string take(std::size_t n);
  [[noreturn]] void run_dry(int timeout_ms, std::size_t have);

  std::string path_;
  FaultSchedule schedule_;
  int device_baud_;
  int baud_;
  std::string input_, output_;
  FaultSchedule::Action pending_ = FaultSchedule::Action::Answer;
};

// Three colour filters approximating the CIE 1931 CMFs: x̄ shifted by shift_nm[0] plus a little
// ȳ leak, ȳ shifted by shift_nm[1], z̄ shifted by shift_nm[2]. response() is Σ filter·S·Δλ.
class FilterSensor {
 public:
  FilterSensor(Vec3 shift_nm, double leak);
  Vec3 response(const Spectrum& s) const;
  // The matrix taking responses to CIE 1931 XYZ exactly for light made of the three emission
  // bands of `technology` (display_spectrum.cpp): what a factory calibration for that type holds.
  Mat3 matrix_for(const std::string& technology) const;
  // Response per unit XYZ for the light of a display of this technology.
  Mat3 response_per_XYZ(const std::string& technology) const;

 private:
  Vec3 shift_;
  double leak_;
};

}  // namespace calkit
