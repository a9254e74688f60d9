// ArgyllCMS colorimeter corrections, laid out as Argyll's ccmx.c/ccss.c and its shipped
// examples define them (research/probes.md §6): CCMX set i is matrix row i; CCSS spectra in
// SPEC_nnn columns with SPECTRAL_* keywords, at least 3 sets.
#include <doctest/doctest.h>

#include "formats/ccmx.hpp"
#include "formats/ccss.hpp"
#include "test_helpers.hpp"

using namespace calkit;
using calkit::test::error_of;
using calkit::test::scratch_dir;

namespace {

const char* kCcmx = R"(CCMX   

DESCRIPTOR "Dell U2413 & i1 DisplayPro"
KEYWORD "INSTRUMENT"
INSTRUMENT "X-Rite i1 DisplayPro, ColorMunki Display"
KEYWORD "DISPLAY"
DISPLAY "Dell U2413"
KEYWORD "TECHNOLOGY"
TECHNOLOGY "GB-LED LCD"
KEYWORD "DISPLAY_TYPE_BASE_ID"
DISPLAY_TYPE_BASE_ID "1"
KEYWORD "DISPLAY_TYPE_REFRESH"
DISPLAY_TYPE_REFRESH "NO"
KEYWORD "REFERENCE"
REFERENCE "X-Rite i1 Pro 2"
ORIGINATOR "Argyll ccxxmake"
CREATED "Sat Nov 21 12:00:00 2026"
KEYWORD "COLOR_REP"
COLOR_REP "XYZ"

NUMBER_OF_FIELDS 3
BEGIN_DATA_FORMAT
XYZ_X XYZ_Y XYZ_Z 
END_DATA_FORMAT

NUMBER_OF_SETS 3
BEGIN_DATA
1.012 0.021 -0.015 
0.004 1.003 0.002 
0.001 -0.012 1.094 
END_DATA
)";

std::string ccss_text(int sets) {
  std::string s =
      "CCSS   \n\nDESCRIPTOR \"WLED panel\"\nORIGINATOR \"Argyll ccxxmake\"\n"
      "TECHNOLOGY \"White LED LCD\"\nDISPLAY_TYPE_REFRESH \"NO\"\n"
      "SPECTRAL_BANDS \"4\"\nSPECTRAL_START_NM \"400.000000\"\nSPECTRAL_END_NM \"700.000000\"\n"
      "SPECTRAL_NORM \"1.000000\"\n\nNUMBER_OF_FIELDS 5\nBEGIN_DATA_FORMAT\n"
      "SAMPLE_ID SPEC_400 SPEC_500 SPEC_600 SPEC_700\nEND_DATA_FORMAT\n\nNUMBER_OF_SETS " +
      std::to_string(sets) + "\nBEGIN_DATA\n";
  for (int i = 1; i <= sets; ++i) s += std::to_string(i) + " 0.1 0.2 " + std::to_string(i) + " 0.05\n";
  return s + "END_DATA\n";
}

}  // namespace

TEST_CASE("ccmx rows are the file's sets and correct XYZ as M * XYZ") {
  ColorimeterMatrix c = parse_ccmx(kCcmx, "u2413.ccmx");
  CHECK(c.instrument == "X-Rite i1 DisplayPro, ColorMunki Display");
  CHECK(c.display == "Dell U2413");
  CHECK(c.technology == "GB-LED LCD");
  CHECK(c.reference == "X-Rite i1 Pro 2");
  CHECK(c.display_type_base_id == 1);
  CHECK_FALSE(c.refresh);
  // Column j of M is the corrected value of a unit reading in channel j.
  Vec3 x = c.apply(Vec3(1, 0, 0));
  CHECK(x[0] == doctest::Approx(1.012));
  CHECK(x[1] == doctest::Approx(0.004));
  CHECK(x[2] == doctest::Approx(0.001));
  Vec3 z = c.apply(Vec3(0, 0, 1));
  CHECK(z[0] == doctest::Approx(-0.015));
  CHECK(z[2] == doctest::Approx(1.094));

  auto dir = scratch_dir("ccmx");
  write_ccmx(dir / "c.ccmx", c);
  ColorimeterMatrix back = read_ccmx(dir / "c.ccmx");
  CHECK(back.matrix == c.matrix);
  CHECK(back.instrument == c.instrument);
  CHECK(back.display_type_base_id == 1);
  CHECK(back.created == c.created);
}

TEST_CASE("ccmx errors name the field") {
  std::string s = kCcmx;
  InputError e = error_of([&] {
    std::string t = s;
    t.replace(t.find("NUMBER_OF_SETS 3"), 16, "NUMBER_OF_SETS 2");
    t.replace(t.find("0.001 -0.012 1.094 \n"), 20, "");
    parse_ccmx(t, "c.ccmx");
  });
  CHECK(e.field() == "NUMBER_OF_SETS");
  e = error_of([&] {
    std::string t = s;
    t.replace(t.find("INSTRUMENT \"X"), 10, "INSTRUMENX");
    parse_ccmx(t, "c.ccmx");
  });
  CHECK(e.field() == "INSTRUMENT");
  e = error_of([&] {
    std::string t = s;
    t.replace(t.find("1.003"), 5, "1,003");
    parse_ccmx(t, "c.ccmx");
  });
  CHECK(e.field() == "XYZ_Y");
  CHECK(e.line() == 29);
  CHECK(e.file() == "c.ccmx");
}

TEST_CASE("ccss reads evenly spaced SPEC_nnn bands and needs at least 3 samples") {
  DisplaySpectra d = parse_ccss(ccss_text(3), "w.ccss");
  REQUIRE(d.samples.size() == 3);
  CHECK(d.technology == "White LED LCD");
  CHECK(d.samples[0].start_nm == 400);
  CHECK(d.samples[0].step_nm == 100);
  CHECK(d.samples[2].values == std::vector<double>{0.1, 0.2, 3, 0.05});

  auto dir = scratch_dir("ccss");
  write_ccss(dir / "w.ccss", d);
  DisplaySpectra back = read_ccss(dir / "w.ccss");
  REQUIRE(back.samples.size() == 3);
  CHECK(back.samples[1].values == d.samples[1].values);
  CHECK(back.technology == d.technology);

  InputError e = error_of([] { parse_ccss(ccss_text(2), "w.ccss"); });
  CHECK(e.field() == "NUMBER_OF_SETS");
  e = error_of([] {
    std::string t = ccss_text(3);
    t.replace(t.find("SPEC_600"), 8, "SPEC_650");
    parse_ccss(t, "w.ccss");
  });
  CHECK(e.field() == "SPEC_600");
}
