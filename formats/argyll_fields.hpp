#pragma once
// Shared pieces of the ArgyllCMS CGATS readers and writers (.ti1, .ti3): device RGB fields and
// spectral fields. Internal to formats/.
#include <array>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "formats/cgats.hpp"
#include "formats/measurement_set.hpp"

namespace calkit::argyll {

// Column indexes of RGB_R, RGB_G, RGB_B (throws naming the missing field).
std::array<int, 3> rgb_fields(const CgatsFile& file, const CgatsTable& table);
// Device RGB of a row, file 0..100 -> 0..1; throws when outside 0..100.
Vec3 read_rgb(const CgatsFile& file, const CgatsTable& table, size_t row, const std::array<int, 3>& fields);
// A row value that must be a finite number.
Vec3 read_triplet(const CgatsFile& file, const CgatsTable& table, size_t row, const std::array<int, 3>& fields);

// SPECTRAL_BANDS/START_NM/END_NM and the SPEC_nnn columns, when the table has them.
struct SpectralLayout {
  double start_nm = 0;
  double step_nm = 0;
  double norm = 1;
  std::vector<int> fields;  // column of each band
  bool present() const { return !fields.empty(); }
};
SpectralLayout spectral_layout(const CgatsFile& file, const CgatsTable& table);
Spectrum read_spectrum(const CgatsFile& file, const CgatsTable& table, size_t row, const SpectralLayout& layout,
                       double scale);
// Adds SPECTRAL_* keywords and SPEC_nnn field names for spectra shaped like `shape`.
void add_spectral_fields(CgatsTable& table, const Spectrum& shape);
std::string spectral_field_name(double nm);

std::string number(double v);
std::string real(double v);  // cgats_format_real: for SPEC_nnn and other non-standard fields
// A keyword's value, or "" when the table lacks it; set_keyword_if writes only non-empty values.
std::string keyword_or_empty(const CgatsTable& table, std::string_view key);
void set_keyword_if(CgatsTable& table, const std::string& key, const std::string& value);

}  // namespace calkit::argyll
