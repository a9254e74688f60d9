#pragma once
// The one error type for bad input (malformed file, missing field, value out of range, unknown
// device). what() is a single line naming the file, line and field, so the CLI can print it as is
// and exit with status 2. Lives in color/ because every library depends on color/.
#include <stdexcept>
#include <string>

namespace calkit {

class InputError : public std::runtime_error {
 public:
  // file may be empty (e.g. a command-line value); line 0 means "no line" (JSON, whole file).
  InputError(std::string file, int line, std::string field, const std::string& message)
      : std::runtime_error(format(file, line, field, message)),
        file_(std::move(file)), line_(line), field_(std::move(field)) {}
  explicit InputError(const std::string& message) : InputError("", 0, "", message) {}

  const std::string& file() const { return file_; }
  int line() const { return line_; }
  const std::string& field() const { return field_; }

 private:
  static std::string format(const std::string& file, int line, const std::string& field,
                            const std::string& message) {
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
};

}  // namespace calkit
