#pragma once
// VerificationResult <-> JSON ("calkit-verification" version 1, schema in the README section
// "Verification and reports"). Numbers are written with 17 significant digits, so a round trip
// is exact; a value that was not measured (NaN) is written as null and read back as NaN.
#include <filesystem>
#include <string>
#include <string_view>

#include "report/verification.hpp"

namespace calkit {

std::string format_verification_json(const VerificationResult& result);
// Throws InputError naming `name` and the field (e.g. "patches[3].measured_XYZ") on bad input.
VerificationResult parse_verification_json(std::string_view text, const std::string& name);

VerificationResult read_verification_json(const std::filesystem::path& path);
void write_verification_json(const std::filesystem::path& path, const VerificationResult& result);

}  // namespace calkit
