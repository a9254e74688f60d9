#include "probes/spyderx_protocol.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace calkit::spyderx {

double gain_of(std::uint8_t code) {
  switch (code) {
    case 0x00:
      return 1;
    case 0x01:
      return 8;
    case 0x10:
      return 16;
    case 0x11:
      return 120;
    default:
      return 0;
  }
}

double ambient_lux(double c0, double c1, int inttime, double gain) {
  const double cpl = inttime * gain / (44.0 * 60.0);
  return std::max(0.0, std::max(c0 - 1.87 * c1, 0.63 * c0 - c1) / cpl);
}

std::uint16_t u16be(std::span<const std::uint8_t> b, std::size_t at) {
  return static_cast<std::uint16_t>(b[at] << 8 | b[at + 1]);
}

void put_u16be(std::span<std::uint8_t> b, std::size_t at, std::uint16_t v) {
  b[at] = static_cast<std::uint8_t>(v >> 8);
  b[at + 1] = static_cast<std::uint8_t>(v);
}

std::uint8_t checksum(std::span<const std::uint8_t> bytes) {
  unsigned sum = 0;
  for (std::uint8_t b : bytes) sum += b;
  return static_cast<std::uint8_t>(sum);
}

Bytes encode_command(std::uint8_t cmd, std::uint16_t nonce, std::span<const std::uint8_t> payload) {
  Bytes f(5 + payload.size());
  f[0] = cmd;
  put_u16be(f, 1, nonce);
  put_u16be(f, 3, static_cast<std::uint16_t>(payload.size()));
  std::copy(payload.begin(), payload.end(), f.begin() + 5);
  return f;
}

Frame decode_command(std::span<const std::uint8_t> frame) {
  if (frame.size() < 5 || u16be(frame, 3) != frame.size() - 5)
    throw ProbeError(ProbeErrorKind::Protocol,
                     fmt::format("SpyderX: malformed command frame ({} bytes)", frame.size()));
  return {frame[0], u16be(frame, 1), Bytes(frame.begin() + 5, frame.end())};
}

Bytes encode_reply(const Reply& r) {
  Bytes f(5 + r.payload.size());
  put_u16be(f, 0, r.nonce);
  f[2] = r.status;
  put_u16be(f, 3, static_cast<std::uint16_t>(r.payload.size()));
  std::copy(r.payload.begin(), r.payload.end(), f.begin() + 5);
  return f;
}

Reply decode_reply(std::span<const std::uint8_t> frame) {
  if (frame.size() < 5)
    throw ProbeError(ProbeErrorKind::Protocol, fmt::format("SpyderX: short reply ({} bytes)", frame.size()));
  const std::size_t len = u16be(frame, 3);
  if (len != frame.size() - 5)
    throw ProbeError(ProbeErrorKind::Protocol,
                     fmt::format("SpyderX: reply says {} payload bytes but carries {}", len, frame.size() - 5));
  return {u16be(frame, 0), frame[2], Bytes(frame.begin() + 5, frame.end())};
}

}  // namespace calkit::spyderx
