#include "formats/ccmx.hpp"

#include <cmath>

#include "color/plausibility.hpp"
#include "core/error.hpp"
#include "core/files.hpp"
#include "formats/argyll_fields.hpp"
#include "formats/cgats.hpp"

namespace calkit {
namespace {

bool yes(const CgatsTable& table, std::string_view key) {
  const std::string* v = table.keyword(key);
  return v && *v == "YES";
}

}  // namespace

ColorimeterMatrix parse_ccmx(std::string_view text, const std::string& name) {
  CgatsFile file = parse_cgats(text, name);
  const CgatsTable& table = cgats_table(file, "CCMX");
  ColorimeterMatrix ccmx;
  ccmx.instrument = cgats_require_keyword(file, table, "INSTRUMENT");
  const std::string& rep = cgats_require_keyword(file, table, "COLOR_REP");
  if (rep != "XYZ")
    throw InputError(name, table.keyword_line("COLOR_REP"), "COLOR_REP", "must be XYZ, not '" + rep + "'");
  ccmx.description = argyll::keyword_or_empty(table, "DESCRIPTOR");
  ccmx.display = argyll::keyword_or_empty(table, "DISPLAY");
  ccmx.technology = argyll::keyword_or_empty(table, "TECHNOLOGY");
  ccmx.reference = argyll::keyword_or_empty(table, "REFERENCE");
  ccmx.originator = argyll::keyword_or_empty(table, "ORIGINATOR");
  ccmx.created = argyll::keyword_or_empty(table, "CREATED");
  ccmx.ui_selectors = argyll::keyword_or_empty(table, "UI_SELECTORS");
  ccmx.refresh = yes(table, "DISPLAY_TYPE_REFRESH");
  ccmx.oem = yes(table, "OEM");
  if (table.keyword("DISPLAY_TYPE_BASE_ID")) {
    double id = cgats_keyword_number(file, table, "DISPLAY_TYPE_BASE_ID");
    if (id < 0 || id > 1e6 || id != std::floor(id))
      throw InputError(name, table.keyword_line("DISPLAY_TYPE_BASE_ID"), "DISPLAY_TYPE_BASE_ID",
                       "must be a whole number");
    ccmx.display_type_base_id = static_cast<int>(id);
  }
  std::array<int, 3> xyz = {cgats_require_field(file, table, "XYZ_X"), cgats_require_field(file, table, "XYZ_Y"),
                            cgats_require_field(file, table, "XYZ_Z")};
  if (table.rows.size() != 3)
    throw InputError(name, table.line, "NUMBER_OF_SETS",
                     "a CCMX matrix has exactly 3 sets, not " + std::to_string(table.rows.size()));
  for (size_t r = 0; r < 3; ++r)
    ccmx.matrix.row(static_cast<Eigen::Index>(r)) = argyll::read_triplet(file, table, r, xyz);
  if (std::abs(ccmx.matrix.determinant()) < 1e-12)
    throw InputError(name, table.row_lines[0], "XYZ_X", "the matrix is singular");
  if (std::string why = implausible_correction(ccmx.matrix); !why.empty())
    throw InputError(name, table.row_lines[0], "XYZ_X", "the matrix cannot be a colorimeter correction: " + why);
  return ccmx;
}

ColorimeterMatrix read_ccmx(const std::filesystem::path& path) {
  return parse_ccmx(read_file_text(path), path.string());
}

std::string format_ccmx(const ColorimeterMatrix& ccmx) {
  if (ccmx.instrument.empty()) throw ValueError("INSTRUMENT", "is required in a CCMX");
  CgatsTable table;
  table.file_type = "CCMX";
  table.set_keyword("DESCRIPTOR", ccmx.description.empty() ? "calkit colorimeter correction" : ccmx.description);
  table.set_keyword("INSTRUMENT", ccmx.instrument);
  argyll::set_keyword_if(table, "DISPLAY", ccmx.display);
  argyll::set_keyword_if(table, "TECHNOLOGY", ccmx.technology);
  if (ccmx.display_type_base_id > 0)
    table.set_keyword("DISPLAY_TYPE_BASE_ID", std::to_string(ccmx.display_type_base_id));
  table.set_keyword("DISPLAY_TYPE_REFRESH", ccmx.refresh ? "YES" : "NO");
  argyll::set_keyword_if(table, "UI_SELECTORS", ccmx.ui_selectors);
  argyll::set_keyword_if(table, "REFERENCE", ccmx.reference);
  if (ccmx.oem) table.set_keyword("OEM", "YES");
  table.set_keyword("ORIGINATOR", ccmx.originator.empty() ? "calkit" : ccmx.originator);
  argyll::set_keyword_if(table, "CREATED", ccmx.created);
  table.set_keyword("COLOR_REP", "XYZ");
  table.fields = {"XYZ_X", "XYZ_Y", "XYZ_Z"};
  for (int r = 0; r < 3; ++r) {
    std::vector<std::string> row;
    for (int c = 0; c < 3; ++c) {
      if (!std::isfinite(ccmx.matrix(r, c))) throw ValueError("matrix", "is not finite");
      row.push_back(argyll::number(ccmx.matrix(r, c)));
    }
    table.rows.push_back(std::move(row));
  }
  CgatsFile file;
  file.tables.push_back(std::move(table));
  return format_cgats(file);
}

void write_ccmx(const std::filesystem::path& path, const ColorimeterMatrix& ccmx) {
  write_file_atomically(path, [&] { return format_ccmx(ccmx); });
}

}  // namespace calkit
