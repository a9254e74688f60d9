#include "measure/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <optional>
#include <string_view>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "color/plausibility.hpp"
#include "core/error.hpp"
#include "core/file_lock.hpp"
#include "core/files.hpp"
#include "core/fnv.hpp"
#include "core/json.hpp"

namespace calkit {
namespace {

using nlohmann::json;

constexpr int kVersion = 2;  // 1: no checksums, no rig
constexpr std::string_view kSumTag = ",\"sum\":\"";
constexpr std::size_t kSumDigits = 16;

// `object` as one line whose last member is the checksum of the bytes before it.
std::string sealed_line(const json& object) {
  // Text that is not UTF-8 (a device's name) is replaced rather than thrown on: a journal line
  // must always be written.
  std::string body = object.dump(-1, ' ', false, json::error_handler_t::replace);
  body.pop_back();  // the closing brace
  return body + std::string(kSumTag) + fnv1a64_hex(body) + "\"}\n";
}

// The object of a sealed line (without its newline), or nothing when the checksum does not match.
std::optional<json> unsealed(std::string_view line) {
  const std::size_t tail = kSumTag.size() + kSumDigits + 2;  // ,"sum":"<16 hex>"}
  if (line.size() < tail || line.substr(line.size() - 2) != "\"}") return std::nullopt;
  const std::string_view body = line.substr(0, line.size() - tail);
  if (line.substr(body.size(), kSumTag.size()) != kSumTag) return std::nullopt;
  if (line.substr(body.size() + kSumTag.size(), kSumDigits) != fnv1a64_hex(body)) return std::nullopt;
  json j = json::parse(line.begin(), line.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return j;
}

std::optional<Vec3> vec_from(const json& j, const char* field) {
  auto it = j.find(field);
  if (it == j.end() || !it->is_array() || it->size() != 3) return std::nullopt;
  Vec3 v;
  for (int i = 0; i < 3; ++i) {
    if (!(*it)[i].is_number()) return std::nullopt;
    v[i] = (*it)[i].get<double>();
  }
  return v;
}

std::string entry_line(const JournalEntry& e) {
  json j{{"index", e.index}, {"rgb", vec_json(e.reading.rgb)}, {"XYZ", vec_json(e.reading.XYZ)}, {"t", e.time_s}};
  if (!e.reading.uncertainty.isZero()) j["XYZ_stdev"] = vec_json(e.reading.uncertainty);
  if (!e.reading.spectrum.empty())
    j["spectrum"] = {{"start_nm", e.reading.spectrum.start_nm},
                     {"step_nm", e.reading.spectrum.step_nm},
                     {"values", e.reading.spectrum.values}};
  return sealed_line(j);
}

// The entry a good line holds, or why the line is not one.
std::string entry_from(const json& j, int patch_count, const std::vector<bool>& seen, JournalEntry& e) {
  auto index = j.find("index");
  if (index == j.end() || !index->is_number_integer()) return "no patch index";
  const auto i = index->get<std::int64_t>();
  if (i < 0 || i >= patch_count) return fmt::format("patch {} is outside the patch set (0..{})", i, patch_count - 1);
  e.index = static_cast<int>(i);
  if (seen[static_cast<std::size_t>(e.index)]) return fmt::format("patch {} appears twice", e.index);
  auto rgb = vec_from(j, "rgb"), XYZ = vec_from(j, "XYZ");
  if (!rgb || !XYZ) return "no rgb or XYZ";
  e.reading.rgb = *rgb;
  e.reading.XYZ = *XYZ;
  if (auto sigma = vec_from(j, "XYZ_stdev")) e.reading.uncertainty = *sigma;
  if (std::string why = implausible_reading(e.reading.XYZ); !why.empty()) return why;
  if (auto t = j.find("t"); t != j.end() && t->is_number()) e.time_s = t->get<double>();
  if (auto s = j.find("spectrum"); s != j.end()) {
    try {
      e.reading.spectrum.start_nm = s->at("start_nm").get<double>();
      e.reading.spectrum.step_nm = s->at("step_nm").get<double>();
      e.reading.spectrum.values = s->at("values").get<std::vector<double>>();
    } catch (const json::exception&) {
      return "a spectrum without start_nm, step_nm and values";
    }
  }
  return "";
}

JournalHeader header_from(std::string_view line, const std::string& file) {
  json j = json::parse(line.begin(), line.end(), nullptr, false);
  if (j.is_object() && j.contains("calkit_journal") && !j.contains("sum"))
    throw InputError(file, 1, "calkit_journal",
                     "written by an older calkit without checksums: finish it with that version, or delete it");
  std::optional<json> sealed = unsealed(line);
  if (!sealed) throw InputError(file, 1, "calkit_journal", "the journal's header is damaged: delete the journal");
  const json& h = *sealed;
  JournalHeader header;
  try {
    if (h.at("calkit_journal").get<int>() != kVersion)
      throw InputError(file, 1, "calkit_journal",
                       fmt::format("version {} (this calkit reads {})", h.at("calkit_journal").dump(), kVersion));
    header.patch_set_hash = h.at("patch_set_hash").get<std::string>();
    header.patch_count = h.at("patch_count").get<int>();
    header.rig = h.at("rig").get<std::map<std::string, std::string>>();
  } catch (const json::exception&) {
    throw InputError(file, 1, "calkit_journal", "not a calkit journal header");
  }
  if (header.patch_count < 1) throw InputError(file, 1, "patch_count", "must be at least 1");
  return header;
}

// Says where the good prefix ends; complete lines after it go to <journal>.damaged (a line torn
// by a crash mid-write was never a reading and is only dropped).
void report_damage(const std::filesystem::path& path, const JournalContents& contents) {
  const std::string tail = read_file_bytes(path).substr(static_cast<std::size_t>(contents.valid_bytes));
  std::string where = "dropped";
  if (tail.find('\n') != std::string::npos) {
    const std::filesystem::path damaged = path.string() + ".damaged";
    write_file_atomically(damaged, tail);
    where = "moved to " + damaged.string();
  }
  std::fprintf(stderr, "calkit: %s: %s; keeping the %zu readings before it, the rest %s\n", path.c_str(),
               contents.damage.c_str(), contents.entries.size(), where.c_str());
}

}  // namespace

std::string patch_set_hash(const PatchSet& patches) {
  std::string text = std::to_string(patches.rgb.size());
  for (const Vec3& p : patches.rgb) text += fmt::format("{:.17g},{:.17g},{:.17g};", p.x(), p.y(), p.z());
  return fnv1a64_hex(text);
}

std::filesystem::path journal_path_for(const std::filesystem::path& output) {
  return std::filesystem::path(output.string() + ".journal");
}

std::vector<std::string> header_differences(const JournalHeader& journal, const JournalHeader& now) {
  std::vector<std::string> out;
  if (journal.patch_set_hash != now.patch_set_hash || journal.patch_count != now.patch_count)
    out.push_back(fmt::format("patch set: was {} patches (hash {}), now {} patches (hash {})", journal.patch_count,
                              journal.patch_set_hash, now.patch_count, now.patch_set_hash));
  std::map<std::string, std::string> keys = journal.rig;
  keys.insert(now.rig.begin(), now.rig.end());
  for (const auto& [key, ignored] : keys) {
    auto was = journal.rig.find(key), is = now.rig.find(key);
    std::string a = was == journal.rig.end() ? "(none)" : "'" + was->second + "'";
    std::string b = is == now.rig.end() ? "(none)" : "'" + is->second + "'";
    if (a != b) out.push_back(fmt::format("{}: was {}, now {}", key, a, b));
  }
  return out;
}

JournalContents read_journal(const std::filesystem::path& path) {
  const std::string text = read_file_bytes(path);
  const std::string file = path.string();
  JournalContents contents;
  std::size_t end = text.find('\n');
  if (text.empty()) throw InputError(file, 0, "calkit_journal", "empty journal");
  if (end == std::string::npos)
    throw InputError(file, 1, "calkit_journal", "the journal's header is damaged: delete the journal");
  contents.header = header_from(std::string_view(text).substr(0, end), file);
  contents.valid_bytes = end + 1;

  std::vector<bool> seen(static_cast<std::size_t>(contents.header.patch_count), false);
  int line_no = 1;
  for (std::size_t pos = end + 1; pos < text.size(); pos = end + 1) {
    ++line_no;
    end = text.find('\n', pos);
    if (end == std::string::npos) {
      contents.damage = fmt::format("line {} was cut off mid-write", line_no);
      break;
    }
    std::optional<json> j = unsealed(std::string_view(text).substr(pos, end - pos));
    if (!j) {
      contents.damage = fmt::format("line {} is damaged (its checksum does not match)", line_no);
      break;
    }
    JournalEntry e;
    if (std::string why = entry_from(*j, contents.header.patch_count, seen, e); !why.empty()) {
      contents.damage = fmt::format("line {} is not a reading of this patch set ({})", line_no, why);
      break;
    }
    seen[static_cast<std::size_t>(e.index)] = true;
    contents.entries.push_back(std::move(e));
    contents.valid_bytes = end + 1;
  }
  return contents;
}

// One calkit writes a journal at a time: it is locked while open (core/file_lock.hpp), so a second
// run on the same output (a --resume typed in another terminal) is refused before it reads, cuts
// or appends, instead of writing its readings over the first one's.
Journal Journal::opened(const std::filesystem::path& path, int flags) {
  int fd = ::open(path.c_str(), flags | O_CLOEXEC, 0644);
  if (fd < 0) throw_io_error(path.string(), "cannot open the journal");
  Journal journal(path, fd);
  if (!try_lock_exclusive(fd, path))
    throw InputError(path.string(), 0, "",
                     "another calkit is measuring into this journal now: let it finish, or choose another output");
  return journal;
}

Journal Journal::create(const std::filesystem::path& path, const JournalHeader& header) {
  Journal journal = opened(path, O_WRONLY | O_CREAT);
  if (::ftruncate(journal.fd_, 0) != 0) throw_io_error(path.string(), "cannot empty the journal");
  json h{{"calkit_journal", kVersion},
         {"patch_set_hash", header.patch_set_hash},
         {"patch_count", header.patch_count},
         {"rig", header.rig}};
  journal.write_line(sealed_line(h));
  return journal;
}

Journal Journal::open(const std::filesystem::path& path, const JournalHeader& header, bool resume,
                      const std::string& what, std::vector<JournalEntry>& entries) {
  if (resume && std::filesystem::exists(path)) return Journal::resume(path, header, entries);
  if (std::filesystem::exists(path)) {
    opened(path, O_WRONLY);  // refuses a journal in use, which no one should delete
    throw InputError(path.string(), 0, "",
                     "an interrupted " + what + " left this journal: add --resume to continue it, or delete it");
  }
  return Journal::create(path, header);
}

Journal Journal::resume(const std::filesystem::path& path, const JournalHeader& header,
                        std::vector<JournalEntry>& entries) {
  if (!std::filesystem::exists(path))
    throw InputError(path.string(), 0, "", "no journal to resume (start without --resume)");
  Journal journal = opened(path, O_WRONLY);
  JournalContents contents = read_journal(path);
  std::vector<std::string> differences = header_differences(contents.header, header);
  if (!differences.empty()) {
    std::string list;
    for (const std::string& d : differences) list += (list.empty() ? "" : "; ") + d;
    throw InputError(path.string(), 1, "rig",
                     "the journal was measured on another rig or patch set, resuming would mix them (" + list +
                         "): run it the way it was started, or delete the journal");
  }
  if (!contents.damage.empty()) report_damage(path, contents);
  int fd = journal.fd_;
  if (::ftruncate(fd, static_cast<off_t>(contents.valid_bytes)) != 0 || ::lseek(fd, 0, SEEK_END) < 0 ||
      ::fsync(fd) != 0)
    throw_io_error(path.string(), "cannot cut the journal back to its good readings");
  entries = std::move(contents.entries);
  return journal;
}

Journal::Journal(Journal&& other) noexcept : path_(std::move(other.path_)), fd_(other.fd_) { other.fd_ = -1; }

Journal& Journal::operator=(Journal&& other) noexcept {
  if (this != &other) {
    close();
    path_ = std::move(other.path_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

Journal::~Journal() { close(); }

void Journal::write_line(const std::string& line) {
  std::size_t written = 0;
  while (written < line.size()) {
    ssize_t n = ::write(fd_, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_io_error(path_.string(), "cannot write the journal");
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd_) != 0) throw_io_error(path_.string(), "cannot flush the journal");
}

void Journal::append(const JournalEntry& entry) { write_line(entry_line(entry)); }

void Journal::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void Journal::remove() {
  std::error_code ignored;
  // Before the lock goes: a run that opens the path later finds no journal. (One that opened it
  // just before and locks it just after would hold the deleted file: the microseconds between
  // its open and its lock are not guarded.)
  std::filesystem::remove(path_, ignored);
  close();
}

}  // namespace calkit
