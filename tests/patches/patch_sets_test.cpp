// Patch sets against physical invariants, LittleCMS (an independent colour engine), the
// published ColorChecker values and ArgyllCMS's fakeread.
#include <doctest/doctest.h>
#include <lcms2.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "color/rgb_space.hpp"
#include "color/transfer.hpp"
#include "core/error.hpp"
#include "formats/ti1.hpp"
#include "patches/patch_sets.hpp"

using namespace calkit;
namespace fs = std::filesystem;

namespace {

// RGB -> Lab D50 through a LittleCMS matrix/shaper profile (it adapts the white with Bradford,
// as ICC v4 requires). `gamma` 1 means the caller passes linear light.
class LcmsLab {
 public:
  LcmsLab(cmsCIExyYTRIPLE primaries, double gamma) {
    cmsCIExyY white{0.3127, 0.3290, 1.0};
    cmsToneCurve* curve = cmsBuildGamma(nullptr, gamma);
    cmsToneCurve* curves[3] = {curve, curve, curve};
    cmsHPROFILE rgb = cmsCreateRGBProfile(&white, &primaries, curves);
    cmsHPROFILE lab = cmsCreateLab4Profile(nullptr);  // D50 PCS white
    transform_ = cmsCreateTransform(rgb, TYPE_RGB_DBL, lab, TYPE_Lab_DBL, INTENT_RELATIVE_COLORIMETRIC,
                                    cmsFLAGS_NOOPTIMIZE | cmsFLAGS_NOCACHE);
    cmsFreeToneCurve(curve);
    cmsCloseProfile(rgb);
    cmsCloseProfile(lab);
  }
  ~LcmsLab() { cmsDeleteTransform(transform_); }
  Vec3 operator()(const Vec3& rgb) const {
    double in[3] = {rgb.x(), rgb.y(), rgb.z()};
    cmsCIELab out;
    cmsDoTransform(transform_, in, &out, 1);
    return {out.L, out.a, out.b};
  }

 private:
  cmsHTRANSFORM transform_;
};

cmsCIExyYTRIPLE rec709() { return {{0.64, 0.33, 1}, {0.30, 0.60, 1}, {0.15, 0.06, 1}}; }
cmsCIExyYTRIPLE p3d65() { return {{0.680, 0.320, 1}, {0.265, 0.690, 1}, {0.150, 0.060, 1}}; }
cmsCIExyYTRIPLE rec2020() { return {{0.708, 0.292, 1}, {0.170, 0.797, 1}, {0.131, 0.046, 1}}; }

// SMPTE ST 2084 EOTF from the constants published in the standard.
double st2084_nits(double e) {
  const double m1 = 2610.0 / 16384, m2 = 2523.0 / 4096 * 128;
  const double c1 = 3424.0 / 4096, c2 = 2413.0 / 4096 * 32, c3 = 2392.0 / 4096 * 32;
  double p = std::pow(e, 1 / m2);
  return 10000 * std::pow(std::max(p - c1, 0.0) / (c2 - c3 * p), 1 / m1);
}

struct LabRow {
  std::string name;
  Vec3 lab;
};

std::vector<LabRow> published_colorchecker() {
  std::ifstream in(std::string(CALKIT_TEST_DATA) + "/colorchecker24_xrite2014_lab_d50.csv");
  std::vector<LabRow> rows;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    std::stringstream ss(line);
    std::string index, name, L, a, b;
    std::getline(ss, index, ',');
    std::getline(ss, name, ',');
    std::getline(ss, L, ',');
    std::getline(ss, a, ',');
    std::getline(ss, b, ',');
    rows.push_back({name, {std::stod(L), std::stod(a), std::stod(b)}});
  }
  return rows;
}

double min_pairwise_distance(const std::vector<Vec3>& labs) {
  double best = 1e300;
  for (std::size_t i = 0; i < labs.size(); ++i)
    for (std::size_t j = i + 1; j < labs.size(); ++j) best = std::min(best, (labs[i] - labs[j]).norm());
  return best;
}

double tour_length(const std::vector<Vec3>& rgb, const LcmsLab& lab) {
  double length = 0;
  for (std::size_t i = 1; i < rgb.size(); ++i) length += (lab(rgb[i]) - lab(rgb[i - 1])).norm();
  return length;
}

std::string scratch(const std::string& name) {
  fs::path dir = fs::path(CALKIT_TEST_TMP) / ("patterns-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir.string();
}

}  // namespace

TEST_CASE("greyscale and near-black/near-white ramps are neutral, monotonic and span their range") {
  for (const PatchSet& set : {greyscale_ramp(33), near_black_ramp(11, 0.1), near_white_ramp(11, 0.9)}) {
    for (std::size_t i = 0; i < set.rgb.size(); ++i) {
      CHECK(set.rgb[i].x() == set.rgb[i].y());
      CHECK(set.rgb[i].y() == set.rgb[i].z());
      if (i > 0) CHECK(set.rgb[i].x() > set.rgb[i - 1].x());
    }
  }
  CHECK(greyscale_ramp(33).rgb.front().x() == 0);
  CHECK(greyscale_ramp(33).rgb.back().x() == 1);
  CHECK(greyscale_ramp(21).rgb[10].x() == doctest::Approx(0.5));
  CHECK(near_black_ramp(11, 0.1).rgb.back().x() == doctest::Approx(0.1));
  CHECK(near_white_ramp(11, 0.9).rgb.front().x() == doctest::Approx(0.9));
  // Looking patterns: full-field primaries, white, black first.
  PatchSet look = looking_patterns();
  CHECK(look.rgb[0] == Vec3(1, 0, 0));
  CHECK(look.rgb[3] == Vec3(1, 1, 1));
  CHECK(look.rgb[4] == Vec3(0, 0, 0));
}

TEST_CASE("sweeps hold hue: luminance sweeps scale one colour, saturation sweeps blend from white") {
  PatchSet lum = luminance_sweeps(5);
  // The red sweep: green and blue stay off, red rises to full drive.
  for (int i = 0; i < 5; ++i) {
    CHECK(lum.rgb[i].y() == 0);
    CHECK(lum.rgb[i].z() == 0);
  }
  CHECK(lum.rgb[4].x() == 1);
  PatchSet sat = saturation_sweeps(5);
  for (const Vec3& p : sat.rgb) CHECK(p.maxCoeff() == doctest::Approx(1.0));  // full drive
  CHECK(sat.rgb[4] == Vec3(1, 0, 0));
}

TEST_CASE("random sets are reproducible from their seed and differ between seeds") {
  CHECK(random_set(50, 7).rgb == random_set(50, 7).rgb);
  CHECK(random_set(50, 7).rgb != random_set(50, 8).rgb);
  CHECK(optimised_set(60, 3).rgb == optimised_set(60, 3).rgb);
}

TEST_CASE("the optimised set's minimum pairwise CIELAB distance beats a random set of the same size") {
  // Distances measured by LittleCMS on a gamma 2.2 Rec.709 display, not by our own Lab code.
  LcmsLab lab(rec709(), 2.2);
  for (int n : {100, 400}) {
    std::vector<Vec3> opt_lab, rnd_lab;
    for (const Vec3& p : optimised_set(n, 1).rgb) opt_lab.push_back(lab(p));
    for (const Vec3& p : random_set(n, 1).rgb) rnd_lab.push_back(lab(p));
    double opt = min_pairwise_distance(opt_lab), rnd = min_pairwise_distance(rnd_lab);
    INFO("n " << n << " optimised " << opt << " random " << rnd);
    CHECK(opt > 2 * rnd);
  }
  // The seeds come first: black, white, the primaries.
  PatchSet set = optimised_set(50, 1);
  CHECK(set.rgb[0] == Vec3(0, 0, 0));
  CHECK(set.rgb[1] == Vec3(1, 1, 1));
  CHECK(set.rgb[2] == Vec3(1, 0, 0));
}

TEST_CASE("nearest-neighbour ordering is a permutation and shortens the tour") {
  LcmsLab lab(rec709(), 2.2);
  PatchSet set = random_set(400, 11);
  PatchSet ordered = order_for_measurement(set);
  REQUIRE(ordered.rgb.size() == set.rgb.size());
  auto key = [](const Vec3& a, const Vec3& b) {
    return std::lexicographical_compare(a.data(), a.data() + 3, b.data(), b.data() + 3);
  };
  std::vector<Vec3> a = set.rgb, b = ordered.rgb;
  std::sort(a.begin(), a.end(), key);
  std::sort(b.begin(), b.end(), key);
  CHECK(a == b);
  double before = tour_length(set.rgb, lab), after = tour_length(ordered.rgb, lab);
  INFO("before " << before << " after " << after);
  CHECK(after < 0.5 * before);
  // The tour starts at black when black is in the set.
  CHECK(order_for_measurement(rgb_cube(3)).rgb.front() == Vec3(0, 0, 0));
}

TEST_CASE("ColorChecker in each target decodes back to X-Rite's published Lab (LittleCMS)") {
  std::vector<LabRow> published = published_colorchecker();
  REQUIRE(published.size() == 24);
  struct Case {
    const char* target;
    cmsCIExyYTRIPLE primaries;
  };
  for (const Case& c : {Case{"bt1886", rec709()}, Case{"pq-p3d65", p3d65()}, Case{"pq-rec2020", rec2020()}}) {
    ChartEncoding encoding = chart_encoding_by_name(c.target);
    PatchSet chart = colorchecker_set(encoding);
    REQUIRE(chart.rgb.size() == 24);
    LcmsLab lab(c.primaries, 1.0);  // linear in: the test decodes the EOTF itself
    for (std::size_t i = 0; i < 24; ++i) {
      Vec3 linear;
      for (int k = 0; k < 3; ++k) {
        double v = chart.rgb[i][k];
        // BT.1886 with zero black is a pure 2.4 power; PQ: chart white at 203 cd/m² (BT.2408).
        linear[k] = encoding.hdr() ? st2084_nits(v) / 203.0 : std::pow(v, 2.4);
      }
      Vec3 got = lab(linear);
      INFO(c.target << " " << published[i].name << " got " << got.transpose());
      if (encoding.name == "bt1886" && published[i].name == "cyan") {
        // The 2014 cyan lies outside Rec.709 (it needs negative red): the chart clips red to 0
        // and lands near, not on, the reference.
        CHECK(chart.rgb[i].x() == 0);
        CHECK((got - published[i].lab).norm() < 10);
        continue;
      }
      CHECK((got - published[i].lab).norm() < 0.05);
    }
  }
}

TEST_CASE("recommended sets hold a grey ramp, black, white and single-channel ramps") {
  for (bool hdr : {false, true}) {
    PatchSet set = recommended_patch_set(hdr, 200);
    REQUIRE(set.rgb.size() == 200);
    int greys = 0, single = 0;
    for (const Vec3& p : set.rgb) {
      if (p.x() == p.y() && p.y() == p.z()) ++greys;
      if ((p.array() > 0).count() == 1) ++single;
    }
    CHECK(greys >= 9);
    CHECK(single >= 9);
    // Black read four times, as ArgyllCMS's targen does for an RGB display (-B 4); white once.
    CHECK(std::count(set.rgb.begin(), set.rgb.end(), Vec3(0, 0, 0)) == 4);
    CHECK(std::count(set.rgb.begin(), set.rgb.end(), Vec3(1, 1, 1)) == 1);
    if (hdr) CHECK(greys > 200 / 16);
  }
}

// Issue 20: an HDR budget's greys and ramps (28 % and a tenth per channel) outgrow a 40 % start;
// cut short, the start had no green or blue ramp, and the fit that followed on a PQ panel missed by
// 13 dE ITP. Every channel's tone curve needs readings of that channel alone, and the start holds
// all the greys and ramps the fixed set of the same budget has.
TEST_CASE("an adaptive starting set holds black, white, the budget's greys and a ramp of every channel") {
  for (bool hdr : {false, true})
    for (auto [budget, start] : {std::pair{175, 70}, std::pair{250, 100}, std::pair{1000, 400}}) {
      CAPTURE(hdr);
      CAPTURE(budget);
      PatchSet set = adaptive_starting_set(hdr, budget, start);
      REQUIRE(int(set.rgb.size()) >= start);
      REQUIRE(int(set.rgb.size()) <= budget);
      auto greys_in = [](const std::vector<Vec3>& rgb) {
        return std::count_if(rgb.begin(), rgb.end(), [](const Vec3& p) { return p.x() == p.y() && p.y() == p.z(); });
      };
      CHECK(greys_in(set.rgb) >= greys_in(recommended_patch_set(hdr, budget).rgb));
      int greys = 0, channel[3] = {0, 0, 0};
      for (const Vec3& p : set.rgb) {
        if (p.x() == p.y() && p.y() == p.z()) ++greys;
        for (int c = 0; c < 3; ++c)
          if (p[c] > 0 && (p.array() > 0).count() == 1) ++channel[c];
      }
      CHECK(greys >= 9);
      for (int c = 0; c < 3; ++c) CHECK(channel[c] >= 3);
      CHECK(std::count(set.rgb.begin(), set.rgb.end(), Vec3(0, 0, 0)) == 4);
      CHECK(std::count(set.rgb.begin(), set.rgb.end(), Vec3(1, 1, 1)) == 1);
    }
}

TEST_CASE(".ti1 round trip keeps every patch and ArgyllCMS fakeread accepts the file") {
  std::string dir = scratch("ti1");
  PatchSet set = order_for_measurement(recommended_patch_set(false, 120));
  write_ti1(dir + "/set.ti1", set);
  PatchSet back = read_ti1(dir + "/set.ti1");
  REQUIRE(back.rgb.size() == set.rgb.size());
  for (std::size_t i = 0; i < set.rgb.size(); ++i) CHECK((back.rgb[i] - set.rgb[i]).norm() < 1e-5);
  std::string command = "cd '" + dir + "' && fakeread /usr/share/color/argyll/ref/sRGB.icm set > fakeread.log 2>&1";
  REQUIRE(std::system(command.c_str()) == 0);
  std::ifstream ti3(dir + "/set.ti3");
  std::string text((std::istreambuf_iterator<char>(ti3)), std::istreambuf_iterator<char>());
  CHECK(text.find("NUMBER_OF_SETS 120") != std::string::npos);
}

TEST_CASE("an SDR set for a PQ input tops out at the ST 2084 signal of twice the SDR white") {
  // ST 2084 inverse EOTF of 200 cd/m² (tests/data/pq_vectors.csv): 0.579133245243520.
  PatchSet set = recommended_patch_set(false, 200);
  PatchSet scaled = set;
  scale_for_sdr_on_pq_input(scaled, 100);
  double top = 0;
  for (const Vec3& v : scaled.rgb) top = std::max(top, v.maxCoeff());
  CHECK(top == doctest::Approx(0.579133245243520).epsilon(1e-12));
  for (std::size_t i = 0; i < set.rgb.size(); ++i)
    CHECK((scaled.rgb[i] - set.rgb[i] * 0.579133245243520).norm() < 1e-12);
}

// The HDR verification set follows DisplayCAL's extended HDR charts (displaycal-py3 eb7ae697,
// ref/verify_video_extended_smpte2084_{100,200,500,1000}_p3_2020.ti1, as decoded in
// /work/notes/hdr-facts.md §3.1): 21 greys from 0 to 100 % in 5 % steps; colour patches that are
// P3-D65 colours (non-negative P3 linear light) placed in the container, scaled so that their
// brightest linear channel reaches the class luminance; one class per level up to the peak.
TEST_CASE("hdr set: greys over the PQ range, P3 colours whose brightest channel reaches each class") {
  for (const char* name : {"pq-p3d65", "pq-rec2020"}) {
    ChartEncoding encoding = chart_encoding_by_name(name);
    Mat3 to_p3 = p3d65_space().XYZ_to_rgb() * encoding.space.rgb_to_XYZ();
    for (auto [peak, classes] : {std::pair{650.0, 3}, {1500.0, 4}, {80.0, 1}, {1000.0, 4}}) {
      INFO(std::string(name) << " peak " << peak);
      PatchSet set = hdr_verification_set(encoding, peak);
      const int per_class = 1 + 6 * 5 + 24;  // a grey, six five-step hue sweeps, the ColorChecker
      REQUIRE(int(set.rgb.size()) == 21 + classes * per_class);
      for (int i = 0; i < 21; ++i) CHECK((set.rgb[i] - Vec3::Constant(0.05 * i)).norm() < 1e-12);
      std::vector<double> levels = hdr_verification_classes(peak);
      REQUIRE(int(levels.size()) == classes);
      for (int k = 0; k < classes; ++k) {
        double brightest = 0;
        for (int j = 0; j < per_class; ++j) {
          Vec3 signal = set.rgb[21 + k * per_class + j], linear;
          for (int c = 0; c < 3; ++c) linear[c] = pq_eotf(signal[c]);
          Vec3 p3 = to_p3 * linear;
          // The ColorChecker's cyan lies a hair outside P3 (DisplayCAL's charts show the same, to
          // -0.006 % of full scale): 5e-5 of the class.
          CHECK(p3.minCoeff() >= -5e-5 * levels[k]);
          brightest = std::max(brightest, p3.maxCoeff());
        }
        CHECK(brightest == doctest::Approx(levels[k]).epsilon(1e-9));
        CHECK((levels[k] <= peak || k == 0));
      }
    }
  }
}
