#pragma once
// The session journal, `<output>.journal`: one JSON line per reading, appended and fsync'd the
// moment the reading is taken, so a crash, Ctrl-C or an unplugged probe loses nothing and a
// resumed session neither repeats nor drops a patch (docs/files.md "The measurement journal").
//
//   {"calkit_journal":2,"patch_set_hash":"9f0c...","patch_count":1000,"rig":{...},"sum":"..."}
//   {"index":0,"rgb":[0,0,0],"XYZ":[0.02,0.021,0.023],"XYZ_stdev":[0.003,0.003,0.003],"t":0.41,"sum":"..."}
//
// Every line ends in "sum": FNV-1a 64 of the line's bytes before it, so a flipped digit or an
// edited index is noticed. The header binds the rig (probe, display, pattern generator, window,
// seed, correction, ...): a resumed session on another rig is refused, naming what differs.
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "formats/measurement_set.hpp"

namespace calkit {

struct JournalEntry {
  int index = 0;  // position in the patch set
  Reading reading;
  double time_s = 0;  // session clock when the reading was taken
};

// FNV-1a 64 of the patch values (printed to 17 significant digits), as 16 hex digits: a resumed
// session must measure the same patches in the same order.
std::string patch_set_hash(const PatchSet& patches);

std::filesystem::path journal_path_for(const std::filesystem::path& output);

// What the readings of a journal depend on, all of which a resumed session must share.
struct JournalHeader {
  std::string patch_set_hash;
  int patch_count = 0;
  std::map<std::string, std::string> rig;  // "probe", "display", "pattern", "window", "seed", ...
};

// The differences between the header a journal was started with and the one a resumed session
// has, one "name: was 'a', now 'b'" each; empty when they agree.
std::vector<std::string> header_differences(const JournalHeader& journal, const JournalHeader& now);

struct JournalContents {
  JournalHeader header;
  std::vector<JournalEntry> entries;  // the good prefix, in file order
  std::uintmax_t valid_bytes = 0;     // length of the good prefix
  // Where the good prefix ends and why ("line 7: its checksum does not match"); empty when the
  // whole file is good.
  std::string damage;
};

// Reads a journal. The first line that is torn, fails its checksum, names a patch outside the set
// or a patch already read ends the good prefix: it and everything after it are not entries.
// Throws InputError (file, line, field) only for a header that is missing, damaged or from an
// older calkit.
JournalContents read_journal(const std::filesystem::path& path);

// A journal is locked while a Journal has it open (create, resume, open): a second one, in this
// process or another, is an InputError naming it, before it reads, cuts or writes anything.
class Journal {
 public:
  // Starts a new journal (replacing any old one) with its header line.
  static Journal create(const std::filesystem::path& path, const JournalHeader& header);
  // Opens an existing journal for appending after checking it was started with `header`. A
  // damaged tail is cut back to the good prefix: the cut lines go to <journal>.damaged and a line
  // on stderr says so. Throws InputError when there is no journal or its header differs.
  static Journal resume(const std::filesystem::path& path, const JournalHeader& header,
                        std::vector<JournalEntry>& entries);
  // `resume`: continue the journal at `path` if there is one; otherwise start one. Without
  // `resume`, an existing journal is an InputError (an interrupted `what` left it).
  static Journal open(const std::filesystem::path& path, const JournalHeader& header, bool resume,
                      const std::string& what, std::vector<JournalEntry>& entries);

  Journal(Journal&& other) noexcept;
  Journal& operator=(Journal&& other) noexcept;
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;
  ~Journal();

  void append(const JournalEntry& entry);  // one line, written and fsync'd before returning
  void close();
  void remove();  // close and delete (after the final file was written)
  const std::filesystem::path& path() const { return path_; }

 private:
  Journal(std::filesystem::path path, int fd) : path_(std::move(path)), fd_(fd) {}
  // Opens the journal with open(2) `flags` and locks it; InputError when another calkit has it.
  static Journal opened(const std::filesystem::path& path, int flags);
  void write_line(const std::string& line);

  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace calkit
