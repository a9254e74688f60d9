// `calkit probe`, `calkit ambient`, and spot/measure through build_rig with the emulated i1d3,
// run as processes (CALKIT_BINARY). Truth is the virtual display's light computed in-process.
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "color/colorimetry.hpp"
#include "core/clock.hpp"
#include "emulators/display_spectrum.hpp"
#include "emulators/i1d3_emulator.hpp"
#include "formats/ccmx.hpp"
#include "formats/ccss.hpp"
#include "formats/measurement_file.hpp"
#include "probes/transport/transport.hpp"
#include "sim/display_model.hpp"
#include "sim/virtual_display.hpp"

using namespace calkit;

namespace {

struct Run {
  int code = -1;
  std::string out, err;
};

std::string tmp(const std::string& name) {
  std::filesystem::create_directories(CALKIT_TEST_TMP);
  return std::string(CALKIT_TEST_TMP) + "/probe_cli_" + name;
}

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs calkit with args; `tag` names the scratch files (cases run in parallel).
Run run_calkit(const std::string& args, const std::string& tag) {
  const std::string out = tmp(tag + ".out"), err = tmp(tag + ".err");
  std::string cmd = std::string(CALKIT_BINARY) + " " + args + " > " + out + " 2> " + err;
  int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
}

// What the display emits for a patch sent as 10-bit full-range codes (the session's default).
Vec3 truth(const char* display, const Vec3& rgb) {
  SimulatedClock clock;
  VirtualDisplay d(load_display_model(display), clock);
  Vec3 coded = (rgb * 1023).array().round() / 1023;
  return d.steady_XYZ(coded, 10);
}

Vec3 json_xyz(const nlohmann::json& j) {
  return Vec3(j["XYZ"][0].get<double>(), j["XYZ"][1].get<double>(), j["XYZ"][2].get<double>());
}

}  // namespace

TEST_CASE("calkit probe list --emulated names the emulated i1d3, setup prints the shipped rules") {
  Run list = run_calkit("probe list --emulated --json", "list");
  REQUIRE(list.code == 0);
  bool found = false;
  for (const auto& d : nlohmann::json::parse(list.out)) found = found || d["probe"] == "emulated:i1d3";
  CHECK(found);
  Run plain = run_calkit("probe list", "list_plain");
  CHECK(plain.code == 0);
  Run rules = run_calkit("probe setup --print", "setup_print");
  CHECK(rules.code == 0);
  CHECK(rules.out == udev_rules());
  Run setup = run_calkit("probe setup", "setup");
  CHECK(setup.out.find("udevadm") != std::string::npos);
}

TEST_CASE("calkit probe info on the emulated i1d3, wrong unlock and permission give clear errors") {
  Run info = run_calkit("probe info --probe emulated:i1d3 --display sim:ips-lcd --json", "info");
  REQUIRE(info.code == 0);
  auto j = nlohmann::json::parse(info.out);
  CHECK(j["model"] == "i1Display Pro");
  CHECK(j["serial"] == I1d3EmulatorOptions{}.serial);
  CHECK(j["unlock_key"] == "i1display-pro");

  Run wrong = run_calkit("probe info --probe emulated:i1d3,wrong-unlock --display sim:ips-lcd", "info_wrong");
  CHECK(wrong.code != 0);
  CHECK(wrong.err.find("unlock") != std::string::npos);
  Run denied = run_calkit("probe info --probe emulated:i1d3,permission --display sim:ips-lcd", "info_perm");
  CHECK(denied.code != 0);
  CHECK(denied.err.find("calkit probe setup") != std::string::npos);
}

TEST_CASE("calkit ambient: lux and verdict against the review-room limits") {
  Run dim = run_calkit("ambient --probe emulated:i1d3,lux=5,kelvin=6500 --json", "amb_dim");
  REQUIRE(dim.code == 0);
  auto j = nlohmann::json::parse(dim.out);
  CHECK(j["lux"].get<double>() == doctest::Approx(5).epsilon(0.03));
  CHECK(j["verdict"] == "pass");
  CHECK(j["level"] == "reference");

  auto bright = nlohmann::json::parse(run_calkit("ambient --probe emulated:i1d3,lux=200 --json", "amb_bright").out);
  CHECK(bright["lux"].get<double>() == doctest::Approx(200).epsilon(0.03));
  CHECK(bright["verdict"] == "fail");
  CHECK(bright["level"] == "bright");

  auto warm =
      nlohmann::json::parse(run_calkit("ambient --probe emulated:i1d3,lux=5,kelvin=3000 --json", "amb_warm").out);
  CHECK(warm["neutral"] == false);
  CHECK(warm["verdict"] == "fail");
  Run text = run_calkit("ambient --probe emulated:i1d3", "amb_text");
  CHECK(text.out.find("PASS") != std::string::npos);
}

TEST_CASE("calkit spot --probe emulated:i1d3 reads the display, a CCSS of its spectra makes it exact") {
  Run spot = run_calkit("spot --probe emulated:i1d3 --display sim:ips-lcd --rgb 1,1,1 --json", "spot");
  REQUIRE(spot.code == 0);
  Vec3 t = truth("sim:ips-lcd", Vec3::Ones());
  Vec3 read = json_xyz(nlohmann::json::parse(spot.out));
  CHECK(read[1] == doctest::Approx(t[1]).epsilon(0.03));

  DisplaySpectra ccss;
  ccss.samples = DisplaySpectralModel(load_display_model("sim:ips-lcd")).primary_spectra();
  write_ccss(tmp("ips.ccss"), ccss);
  Run corrected = run_calkit(
      "spot --probe emulated:i1d3,correction=" + tmp("ips.ccss") + " --display sim:ips-lcd --rgb 0.2,0.7,0.4 --json",
      "spot_ccss");
  REQUIRE(corrected.code == 0);
  Vec3 t2 = truth("sim:ips-lcd", Vec3(0.2, 0.7, 0.4));
  CHECK((json_xyz(nlohmann::json::parse(corrected.out)) - t2).norm() < 0.003 * t2.norm());
}

TEST_CASE("calkit probe match writes a CCMX that corrects the colorimeter to the reference") {
  // Reference: the display's true light. Colorimeter: the emulated i1d3 with its factory matrix.
  const std::vector<Vec3> rgbw = {Vec3(1, 0, 0), Vec3(0, 1, 0), Vec3(0, 0, 1), Vec3(1, 1, 1)};
  PatchSet patches;
  patches.rgb = rgbw;
  patches.rgb.push_back(Vec3(0.6, 0.3, 0.8));
  write_patches(tmp("match.ti1"), patches);
  Run col = run_calkit("measure --probe emulated:i1d3 --display sim:qdoled-hdr --patches " + tmp("match.ti1") + " -o " +
                           tmp("match_col.ti3") + " -q --window 10",
                       "match_measure");
  REQUIRE(col.code == 0);
  MeasurementSet ref;
  for (const Vec3& p : rgbw) {
    Reading r;
    r.rgb = p;
    r.XYZ = truth("sim:qdoled-hdr", p);
    ref.readings.push_back(r);
  }
  ref.info["probe"] = "reference spectro";
  write_measurements(tmp("match_ref.ti3"), ref);

  for (const char* method : {"fcmm", "lsq"}) {
    const std::string out = tmp(std::string("match_") + method + ".ccmx");
    Run m = run_calkit("probe match --reference " + tmp("match_ref.ti3") + " --colorimeter " + tmp("match_col.ti3") +
                           " -o " + out + " --method " + method,
                       std::string("match_") + method);
    REQUIRE(m.code == 0);
    ColorimeterMatrix ccmx = read_ccmx(out);
    CHECK(ccmx.reference == "reference spectro");
    MeasurementSet readings = read_measurements(tmp("match_col.ti3"));
    Vec3 other = readings.readings.back().XYZ, t = truth("sim:qdoled-hdr", Vec3(0.6, 0.3, 0.8));
    INFO(method);
    CHECK((ccmx.apply(other) - t).norm() < 0.003 * t.norm());
  }
  Run bad = run_calkit("probe match --reference " + tmp("match_ref.ti3") + " --colorimeter " + tmp("match_col.ti3") +
                           " -o " + tmp("x.ccmx") + " --method magic",
                       "match_bad");
  CHECK(bad.code == 2);
}

TEST_CASE("calkit measure with the emulated i1d3: unplug mid-session, then --resume loses nothing") {
  PatchSet patches;
  for (int i = 0; i <= 10; ++i) patches.rgb.push_back(Vec3(i / 10.0, (10 - i) / 10.0, 0.5));
  write_patches(tmp("session.ti1"), patches);
  const std::string common = " --display sim:ips-lcd --patches " + tmp("session.ti1") + " -q -o ";

  Run whole = run_calkit("measure --probe emulated:i1d3" + common + tmp("whole.ti3"), "whole");
  REQUIRE(whole.code == 0);
  std::filesystem::remove(tmp("cut.ti3"));
  std::filesystem::remove(tmp("cut.ti3.journal"));
  Run cut = run_calkit("measure --probe emulated:i1d3,disconnect-after=125" + common + tmp("cut.ti3"), "cut");
  CHECK(cut.code != 0);
  CHECK(cut.err.find("disconnected") != std::string::npos);
  CHECK(cut.err.find("--resume") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(tmp("cut.ti3")));
  Run resumed = run_calkit("measure --probe emulated:i1d3" + common + tmp("cut.ti3") + " --resume", "resumed");
  REQUIRE(resumed.code == 0);

  MeasurementSet a = read_measurements(tmp("whole.ti3")), b = read_measurements(tmp("cut.ti3"));
  REQUIRE(b.readings.size() == patches.rgb.size());
  for (std::size_t i = 0; i < a.readings.size(); ++i) {
    CHECK((a.readings[i].rgb - b.readings[i].rgb).norm() < 1e-9);
    CHECK((a.readings[i].XYZ - b.readings[i].XYZ).norm() < 1e-6 * (1 + a.readings[i].XYZ.norm()));
  }
}

// A trace recorded while talking to each emulated instrument replays to the same answer, and a
// replay refuses --trace and --display (it reads what the trace recorded).
TEST_CASE("calkit probe info --trace then --probe replay: gives the same answer for every instrument") {
  for (std::string name : {"i1d3", "spyderx", "k10", "jeti", "pr655"}) {
    CAPTURE(name);
    const std::string trace = tmp("trace_" + name + ".txt");
    Run live = run_calkit("probe info --json --probe emulated:" + name + " --display sim:ips-lcd --trace " + trace,
                          "live_" + name);
    REQUIRE(live.code == 0);
    CHECK(slurp(trace).rfind("calkit-trace 1", 0) == std::string::npos);  // comment lines come first
    CHECK(slurp(trace).find("\ncalkit-trace 1\n") != std::string::npos);
    Run replay = run_calkit("probe info --json --probe replay:" + trace, "replay_" + name);
    REQUIRE(replay.code == 0);
    nlohmann::json a = nlohmann::json::parse(live.out), b = nlohmann::json::parse(replay.out);
    a.erase("rig");  // names the simulated display, which a replay has not got
    b.erase("rig");
    CHECK(a == b);
  }
  Run both =
      run_calkit("probe info --probe replay:" + tmp("trace_i1d3.txt") + " --display sim:ips-lcd", "replay_display");
  CHECK(both.code == 2);
}
