#pragma once
// Progress of a long run on the terminal (stderr): patch k of N, the colour shown, the reading
// (Y in cd/m², xy) and the time left. Silent when stderr is not a terminal or when asked.
#include <string>

#include "measure/session.hpp"

namespace calkit {

class TerminalProgress {
 public:
  explicit TerminalProgress(bool quiet);
  void update(const SessionProgress& progress);
  void finish();  // ends the status line
  bool enabled() const { return enabled_; }

 private:
  bool enabled_;
  bool drawn_ = false;
};

std::string format_duration(double seconds);  // "1h02m", "3m05s", "12s"
std::string format_progress_line(const SessionProgress& progress);

}  // namespace calkit
