#include "records/checksum.hpp"

#include <cstdio>
#include <memory>
#include <stdexcept>
#include <vector>

#include <openssl/evp.h>
#include <xxhash.h>

#include "core/error.hpp"

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

namespace {

using EvpContext = std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)>;

EvpContext start_digest(const EVP_MD* md) {
  EvpContext ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1)
    throw std::runtime_error("OpenSSL could not start a digest");
  return ctx;
}

std::vector<unsigned char> finish_digest(EVP_MD_CTX* ctx) {
  std::vector<unsigned char> digest(EVP_MAX_MD_SIZE);
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(ctx, digest.data(), &size) != 1)
    throw std::runtime_error("OpenSSL could not finish a digest");
  digest.resize(size);
  return digest;
}

std::vector<unsigned char> digest_of(const EVP_MD* md, std::string_view bytes) {
  EvpContext ctx = start_digest(md);
  EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size());
  return finish_digest(ctx.get());
}

std::vector<unsigned char> digest_of_file(const EVP_MD* md, const std::filesystem::path& file) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(file.c_str(), "rb"), &std::fclose);
  if (!in) throw InputError(file.string(), 0, "", "cannot open the file to checksum it");
  EvpContext ctx = start_digest(md);
  std::vector<char> buffer(1 << 16);
  std::size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), in.get())) > 0)
    EVP_DigestUpdate(ctx.get(), buffer.data(), n);
  if (std::ferror(in.get())) throw InputError(file.string(), 0, "", "read error while checksumming");
  return finish_digest(ctx.get());
}

std::string lower_hex(const std::vector<unsigned char>& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char byte : bytes) {
    hex += kDigits[byte >> 4];
    hex += kDigits[byte & 0x0f];
  }
  return hex;
}

// SMPTE ST 2114 C4 ID: the 512-bit digest read as one big-endian number, written in base58
// (most significant digit first) and padded with the alphabet's zero, '1', to 88 digits.
std::string c4_from_sha512(std::vector<unsigned char> number) {
  static constexpr char kAlphabet[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  constexpr std::size_t kDigits = 88;
  std::string digits(kDigits, '1');
  for (std::size_t i = kDigits; i-- > 0;) {
    unsigned remainder = 0;  // long division of the whole number by 58
    for (unsigned char& byte : number) {
      unsigned value = remainder * 256 + byte;
      byte = static_cast<unsigned char>(value / 58);
      remainder = value % 58;
    }
    digits[i] = kAlphabet[remainder];
  }
  return "c4" + digits;
}

}  // namespace

std::string md5_hex_of(std::string_view bytes) { return lower_hex(digest_of(EVP_md5(), bytes)); }

std::string md5_hex(const std::filesystem::path& file) {
  return lower_hex(digest_of_file(EVP_md5(), file));
}

std::string c4_id_of(std::string_view bytes) { return c4_from_sha512(digest_of(EVP_sha512(), bytes)); }

std::string c4_id(const std::filesystem::path& file) {
  return c4_from_sha512(digest_of_file(EVP_sha512(), file));
}

}  // namespace calkit
