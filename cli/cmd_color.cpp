// `calkit color`: a colour-science calculator (dE, EOTFs, CCT, conversions) on the command line.
#include <cmath>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <fmt/ranges.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "color/cct.hpp"
#include "color/colorimetry.hpp"
#include "color/difference.hpp"
#include "color/transfer.hpp"
#include "core/error.hpp"
#include "measure/options.hpp"

namespace calkit::cli {

namespace {

using nlohmann::json;

std::vector<double> parse_numbers(const std::vector<std::string>& texts, const std::vector<std::string>& fields) {
  if (texts.size() != fields.size())
    throw ValueError("values", fmt::format("expected {} numbers, got {}", fields.size(), texts.size()));
  std::vector<double> out;
  for (size_t i = 0; i < texts.size(); ++i) out.push_back(parse_number(texts[i], fields[i]));
  return out;
}

std::string number(double v) { return fmt::format("{:.10g}", v); }

void print(bool as_json, const json& j, const std::string& plain) {
  if (as_json)
    std::puts(j.dump(2).c_str());
  else
    std::puts(plain.c_str());
}

struct Values {
  std::vector<std::string> texts;
  bool json = false;
};

// A subcommand taking six positional numbers and printing one dE.
void add_color_delta(CLI::App& color, const std::string& name, const std::string& what, const std::string& example,
                     const std::vector<std::string>& fields, std::function<double(const Vec3&, const Vec3&)> delta) {
  auto values = std::make_shared<Values>();
  auto* cmd = color.add_subcommand(name, what + "\nExample: " + example);
  cmd->add_option("values", values->texts, "the two colours: " + fmt::format("{}", fmt::join(fields, " ")))
      ->expected(6)
      ->required();
  cmd->add_flag("--json", values->json, "print a JSON object");
  cmd->callback([values, fields, delta, name] {
    auto v = parse_numbers(values->texts, fields);
    double d = delta({v[0], v[1], v[2]}, {v[3], v[4], v[5]});
    print(values->json,
          {{"metric", name}, {"first", {v[0], v[1], v[2]}}, {"second", {v[3], v[4], v[5]}}, {"delta_e", d}},
          fmt::format("{:.4f}", d));
  });
}

struct SignalOrNits {
  std::string signal, nits;
  bool json = false;
};

void require_one(const SignalOrNits& s) {
  if (s.signal.empty() == s.nits.empty()) throw ValueError("--signal/--nits", "give exactly one of --signal or --nits");
}

void add_color_pq(CLI::App& color) {
  auto o = std::make_shared<SignalOrNits>();
  auto* cmd = color.add_subcommand("pq",
                                   "SMPTE ST 2084 (PQ): cd/m² to signal (with 10-bit codes) or signal to cd/m².\n"
                                   "Example: calkit color pq --nits 100   (prints 0.5080784215)");
  cmd->add_option("--nits", o->nits, "luminance in cd/m² (0-10000)");
  cmd->add_option("--signal", o->signal, "normalised PQ signal 0..1");
  cmd->add_flag("--json", o->json, "print a JSON object");
  cmd->callback([o] {
    require_one(*o);
    if (!o->nits.empty()) {
      double nits = parse_number(o->nits, "--nits");
      if (nits < 0 || nits > 10000) throw ValueError("--nits", "PQ covers 0-10000 cd/m²");
      double e = pq_inverse_eotf(nits);
      print(o->json,
            {{"nits", nits},
             {"signal", e},
             {"code10_full", std::lround(1023 * e)},
             {"code10_narrow", std::lround(64 + 876 * e)}},
            number(e));
    } else {
      double e = parse_number(o->signal, "--signal");
      if (e < 0 || e > 1) throw ValueError("--signal", "signal must be within 0..1");
      double nits = pq_eotf(e);
      print(o->json, {{"signal", e}, {"nits", nits}}, number(nits));
    }
  });
}

struct DisplayOptions : SignalOrNits {
  double white = 100, black = 0, gamma = 2.4;
};

void add_color_bt1886(CLI::App& color) {
  auto o = std::make_shared<DisplayOptions>();
  auto* cmd =
      color.add_subcommand("bt1886",
                           "ITU-R BT.1886 EOTF with black compensation: signal to cd/m² or back.\n"
                           "Example: calkit color bt1886 --signal 0.5 --white 100 --black 0.05   (prints 20.91888657)");
  cmd->add_option("--signal", o->signal, "normalised signal 0..1");
  cmd->add_option("--nits", o->nits, "luminance in cd/m² (inverse EOTF)");
  cmd->add_option("--white", o->white, "display white Lw in cd/m²")->capture_default_str();
  cmd->add_option("--black", o->black, "display black Lb in cd/m²")->capture_default_str();
  cmd->add_option("--gamma", o->gamma, "exponent")->capture_default_str();
  cmd->add_flag("--json", o->json, "print a JSON object");
  cmd->callback([o] {
    require_one(*o);
    Bt1886Eotf eotf(o->white, o->black, o->gamma);
    json j{{"white", o->white}, {"black", o->black}, {"gamma", o->gamma}, {"a", eotf.a()}, {"b", eotf.b()}};
    if (!o->signal.empty()) {
      double v = parse_number(o->signal, "--signal");
      j["signal"] = v;
      j["nits"] = eotf.nits(v);
      print(o->json, j, number(eotf.nits(v)));
    } else {
      double l = parse_number(o->nits, "--nits");
      if (l < 0) throw ValueError("--nits", "luminance cannot be negative");
      j["nits"] = l;
      j["signal"] = eotf.signal(l);
      print(o->json, j, number(eotf.signal(l)));
    }
  });
}

void add_color_hlg(CLI::App& color) {
  auto o = std::make_shared<DisplayOptions>();
  o->white = 1000;
  auto* cmd =
      color.add_subcommand("hlg",
                           "ITU-R BT.2100 HLG EOTF for a display of given peak (system gamma 1.2+0.42 log10(Lw/1000))\n"
                           "and black, on a neutral signal: signal to cd/m² or back.\n"
                           "Example: calkit color hlg --signal 0.75 --peak 1000   (about 203 cd/m²)");
  cmd->add_option("--signal", o->signal, "normalised HLG signal 0..1 (R = G = B)");
  cmd->add_option("--nits", o->nits, "display luminance in cd/m² (inverse EOTF)");
  cmd->add_option("--peak", o->white, "display peak Lw in cd/m²")->capture_default_str();
  cmd->add_option("--black", o->black, "display black Lb in cd/m²")->capture_default_str();
  cmd->add_flag("--json", o->json, "print a JSON object");
  cmd->callback([o] {
    require_one(*o);
    json j{{"peak", o->white}, {"black", o->black}, {"system_gamma", hlg_system_gamma(o->white)}};
    if (!o->signal.empty()) {
      double v = parse_number(o->signal, "--signal");
      if (v < 0 || v > 1) throw ValueError("--signal", "signal must be within 0..1");
      double nits = hlg_eotf(Vec3::Constant(v), o->white, o->black).y();
      j["signal"] = v;
      j["nits"] = nits;
      print(o->json, j, number(nits));
    } else {
      double l = parse_number(o->nits, "--nits");
      if (l < 0) throw ValueError("--nits", "luminance cannot be negative");
      double v = hlg_inverse_eotf(Vec3::Constant(l), o->white, o->black).y();
      j["nits"] = l;
      j["signal"] = v;
      print(o->json, j, number(v));
    }
  });
}

void add_color_cct(CLI::App& color) {
  auto values = std::make_shared<Values>();
  auto method = std::make_shared<std::string>("ohno");
  auto* cmd = color.add_subcommand("cct",
                                   "Correlated colour temperature (K) and Duv of a CIE 1931 xy chromaticity.\n"
                                   "Example: calkit color cct 0.3127 0.3290 --method robertson");
  cmd->add_option("xy", values->texts, "x y")->expected(2)->required();
  cmd->add_option("--method", *method, "ohno (2013), robertson (1968) or mccamy (1992, no Duv)")
      ->check(CLI::IsMember({"ohno", "robertson", "mccamy"}))
      ->capture_default_str();
  cmd->add_flag("--json", values->json, "print a JSON object");
  cmd->callback([values, method] {
    auto v = parse_numbers(values->texts, {"x", "y"});
    Xy xy{v[0], v[1]};
    json j{{"x", xy.x}, {"y", xy.y}, {"method", *method}};
    if (*method == "mccamy") {
      double t = cct_mccamy(xy);
      j["cct"] = t;
      print(values->json, j, fmt::format("{:.2f}", t));
      return;
    }
    CctDuv r = *method == "robertson" ? cct_robertson(xy) : cct_ohno2013(xy);
    j["cct"] = r.cct;
    j["duv"] = r.duv;
    print(values->json, j, fmt::format("{:.2f} {:.6f}", r.cct, r.duv));
  });
}

// ---- convert ----

enum class Space { XYZ, xyY, Lab, LCh, uv };

Space space_by_name(const std::string& name, const std::string& field) {
  std::string k;
  for (char c : name) k += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (k == "xyz") return Space::XYZ;
  if (k == "xyy") return Space::xyY;
  if (k == "lab") return Space::Lab;
  if (k == "lch") return Space::LCh;
  if (k == "uv" || k == "u'v'" || k == "uvy") return Space::uv;
  throw ValueError(field, "unknown space '" + name + "' (XYZ, xyY, Lab, LCh, uv)");
}

struct ConvertOptions {
  std::vector<std::string> texts;
  std::string from, to, white = "0.3127,0.3290";
  double white_Y = 100;
  bool json = false;
};

Xy parse_white(const std::string& text) {
  auto comma = text.find(',');
  if (comma == std::string::npos) throw ValueError("--white", "expected x,y");
  return {parse_number(text.substr(0, comma), "--white x"), parse_number(text.substr(comma + 1), "--white y")};
}

// uv here is (u', v', Y): CIE 1976 UCS chromaticity plus luminance.
Vec3 to_XYZ(Space s, const Vec3& v, const Vec3& white) {
  switch (s) {
    case Space::XYZ:
      return v;
    case Space::xyY:
      return XYZ_from_xyY({v.x(), v.y()}, v.z());
    case Space::Lab:
      return XYZ_from_lab(v, white);
    case Space::LCh:
      return XYZ_from_lab(lab_from_lch(v), white);
    case Space::uv:
      return XYZ_from_xyY(xy_from_uv_prime({v.x(), v.y()}), v.z());
  }
  return v;
}

Vec3 from_XYZ(Space s, const Vec3& XYZ, const Vec3& white, Xy white_xy) {
  switch (s) {
    case Space::XYZ:
      return XYZ;
    case Space::xyY: {
      Xy xy = xy_from_XYZ(XYZ, white_xy);
      return {xy.x, xy.y, XYZ.y()};
    }
    case Space::Lab:
      return lab_from_XYZ(XYZ, white);
    case Space::LCh:
      return lch_from_lab(lab_from_XYZ(XYZ, white));
    case Space::uv: {
      Uv uv = uv_prime_from_XYZ(XYZ, white_xy);
      return {uv.u, uv.v, XYZ.y()};
    }
  }
  return XYZ;
}

void add_color_convert(CLI::App& color) {
  auto o = std::make_shared<ConvertOptions>();
  auto* cmd = color.add_subcommand("convert",
                                   "Convert one colour between XYZ, xyY, Lab, LCh and uv (u' v' Y).\n"
                                   "Lab/LCh are relative to --white (xy) at --white-Y (default D65 at 100 cd/m²).\n"
                                   "Example: calkit color convert --from xyY --to Lab 0.3127 0.3290 50");
  cmd->add_option("values", o->texts, "three numbers in the --from space")->expected(3)->required();
  cmd->add_option("--from", o->from, "XYZ, xyY, Lab, LCh or uv")->required();
  cmd->add_option("--to", o->to, "XYZ, xyY, Lab, LCh or uv")->required();
  cmd->add_option("--white", o->white, "reference white chromaticity x,y")->capture_default_str();
  cmd->add_option("--white-Y", o->white_Y, "reference white luminance")->capture_default_str();
  cmd->add_flag("--json", o->json, "print a JSON object");
  cmd->callback([o] {
    Space from = space_by_name(o->from, "--from"), to = space_by_name(o->to, "--to");
    auto v = parse_numbers(o->texts, {"value 1", "value 2", "value 3"});
    Xy wxy = parse_white(o->white);
    if (!(wxy.x > 0 && wxy.y > 0 && wxy.x + wxy.y < 1))
      throw ValueError("--white", "white chromaticity is not a real colour");
    if (!(o->white_Y > 0)) throw ValueError("--white-Y", "must be positive");
    if ((from == Space::xyY || from == Space::uv) && v[1] <= 0)
      throw ValueError("value 2", "chromaticity y (or v') must be positive");
    Vec3 white = XYZ_from_xyY(wxy, o->white_Y);
    Vec3 out = from_XYZ(to, to_XYZ(from, {v[0], v[1], v[2]}, white), white, wxy);
    print(o->json,
          {{"from", o->from},
           {"to", o->to},
           {"input", v},
           {"output", {out.x(), out.y(), out.z()}},
           {"white", {wxy.x, wxy.y, o->white_Y}}},
          fmt::format("{} {} {}", number(out.x()), number(out.y()), number(out.z())));
  });
}

}  // namespace

void add_color(CLI::App& app) {
  auto* color = app.add_subcommand("color",
                                   "Colour-science calculator: dE, EOTFs, CCT and conversions.\n"
                                   "Example: calkit color de2000 50 2.6772 -79.7751 50 0 -82.7485");
  color->require_subcommand(1);
  const std::vector<std::string> lab{"L1", "a1", "b1", "L2", "a2", "b2"};
  add_color_delta(*color, "de2000", "CIEDE2000 (CIE 142-2001) between two CIELAB colours.",
                  "calkit color de2000 50 2.6772 -79.7751 50 0 -82.7485   (prints 2.0425)", lab,
                  [](const Vec3& a, const Vec3& b) { return delta_e2000(a, b); });
  add_color_delta(*color, "de76", "CIE 1976 dE*ab between two CIELAB colours.", "calkit color de76 50 0 0 51 1 -1", lab,
                  delta_e76);
  add_color_delta(*color, "de94", "CIE 1994 (graphic arts) dE; the first colour is the reference.",
                  "calkit color de94 50 20 -10 52 18 -9", lab, delta_e94);
  add_color_delta(*color, "deitp", "ITU-R BT.2124 dE ITP between two absolute CIE XYZ colours (cd/m², D65).",
                  "calkit color deitp 95.0456 100 108.9058 96 101 110", {"X1", "Y1", "Z1", "X2", "Y2", "Z2"},
                  delta_e_itp_XYZ);
  add_color_pq(*color);
  add_color_bt1886(*color);
  add_color_hlg(*color);
  add_color_cct(*color);
  add_color_convert(*color);
}

}  // namespace calkit::cli
