#pragma once
// Reading and writing whole files, the one way every library does it.
//
// Reading: regular files only (a FIFO, a device or a folder is refused before it is opened for
// reading, so nothing blocks or reads forever), at most a size cap, and for text, valid UTF-8.
// Every error names the file: InputError for what the user gave (missing file, wrong kind, too
// large, not UTF-8: exit 2), IoError when the system fails to read a file that is there (exit 1).
//
// Writing is atomic: a temp file in the same folder, fsync, rename over the target, fsync of the
// folder. An interrupted or failed write leaves the old file or none, never a torn one. A folder
// that does not exist is the user's mistake (InputError); one that cannot be written (permission,
// full disk, read-only) is the world's (IoError).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

namespace calkit {

inline constexpr std::uintmax_t kMaxInputFileBytes = std::uintmax_t{512} << 20;  // 512 MiB

// The bytes of a regular file.
std::string read_file_bytes(const std::filesystem::path& path, std::uintmax_t max_bytes = kMaxInputFileBytes);
// The same, checked to be UTF-8 text (InputError naming the line of the first bad byte).
std::string read_file_text(const std::filesystem::path& path, std::uintmax_t max_bytes = kMaxInputFileBytes);
// InputError unless `path` names a regular file (follows links, as reading does).
void require_regular_file(const std::filesystem::path& path);

// The line (1-based) of the first byte of `text` that is not UTF-8, 0 if it all is.
int first_non_utf8_line(const std::string& text);

void write_file_atomically(const std::filesystem::path& path, const std::string& content);
// The same with content made by `make_content`; an InputError it throws without a file name (a
// value that cannot be written) is rethrown naming path.
void write_file_atomically(const std::filesystem::path& path, const std::function<std::string()>& make_content);

// Creates the output folder `path` (and its parents) unless it exists, and checks that calkit can
// write into it, before a command does any work: InputError when a part of the path is a file,
// IoError when the folder cannot be created or written (permission, read-only, full disk).
void create_output_folder(const std::filesystem::path& path);

// calkit's folder for the user's data or configuration (XDG Base Directory Specification 0.8:
// $XDG_DATA_HOME or ~/.local/share, $XDG_CONFIG_HOME or ~/.config, then "calkit"; an unset,
// empty or relative variable is ignored). Empty when there is no home to put it in.
enum class UserFolder { Data, Config };
std::filesystem::path calkit_user_folder(UserFolder kind);

}  // namespace calkit
