#include "report/checksum.hpp"

#include <cstdio>
#include <memory>
#include <vector>

#include <xxhash.h>

#include "color/input_error.hpp"

namespace calkit {

namespace {

std::string canonical_hex(XXH64_hash_t hash) {
  XXH64_canonical_t canonical;
  XXH64_canonicalFromHash(&canonical, hash);  // big-endian byte order
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char byte : canonical.digest) {
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 0x0f];
  }
  return hex;
}

}  // namespace

std::string xxh64_hex_of(std::string_view bytes) {
  return canonical_hex(XXH64(bytes.data(), bytes.size(), 0));
}

std::string xxh64_hex(const std::filesystem::path& file) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(file.c_str(), "rb"), &std::fclose);
  if (!in) throw InputError(file.string(), 0, "", "cannot open the file to checksum it");
  std::unique_ptr<XXH64_state_t, XXH_errorcode (*)(XXH64_state_t*)> state(XXH64_createState(),
                                                                          &XXH64_freeState);
  XXH64_reset(state.get(), 0);
  std::vector<char> buffer(1 << 16);
  std::size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), in.get())) > 0)
    XXH64_update(state.get(), buffer.data(), n);
  if (std::ferror(in.get())) throw InputError(file.string(), 0, "", "read error while checksumming");
  return canonical_hex(XXH64_digest(state.get()));
}

}  // namespace calkit
