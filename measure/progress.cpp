#include "measure/progress.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>

#include <fmt/core.h>

#include "color/colorimetry.hpp"

namespace calkit {

TerminalProgress::TerminalProgress(bool quiet) : enabled_(!quiet && ::isatty(STDERR_FILENO)) {}

std::string format_duration(double seconds) {
  long s = std::lround(std::max(seconds, 0.0));
  if (s >= 3600) return fmt::format("{}h{:02}m", s / 3600, (s % 3600) / 60);
  if (s >= 60) return fmt::format("{}m{:02}s", s / 60, s % 60);
  return fmt::format("{}s", s);
}

std::string format_progress_line(const SessionProgress& p) {
  Xy xy = xy_from_XYZ(p.XYZ);
  return fmt::format("patch {}/{}  RGB {:.3f} {:.3f} {:.3f}  Y {:.3f} cd/m²  xy {:.4f} {:.4f}  ETA {}", p.done,
                     p.total, p.rgb.x(), p.rgb.y(), p.rgb.z(), p.XYZ.y(), xy.x, xy.y,
                     p.eta_s < 0 ? std::string("--") : format_duration(p.eta_s));
}

void TerminalProgress::update(const SessionProgress& progress) {
  if (!enabled_) return;
  std::fprintf(stderr, "\r\033[K%s", format_progress_line(progress).c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void TerminalProgress::finish() {
  if (enabled_ && drawn_) std::fputc('\n', stderr);
  drawn_ = false;
}

}  // namespace calkit
