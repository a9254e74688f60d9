#pragma once
// CGATS.17 text files as ArgyllCMS reads and writes them (.ti1, .ti3, .ccmx, .ccss, .cal): a
// file-type line ("CTI3"), keyword lines (KEY "value"), KEYWORD declarations, then per table
// NUMBER_OF_FIELDS, BEGIN_DATA_FORMAT..END_DATA_FORMAT, NUMBER_OF_SETS, BEGIN_DATA..END_DATA.
// This layer keeps values as text; the typed readers (ti1, ti3, ccmx, ccss) convert and check.
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace calkit {

struct CgatsTable {
  std::string file_type;                                      // "CTI3", "CCMX", ... (trimmed)
  std::vector<std::pair<std::string, std::string>> keywords;  // in file order, unquoted
  std::vector<int> keyword_lines;              // source line of each keyword (empty when built in memory)
  std::vector<std::string> fields;             // BEGIN_DATA_FORMAT names
  std::vector<std::vector<std::string>> rows;  // one entry per field
  int line = 0;                                // line where the table starts (for messages)
  std::vector<int> row_lines;                  // source line of each row (0 when built in memory)

  const std::string* keyword(std::string_view key) const;              // nullptr when absent
  void set_keyword(const std::string& key, const std::string& value);  // replace or append
  int field_index(std::string_view name) const;                        // -1 when absent
  int keyword_line(std::string_view key) const;                        // its source line, else the table's line
};

struct CgatsFile {
  std::string name;  // file name used in error messages
  std::vector<CgatsTable> tables;
};

// Parsing throws calkit::InputError(name, line, field, message) on malformed text.
CgatsFile parse_cgats(std::string_view text, const std::string& name);
CgatsFile read_cgats(const std::filesystem::path& path);
std::string format_cgats(const CgatsFile& file);

// Typed access with checked errors naming file, row line and field.
const CgatsTable& cgats_table(const CgatsFile& file, std::string_view file_type);  // first match
int cgats_require_field(const CgatsFile& file, const CgatsTable& table, std::string_view name);
const std::string& cgats_require_keyword(const CgatsFile& file, const CgatsTable& table, std::string_view key);
double cgats_number(const CgatsFile& file, const CgatsTable& table, size_t row, int field);
double cgats_keyword_number(const CgatsFile& file, const CgatsTable& table, std::string_view key);
// Numbers as Argyll writes them: shortest text that reads back to the same double.
std::string cgats_format_number(double value);
// The same, but never a bare integer ("0" is "0.0"): ArgyllCMS types a column whose values are all
// digits as integer (cgats.c guess_type), and spec2cie then refuses a SPEC_nnn field of that type
// ("Field SPEC_380 is wrong type", spec2cie.c). For fields that are not standard CGATS reals.
std::string cgats_format_real(double value);

}  // namespace calkit
