#include "measure/journal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json.hpp"

namespace calkit {
namespace {

using nlohmann::json;


Vec3 vec_from(const json& j, const std::string& file, int line, const char* field) {
  if (!j.contains(field) || !j[field].is_array() || j[field].size() != 3)
    throw InputError(file, line, field, "expected an array of 3 numbers");
  Vec3 v;
  for (int i = 0; i < 3; ++i) {
    if (!j[field][i].is_number()) throw InputError(file, line, field, "expected an array of 3 numbers");
    v[i] = j[field][i].get<double>();
  }
  return v;
}

std::string entry_line(const JournalEntry& e) {
  json j{{"index", e.index}, {"rgb", vec_json(e.reading.rgb)}, {"XYZ", vec_json(e.reading.XYZ)}, {"t", e.time_s}};
  if (!e.reading.spectrum.empty())
    j["spectrum"] = {{"start_nm", e.reading.spectrum.start_nm},
                     {"step_nm", e.reading.spectrum.step_nm},
                     {"values", e.reading.spectrum.values}};
  return j.dump() + "\n";
}

JournalEntry entry_from(const json& j, const std::string& file, int line, int patch_count) {
  JournalEntry e;
  if (!j.contains("index") || !j["index"].is_number_integer())
    throw InputError(file, line, "index", "missing or not an integer");
  e.index = j["index"].get<int>();
  if (e.index < 0 || e.index >= patch_count)
    throw InputError(file, line, "index", fmt::format("{} is outside the patch set (0..{})", e.index, patch_count - 1));
  e.reading.rgb = vec_from(j, file, line, "rgb");
  e.reading.XYZ = vec_from(j, file, line, "XYZ");
  if (j.contains("t") && j["t"].is_number()) e.time_s = j["t"].get<double>();
  if (j.contains("spectrum")) {
    const json& s = j["spectrum"];
    try {
      e.reading.spectrum.start_nm = s.at("start_nm").get<double>();
      e.reading.spectrum.step_nm = s.at("step_nm").get<double>();
      e.reading.spectrum.values = s.at("values").get<std::vector<double>>();
    } catch (const json::exception&) {
      throw InputError(file, line, "spectrum", "expected start_nm, step_nm and values");
    }
  }
  return e;
}

[[noreturn]] void throw_errno(const std::filesystem::path& path, const std::string& what) {
  throw InputError(path.string(), 0, "", what + ": " + std::strerror(errno));
}

}  // namespace

std::string patch_set_hash(const PatchSet& patches) {
  std::uint64_t hash = 14695981039346656037ull;  // FNV-1a 64 offset basis
  auto feed = [&](const std::string& s) {
    for (unsigned char c : s) hash = (hash ^ c) * 1099511628211ull;
  };
  feed(std::to_string(patches.rgb.size()));
  for (const Vec3& p : patches.rgb) feed(fmt::format("{:.17g},{:.17g},{:.17g};", p.x(), p.y(), p.z()));
  return fmt::format("{:016x}", hash);
}

std::filesystem::path journal_path_for(const std::filesystem::path& output) {
  return std::filesystem::path(output.string() + ".journal");
}

JournalContents read_journal(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), 0, "", "cannot open the journal");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  const std::string file = path.string();

  JournalContents contents;
  std::vector<bool> seen;
  std::size_t pos = 0;
  int line_no = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    bool complete = end != std::string::npos;
    std::string line = text.substr(pos, complete ? end - pos : std::string::npos);
    ++line_no;
    bool last = !complete || end + 1 >= text.size();
    json j = json::parse(line, nullptr, false);
    if (!complete || j.is_discarded()) {
      if (last && line_no > 1) break;  // torn by a crash mid-write: that reading was never taken
      throw InputError(file, line_no, "", "corrupt journal line");
    }
    if (line_no == 1) {
      if (!j.contains("calkit_journal") || !j.contains("patch_set_hash") || !j.contains("patch_count"))
        throw InputError(file, 1, "calkit_journal", "not a calkit journal header");
      contents.patch_set_hash = j["patch_set_hash"].get<std::string>();
      contents.patch_count = j["patch_count"].get<int>();
      seen.assign(std::max(contents.patch_count, 0), false);
    } else {
      JournalEntry e = entry_from(j, file, line_no, contents.patch_count);
      if (seen[e.index]) throw InputError(file, line_no, "index", fmt::format("patch {} appears twice", e.index));
      seen[e.index] = true;
      contents.entries.push_back(std::move(e));
    }
    pos = end + 1;
    contents.valid_bytes = pos;
  }
  if (line_no == 0) throw InputError(file, 0, "calkit_journal", "empty journal");
  return contents;
}

Journal Journal::create(const std::filesystem::path& path, const std::string& hash, int patch_count) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw_errno(path, "cannot create the journal");
  Journal journal(path, fd);
  json header{{"calkit_journal", 1}, {"patch_set_hash", hash}, {"patch_count", patch_count}};
  journal.write_line(header.dump() + "\n");
  return journal;
}

Journal Journal::open(const std::filesystem::path& path, const std::string& hash, int patch_count, bool resume,
                      const std::string& what, std::vector<JournalEntry>& entries) {
  if (resume && std::filesystem::exists(path)) return Journal::resume(path, hash, patch_count, entries);
  if (std::filesystem::exists(path))
    throw InputError(path.string(), 0, "",
                     "an interrupted " + what + " left this journal: add --resume to continue it, or delete it");
  return Journal::create(path, hash, patch_count);
}

Journal Journal::resume(const std::filesystem::path& path, const std::string& hash, int patch_count,
                        std::vector<JournalEntry>& entries) {
  if (!std::filesystem::exists(path))
    throw InputError(path.string(), 0, "", "no journal to resume (start without --resume)");
  JournalContents contents = read_journal(path);
  if (contents.patch_set_hash != hash || contents.patch_count != patch_count)
    throw InputError(path.string(), 1, "patch_set_hash",
                     fmt::format("the journal belongs to another patch set ({} patches, hash {}; now {} patches, hash {})",
                                 contents.patch_count, contents.patch_set_hash, patch_count, hash));
  int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) throw_errno(path, "cannot open the journal");
  Journal journal(path, fd);
  // Cut a torn last line off so the next entry starts on a line of its own.
  if (::ftruncate(fd, static_cast<off_t>(contents.valid_bytes)) != 0 || ::lseek(fd, 0, SEEK_END) < 0)
    throw_errno(path, "cannot trim the journal");
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
    if (n < 0) throw_errno(path_, "cannot write the journal");
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd_) != 0) throw_errno(path_, "cannot flush the journal");
}

void Journal::append(const JournalEntry& entry) { write_line(entry_line(entry)); }

void Journal::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

void Journal::remove() {
  close();
  std::error_code ignored;
  std::filesystem::remove(path_, ignored);
}

}  // namespace calkit
