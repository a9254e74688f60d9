#pragma once
// The table of patch sets by name (patch_set_table.cpp), one row each with its default size, the
// way lut_format_table() lists the LUT formats: `calkit patches --set`, `verify --set` and the
// README read this table. A new set is its function (patch_sets.hpp or a file of its own) plus one
// row here.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "patches/patch_sets.hpp"

namespace calkit {

// What a set's count means; PeakNits: the display's peak luminance in cd/m² (the HDR set).
enum class PatchCount { Patches, Steps, PointsPerSide, PeakNits, Fixed };

struct PatchSetKind {
  std::string name;
  std::string description;  // one line for --help
  PatchCount count_meaning = PatchCount::Patches;
  int default_count = 0;      // 0 for Fixed
  int default_count_hdr = 0;  // the default for an HDR target (0: same as SDR)
  bool ordered = false;       // measured in a nearest-neighbour tour by default (profiling sets)
  PatchSet (*make)(int count, const ChartEncoding& encoding, std::uint64_t seed);
};

const std::vector<PatchSetKind>& patch_set_table();
const PatchSetKind& patch_set_kind(std::string_view name);  // ValueError on --set for unknown names
std::vector<std::string> patch_set_names();

// The set by name; count 0 means the row's default (for `encoding`'s SDR or HDR). Throws
// InputError for unknown names or bad counts.
PatchSet patch_set_by_name(std::string_view name, int count, const ChartEncoding& encoding, std::uint64_t seed = 1);

}  // namespace calkit
