#pragma once
// FNV-1a 64 (Fowler, Noll, Vo; draft-eastlake-fnv-21 section 2): a fast checksum for spotting a
// changed patch set, journal line or file, not a cryptographic hash.
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace calkit {

// As 16 lowercase hex digits.
inline std::string fnv1a64_hex(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ull;                        // offset basis
  for (unsigned char c : bytes) hash = (hash ^ c) * 1099511628211ull;  // FNV prime
  return fmt::format("{:016x}", hash);
}

}  // namespace calkit
