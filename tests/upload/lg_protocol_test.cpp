// The LG calibration encodings against bscpylgtv's own expected payloads (tests/data/lg/, and the
// 33-point ones in ../shared when present) and base64 against RFC 4648's test vectors.
#include "upload/lg_protocol.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "core/error.hpp"
#include "luts/apply.hpp"
#include "luts/lut_io.hpp"
#include "tests/support/calkit_test_support.hpp"

using namespace calkit;
namespace fs = std::filesystem;

namespace {

fs::path vector(const std::string& name) { return fs::path(CALKIT_TEST_DATA) / "lg" / name; }

}  // namespace

TEST_CASE("base64 is RFC 4648's (section 10 test vectors), both ways") {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    CHECK(lg::base64_encode(plain) == encoded);
    CHECK(lg::base64_decode(encoded) == plain);
  }
  CHECK_THROWS_AS(lg::base64_decode("Zm9"), InputError);
  CHECK_THROWS_AS(lg::base64_decode("Zm9*"), InputError);
}

TEST_CASE("a 17-point .cube encodes to the payload bscpylgtv uploads for it") {
  Lut3d lut = read_lut3d(vector("3dlut_17pt.cube"));
  REQUIRE(lut.size == 17);
  std::vector<std::uint16_t> values = lg::encode_lut3d(lut);
  CHECK(values.size() == 14739);  // bscpylgtv's dataCount
  CHECK(lg::base64_encode(lg::bytes_of(values)) == test::read_file_bytes(vector("3dlut_17pt_01.txt")));
}

TEST_CASE("the unity 3D and 1D LUTs are bscpylgtv's, and decode to the identity") {
  Lut3d unity = identity_lut3d(17);
  std::vector<std::uint16_t> values = lg::encode_lut3d(unity);
  CHECK(lg::base64_encode(lg::bytes_of(values)) == test::read_file_bytes(vector("3dlut_17pt_unity.txt")));
  Lut3d decoded = lg::decode_lut3d(values, 17);
  for (std::size_t i = 0; i < unity.table.size(); ++i)
    CHECK((decoded.table[i] - unity.table[i]).cwiseAbs().maxCoeff() < 1e-12);
  CHECK(lg::base64_encode(lg::bytes_of(lg::unity_lut1d())) == test::read_file_bytes(vector("1dlut_unity.txt")));
}

TEST_CASE("the 33-point payloads are bscpylgtv's (../shared)") {
  std::string dir = test::shared_oracle("bscpylgtv");
  if (dir.empty()) {
    MESSAGE("skipped: ../shared/oracles/bscpylgtv is not present");
    return;
  }
  fs::path tests = fs::path(dir) / "tests";
  Lut3d lut = read_lut3d(tests / "data" / "3dlut_33pt.cube");
  CHECK(lg::base64_encode(lg::bytes_of(lg::encode_lut3d(lut))) ==
        test::read_file_bytes(tests / "expected" / "3dlut_33pt_01.txt"));
  CHECK(lg::base64_encode(lg::bytes_of(lg::encode_lut3d(identity_lut3d(33)))) ==
        test::read_file_bytes(tests / "expected" / "3dlut_33pt_unity.txt"));
}

TEST_CASE("the LUT size follows the chip in the model name, as bscpylgtv's table") {
  CHECK(lg::lut3d_size_for_model("HE_DTV_W22O_AFABATAA") == 33);
  CHECK(lg::lut3d_size_for_model("HE_DTV_W19H_AFADABAA") == 17);
  CHECK(lg::lut3d_size_for_model("HE_DTV_W17H_AFADABAA") == 0);  // 2017: no calibration API
  CHECK(lg::lut3d_size_for_model("OLED65C2") == 0);
  CHECK(lg::encode_lut3d(identity_lut3d(2)).back() == 4095);  // 1.0 clips to 12 bits
}
