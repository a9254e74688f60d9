#include "records/checksum.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <functional>
#include <memory>
#include <stdexcept>
#include <vector>

#include <openssl/evp.h>
#include <xxhash.h>

#include "core/error.hpp"
#include "core/files.hpp"

namespace calkit {

namespace {

std::string lower_hex(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (std::size_t i = 0; i < size; ++i) {
    hex += kDigits[bytes[i] >> 4];
    hex += kDigits[bytes[i] & 0x0f];
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

// One running digest: update with the bytes as they are read, then the text ASC MHL writes.
class Digest {
 public:
  virtual ~Digest() = default;
  virtual void update(const void* data, std::size_t size) = 0;
  virtual std::string finish() = 0;
};

class EvpDigest : public Digest {
 public:
  EvpDigest(const EVP_MD* md, bool c4) : ctx_(EVP_MD_CTX_new(), &EVP_MD_CTX_free), c4_(c4) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), md, nullptr) != 1)
      throw std::runtime_error("OpenSSL could not start a digest");
  }
  void update(const void* data, std::size_t size) override { EVP_DigestUpdate(ctx_.get(), data, size); }
  std::string finish() override {
    std::vector<unsigned char> digest(EVP_MAX_MD_SIZE);
    unsigned size = 0;
    if (EVP_DigestFinal_ex(ctx_.get(), digest.data(), &size) != 1)
      throw std::runtime_error("OpenSSL could not finish a digest");
    digest.resize(size);
    return c4_ ? c4_from_sha512(digest) : lower_hex(digest.data(), digest.size());
  }

 private:
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx_;
  bool c4_;
};

class Xxh64Digest : public Digest {
 public:
  Xxh64Digest() : state_(XXH64_createState(), &XXH64_freeState) { XXH64_reset(state_.get(), 0); }
  void update(const void* data, std::size_t size) override { XXH64_update(state_.get(), data, size); }
  std::string finish() override {
    XXH64_canonical_t c;
    XXH64_canonicalFromHash(&c, XXH64_digest(state_.get()));  // big-endian byte order
    return lower_hex(c.digest, sizeof c.digest);
  }

 private:
  std::unique_ptr<XXH64_state_t, XXH_errorcode (*)(XXH64_state_t*)> state_;
};

class Xxh3Digest : public Digest {
 public:
  explicit Xxh3Digest(bool wide) : state_(XXH3_createState(), &XXH3_freeState), wide_(wide) {
    if (wide_)
      XXH3_128bits_reset(state_.get());
    else
      XXH3_64bits_reset(state_.get());
  }
  void update(const void* data, std::size_t size) override {
    if (wide_)
      XXH3_128bits_update(state_.get(), data, size);
    else
      XXH3_64bits_update(state_.get(), data, size);
  }
  std::string finish() override {
    if (wide_) {
      XXH128_canonical_t c;
      XXH128_canonicalFromHash(&c, XXH3_128bits_digest(state_.get()));
      return lower_hex(c.digest, sizeof c.digest);
    }
    XXH64_canonical_t c;
    XXH64_canonicalFromHash(&c, XXH3_64bits_digest(state_.get()));
    return lower_hex(c.digest, sizeof c.digest);
  }

 private:
  std::unique_ptr<XXH3_state_t, XXH_errorcode (*)(XXH3_state_t*)> state_;
  bool wide_;
};

std::unique_ptr<Digest> start(std::string_view format) {
  if (format == "c4") return std::make_unique<EvpDigest>(EVP_sha512(), true);
  if (format == "md5") return std::make_unique<EvpDigest>(EVP_md5(), false);
  if (format == "sha1") return std::make_unique<EvpDigest>(EVP_sha1(), false);
  if (format == "xxh128") return std::make_unique<Xxh3Digest>(true);
  if (format == "xxh3") return std::make_unique<Xxh3Digest>(false);
  if (format == "xxh64") return std::make_unique<Xxh64Digest>();
  throw ValueError("hash format", "'" + std::string(format) + "' is not c4, md5, sha1, xxh128, xxh3 or xxh64");
}

}  // namespace

bool is_hash_format(std::string_view format) {
  return std::find(kHashFormats.begin(), kHashFormats.end(), format) != kHashFormats.end();
}

std::string digest_of(std::string_view bytes, std::string_view format) {
  std::unique_ptr<Digest> digest = start(format);
  digest->update(bytes.data(), bytes.size());
  return digest->finish();
}

std::string file_digest(const std::filesystem::path& file, std::string_view format) {
  std::unique_ptr<Digest> digest = start(format);
  require_regular_file(file);
  int fd = ::open(file.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw_io_error(file.string(), "cannot open the file to checksum it");
  std::unique_ptr<int, void (*)(int*)> closer(&fd, [](int* f) { ::close(*f); });
  std::vector<char> buffer(1 << 16);
  for (;;) {
    ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_io_error(file.string(), "read error while checksumming");
    if (n == 0) break;
    digest->update(buffer.data(), static_cast<std::size_t>(n));
  }
  return digest->finish();
}

}  // namespace calkit
