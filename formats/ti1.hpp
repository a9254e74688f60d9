#pragma once
// ArgyllCMS .ti1 patch sets (targen output): RGB_R/G/B in 0..100, read into PatchSet (0..1).
#include <filesystem>
#include <string>
#include <string_view>

#include "formats/measurement_set.hpp"

namespace calkit {

PatchSet read_ti1(const std::filesystem::path& path);
PatchSet parse_ti1(std::string_view text, const std::string& name);
// Writes SAMPLE_ID RGB_R RGB_G RGB_B (dispread needs no more). Atomic.
void write_ti1(const std::filesystem::path& path, const PatchSet& patches);
std::string format_ti1(const PatchSet& patches);

}  // namespace calkit
