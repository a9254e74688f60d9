// ICC device link (RGB -> RGB) written and read with LittleCMS, v4 by default, v2 for peers that
// read no v4 (ArgyllCMS 2.3 refuses it: "ICC V4 not supported"). The LUT becomes the CLUT of the
// AToB0 tag (identity curves around a 16-bit CLUT, first input channel slowest): lutAtoBType in
// v4 (ICC.1:2010 §10.12.3), lut16Type in v2 (ICC.1:2001-04 §6.5.7), which LittleCMS picks from the
// profile version. ICC CLUTs hold 16-bit values, so the table is clamped to 0..1 and rounded to
// 1/65535. The title and metadata go into the description (readable in any ICC tool) and, in v4,
// exactly into a 'meta' dictionary, which v2 does not have: a v2 link's metadata is read back
// from its description. Reading samples the link at every node through a floating-point
// LittleCMS transform.
#include <lcms2.h>
#include <lcms2_plugin.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/text.hpp"
#include "luts/apply.hpp"
#include "luts/lut_format.hpp"

namespace calkit {
namespace {

// ICC text tags and dictionaries hold Unicode as wchar_t through LittleCMS; calkit's strings
// are UTF-8. Code points both ways, so a title reads the same in calkit and in other ICC tools.
std::wstring widen(const std::string& s) {
  std::wstring out;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence_length(s, i);
    const auto lead = static_cast<unsigned char>(s[i]);
    if (n <= 1) {  // ASCII, or a byte that is not UTF-8: kept as Latin-1
      out += static_cast<wchar_t>(lead);
      i += 1;
      continue;
    }
    char32_t cp = lead & (0xFF >> (n + 1));
    for (std::size_t k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out += static_cast<wchar_t>(cp);
    i += n;
  }
  return out;
}

std::string narrow(const wchar_t* w) {
  std::string out;
  for (; w && *w; ++w) {
    auto cp = static_cast<char32_t>(*w);
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;  // not a code point
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

void quiet_lcms(cmsContext, cmsUInt32Number, const char*) {}

struct ProfileCloser {
  void operator()(void* h) const { cmsCloseProfile(h); }
};
using Profile = std::unique_ptr<void, ProfileCloser>;

void set_text_tag(cmsHPROFILE h, cmsTagSignature sig, const std::string& text) {
  cmsMLU* mlu = cmsMLUalloc(nullptr, 1);
  cmsMLUsetWide(mlu, "en", "US", widen(text).c_str());
  cmsWriteTag(h, sig, mlu);
  cmsMLUfree(mlu);
}

std::string read_text_tag(cmsHPROFILE h, cmsTagSignature sig) {
  auto* mlu = static_cast<cmsMLU*>(cmsReadTag(h, sig));
  if (!mlu) return "";
  cmsUInt32Number n = cmsMLUgetWide(mlu, "en", "US", nullptr, 0);
  if (n == 0) return "";
  std::wstring buf(n / sizeof(wchar_t) + 1, L'\0');
  cmsMLUgetWide(mlu, "en", "US", buf.data(), n);
  return narrow(buf.c_str());
}

std::string description_text(const Lut3d& lut) {
  std::string out = lut.title.empty() ? "calkit device link" : lut.title;
  for (const auto& [k, v] : lut.metadata) out += "; " + k + "=" + v;
  return out;
}

// "title; key=value; key=value" (description_text) back into title and metadata.
void read_description(const std::string& text, Lut3d& lut) {
  std::size_t start = 0;
  for (bool first = true;; first = false) {
    std::size_t end = text.find("; ", start);
    std::string item = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    std::size_t eq = item.find('=');
    if (first)
      lut.title = item;
    else if (eq != std::string::npos)
      lut.metadata[item.substr(0, eq)] = item.substr(eq + 1);
    if (end == std::string::npos) return;
    start = end + 2;
  }
}

void write_icc(const std::filesystem::path& path, const Lut3d& lut, const LutWriteOptions& options) {
  const std::string file = path.string();
  const int version = options.icc_version;
  if (version != 2 && version != 4) throw ValueError("--icc-version", "2 or 4");
  check_lut3d(lut, file);
  if (lut.domain_min != Vec3::Zero() || lut.domain_max != Vec3::Ones())
    throw InputError(file, 0, "domain", "ICC device links take 0..1 input: the LUT's domain must be 0..1");
  if (lut.size > 255) throw InputError(file, 0, "size", "ICC CLUTs have at most 255 points per axis");
  cmsSetLogErrorHandler(quiet_lcms);
  Profile h(cmsCreateProfilePlaceholder(nullptr));
  cmsSetProfileVersion(h.get(), version == 4 ? 4.3 : 2.4);
  cmsSetDeviceClass(h.get(), cmsSigLinkClass);
  cmsSetColorSpace(h.get(), cmsSigRgbData);
  cmsSetPCS(h.get(), cmsSigRgbData);
  cmsSetHeaderRenderingIntent(h.get(), INTENT_PERCEPTUAL);

  const int n = lut.size;
  std::vector<cmsUInt16Number> table(size_t(n) * n * n * 3);
  size_t k = 0;
  for (int r = 0; r < n; ++r)
    for (int g = 0; g < n; ++g)
      for (int b = 0; b < n; ++b)
        for (int c = 0; c < 3; ++c)
          table[k++] = cmsUInt16Number(std::lround(std::clamp(lut.at(r, g, b)[c], 0.0, 1.0) * 65535.0));
  cmsToneCurve* identity = cmsBuildGamma(nullptr, 1.0);
  cmsToneCurve* curves[3] = {identity, identity, identity};
  cmsPipeline* pipe = cmsPipelineAlloc(nullptr, 3, 3);
  cmsPipelineInsertStage(pipe, cmsAT_END, cmsStageAllocToneCurves(nullptr, 3, curves));
  cmsPipelineInsertStage(pipe, cmsAT_END, cmsStageAllocCLut16bit(nullptr, n, 3, 3, table.data()));
  cmsPipelineInsertStage(pipe, cmsAT_END, cmsStageAllocToneCurves(nullptr, 3, curves));
  cmsFreeToneCurve(identity);
  bool ok = cmsWriteTag(h.get(), cmsSigAToB0Tag, pipe);
  cmsPipelineFree(pipe);

  set_text_tag(h.get(), cmsSigProfileDescriptionTag, description_text(lut));
  set_text_tag(h.get(), cmsSigCopyrightTag, "No copyright, use freely");
  if (version == 4) {
    cmsHANDLE dict = cmsDictAlloc(nullptr);
    if (!lut.title.empty()) cmsDictAddEntry(dict, L"title", widen(lut.title).c_str(), nullptr, nullptr);
    for (const auto& [key, value] : lut.metadata)
      cmsDictAddEntry(dict, widen("calkit:" + key).c_str(), widen(value).c_str(), nullptr, nullptr);
    ok = ok && cmsWriteTag(h.get(), cmsSigMetaTag, dict);
    cmsDictFree(dict);
  }
  cmsUInt32Number bytes = 0;
  if (!ok || !cmsSaveProfileToMem(h.get(), nullptr, &bytes))
    throw InputError(file, 0, "", "LittleCMS could not write the device link");
  std::string profile(bytes, '\0');
  if (!cmsSaveProfileToMem(h.get(), profile.data(), &bytes))
    throw InputError(file, 0, "", "LittleCMS could not write the device link");
  write_file_atomically(path, profile);
}

int clut_size(cmsHPROFILE h, const std::string& file) {
  auto* pipe = static_cast<cmsPipeline*>(cmsReadTag(h, cmsSigAToB0Tag));
  if (!pipe) throw InputError(file, 0, "A2B0", "device link has no AToB0 tag");
  for (cmsStage* s = cmsPipelineGetPtrToFirstStage(pipe); s; s = cmsStageNext(s)) {
    if (cmsStageType(s) != cmsSigCLutElemType) continue;
    auto* data = static_cast<_cmsStageCLutData*>(cmsStageData(s));
    int n = int(data->Params->nSamples[0]);
    if (n < 2 || n > 255) break;
    return n;
  }
  return 33;  // a link without a CLUT (curves or matrix only) is sampled on a 33³ grid
}

Lut3d read_icc(const std::filesystem::path& path) {
  const std::string file = path.string();
  cmsSetLogErrorHandler(quiet_lcms);
  const std::string bytes = read_file_bytes(path);
  Profile h(cmsOpenProfileFromMem(bytes.data(), static_cast<cmsUInt32Number>(bytes.size())));
  if (!h) throw InputError(file, 0, "", "not a readable ICC profile");
  if (cmsGetDeviceClass(h.get()) != cmsSigLinkClass)
    throw InputError(file, 0, "deviceClass", "ICC profile is not a device link");
  if (cmsGetColorSpace(h.get()) != cmsSigRgbData || cmsGetPCS(h.get()) != cmsSigRgbData)
    throw InputError(file, 0, "colorSpace", "device link is not RGB -> RGB");
  Lut3d lut;
  lut.size = clut_size(h.get(), file);
  cmsHTRANSFORM xf = cmsCreateTransform(h.get(), TYPE_RGB_DBL, nullptr, TYPE_RGB_DBL, INTENT_PERCEPTUAL,
                                        cmsFLAGS_NOOPTIMIZE | cmsFLAGS_NOCACHE);
  if (!xf) throw InputError(file, 0, "A2B0", "LittleCMS cannot build a transform from the device link");
  const int n = lut.size;
  std::vector<double> in(size_t(n) * n * n * 3), out(in.size());
  size_t k = 0;
  for (int b = 0; b < n; ++b)
    for (int g = 0; g < n; ++g)
      for (int r = 0; r < n; ++r, k += 3) {
        in[k] = double(r) / (n - 1);
        in[k + 1] = double(g) / (n - 1);
        in[k + 2] = double(b) / (n - 1);
      }
  cmsDoTransform(xf, in.data(), out.data(), cmsUInt32Number(n * n * n));
  cmsDeleteTransform(xf);
  lut.table.resize(size_t(n) * n * n);
  for (size_t i = 0; i < lut.table.size(); ++i) lut.table[i] = Vec3(out[3 * i], out[3 * i + 1], out[3 * i + 2]);

  read_description(read_text_tag(h.get(), cmsSigProfileDescriptionTag), lut);
  if (cmsHANDLE dict = cmsReadTag(h.get(), cmsSigMetaTag)) {
    lut.title.clear();
    lut.metadata.clear();
    for (const cmsDICTentry* e = cmsDictGetEntryList(dict); e; e = cmsDictNextEntry(e)) {
      std::string key = narrow(e->Name), value = narrow(e->Value);
      if (key == "title")
        lut.title = value;
      else if (key.rfind("calkit:", 0) == 0)
        lut.metadata[key.substr(7)] = value;
    }
  }
  check_lut3d(lut, file);
  return lut;
}

}  // namespace

LutFormat icc_format() {
  return {"icc",
          {".icc", ".icm"},
          "ICC RGB device link (LittleCMS), 16-bit CLUT; v4, or v2 with --icc-version 2",
          "first input (red) slowest",
          read_icc,
          write_icc,
          nullptr,
          nullptr,
          nullptr};
}

}  // namespace calkit
