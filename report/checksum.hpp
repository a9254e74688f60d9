#pragma once
// File checksums for report headers and calibration packages.
#include <filesystem>
#include <string>
#include <string_view>

namespace calkit {

// xxHash64 (seed 0) of a file's bytes as 16 lowercase hex digits, most significant byte first:
// the canonical big-endian form that ASC MHL writes in its <xxh64> elements. Throws InputError
// naming the file when it cannot be read.
std::string xxh64_hex(const std::filesystem::path& file);
std::string xxh64_hex_of(std::string_view bytes);

}  // namespace calkit
