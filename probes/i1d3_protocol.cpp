#include "probes/i1d3_protocol.hpp"

#include <bit>
#include <cstring>

#include "core/error.hpp"

namespace calkit::i1d3 {

bool is_write_command(std::uint16_t code) {
  return code == kWriteInternalEeprom || code == kWriteExternalEeprom || code == kEnableWrite;
}

std::uint16_t eeprom_checksum(std::span<const std::uint8_t> eeprom, std::size_t end) {
  std::uint32_t sum = 0;
  for (std::size_t i = 4; i <= end && i < eeprom.size(); ++i) sum += eeprom[i];
  return static_cast<std::uint16_t>(sum & 0xFFFF);
}

std::span<const UnlockKey> unlock_keys() {
  static constexpr UnlockKey keys[] = {
      {"i1display-pro", 0xe9622e9f, 0x8d63e133},
      {"colormunki-display", 0xe01e6e0a, 0x257462de},
      {"oem", 0xcaa62b2c, 0x30815b61},
      {"nec-spectrasensor-pro", 0xa9119479, 0x5b168761},
      {"quato-silver-haze-3", 0x160eb6ae, 0x14440e70},
      {"hp-dreamcolor", 0x291e41d7, 0x51937bdd},
      {"wacom-dc", 0x1abfae03, 0xf25ac8e8},
      {"toshiba-tpa-1", 0x828c43e9, 0xcbb8a8ed},
      {"barco", 0xe8d1a980, 0xd146f7ad},
      {"photocrysta", 0x171ae295, 0x2e5c7664},
      {"viewsonic-cs-xri1", 0x64d8c546, 0x4b24b4a7},
      {"spectracal-c6", 0xc9bfafe0, 0x02871166},
  };
  return keys;
}

const UnlockKey& unlock_key(const std::string& name) {
  std::string known;
  for (const UnlockKey& k : unlock_keys()) {
    if (name == k.name) return k;
    known += (known.empty() ? "" : ", ") + std::string(k.name);
  }
  throw ValueError("key", "unknown i1d3 variant '" + name + "' (known: " + known + ")");
}

namespace {
std::uint8_t byte_of(std::uint32_t x, int n) { return static_cast<std::uint8_t>(x >> (8 * n)); }
}  // namespace

std::array<std::uint8_t, kReportSize> unlock_response(std::span<const std::uint8_t> c, const UnlockKey& key) {
  const std::uint32_t nk0 = 0u - key.k0, nk1 = 0u - key.k1;
  std::uint8_t sc[8];
  for (int i = 0; i < 8; ++i) sc[i] = static_cast<std::uint8_t>(c[3] ^ c[35 + i]);
  const std::uint32_t ci0 = std::uint32_t{sc[3]} << 24 | std::uint32_t{sc[0]} << 16 | std::uint32_t{sc[4]} << 8 | sc[6];
  const std::uint32_t ci1 = std::uint32_t{sc[1]} << 24 | std::uint32_t{sc[7]} << 16 | std::uint32_t{sc[2]} << 8 | sc[5];
  const std::uint32_t co0 = nk0 - ci1, co1 = nk1 - ci0, co2 = ci1 * nk0, co3 = ci0 * nk1;
  std::uint32_t sum = 0;
  for (std::uint8_t s : sc) sum += s;
  for (int n = 0; n < 4; ++n) sum += byte_of(nk0, n) + byte_of(nk1, n);
  const int s0 = static_cast<int>(sum & 0xFF), s1 = static_cast<int>((sum >> 8) & 0xFF);
  // (word, byte, sign of s0 or s1 term) per response byte, from the published algorithm.
  struct Term {
    std::uint32_t word;
    int byte;
    int add;
  };
  const Term t[16] = {{co0, 2, +s0}, {co2, 1, -s1}, {co3, 0, +s1}, {co1, 2, +s0}, {co2, 2, -s1}, {co3, 2, -s0},
                      {co1, 3, -s0}, {co0, 0, -s1}, {co3, 1, +s0}, {co2, 3, -s1}, {co0, 1, +s0}, {co1, 1, -s1},
                      {co1, 0, +s1}, {co3, 3, +s1}, {co2, 0, +s0}, {co0, 3, -s0}};
  std::array<std::uint8_t, kReportSize> r{};
  r[0] = static_cast<std::uint8_t>(kSendLockResponse >> 8);
  for (int i = 0; i < 16; ++i)
    r[24 + i] = static_cast<std::uint8_t>(c[2] ^ static_cast<std::uint8_t>(byte_of(t[i].word, t[i].byte) + t[i].add));
  return r;
}

std::uint32_t u32le(std::span<const std::uint8_t> b, std::size_t at) {
  return std::uint32_t{b[at]} | std::uint32_t{b[at + 1]} << 8 | std::uint32_t{b[at + 2]} << 16 |
         std::uint32_t{b[at + 3]} << 24;
}
std::uint16_t u16le(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>(b[at] | b[at + 1] << 8);
}
float f32le(std::span<const std::uint8_t> b, std::size_t at) { return std::bit_cast<float>(u32le(b, at)); }
void put_u32le(std::span<std::uint8_t> b, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
}
void put_u16le(std::span<std::uint8_t> b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v);
  b[at + 1] = static_cast<std::uint8_t>(v >> 8);
}
void put_f32le(std::span<std::uint8_t> b, std::size_t at, float v) {
  put_u32le(b, at, std::bit_cast<std::uint32_t>(v));
}

}  // namespace calkit::i1d3
