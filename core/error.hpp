#pragma once
// The two kinds of failure every library reports, and the exit status the calkit program gives
// each (cli/main.cpp):
//   InputError  bad input or usage: a malformed file, a missing field, a value out of range, an
//               unknown device name. Exit 2.
//   IoError     the world failed: a file that cannot be written, a full disk. Exit 1, as for a
//               device (ProbeError) or the network (NetworkError).
// what() is a single line naming the file, line and field where there is one, so the program
// prints it as it is.
#include <stdexcept>
#include <string>

namespace calkit {

class InputError : public std::runtime_error {
 public:
  // file may be empty (a value with no file); line 0 means "no line" (JSON, whole file).
  InputError(std::string file, int line, std::string field, const std::string& message)
      : std::runtime_error(format(file, line, field, message)),
        file_(std::move(file)),
        line_(line),
        field_(std::move(field)),
        message_(message) {}
  explicit InputError(const std::string& message) : InputError("", 0, "", message) {}

  const std::string& file() const { return file_; }
  int line() const { return line_; }
  const std::string& field() const { return field_; }
  const std::string& message() const { return message_; }  // without file, line and field
  // The same error named in `file` (an error from a value that turned out to come from a file).
  InputError in_file(const std::string& file) const { return InputError(file, line_, field_, message_); }

 private:
  static std::string format(const std::string& file, int line, const std::string& field, const std::string& message) {
    std::string out;
    if (!file.empty()) out += file + ":";
    if (line > 0) out += std::to_string(line) + ":";
    if (!out.empty()) out += " ";
    if (!field.empty()) out += "field " + field + ": ";
    return out + message;
  }
  std::string file_;
  int line_;
  std::string field_;
  std::string message_;
};

// A bad value that comes from no file: a command-line option or argument ("--probe", "count"),
// or a function argument ("gamma").
class ValueError : public InputError {
 public:
  ValueError(std::string field, const std::string& message) : InputError("", 0, std::move(field), message) {}
};

// A file or folder the world would not let us read or write (permission, full disk, I/O error).
// The message names the path and the system's reason.
class IoError : public std::runtime_error {
 public:
  IoError(const std::string& path, const std::string& what) : std::runtime_error(path + ": " + what) {}
};

// A network failure (refused, timed out, peer gone). Not an InputError: the input was fine.
class NetworkError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// IoError for `path` with errno's text: "PATH: cannot write: No space left on device".
[[noreturn]] void throw_io_error(const std::string& path, const std::string& what);

}  // namespace calkit
