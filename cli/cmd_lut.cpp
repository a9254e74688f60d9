// `calkit lut`: apply a LUT file to one RGB value, convert between LUT formats, describe a LUT.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "luts/apply.hpp"
#include "luts/lut_io.hpp"
#include "measure/options.hpp"

namespace calkit::cli {

namespace {

using nlohmann::json;

struct ApplyArgs {
  std::string file;
  std::vector<std::string> rgb;
  std::string interp = "tetrahedral";
  bool json = false;
};

void add_apply(CLI::App& lut) {
  auto a = std::make_shared<ApplyArgs>();
  auto* cmd = lut.add_subcommand("apply",
                                 "Apply a LUT file to one RGB value and print the result.\n"
                                 "Example: calkit lut apply display.cube 0.5 0.25 0.75 --interp trilinear");
  cmd->add_option("lut", a->file, "LUT file (any format calkit reads)")->required();
  cmd->add_option("rgb", a->rgb, "input R G B (normalised)")->expected(3)->required();
  cmd->add_option("--interp", a->interp, "3D interpolation: tetrahedral (default) or trilinear")
      ->check(CLI::IsMember({"tetrahedral", "trilinear"}));
  cmd->add_flag("--json", a->json, "print a JSON object");
  cmd->callback([a] {
    Vec3 in(parse_number(a->rgb[0], "R"), parse_number(a->rgb[1], "G"), parse_number(a->rgb[2], "B"));
    Vec3 out;
    std::string kind;
    if (file_is_lut3d(a->file)) {
      Lut3d lut = read_lut3d(a->file);
      out = a->interp == "trilinear" ? apply_trilinear(lut, in) : apply_tetrahedral(lut, in);
      kind = a->interp;
    } else {
      out = apply_1d(read_lut1d(a->file), in);
      kind = "linear (1D)";
    }
    if (a->json)
      std::puts(json{{"lut", a->file}, {"interpolation", kind}, {"input", vec_json(in)}, {"output", vec_json(out)}}
                    .dump(2)
                    .c_str());
    else
      std::puts(fmt::format("{:.7g} {:.7g} {:.7g}", out[0], out[1], out[2]).c_str());
  });
}

struct ConvertArgs {
  std::string from, to;
  int icc_version = 4;
  bool json = false;
};

void add_convert(CLI::App& lut) {
  auto a = std::make_shared<ConvertArgs>();
  std::string names;
  for (const auto& n : lut_format_names()) names += (names.empty() ? "" : ", ") + n;
  auto* cmd =
      lut.add_subcommand("convert", "Convert a 1D or 3D LUT between formats (" + names +
                                        "), chosen by extension. Title and metadata are kept where the "
                                        "format can hold them.\nExample: calkit lut convert display.cube display.clf\n"
                                        "         calkit lut convert display.cube display.icc --icc-version 2");
  cmd->add_option("input", a->from, "LUT file to read")->required();
  cmd->add_option("output", a->to, "LUT file to write")->required();
  cmd->add_option("--icc-version", a->icc_version, "ICC device links: 4, or 2 for v2-only tools (ArgyllCMS 2.3)")
      ->check(CLI::IsMember({2, 4}))
      ->capture_default_str();
  cmd->add_flag("--json", a->json, "print what was written as JSON");
  cmd->callback([a] {
    lut_format_for(a->to);  // unknown output extension fails before reading
    json written{{"input", a->from}, {"out", a->to}, {"format", lut_format_for(a->to)}};
    if (file_is_lut3d(a->from)) {
      Lut3d lut = read_lut3d(a->from);
      write_lut3d(a->to, lut, {a->icc_version});
      written.update({{"kind", "3D"}, {"size", lut.size}});
    } else {
      Lut1d lut = read_lut1d(a->from);
      write_lut1d(a->to, lut, {a->icc_version});
      written.update({{"kind", "1D"}, {"size", lut.table.size()}});
    }
    if (a->json) std::puts(written.dump(2).c_str());
  });
}

struct InfoArgs {
  std::string file;
  bool json = false;
};

json table_range(const std::vector<Vec3>& table) {
  Vec3 lo = Vec3::Constant(INFINITY), hi = Vec3::Constant(-INFINITY);
  for (const Vec3& v : table) {
    lo = lo.cwiseMin(v);
    hi = hi.cwiseMax(v);
  }
  return {{"min", vec_json(lo)}, {"max", vec_json(hi)}};
}

void add_info(CLI::App& lut) {
  auto a = std::make_shared<InfoArgs>();
  auto* cmd = lut.add_subcommand("info",
                                 "Describe a LUT file: format, kind, size, domain, title, metadata, "
                                 "output range.\nExample: calkit lut info display.cube --json");
  cmd->add_option("lut", a->file, "LUT file")->required();
  cmd->add_flag("--json", a->json, "print a JSON object");
  cmd->callback([a] {
    json j{{"file", a->file}, {"format", lut_format_for(a->file)}};
    if (file_is_lut3d(a->file)) {
      Lut3d lut = read_lut3d(a->file);
      j.update({{"kind", "3D"},
                {"size", lut.size},
                {"entries", lut.table.size()},
                {"domain_min", vec_json(lut.domain_min)},
                {"domain_max", vec_json(lut.domain_max)},
                {"title", lut.title},
                {"metadata", lut.metadata},
                {"output", table_range(lut.table)}});
    } else {
      Lut1d lut = read_lut1d(a->file);
      j.update({{"kind", "1D"},
                {"size", lut.table.size()},
                {"entries", lut.table.size()},
                {"domain_min", vec_json(lut.domain_min)},
                {"domain_max", vec_json(lut.domain_max)},
                {"title", lut.title},
                {"metadata", lut.metadata},
                {"output", table_range(lut.table)}});
    }
    if (a->json) {
      std::puts(j.dump(2).c_str());
      return;
    }
    auto v3 = [](const json& v) {
      return fmt::format("{:.6g} {:.6g} {:.6g}", v[0].get<double>(), v[1].get<double>(), v[2].get<double>());
    };
    std::string out =
        fmt::format("file      {}\nformat    {}\nkind      {}\nsize      {}\ndomain    {} .. {}\ntitle     {}\n",
                    a->file, j["format"].get<std::string>(), j["kind"].get<std::string>(), j["size"].dump(),
                    v3(j["domain_min"]), v3(j["domain_max"]), j["title"].get<std::string>());
    out += fmt::format("output    min {}  max {}\n", v3(j["output"]["min"]), v3(j["output"]["max"]));
    for (const auto& [k, v] : j["metadata"].items()) out += fmt::format("meta      {} = {}\n", k, v.get<std::string>());
    std::fputs(out.c_str(), stdout);
  });
}

}  // namespace

void add_lut(CLI::App& app) {
  auto* lut = app.add_subcommand("lut",
                                 "LUT files: apply, convert, info (.cube, .3dl, .clf, .icc, .ocio).\n"
                                 "Example: calkit lut apply display.cube 0.5 0.5 0.5");
  lut->require_subcommand(1);
  add_apply(*lut);
  add_convert(*lut);
  add_info(*lut);
}

}  // namespace calkit::cli
