// `calkit display`: the virtual displays (built-in names and JSON model files).
#include <cstdio>
#include <memory>
#include <string>

#include <fmt/core.h>
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "color/colorimetry.hpp"
#include "core/clock.hpp"
#include "sim/display_model.hpp"
#include "sim/virtual_display.hpp"

namespace calkit::cli {

namespace {

using nlohmann::json;

const char* eotf_name(PanelEotf e) { return e == PanelEotf::Pq ? "pq" : "gamma"; }

json xy_json(const Vec3& XYZ) {
  Xy xy = xy_from_XYZ(XYZ);
  return json::array({xy.x, xy.y});
}

// What a probe would find on the display (noise-free): the figures reviews quote.
json measured_summary(const DisplayModel& model) {
  SimulatedClock clock;
  VirtualDisplay d(model, clock);
  Vec3 black = d.steady_XYZ(Vec3::Zero(), 10);
  Vec3 white10 = d.steady_XYZ(Vec3::Ones(), 10);
  Vec3 white100 = d.steady_XYZ(Vec3::Ones(), 100);
  Vec3 r = d.steady_XYZ(Vec3(1, 0, 0), 10) - black;
  Vec3 g = d.steady_XYZ(Vec3(0, 1, 0), 10) - black;
  Vec3 b = d.steady_XYZ(Vec3(0, 0, 1), 10) - black;
  double white_Y = (white10 - black)[1];
  return {{"white_10pct_nits", white10[1]},
          {"white_full_field_nits", white100[1]},
          {"black_nits", black[1]},
          {"contrast", black[1] > 0 ? white10[1] / black[1] : 0.0},
          {"white_xy", xy_json(white10 - black)},
          {"black_xy", xy_json(black)},
          {"red_xy", xy_json(r)},
          {"green_xy", xy_json(g)},
          {"blue_xy", xy_json(b)},
          {"additivity_rgb_over_white", (r + g + b)[1] / white_Y}};
}

std::string xy_text(const json& xy) { return fmt::format("{:.4f} {:.4f}", xy[0].get<double>(), xy[1].get<double>()); }

struct ShowOptions {
  std::string name;
  std::string save;
  bool json = false;
};

}  // namespace

void add_display(CLI::App& app) {
  auto* display = app.add_subcommand("display",
                                     "Virtual displays: list the built-ins, show a model and what it measures.\n"
                                     "Example: calkit display show sim:woled-tv --json");
  display->require_subcommand(1);

  auto list_json = std::make_shared<bool>(false);
  auto* list = display->add_subcommand("list",
                                       "List the built-in virtual displays.\n"
                                       "Example: calkit display list --json");
  list->add_flag("--json", *list_json, "print a JSON array");
  list->callback([list_json] {
    json out = json::array();
    std::string text;
    for (const auto& name : builtin_display_names()) {
      DisplayModel m = load_display_model(name);
      out.push_back({{"name", m.name},
                     {"description", m.description},
                     {"technology", m.technology},
                     {"eotf", eotf_name(m.eotf)},
                     {"peak_nits", m.peak_nits}});
      text += fmt::format("{:<18} {}\n", m.name, m.description);
    }
    if (*list_json)
      std::puts(out.dump(2).c_str());
    else
      std::fputs(text.c_str(), stdout);
  });

  auto opts = std::make_shared<ShowOptions>();
  auto* show =
      display->add_subcommand("show",
                              "Show a virtual display's parameters and what a probe would measure on it.\n"
                              "Example: calkit display show sim:ips-lcd --save my-lcd.json   (then edit the file)");
  show->add_option("name", opts->name, "a built-in (sim:...) or a display-model JSON file")->required();
  show->add_flag("--json", opts->json, "print {\"model\": ..., \"measured\": ...} as JSON");
  show->add_option("--save", opts->save, "write the model as a JSON file");
  show->callback([opts] {
    DisplayModel m = load_display_model(opts->name);
    json measured = measured_summary(m);
    if (!opts->save.empty()) save_display_model(m, opts->save);
    if (opts->json) {
      json out{{"model", json::parse(display_model_to_json(m))}, {"measured", measured}};
      std::puts(out.dump(2).c_str());
      return;
    }
    std::string t = fmt::format("{}: {}\n", m.name, m.description);
    t += fmt::format("  technology {}, panel EOTF {}, {} cd/m2 peak (10% window)\n", m.technology, eotf_name(m.eotf),
                     m.peak_nits);
    t += fmt::format("  measured white 10%   {:.2f} cd/m2 at xy {}\n", measured["white_10pct_nits"].get<double>(),
                     xy_text(measured["white_xy"]));
    t += fmt::format("  measured white 100%  {:.2f} cd/m2\n", measured["white_full_field_nits"].get<double>());
    t += fmt::format("  measured black       {:.5f} cd/m2 at xy {}  (contrast {:.0f}:1)\n",
                     measured["black_nits"].get<double>(), xy_text(measured["black_xy"]),
                     measured["contrast"].get<double>());
    t += fmt::format("  primaries xy         R {}  G {}  B {}\n", xy_text(measured["red_xy"]),
                     xy_text(measured["green_xy"]), xy_text(measured["blue_xy"]));
    t += fmt::format("  (R+G+B)/white        {:.4f}\n", measured["additivity_rgb_over_white"].get<double>());
    t += "  all parameters: --json\n";
    std::fputs(t.c_str(), stdout);
  });
}

}  // namespace calkit::cli
