// xxHash64 checksums against the published XXH64 vectors (seed 0).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.hpp"
#include "records/checksum.hpp"

using namespace calkit;
namespace fs = std::filesystem;

namespace {

fs::path write_bytes(const std::string& name, const std::string& bytes) {
  fs::path path = fs::path(CALKIT_TEST_TMP) / name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

}  // namespace

TEST_CASE("xxh64 of files matches the published vectors, big-endian hex") {
  // XXH64("", 0) = 0xEF46DB3751D8E999, XXH64("a", 0) = 0xD24EC4F1A98C6E5B,
  // XXH64("abc", 0) = 0x44BC2CF5AD770999 (xxHash reference implementation's test vectors).
  CHECK(xxh64_hex(write_bytes("xxh_empty.bin", "")) == "ef46db3751d8e999");
  CHECK(xxh64_hex(write_bytes("xxh_a.bin", "a")) == "d24ec4f1a98c6e5b");
  CHECK(xxh64_hex(write_bytes("xxh_abc.bin", "abc")) == "44bc2cf5ad770999");
  CHECK(xxh64_hex_of("abc") == "44bc2cf5ad770999");
}

TEST_CASE("xxh64 of a file read in chunks equals the one-shot hash of its bytes") {
  std::string bytes;
  for (int i = 0; i < 200000; ++i) bytes += static_cast<char>((i * 131 + i / 7) & 0xff);
  CHECK(xxh64_hex(write_bytes("xxh_big.bin", bytes)) == xxh64_hex_of(bytes));
}

TEST_CASE("xxh64 of a missing file throws InputError naming it") {
  try {
    xxh64_hex(fs::path(CALKIT_TEST_TMP) / "xxh_missing.bin");
    FAIL("no throw");
  } catch (const InputError& e) {
    CHECK(e.file().find("xxh_missing.bin") != std::string::npos);
  }
}
