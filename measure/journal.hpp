#pragma once
// The session journal, `<output>.journal`: one JSON line per reading, appended and fsync'd the
// moment the reading is taken, so a crash, Ctrl-C or an unplugged probe loses nothing and a
// resumed session neither repeats nor drops a patch.
//
//   {"calkit_journal":1,"patch_set_hash":"9f0c...","patch_count":1000}        (header)
//   {"index":0,"rgb":[0,0,0],"XYZ":[0.02,0.021,0.023],"t":0.41}              (one per reading)
//
// A torn last line (the process died while writing it) is ignored and cut off on resume.
#include <cstdint>
#include <filesystem>
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

struct JournalContents {
  std::string patch_set_hash;
  int patch_count = 0;
  std::vector<JournalEntry> entries;  // in file order
  std::uintmax_t valid_bytes = 0;     // length up to the end of the last complete line
};

// Reads a journal; a torn or unparsable last line is dropped. Throws InputError (file, line,
// field) for a missing header, a corrupt line before the last, or a duplicate index.
JournalContents read_journal(const std::filesystem::path& path);

class Journal {
 public:
  // Starts a new journal (replacing any old one) with its header line.
  static Journal create(const std::filesystem::path& path, const std::string& hash, int patch_count);
  // Opens an existing journal for appending after checking it belongs to this patch set; cuts
  // a torn last line off. Throws InputError when it does not exist or does not match.
  static Journal resume(const std::filesystem::path& path, const std::string& hash, int patch_count,
                        std::vector<JournalEntry>& entries);
  // `resume`: continue the journal at `path` if there is one; otherwise start one. Without
  // `resume`, an existing journal is an InputError (an interrupted `what` left it).
  static Journal open(const std::filesystem::path& path, const std::string& hash, int patch_count, bool resume,
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
  void write_line(const std::string& line);

  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace calkit
