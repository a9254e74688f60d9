#include "formats/measurement_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>

#include "color/input_error.hpp"
#include "formats/measurement_csv.hpp"
#include "formats/measurement_json.hpp"
#include "formats/ti1.hpp"
#include "formats/ti3.hpp"

namespace calkit {
namespace {

std::string lower_extension(const std::filesystem::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext;
}

[[noreturn]] void unknown_extension(const std::filesystem::path& path, const std::string& allowed) {
  throw InputError(path.string(), 0, "",
                   "unknown file extension '" + path.extension().string() + "' (use " + allowed +
                       ")");
}

[[noreturn]] void system_error(const std::filesystem::path& path, const std::string& what) {
  throw InputError(path.string(), 0, "", what + ": " + std::strerror(errno));
}

void write_all(int fd, const std::string& content, const std::filesystem::path& temp) {
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      system_error(temp, "cannot write");
    }
    done += static_cast<size_t>(n);
  }
}

void sync_directory(const std::filesystem::path& dir) {
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;  // best effort: some file systems refuse to open directories
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void write_file_atomically(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::path dir = path.parent_path();
  std::random_device rd;
  std::filesystem::path temp =
      dir / ("." + path.filename().string() + ".tmp" + std::to_string(::getpid()) + "-" +
             std::to_string(rd()));
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) system_error(path, "cannot create a temporary file next to it");
  try {
    write_all(fd, content, temp);
    if (::fsync(fd) != 0) system_error(temp, "cannot fsync");
  } catch (...) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw;
  }
  if (::close(fd) != 0) {
    ::unlink(temp.c_str());
    system_error(temp, "cannot close");
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    int saved = errno;
    ::unlink(temp.c_str());
    errno = saved;
    system_error(path, "cannot rename the temporary file over it");
  }
  sync_directory(dir);
}

void write_file_atomically(const std::filesystem::path& path,
                           const std::function<std::string()>& make_content) {
  std::string content;
  try {
    content = make_content();
  } catch (const InputError& e) {
    if (!e.file().empty()) throw;
    std::string message = e.what();
    std::string prefix = e.field().empty() ? "" : "field " + e.field() + ": ";
    if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
    throw InputError(path.string(), e.line(), e.field(), message);
  }
  write_file_atomically(path, content);
}

std::string read_file_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path.string(), 0, "", "cannot open file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw InputError(path.string(), 0, "", "cannot read file");
  return text.str();
}

MeasurementSet read_measurements(const std::filesystem::path& path) {
  std::string ext = lower_extension(path);
  if (ext == ".ti3") return read_ti3(path);
  if (ext == ".json") return read_measurement_json(path);
  if (ext == ".csv") return read_measurement_csv(path);
  unknown_extension(path, ".ti3, .json or .csv");
}

void write_measurements(const std::filesystem::path& path, const MeasurementSet& set) {
  std::string ext = lower_extension(path);
  if (ext == ".ti3") return write_ti3(path, set);
  if (ext == ".json") return write_measurement_json(path, set);
  if (ext == ".csv") return write_measurement_csv(path, set);
  unknown_extension(path, ".ti3, .json or .csv");
}

PatchSet read_patches(const std::filesystem::path& path) {
  std::string ext = lower_extension(path);
  if (ext == ".ti1") return read_ti1(path);
  if (ext == ".json") return read_patch_json(path);
  unknown_extension(path, ".ti1 or .json");
}

void write_patches(const std::filesystem::path& path, const PatchSet& patches) {
  std::string ext = lower_extension(path);
  if (ext == ".ti1") return write_ti1(path, patches);
  if (ext == ".json") return write_patch_json(path, patches);
  unknown_extension(path, ".ti1 or .json");
}

}  // namespace calkit
