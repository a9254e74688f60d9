// CGATS.17 as ArgyllCMS writes it: structure from the CGATS.17 standard and Argyll's files.
#include <doctest/doctest.h>

#include "formats/cgats.hpp"
#include "test_helpers.hpp"

using namespace calkit;
using calkit::test::error_of;

namespace {

// Two tables, as a .ti3 with a calibration table: the second starts with its own type line.
const char* kTwoTables = R"(CTI3   

DESCRIPTOR "Argyll Calibration Target chart information 3"
ORIGINATOR "Argyll dispread"
# a comment line
KEYWORD "DEVICE_CLASS"
DEVICE_CLASS "DISPLAY"
COLOR_REP "RGB_XYZ"

NUMBER_OF_FIELDS 5
BEGIN_DATA_FORMAT
SAMPLE_ID SAMPLE_NAME RGB_R RGB_G XYZ_Y
END_DATA_FORMAT

NUMBER_OF_SETS 2
BEGIN_DATA
1 "white patch" 100 100 100
2 black 0.00000 0.00000 0.25
END_DATA

CAL    

DESCRIPTOR "Argyll Device Calibration State"
NUMBER_OF_FIELDS 2
BEGIN_DATA_FORMAT
RGB_I RGB_R
END_DATA_FORMAT
NUMBER_OF_SETS 1
BEGIN_DATA
0.0 0.0
END_DATA
)";

}  // namespace

TEST_CASE("cgats reads keywords, quoted values, comments and several tables") {
  CgatsFile f = parse_cgats(kTwoTables, "two.ti3");
  REQUIRE(f.tables.size() == 2);
  const CgatsTable& t = f.tables[0];
  CHECK(t.file_type == "CTI3");
  REQUIRE(t.keyword("DEVICE_CLASS"));
  CHECK(*t.keyword("DEVICE_CLASS") == "DISPLAY");
  CHECK(*t.keyword("DESCRIPTOR") == "Argyll Calibration Target chart information 3");
  CHECK(t.keyword("KEYWORD") == nullptr);
  CHECK(t.fields.size() == 5);
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[0][1] == "white patch");
  CHECK(t.row_lines[1] == 18);
  CHECK(cgats_number(f, t, 1, 4) == doctest::Approx(0.25));
  CHECK(f.tables[1].file_type == "CAL");
  CHECK(&cgats_table(f, "CAL") == &f.tables[1]);
}

TEST_CASE("cgats written text parses back to the same tables") {
  CgatsFile f = parse_cgats(kTwoTables, "two.ti3");
  CgatsFile back = parse_cgats(format_cgats(f), "again.ti3");
  REQUIRE(back.tables.size() == 2);
  for (size_t i = 0; i < 2; ++i) {
    CHECK(back.tables[i].file_type == f.tables[i].file_type);
    CHECK(back.tables[i].keywords == f.tables[i].keywords);
    CHECK(back.tables[i].fields == f.tables[i].fields);
    CHECK(back.tables[i].rows == f.tables[i].rows);
  }
}

TEST_CASE("cgats numbers are written so they read back exactly") {
  for (double v : {0.1, 1.0 / 3.0, 95.0455, 1e-9, 123456.789, -0.0}) CHECK(std::stod(cgats_format_number(v)) == v);
}

TEST_CASE("cgats malformed input names file, line and field") {
  auto parse = [](const std::string& text) { return parse_cgats(text, "bad.ti3"); };
  std::string head = "CTI3\n\nNUMBER_OF_FIELDS 2\nBEGIN_DATA_FORMAT\nRGB_R RGB_G\nEND_DATA_FORMAT\n";

  InputError e = error_of([&] { parse(head + "NUMBER_OF_SETS 2\nBEGIN_DATA\n1 2\n3\nEND_DATA\n"); });
  CHECK(e.file() == "bad.ti3");
  CHECK(e.line() == 10);
  CHECK(e.field() == "RGB_G");

  e = error_of([&] { parse(head + "NUMBER_OF_SETS 3\nBEGIN_DATA\n1 2\nEND_DATA\n"); });
  CHECK(e.line() == 7);
  CHECK(e.field() == "NUMBER_OF_SETS");

  e = error_of([&] { parse("CTI3\nNUMBER_OF_FIELDS 3\nBEGIN_DATA_FORMAT\nA B\nEND_DATA_FORMAT\n"); });
  CHECK(e.line() == 2);
  CHECK(e.field() == "NUMBER_OF_FIELDS");

  e = error_of([&] { parse("CTI3\nDESCRIPTOR \"unterminated\n"); });
  CHECK(e.line() == 2);

  e = error_of([&] { parse(head + "NUMBER_OF_SETS 1\nBEGIN_DATA\n1 2\n"); });
  CHECK(e.field() == "END_DATA");

  e = error_of([&] { parse("CTI3\nDESCRIPTOR\n"); });
  CHECK(e.line() == 2);
  CHECK(e.field() == "DESCRIPTOR");

  CgatsFile f = parse(head + "NUMBER_OF_SETS 1\nBEGIN_DATA\n1 nan\nEND_DATA\n");
  e = error_of([&] { cgats_number(f, f.tables[0], 0, 1); });
  CHECK(e.line() == 9);
  CHECK(e.field() == "RGB_G");
  CHECK(std::string(e.what()) == "bad.ti3:9: field RGB_G: 'nan' is not a finite number");

  e = error_of([&] { parse(""); });
  CHECK(e.file() == "bad.ti3");
  e = error_of([&] { cgats_require_field(f, f.tables[0], "XYZ_X"); });
  CHECK(e.field() == "XYZ_X");
}
