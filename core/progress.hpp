#pragma once
// Progress of a long stage, on stderr. On a terminal: one status line redrawn in place with the
// stage, how far it is, a detail (the patch just read) and a wall-clock ETA. Not on a terminal
// (a log file, a pipe): one line when the stage starts and one when it ends, so a log never fills
// with carriage returns. Quiet: nothing at all.
#include <chrono>
#include <string>

namespace calkit {

class Progress {
 public:
  // `already_done` of `total` steps were done before this run (a resumed journal): the ETA is
  // timed on the steps this run takes.
  Progress(std::string stage, int total, bool quiet, int already_done = 0);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void update(int done, const std::string& detail = "");
  void update_fraction(double fraction) { update(static_cast<int>(fraction * total_ + 0.5)); }
  // Ends the status line (a prompt may follow); the next update draws it again.
  void pause();
  // The closing line: "calkit: STAGE: done in 12s" (log) or the last status line (terminal).
  void finish();

 private:
  std::string stage_;
  int total_;
  int start_done_;
  int done_;
  bool quiet_;
  bool terminal_;
  bool drawn_ = false;
  bool finished_ = false;
  int last_percent_ = -1;
  std::chrono::steady_clock::time_point start_;
};

std::string format_duration(double seconds);  // "1h02m", "3m05s", "12s"

}  // namespace calkit
