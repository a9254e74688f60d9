#include "formats/ccss.hpp"

#include "core/error.hpp"
#include "core/files.hpp"
#include "formats/argyll_fields.hpp"
#include "formats/cgats.hpp"

namespace calkit {
DisplaySpectra parse_ccss(std::string_view text, const std::string& name) {
  CgatsFile file = parse_cgats(text, name);
  const CgatsTable& table = cgats_table(file, "CCSS");
  DisplaySpectra ccss;
  ccss.description = argyll::keyword_or_empty(table, "DESCRIPTOR");
  ccss.display = argyll::keyword_or_empty(table, "DISPLAY");
  ccss.technology = argyll::keyword_or_empty(table, "TECHNOLOGY");
  ccss.reference = argyll::keyword_or_empty(table, "REFERENCE");
  ccss.originator = argyll::keyword_or_empty(table, "ORIGINATOR");
  ccss.created = argyll::keyword_or_empty(table, "CREATED");
  ccss.ui_selectors = argyll::keyword_or_empty(table, "UI_SELECTORS");
  ccss.refresh = argyll::keyword_or_empty(table, "DISPLAY_TYPE_REFRESH") == "YES";
  ccss.oem = argyll::keyword_or_empty(table, "OEM") == "YES";
  cgats_require_keyword(file, table, "SPECTRAL_BANDS");
  argyll::SpectralLayout layout = argyll::spectral_layout(file, table);
  ccss.norm = layout.norm;
  if (table.rows.size() < 3)
    throw InputError(name, table.line, "NUMBER_OF_SETS",
                     "a CCSS needs at least 3 spectra, not " + std::to_string(table.rows.size()));
  // Keep the file's values: the norm is recorded, and the absolute scale does not matter.
  layout.norm = 1;
  for (size_t r = 0; r < table.rows.size(); ++r) {
    ccss.samples.push_back(argyll::read_spectrum(file, table, r, layout, 1.0));
    double total = 0;
    for (double v : ccss.samples.back().values) total += v;
    if (!(total > 0))
      throw InputError(
          name, table.row_lines[r], "SAMPLE_ID",
          "spectrum " + std::to_string(r + 1) + " holds no light (its values sum to " + argyll::number(total) + ")");
  }
  return ccss;
}

DisplaySpectra read_ccss(const std::filesystem::path& path) { return parse_ccss(read_file_text(path), path.string()); }

std::string format_ccss(const DisplaySpectra& ccss) {
  if (ccss.samples.size() < 3) throw ValueError("samples", "a CCSS needs at least 3");
  const Spectrum& shape = ccss.samples.front();
  if (shape.values.size() < 2 || !(shape.step_nm > 0))
    throw ValueError("samples", "needs at least 2 bands and a positive step");
  for (const Spectrum& s : ccss.samples)
    if (s.values.size() != shape.values.size() || s.start_nm != shape.start_nm || s.step_nm != shape.step_nm)
      throw ValueError("samples", "all spectra need the same sampling");
  CgatsTable table;
  table.file_type = "CCSS";
  table.set_keyword("DESCRIPTOR", ccss.description.empty() ? "calkit display spectral samples" : ccss.description);
  table.set_keyword("ORIGINATOR", ccss.originator.empty() ? "calkit" : ccss.originator);
  argyll::set_keyword_if(table, "CREATED", ccss.created);
  argyll::set_keyword_if(table, "DISPLAY", ccss.display);
  argyll::set_keyword_if(table, "TECHNOLOGY", ccss.technology);
  table.set_keyword("DISPLAY_TYPE_REFRESH", ccss.refresh ? "YES" : "NO");
  argyll::set_keyword_if(table, "UI_SELECTORS", ccss.ui_selectors);
  argyll::set_keyword_if(table, "REFERENCE", ccss.reference);
  if (ccss.oem) table.set_keyword("OEM", "YES");
  table.fields = {"SAMPLE_ID"};
  argyll::add_spectral_fields(table, shape);
  table.set_keyword("SPECTRAL_NORM", argyll::number(ccss.norm));
  for (size_t i = 0; i < ccss.samples.size(); ++i) {
    std::vector<std::string> row = {std::to_string(i + 1)};
    for (double v : ccss.samples[i].values) {
      if (!std::isfinite(v)) throw ValueError("samples", "a value is not finite");
      row.push_back(argyll::real(v));
    }
    table.rows.push_back(std::move(row));
  }
  CgatsFile file;
  file.tables.push_back(std::move(table));
  return format_cgats(file);
}

void write_ccss(const std::filesystem::path& path, const DisplaySpectra& ccss) {
  write_file_atomically(path, [&] { return format_ccss(ccss); });
}

}  // namespace calkit
