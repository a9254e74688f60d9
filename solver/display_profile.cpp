#include "solver/display_profile.hpp"

#include <lcms2.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "color/adaptation.hpp"
#include "core/error.hpp"

namespace calkit {
namespace {

struct ProfileCloser {
  void operator()(void* h) const { cmsCloseProfile(h); }
};

// The calibration curve of each channel, linear between its entries; the identity without one.
Vec3 through_curves(const std::optional<Lut1d>& curves, const Vec3& rgb) {
  if (!curves) return rgb;
  const std::vector<Vec3>& t = curves->table;
  Vec3 out;
  for (int c = 0; c < 3; ++c) {
    double x = std::clamp(rgb[c], 0.0, 1.0) * double(t.size() - 1);
    std::size_t i = std::min(std::size_t(x), t.size() - 2);
    double f = x - double(i);
    out[c] = t[i][c] * (1 - f) + t[i + 1][c] * f;
  }
  return out;
}

cmsCIEXYZ xyz(const Vec3& v) { return {v[0], v[1], v[2]}; }

void set_text(cmsHPROFILE h, cmsTagSignature sig, const std::string& text) {
  cmsMLU* mlu = cmsMLUalloc(nullptr, 1);
  cmsMLUsetASCII(mlu, "en", "US", text.c_str());
  cmsWriteTag(h, sig, mlu);
  cmsMLUfree(mlu);
}

}  // namespace

std::string display_profile_icc(const FittedDisplayModel& model, const DisplayProfileOptions& o) {
  if (o.icc_version != 2 && o.icc_version != 4) throw ValueError("--icc-version", "2 or 4");
  if (o.calibration && o.calibration->table.size() < 2) throw ValueError("calibration", "curves need 2 entries");
  auto shown = [&](const Vec3& rgb) { return model.XYZ(through_curves(o.calibration, rgb)); };
  const Vec3 white = shown(Vec3::Ones()), black = shown(Vec3::Zero());
  if (!(white.y() > 0) || !white.allFinite()) throw InputError("the model's white has no luminance: no profile");
  const Vec3 d50(cmsD50_XYZ()->X, cmsD50_XYZ()->Y, cmsD50_XYZ()->Z);
  const Mat3 adapt = adaptation_matrix(white / white.y(), d50);
  auto pcs = [&](const Vec3& absolute) -> Vec3 { return adapt * absolute / white.y(); };

  std::unique_ptr<void, ProfileCloser> h(cmsCreateProfilePlaceholder(nullptr));
  cmsHPROFILE p = h.get();
  cmsSetProfileVersion(p, o.icc_version == 4 ? 4.3 : 2.4);
  cmsSetDeviceClass(p, cmsSigDisplayClass);
  cmsSetColorSpace(p, cmsSigRgbData);
  cmsSetPCS(p, cmsSigXYZData);
  cmsSetHeaderRenderingIntent(p, INTENT_RELATIVE_COLORIMETRIC);
  set_text(p, cmsSigProfileDescriptionTag, o.description);
  set_text(p, cmsSigCopyrightTag, "No copyright, use freely");
  // The media white point. v4: the PCS illuminant, D50, in every display profile (ICC.1:2010
  // mediaWhitePointTag), the display's own white being what 'chad' (chromaticAdaptationTag, the
  // Bradford matrix of ICC Technical Note 02-2003) takes to D50; LittleCMS's
  // cmsCreateRGBProfile writes D50 and 'chad' so. v2: the display's white itself, normalised to
  // Y = 1 (ICC.1:2001-04 mediaWhitePointTag: the media white of ICC-absolute colorimetry), as ArgyllCMS's
  // colprof writes its v2 display profiles, so that v2-only CMMs keep absolute colorimetry. The
  // 'chad' tag goes into both: LittleCMS takes a v2 display profile's white as D50 and adapts
  // with 'chad' (cmsio1.c, _cmsReadMediaWhitePoint and _cmsReadCHAD), and ArgyllCMS 2.3 uses it
  // for absolute colorimetry (tests/cli/display_profile_test.cpp checks both).
  const cmsCIEXYZ media_white = o.icc_version == 4 ? *cmsD50_XYZ() : xyz(white / white.y());
  bool ok = cmsWriteTag(p, cmsSigMediaWhitePointTag, &media_white);
  double chad[9];  // LittleCMS's cmsMAT3: row by row
  for (int r = 0; r < 3; ++r)
    for (int c = 0; c < 3; ++c) chad[3 * r + c] = adapt(r, c);
  ok = ok && cmsWriteTag(p, cmsSigChromaticAdaptationTag, chad);
  cmsCIEXYZ luminance{0, white.y(), 0};  // 'lumi': the white's luminance, cd/m² (ICC.1:2010 9.2.32)
  ok = ok && cmsWriteTag(p, cmsSigLuminanceTag, &luminance);
  if (o.icc_version == 2) {  // 'bkpt': v2 only (ICC.1:2010 has no such tag), like 'wtpt' over the white's Y
    cmsCIEXYZ k = xyz(black / white.y());
    ok = ok && cmsWriteTag(p, cmsSigMediaBlackPointTag, &k);
  }

  // Matrix/shaper: each channel above black, its curve normalised to its full drive.
  const cmsTagSignature columns[3] = {cmsSigRedColorantTag, cmsSigGreenColorantTag, cmsSigBlueColorantTag};
  const cmsTagSignature trcs[3] = {cmsSigRedTRCTag, cmsSigGreenTRCTag, cmsSigBlueTRCTag};
  for (int c = 0; c < 3; ++c) {
    cmsCIEXYZ column = xyz(pcs(shown(Vec3::Unit(c)) - black));
    ok = ok && cmsWriteTag(p, columns[c], &column);
    std::vector<float> curve(1024);
    const double top = model.linear_light(through_curves(o.calibration, Vec3::Unit(c)))[c];
    for (std::size_t i = 0; i < curve.size(); ++i) {
      Vec3 v = Vec3::Zero();
      v[c] = double(i) / double(curve.size() - 1);
      curve[i] = float(std::clamp(model.linear_light(through_curves(o.calibration, v))[c] / top, 0.0, 1.0));
    }
    cmsToneCurve* t = cmsBuildTabulatedToneCurveFloat(nullptr, cmsUInt32Number(curve.size()), curve.data());
    ok = ok && t && cmsWriteTag(p, trcs[c], t);
    cmsFreeToneCurve(t);
  }

  // AToB0: the model itself on a grid, in the 16-bit PCS XYZ encoding (1.0 = 0x8000).
  const int n = o.clut_points;
  std::vector<cmsUInt16Number> table(std::size_t(n) * n * n * 3);
  std::size_t k = 0;
  for (int r = 0; r < n; ++r)
    for (int g = 0; g < n; ++g)
      for (int b = 0; b < n; ++b, k += 3) {
        Vec3 v = pcs(shown(Vec3(r, g, b) / (n - 1)));
        cmsCIEXYZ e = xyz(v.cwiseMax(0.0));
        cmsFloat2XYZEncoded(&table[k], &e);
      }
  cmsToneCurve* identity = cmsBuildGamma(nullptr, 1.0);
  cmsToneCurve* curves[3] = {identity, identity, identity};
  cmsPipeline* pipe = cmsPipelineAlloc(nullptr, 3, 3);
  cmsPipelineInsertStage(pipe, cmsAT_END, cmsStageAllocToneCurves(nullptr, 3, curves));
  cmsPipelineInsertStage(pipe, cmsAT_END, cmsStageAllocCLut16bit(nullptr, cmsUInt32Number(n), 3, 3, table.data()));
  cmsPipelineInsertStage(pipe, cmsAT_END, cmsStageAllocToneCurves(nullptr, 3, curves));
  ok = ok && cmsWriteTag(p, cmsSigAToB0Tag, pipe);
  cmsPipelineFree(pipe);

  if (o.calibration) {  // 'vcgt' (Apple's video card gamma tag, read by every desktop loader)
    std::vector<float> channel[3];
    for (const Vec3& v : o.calibration->table)
      for (int c = 0; c < 3; ++c) channel[c].push_back(float(std::clamp(v[c], 0.0, 1.0)));
    cmsToneCurve* vcgt[3];
    for (int c = 0; c < 3; ++c)
      vcgt[c] = cmsBuildTabulatedToneCurveFloat(nullptr, cmsUInt32Number(channel[c].size()), channel[c].data());
    ok = ok && cmsWriteTag(p, cmsSigVcgtTag, vcgt);
    for (cmsToneCurve* t : vcgt) cmsFreeToneCurve(t);
  }
  cmsFreeToneCurve(identity);
  cmsUInt32Number bytes = 0;
  if (!ok || !cmsSaveProfileToMem(p, nullptr, &bytes))
    throw InputError("LittleCMS could not write the display profile");
  std::string out(bytes, '\0');
  if (!cmsSaveProfileToMem(p, out.data(), &bytes)) throw InputError("LittleCMS could not write the display profile");
  return out;
}

}  // namespace calkit
