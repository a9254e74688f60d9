#include "core/clock.hpp"

#include <chrono>
#include <thread>

namespace calkit {

namespace {
double steady_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}
}  // namespace

SystemClock::SystemClock() : origin_s_(steady_seconds()) {}

double SystemClock::now_s() { return steady_seconds() - origin_s_; }

void SystemClock::sleep_s(double seconds) {
  if (seconds > 0) std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
}

void SimulatedClock::sleep_s(double seconds) {
  if (seconds <= 0) return;
  now_ += seconds;
  if (speed_ > 0) std::this_thread::sleep_for(std::chrono::duration<double>(seconds / speed_));
}

}  // namespace calkit
