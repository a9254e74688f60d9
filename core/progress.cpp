#include "core/progress.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>

#include <fmt/core.h>

namespace calkit {

std::string format_duration(double seconds) {
  long s = std::lround(std::max(seconds, 0.0));
  if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
  if (s >= 60) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}

Progress::Progress(std::string stage, int total, bool quiet, int already_done)
    : stage_(std::move(stage)),
      total_(std::max(total, 1)),
      start_done_(already_done),
      done_(already_done),
      quiet_(quiet),
      terminal_(::isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()) {
  if (!quiet_ && !terminal_) std::fprintf(stderr, "calkit: %s ...\n", stage_.c_str());
}

Progress::~Progress() { finish(); }

void Progress::update(int done, const std::string& detail) {
  done_ = done;
  if (quiet_ || !terminal_) return;
  const int percent = static_cast<int>(100.0 * done / total_);
  if (detail.empty() && percent == last_percent_) return;  // a fraction-only stage redraws per percent
  last_percent_ = percent;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const int taken = done - start_done_;
  const std::string eta = taken > 0 && elapsed > 0.5 ? format_duration(elapsed / taken * (total_ - done)) : "--";
  const std::string where = detail.empty() ? fmt::format("{:3d}%", percent) : fmt::format("{}/{}", done, total_);
  std::fprintf(stderr, "\r\033[K%s: %s  %s%sETA %s", stage_.c_str(), where.c_str(), detail.c_str(),
               detail.empty() ? "" : "  ", eta.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::pause() {
  if (drawn_) std::fputc('\n', stderr);
  drawn_ = false;
}

void Progress::finish() {
  if (finished_) return;
  finished_ = true;
  pause();
  if (quiet_ || terminal_) return;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::fprintf(stderr, "calkit: %s: %d of %d in %s\n", stage_.c_str(), done_, total_, format_duration(elapsed).c_str());
}

}  // namespace calkit
