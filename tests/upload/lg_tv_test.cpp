// calkit's LG client against the LG TV emulator, and the emulator against the independent client
// bscpylgtv (../shared/oracles): for the same .cube, both land the same bytes in the TV, command
// by command. The encodings themselves are checked against bscpylgtv's expected payloads in
// lg_protocol_test.cpp.
#include "upload/lg_tv.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "emulators/lg_tv_emulator.hpp"
#include "luts/lut_io.hpp"
#include "tests/support/calkit_test_support.hpp"
#include "upload/lg_protocol.hpp"

using namespace calkit;
namespace fs = std::filesystem;

namespace {

const fs::path kCube17 = fs::path(CALKIT_TEST_DATA) / "lg" / "3dlut_17pt.cube";
const char* kAlpha7 = "HE_DTV_W19H_AFADABAA";  // a 2019 Alpha 7 TV: 17-point 3D LUTs

LgTvSpec spec_for(const LgTvEmulator& tv, const fs::path& keys) {
  return parse_lg_spec("127.0.0.1:" + std::to_string(tv.port()) + ",tls=no,keys=" + keys.string());
}

void quiet(const std::string&) {}

}  // namespace

TEST_CASE("calkit pairs once, uploads into the slot, reads it back and leaves calibration mode") {
  fs::path dir = test::scratch_dir("upload", "lg-client");
  LgTvEmulator tv({kAlpha7});
  Lut3d lut = read_lut3d(kCube17);
  LgUploadResult r = upload_to_lg_tv(spec_for(tv, dir / "keys.json"), lut, false, quiet);
  CHECK(r.model == kAlpha7);
  CHECK(r.lut_size == 17);
  CHECK(r.slot == "bt709");
  CHECK(r.picture_mode == "expert1");
  CHECK(r.read_back_matches);
  CHECK_FALSE(tv.in_calibration_mode());
  REQUIRE(tv.lut3d("expert1", "bt709"));
  Lut3d held = *tv.lut3d("expert1", "bt709");
  // 12-bit rounding of v * 4096; the top code 4095 (the clipped 4096) stands for 1.0.
  for (std::size_t i = 0; i < lut.table.size(); ++i)
    for (int c = 0; c < 3; ++c)
      CHECK(std::abs(held.table[i][c] - lut.table[i][c]) <= (held.table[i][c] == 1 ? 1.5 : 0.5) / 4096 + 1e-12);
  // The key the TV gave is kept: the next session needs no prompt.
  nlohmann::json keys = nlohmann::json::parse(test::read_file_bytes(dir / "keys.json"));
  CHECK(keys.contains("127.0.0.1"));
  CHECK(tv.pairings() == 1);
  upload_to_lg_tv(spec_for(tv, dir / "keys.json"), lut, true, quiet);  // HDR: the BT.2020 slot
  CHECK(tv.pairings() == 1);
  CHECK(tv.lut3d("hdr_cinema", "bt2020"));
}

TEST_CASE("a TV model without a known LUT size is refused before calibration mode") {
  fs::path dir = test::scratch_dir("upload", "lg-unknown-model");
  LgTvEmulator tv({"HE_DTV_W17H_AFADABAA"});
  CHECK_THROWS_AS(upload_to_lg_tv(spec_for(tv, dir / "keys.json"), read_lut3d(kCube17), false, quiet), ValueError);
  CHECK(tv.calls().empty());
}

TEST_CASE("lg: specs: defaults, options and refusals") {
  LgTvSpec s = parse_lg_spec("192.168.1.18");
  CHECK(s.port == 3001);
  CHECK(s.tls);
  CHECK(parse_lg_spec("tv.local,tls=no").port == 3000);
  CHECK(parse_lg_spec("tv.local:4000,mode=hdr_game,slot=bt2020,size=33").picture_mode == "hdr_game");
  CHECK_THROWS_AS(parse_lg_spec("tv,mode=vivid"), InputError);
  CHECK_THROWS_AS(parse_lg_spec("tv,size=65"), InputError);
  CHECK_THROWS_AS(parse_lg_spec("tv:99999"), InputError);
  CHECK_THROWS_AS(parse_lg_spec(""), InputError);
}

TEST_CASE("a TV that is not there is a network failure, not a hang") {
  fs::path dir = test::scratch_dir("upload", "lg-absent");
  int port;
  {
    LgTvEmulator gone;
    port = gone.port();
  }
  CHECK_THROWS_AS(
      upload_to_lg_tv(parse_lg_spec("127.0.0.1:" + std::to_string(port) + ",tls=no,keys=" + (dir / "k.json").string()),
                      read_lut3d(kCube17), false, quiet),
      NetworkError);
}

TEST_CASE("bscpylgtv and calkit land the same bytes in the emulated TV, command by command") {
  std::string oracle = test::shared_oracle("bscpylgtv");
  const std::string python = "/usr/bin/python3";
  if (oracle.empty() ||
      test::run_shell("PYTHONPATH='" + oracle + "' " + python + " -c 'import bscpylgtv, numpy'") != 0) {
    MESSAGE(
        "skipped: ../shared/oracles/bscpylgtv or its Debian python3 packages (numpy, websockets, sqlitedict) "
        "are not present");
    return;
  }
  fs::path dir = test::scratch_dir("upload", "lg-bscpylgtv");
  for (const auto& [mode, slot] : {std::pair{"expert1", "bt709"}, std::pair{"hdr_cinema", "bt2020"}}) {
    LgTvEmulator theirs({kAlpha7});
    std::string out;
    int status = test::run_shell("PYTHONPATH='" + oracle + "' " + python + " " +
                                     (fs::path(CALKIT_TEST_DATA).parent_path() / "upload" / "bscpylgtv_session.py").string() + " " +
                                     std::to_string(theirs.port()) + " " + mode + " " + slot + " " + kCube17.string(),
                                 &out);
    INFO(out);
    REQUIRE(status == 0);
    LgTvEmulator ours({kAlpha7});
    LgTvSpec spec = spec_for(ours, dir / "keys.json");
    spec.picture_mode = mode;
    spec.slot = slot;
    upload_to_lg_tv(spec, read_lut3d(kCube17), std::string(slot) == "bt2020", quiet);

    std::vector<LgCalibrationCall> a = ours.calls(), b = theirs.calls();
    REQUIRE(!a.empty());
    for (const LgCalibrationCall& call : a) {
      // bscpylgtv's bypass also puts unity LUTs in both slots first: the last call of a command is
      // the one that stays.
      auto last =
          std::find_if(b.rbegin(), b.rend(), [&](const LgCalibrationCall& c) { return c.command == call.command; });
      INFO(mode, " ", call.command);
      REQUIRE(last != b.rend());
      CHECK(last->picture_mode == call.picture_mode);
      CHECK(last->data_type == call.data_type);
      CHECK(last->count == call.count);
      CHECK(last->option == call.option);
      CHECK(last->data == call.data);
    }
    REQUIRE(theirs.lut3d(mode, slot));
    CHECK(theirs.lut3d(mode, slot)->table == ours.lut3d(mode, slot)->table);
  }
}
