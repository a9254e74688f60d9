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

// MD5 (RFC 1321) of a file's bytes as 32 lowercase hex digits, through OpenSSL's EVP API: the
// second hash ASC MHL manifests carry for tools that do not know xxHash.
std::string md5_hex(const std::filesystem::path& file);
std::string md5_hex_of(std::string_view bytes);

// C4 ID (SMPTE ST 2114): SHA-512 of the bytes as a base58 number (alphabet without 0, O, I, l),
// left-padded with '1' to 88 digits after the "c4" prefix; ASC MHL's chain file names each
// manifest generation by it.
std::string c4_id(const std::filesystem::path& file);
std::string c4_id_of(std::string_view bytes);

}  // namespace calkit
