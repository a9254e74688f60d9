// libFuzzer target: the verification history database (records/history.hpp), which may be a file
// copied from another machine or damaged on disk. Whatever the bytes, opening it, reading its
// runs and rendering the history page must end well or in calkit::InputError.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/error.hpp"
#include "records/history.hpp"
#include "report/html/history_page.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  char path[] = "/tmp/calkit-fuzz-history-XXXXXX";
  int fd = mkstemp(path);
  if (fd < 0) std::abort();
  if (size > 0 && write(fd, data, size) != static_cast<ssize_t>(size)) std::abort();
  close(fd);
  try {
    calkit::HistoryDb db(path, calkit::HistoryDb::Mode::Existing);
    for (const calkit::HistoryDisplay& d : db.displays()) {
      std::vector<calkit::HistoryRun> runs = db.runs({d.display, "", ""});
      if (!runs.empty()) calkit::render_history_html(d.display, runs);
    }
  } catch (const calkit::InputError&) {
  }
  unlink(path);
  return 0;
}
