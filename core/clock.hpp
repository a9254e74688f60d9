#pragma once
// Time as the measurement code sees it. Real sessions sleep on the system clock; simulated
// sessions use SimulatedClock, whose sleep advances time instantly, so a 1000-patch session with
// 0.3 s settle delays runs in a fraction of a second while the virtual display still "settles".
namespace calkit {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual double now_s() = 0;                // seconds since an arbitrary origin, monotonic
  virtual void sleep_s(double seconds) = 0;  // negative or zero: returns at once
};

// std::chrono::steady_clock and std::this_thread::sleep_for.
class SystemClock : public Clock {
 public:
  SystemClock();
  double now_s() override;
  void sleep_s(double seconds) override;

 private:
  double origin_s_;
};

// Starts at start_s; sleep_s(d) adds d and returns at once, or, with a speed above 0, after
// d / speed real seconds (a simulated run paced like a real one, `--sim-speed`, for a page or a
// person to follow).
class SimulatedClock : public Clock {
 public:
  explicit SimulatedClock(double start_s = 0, double speed = 0) : now_(start_s), speed_(speed) {}
  double now_s() override { return now_; }
  void sleep_s(double seconds) override;

 private:
  double now_;
  double speed_;
};

}  // namespace calkit
