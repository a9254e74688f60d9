#pragma once
// Shared helpers for the LUT tests: scratch paths, a non-trivial test LUT, OCIO application.
#include <OpenColorIO/OpenColorIO.h>

#include <filesystem>
#include <random>
#include <string>

#include "luts/apply.hpp"
#include "luts/lut.hpp"

namespace OCIO = OCIO_NAMESPACE;

namespace lut_test {

inline std::filesystem::path scratch(const std::string& name) {
  std::filesystem::path dir = std::filesystem::path(CALKIT_TEST_TMP) / "luts";
  std::filesystem::create_directories(dir);
  return dir / name;
}

inline std::filesystem::path data(const std::string& name) { return std::filesystem::path(CALKIT_TEST_DATA) / name; }

// A smooth, strongly non-linear LUT with crosstalk, values inside 0..1 (so integer and ICC
// formats can hold it) and reaching 1.0 (so .3dl bit depth inference sees the full range).
inline calkit::Lut3d curvy_lut(int size) {
  calkit::Lut3d lut = calkit::identity_lut3d(size);
  for (calkit::Vec3& v : lut.table) {
    const calkit::Vec3 in = v;
    v[0] = std::pow(in[0], 2.2) * 0.9 + 0.1 * in[1] * in[2];
    v[1] = std::pow(in[1], 1.8) * 0.85 + 0.15 * in[0];
    v[2] = std::pow(in[2], 0.6) * 0.95 + 0.05 * in[0] * in[1];
  }
  lut.title = "curvy test";
  lut.metadata["target"] = "Rec.709 BT.1886 100 nits";
  lut.metadata["peak"] = "clip";
  return lut;
}

inline calkit::Lut1d curvy_lut1d(int size) {
  calkit::Lut1d lut = calkit::identity_lut1d(size);
  for (calkit::Vec3& v : lut.table) v = calkit::Vec3(std::pow(v[0], 2.4), std::pow(v[1], 0.5), v[2] * v[2] * 0.8 + 0.1);
  lut.title = "curvy 1d";
  lut.metadata["note"] = "per-channel curves";
  return lut;
}

inline calkit::Vec3 ocio_apply_file(const std::filesystem::path& file, OCIO::Interpolation interp,
                                    const calkit::Vec3& rgb) {
  auto cfg = OCIO::Config::CreateRaw();
  auto ft = OCIO::FileTransform::Create();
  ft->setSrc(file.c_str());
  ft->setInterpolation(interp);
  float px[3] = {float(rgb[0]), float(rgb[1]), float(rgb[2])};
  cfg->getProcessor(ft)->getDefaultCPUProcessor()->applyRGB(px);
  return calkit::Vec3(px[0], px[1], px[2]);
}

// Random points over the domain and a little beyond it (clamping is part of the contract).
inline std::vector<calkit::Vec3> random_points(int count, unsigned seed, double lo = -0.05, double hi = 1.05) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<double> u(lo, hi);
  std::vector<calkit::Vec3> out;
  for (int i = 0; i < count; ++i) out.emplace_back(u(gen), u(gen), u(gen));
  // grid nodes and corners too
  out.emplace_back(0, 0, 0);
  out.emplace_back(1, 1, 1);
  out.emplace_back(0.5, 0.25, 1);
  return out;
}

}  // namespace lut_test
