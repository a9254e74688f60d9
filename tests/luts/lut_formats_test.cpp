// Every format calkit writes is read back by an independent implementation: OpenColorIO for
// .cube/.3dl/.clf/.ocio, LittleCMS for the ICC device link. Plus round trips through calkit's
// own readers, metadata included.
#include <doctest/doctest.h>
#include <lcms2.h>

#include <algorithm>
#include <fstream>

#include "core/error.hpp"
#include "lut_test_util.hpp"
#include "luts/lut_io.hpp"
#include "luts/threedl_format.hpp"

using namespace calkit;

namespace {

double max_diff(const Lut3d& a, const Lut3d& b) {
  REQUIRE(a.size == b.size);
  double d = 0;
  for (size_t i = 0; i < a.table.size(); ++i) d = std::max(d, (a.table[i] - b.table[i]).cwiseAbs().maxCoeff());
  return d;
}

// CLF files name their own interpolation (OCIO ignores the FileTransform's), so for them only
// the tetrahedral path is checked here.
void check_against_ocio(const std::filesystem::path& file, const Lut3d& lut, double tol, bool check_linear = true) {
  for (const Vec3& p : lut_test::random_points(250, 21)) {
    Vec3 t = lut_test::ocio_apply_file(file, OCIO::INTERP_TETRAHEDRAL, p);
    INFO(file.string() << " at " << p.transpose());
    CHECK((apply_tetrahedral(lut, p) - t).cwiseAbs().maxCoeff() < tol);
    if (!check_linear) continue;
    Vec3 l = lut_test::ocio_apply_file(file, OCIO::INTERP_LINEAR, p);
    CHECK((apply_trilinear(lut, p) - l).cwiseAbs().maxCoeff() < tol);
  }
}

}  // namespace

TEST_CASE("cube 3D: OpenColorIO applies what calkit writes and it round-trips with metadata") {
  Lut3d lut = lut_test::curvy_lut(17);
  auto path = lut_test::scratch("rt.cube");
  write_lut3d(path, lut);
  check_against_ocio(path, lut, 1e-5);
  Lut3d back = read_lut3d(path);
  CHECK(max_diff(lut, back) < 1e-8);
  CHECK(back.title == lut.title);
  CHECK(back.metadata == lut.metadata);
  CHECK(file_is_lut3d(path));
}

TEST_CASE("cube reads Resolve's LUT_3D_INPUT_RANGE and IRIDAS comments") {
  auto path = lut_test::scratch("resolve_range.cube");
  {
    std::ofstream out(path);
    out << "# Resolve style, no TITLE\nLUT_3D_SIZE 2\nLUT_3D_INPUT_RANGE 0 2\n";
    for (int b = 0; b < 2; ++b)
      for (int g = 0; g < 2; ++g)
        for (int r = 0; r < 2; ++r) out << r * 0.5 << " " << g * 0.25 << " " << b << "\n";
  }
  Lut3d lut = read_lut3d(path);
  CHECK(lut.domain_max == Vec3(2, 2, 2));
  for (const Vec3& p : lut_test::random_points(50, 4, 0, 2.2)) {
    Vec3 want = lut_test::ocio_apply_file(path, OCIO::INTERP_TETRAHEDRAL, p);
    CHECK((apply_tetrahedral(lut, p) - want).cwiseAbs().maxCoeff() < 1e-6);
  }
}

TEST_CASE("cube 1D: OpenColorIO applies what calkit writes and it round-trips") {
  Lut1d lut = lut_test::curvy_lut1d(33);
  auto path = lut_test::scratch("rt1d.cube");
  write_lut1d(path, lut);
  for (const Vec3& p : lut_test::random_points(200, 8)) {
    Vec3 want = lut_test::ocio_apply_file(path, OCIO::INTERP_LINEAR, p);
    CHECK((apply_1d(lut, p) - want).cwiseAbs().maxCoeff() < 1e-5);
  }
  Lut1d back = read_lut1d(path);
  REQUIRE(back.table.size() == lut.table.size());
  for (size_t i = 0; i < lut.table.size(); ++i) CHECK((back.table[i] - lut.table[i]).norm() < 1e-8);
  CHECK(back.metadata == lut.metadata);
  CHECK_FALSE(file_is_lut3d(path));
}

TEST_CASE("3dl (Flame and 12-bit): OpenColorIO reads it within integer quantisation") {
  Lut3d lut = lut_test::curvy_lut(17);
  auto path = lut_test::scratch("rt.3dl");
  write_lut3d(path, lut);
  Lut3d back = read_lut3d(path);
  CHECK(max_diff(lut, back) <= 0.5 / 4095 + 1e-12);
  CHECK(back.title == lut.title);
  CHECK(back.metadata == lut.metadata);
  // OCIO decodes the same integers: compare with calkit applying the quantised table.
  check_against_ocio(path, back, 1e-5);
  check_against_ocio(path, lut, 0.5 / 4095 + 1e-5);
}

TEST_CASE("3dl Lustre variant with 10 and 16-bit output is read by OpenColorIO") {
  for (int bits : {10, 16}) {
    Lut3d lut = lut_test::curvy_lut(33);
    auto path = lut_test::scratch("lustre" + std::to_string(bits) + ".3dl");
    write_3dl(path, lut, {bits, true});
    Lut3d back = read_lut3d(path);
    const double q = 0.5 / ((1 << bits) - 1);
    CHECK(max_diff(lut, back) <= q + 1e-12);
    check_against_ocio(path, back, 1e-5);
  }
}

TEST_CASE("CLF 3D: OpenColorIO applies it (blue-fastest Array and domain as Matrix) and it round-trips") {
  Lut3d lut = lut_test::curvy_lut(9);
  lut.domain_min = Vec3(-0.05, 0, 0.1);
  lut.domain_max = Vec3(1.1, 1, 0.95);
  auto path = lut_test::scratch("rt.clf");
  write_lut3d(path, lut);
  check_against_ocio(path, lut, 1e-5, false);
  {
    // Trilinear: the same file with interpolation="trilinear" (oracles.md §2.5).
    std::ifstream in(path);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t at = text.find("interpolation=\"tetrahedral\"");
    REQUIRE(at != std::string::npos);
    text.replace(at, 27, "interpolation=\"trilinear\"");
    auto tri = lut_test::scratch("rt_trilinear.clf");
    std::ofstream(tri) << text;
    for (const Vec3& p : lut_test::random_points(200, 23)) {
      Vec3 l = lut_test::ocio_apply_file(tri, OCIO::INTERP_TETRAHEDRAL, p);
      CHECK((apply_trilinear(lut, p) - l).cwiseAbs().maxCoeff() < 1e-5);
    }
  }
  Lut3d back = read_lut3d(path);
  CHECK(max_diff(lut, back) < 1e-8);
  CHECK((back.domain_min - lut.domain_min).norm() < 1e-9);
  CHECK((back.domain_max - lut.domain_max).norm() < 1e-9);
  CHECK(back.title == lut.title);
  CHECK(back.metadata == lut.metadata);
}

TEST_CASE("CLF 1D: OpenColorIO applies it and it round-trips") {
  Lut1d lut = lut_test::curvy_lut1d(64);
  auto path = lut_test::scratch("rt1d.clf");
  write_lut1d(path, lut);
  for (const Vec3& p : lut_test::random_points(200, 9)) {
    Vec3 want = lut_test::ocio_apply_file(path, OCIO::INTERP_LINEAR, p);
    CHECK((apply_1d(lut, p) - want).cwiseAbs().maxCoeff() < 1e-5);
  }
  Lut1d back = read_lut1d(path);
  REQUIRE(back.table.size() == lut.table.size());
  for (size_t i = 0; i < lut.table.size(); ++i) CHECK((back.table[i] - lut.table[i]).norm() < 1e-8);
  CHECK(back.title == lut.title);
  CHECK_FALSE(file_is_lut3d(path));
}

TEST_CASE("CLF written by OpenColorIO's own conventions: a 10i LUT3D is scaled by outBitDepth") {
  // Independent check of the ordering claim: OCIO applies this file; calkit must agree.
  auto path = lut_test::scratch("ocio_style.clf");
  {
    std::ofstream out(path);
    out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ProcessList id=\"x\" compCLFversion=\"3\">\n"
           "<LUT3D inBitDepth=\"32f\" outBitDepth=\"10i\" interpolation=\"trilinear\">\n<Array dim=\"2 2 2 3\">\n";
    // blue fastest: r, g, b loops with b innermost
    for (int r = 0; r < 2; ++r)
      for (int g = 0; g < 2; ++g)
        for (int b = 0; b < 2; ++b) out << r * 1023 << " " << g * 500 << " " << b * 100 + r * 7 << "\n";
    out << "</Array>\n</LUT3D>\n</ProcessList>\n";
  }
  Lut3d lut = read_lut3d(path);
  for (const Vec3& p : lut_test::random_points(100, 2)) {
    Vec3 want = lut_test::ocio_apply_file(path, OCIO::INTERP_LINEAR, p);
    CHECK((apply_trilinear(lut, p) - want).cwiseAbs().maxCoeff() < 1e-6);
  }
}

TEST_CASE("ICC device link: a floating-point LittleCMS transform agrees with calkit and round trip keeps metadata") {
  Lut3d lut = lut_test::curvy_lut(17);
  auto path = lut_test::scratch("rt.icc");
  write_lut3d(path, lut);
  cmsHPROFILE h = cmsOpenProfileFromFile(path.c_str(), "r");
  REQUIRE(h);
  CHECK(cmsGetDeviceClass(h) == cmsSigLinkClass);
  CHECK(cmsGetEncodedICCversion(h) >= 0x4000000);
  cmsHTRANSFORM xf = cmsCreateTransform(h, TYPE_RGB_DBL, nullptr, TYPE_RGB_DBL, INTENT_PERCEPTUAL, cmsFLAGS_NOOPTIMIZE);
  REQUIRE(xf);
  for (const Vec3& p : lut_test::random_points(300, 13, 0, 1)) {
    double in[3] = {p[0], p[1], p[2]}, out[3];
    cmsDoTransform(xf, in, out, 1);
    // 16-bit CLUT and 16-bit input quantisation inside LittleCMS: a few 1/65535 steps.
    CHECK((apply_tetrahedral(lut, p) - Vec3(out[0], out[1], out[2])).cwiseAbs().maxCoeff() < 6e-5);
  }
  cmsDeleteTransform(xf);
  cmsCloseProfile(h);
  Lut3d back = read_lut3d(path);
  CHECK(back.size == 17);
  CHECK(max_diff(lut, back) < 5e-5);
  CHECK(back.title == lut.title);
  CHECK(back.metadata == lut.metadata);
}

TEST_CASE("OCIO config: CreateFromFile loads it and the display/view processor applies the LUT") {
  Lut3d lut = lut_test::curvy_lut(17);
  auto path = lut_test::scratch("calib.ocio");
  write_lut3d(path, lut);
  CHECK(std::filesystem::exists(lut_test::scratch("calib.cube")));
  auto cfg = OCIO::Config::CreateFromFile(path.c_str());
  cfg->validate();
  REQUIRE(cfg->getNumDisplays() == 1);
  const char* display = cfg->getDisplay(0);
  const char* view = cfg->getView(display, 0);
  CHECK(std::string(view) == lut.title);
  auto dvt = OCIO::DisplayViewTransform::Create();
  dvt->setSrc("raw");
  dvt->setDisplay(display);
  dvt->setView(view);
  auto cpu = cfg->getProcessor(dvt)->getDefaultCPUProcessor();
  for (const Vec3& p : lut_test::random_points(200, 17)) {
    float px[3] = {float(p[0]), float(p[1]), float(p[2])};
    cpu->applyRGB(px);
    CHECK((apply_tetrahedral(lut, p) - Vec3(px[0], px[1], px[2])).cwiseAbs().maxCoeff() < 1e-5);
  }
  Lut3d back = read_lut3d(path);
  CHECK(max_diff(lut, back) < 1e-8);
  CHECK(back.metadata == lut.metadata);
}

TEST_CASE("OCIO config with a 1D LUT applies it through the view") {
  Lut1d lut = lut_test::curvy_lut1d(128);
  auto path = lut_test::scratch("calib1d.ocio");
  write_lut1d(path, lut);
  auto cfg = OCIO::Config::CreateFromFile(path.c_str());
  auto cpu =
      cfg->getProcessor("raw", cfg->getDisplay(0), cfg->getView(cfg->getDisplay(0), 0), OCIO::TRANSFORM_DIR_FORWARD)
          ->getDefaultCPUProcessor();
  for (const Vec3& p : lut_test::random_points(100, 19)) {
    float px[3] = {float(p[0]), float(p[1]), float(p[2])};
    cpu->applyRGB(px);
    CHECK((apply_1d(lut, p) - Vec3(px[0], px[1], px[2])).cwiseAbs().maxCoeff() < 1e-5);
  }
  CHECK_FALSE(file_is_lut3d(path));
  CHECK(read_lut1d(path).table.size() == 128);
}

TEST_CASE("converting between every pair of 3D formats keeps the LUT (within the coarser format)") {
  Lut3d lut = lut_test::curvy_lut(9);
  const std::vector<std::string> exts = {".cube", ".3dl", ".clf", ".icc", ".ocio"};
  for (const auto& a : exts)
    for (const auto& b : exts) {
      auto pa = lut_test::scratch("pair_a" + a.substr(1) + "_" + b.substr(1) + a);
      auto pb = lut_test::scratch("pair_b" + a.substr(1) + "_" + b.substr(1) + b);
      write_lut3d(pa, lut);
      write_lut3d(pb, read_lut3d(pa));
      INFO(a << " -> " << b);
      CHECK(max_diff(lut, read_lut3d(pb)) < 1.0 / 4095);
    }
}

TEST_CASE("the format table lists every format once") {
  auto names = lut_format_names();
  for (const char* want : {"cube", "3dl", "clf", "icc", "ocio"})
    CHECK(std::count(names.begin(), names.end(), std::string(want)) == 1);
  CHECK(lut_format_for("x.CUBE") == "cube");
  CHECK_THROWS_AS(lut_format_for("x.png"), InputError);
}
