#pragma once
// File checksums for report headers and calibration packages: the six hash formats of ASC MHL
// v2.0 (spec v1.0 Appendix D), each as ASC MHL writes it.
//   c4      SMPTE ST 2114 C4 ID: SHA-512 as base58 (alphabet without 0, O, I, l), left-padded with
//           '1' to 88 digits after the "c4" prefix; names each manifest in the chain file
//   md5     RFC 1321, 32 lowercase hex digits (OpenSSL EVP)
//   sha1    FIPS 180-4, 40 lowercase hex digits (OpenSSL EVP)
//   xxh128  XXH3 128-bit, seed 0, canonical (big-endian) hex, 32 digits (libxxhash)
//   xxh3    XXH3 64-bit, seed 0, canonical hex, 16 digits
//   xxh64   XXH64, seed 0, canonical hex, 16 digits
// A file is read through core/files.hpp's checks: a regular file only (a FIFO or device is
// refused, never read), so a package cannot hang or read forever.
#include <array>
#include <filesystem>
#include <string>
#include <string_view>

namespace calkit {

// In the order ASCMHL.xsd requires inside <hash> (byte order of the names).
inline constexpr std::array<std::string_view, 6> kHashFormats = {"c4", "md5", "sha1", "xxh128", "xxh3", "xxh64"};
bool is_hash_format(std::string_view format);

// The digest `format` (one of kHashFormats) of a file or of bytes. InputError for a file that is
// missing or not a regular file, IoError for a read error, ValueError for an unknown format.
std::string file_digest(const std::filesystem::path& file, std::string_view format);
std::string digest_of(std::string_view bytes, std::string_view format);

inline std::string xxh64_hex(const std::filesystem::path& file) { return file_digest(file, "xxh64"); }
inline std::string xxh64_hex_of(std::string_view bytes) { return digest_of(bytes, "xxh64"); }
inline std::string md5_hex(const std::filesystem::path& file) { return file_digest(file, "md5"); }
inline std::string md5_hex_of(std::string_view bytes) { return digest_of(bytes, "md5"); }
inline std::string c4_id(const std::filesystem::path& file) { return file_digest(file, "c4"); }
inline std::string c4_id_of(std::string_view bytes) { return digest_of(bytes, "c4"); }

}  // namespace calkit
