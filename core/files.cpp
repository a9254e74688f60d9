#include "core/files.hpp"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <random>

#include <fmt/core.h>

#include "core/error.hpp"
#include "core/text.hpp"

namespace calkit {
namespace {

// Closes a file descriptor when it goes out of scope.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

[[noreturn]] void not_regular(const std::filesystem::path& path, mode_t mode) {
  throw InputError(path.string(), 0, "", "is " + kind_of(mode) + ", not a file");
}

void write_all(int fd, const std::string& content, const std::filesystem::path& path) {
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_io_error(path.string(), "cannot write");
    }
    done += static_cast<std::size_t>(n);
  }
}

// A name no other process picks: pid and a random number.
std::string temp_name(const std::string& stem) {
  std::random_device rd;
  return stem + ".tmp" + std::to_string(::getpid()) + "-" + std::to_string(rd());
}

void sync_folder(const std::filesystem::path& dir) {
  Fd f{::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (f.fd >= 0) ::fsync(f.fd);  // best effort: some file systems refuse to open folders
}

}  // namespace

void require_regular_file(const std::filesystem::path& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) throw InputError(path.string(), 0, "", "no such file");
    throw_io_error(path.string(), "cannot read");
  }
  if (!S_ISREG(st.st_mode)) not_regular(path, st.st_mode);
}

std::string read_file_bytes(const std::filesystem::path& path, std::uintmax_t max_bytes) {
  require_regular_file(path);
  // O_NONBLOCK: should the file have been swapped for a FIFO since the check, open() does not wait
  // for a writer; fstat below then refuses it.
  Fd f{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
  if (f.fd < 0) {
    if (errno == EACCES) throw InputError(path.string(), 0, "", "permission denied");
    throw_io_error(path.string(), "cannot open");
  }
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) throw_io_error(path.string(), "cannot read");
  if (!S_ISREG(st.st_mode)) not_regular(path, st.st_mode);
  if (static_cast<std::uintmax_t>(st.st_size) > max_bytes)
    throw InputError(path.string(), 0, "",
                     "is " + std::to_string(st.st_size >> 20) + " MiB, more than the " +
                         std::to_string(max_bytes >> 20) + " MiB calkit reads");
  std::string bytes;
  bytes.reserve(static_cast<std::size_t>(st.st_size));
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(f.fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_io_error(path.string(), "cannot read");
    }
    if (n == 0) break;
    bytes.append(buffer, static_cast<std::size_t>(n));
    if (bytes.size() > max_bytes)  // grew while we read it
      throw InputError(path.string(), 0, "", "grew past the size calkit reads while being read");
  }
  return bytes;
}

int first_non_utf8_line(const std::string& text) {
  int line = 1;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t n = utf8_sequence_length(text, i);
    if (n == 0) return line;
    if (text[i] == '\n') ++line;
    i += n;
  }
  return 0;
}

std::string read_file_text(const std::filesystem::path& path, std::uintmax_t max_bytes) {
  std::string text = read_file_bytes(path, max_bytes);
  if (int line = first_non_utf8_line(text))
    throw InputError(path.string(), line, "", "is not UTF-8 text (save it as UTF-8)");
  return text;
}

void write_file_atomically(const std::filesystem::path& path, const std::string& content) {
  const std::filesystem::path dir = path.parent_path();
  const std::filesystem::path temp = dir / temp_name(std::string(".").append(path.filename().string()));
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))  // a folder the user named wrong
    throw InputError(path.string(), 0, "", "no such folder: " + (dir.empty() ? "." : dir.string()));
  if (fd < 0) throw_io_error(path.string(), "cannot create a temporary file next to it");
  try {
    write_all(fd, content, path);  // errors name the file the user asked for, not the temp file
    if (::fsync(fd) != 0) throw_io_error(path.string(), "cannot fsync");
  } catch (...) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw;
  }
  if (::close(fd) != 0) {
    ::unlink(temp.c_str());
    throw_io_error(path.string(), "cannot close");
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    int saved = errno;
    ::unlink(temp.c_str());
    errno = saved;
    throw_io_error(path.string(), "cannot rename the temporary file over it");
  }
  sync_folder(dir);
}

void write_file_atomically(const std::filesystem::path& path, const std::function<std::string()>& make_content) {
  std::string content;
  try {
    content = make_content();
  } catch (const InputError& e) {
    if (!e.file().empty()) throw;
    throw e.in_file(path.string());
  }
  write_file_atomically(path, content);
}

void create_output_folder(const std::filesystem::path& path) {
  if (path.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec == std::errc::not_a_directory || ec == std::errc::file_exists ||
      (!ec && !std::filesystem::is_directory(path, ec)))
    throw InputError(path.string(), 0, "", "is not a folder (a part of the path is a file)");
  if (ec) {
    errno = ec.value();
    throw_io_error(path.string(), "cannot create the folder");
  }
  // access() says yes to root even where nothing can be created (a read-only mount, sysfs):
  // creating a file is the test.
  const std::filesystem::path probe = path / temp_name(".calkit-write-test");
  Fd f{::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)};
  if (f.fd < 0) throw_io_error(path.string(), "cannot write into the folder");
  ::unlink(probe.c_str());
}

std::filesystem::path calkit_user_folder(UserFolder kind) {
  const char* xdg = std::getenv(kind == UserFolder::Data ? "XDG_DATA_HOME" : "XDG_CONFIG_HOME");
  if (xdg && *xdg && std::filesystem::path(xdg).is_absolute()) return std::filesystem::path(xdg) / "calkit";
  const char* home = std::getenv("HOME");
  if (!home || !*home) {
    const passwd* pw = getpwuid(getuid());
    home = pw ? pw->pw_dir : nullptr;
  }
  if (!home || !*home) return {};
  std::filesystem::path base(home);
  return (kind == UserFolder::Data ? base / ".local" / "share" : base / ".config") / "calkit";
}

}  // namespace calkit
