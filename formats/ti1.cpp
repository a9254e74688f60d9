#include "formats/ti1.hpp"

#include "core/error.hpp"
#include "core/files.hpp"
#include "formats/argyll_fields.hpp"
#include "formats/cgats.hpp"

namespace calkit {

PatchSet parse_ti1(std::string_view text, const std::string& name) {
  CgatsFile file = parse_cgats(text, name);
  const CgatsTable& table = cgats_table(file, "CTI1");
  auto fields = argyll::rgb_fields(file, table);
  PatchSet patches;
  if (const std::string* d = table.keyword("DESCRIPTOR")) patches.description = *d;
  for (size_t r = 0; r < table.rows.size(); ++r) patches.rgb.push_back(argyll::read_rgb(file, table, r, fields));
  if (patches.rgb.empty()) throw InputError(name, table.line, "NUMBER_OF_SETS", "no patches");
  return patches;
}

PatchSet read_ti1(const std::filesystem::path& path) { return parse_ti1(read_file_text(path), path.string()); }

std::string format_ti1(const PatchSet& patches) {
  CgatsFile file;
  CgatsTable table;
  table.file_type = "CTI1";
  table.set_keyword("DESCRIPTOR", patches.description.empty() ? "Argyll Calibration Target chart information 1"
                                                              : patches.description);
  table.set_keyword("ORIGINATOR", "calkit");
  table.set_keyword("COLOR_REP", "RGB");
  table.fields = {"SAMPLE_ID", "RGB_R", "RGB_G", "RGB_B"};
  for (size_t i = 0; i < patches.rgb.size(); ++i) {
    const Vec3& rgb = patches.rgb[i];
    for (int c = 0; c < 3; ++c)
      if (!(rgb[c] >= 0 && rgb[c] <= 1)) throw ValueError("rgb", "patch " + std::to_string(i + 1) + " is outside 0..1");
    table.rows.push_back({std::to_string(i + 1), argyll::number(rgb[0] * 100), argyll::number(rgb[1] * 100),
                          argyll::number(rgb[2] * 100)});
  }
  file.tables.push_back(std::move(table));
  return format_cgats(file);
}

void write_ti1(const std::filesystem::path& path, const PatchSet& patches) {
  write_file_atomically(path, [&] { return format_ti1(patches); });
}

}  // namespace calkit
