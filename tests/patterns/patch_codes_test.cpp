// Patch placement (Patch::centre_x/centre_y) in every backend. Expected positions are worked by
// hand from the definitions: the rectangle of side sqrt(area) centred on the asked point and
// moved inside the screen; Resolve geometry x, y = top-left corner (patterns.md section 1);
// PGenerator X,Y = top-left pixel, -1,-1 = centred (PGenerator+ pattern.pm get_position).
#include <doctest/doctest.h>

#include <string>

#include "core/clock.hpp"
#include "emulators/pgenerator_emulator.hpp"
#include "emulators/resolve_client_emulator.hpp"
#include "emulators/virtual_pattern_generator.hpp"
#include "patterns/patch_codes.hpp"
#include "patterns/pgenerator_client.hpp"
#include "patterns/resolve_server.hpp"
#include "sim/display_model.hpp"

using namespace calkit;

namespace {

Patch placed(double window, double cx, double cy) {
  Patch p = Patch::from_rgb(Vec3::Ones(), 10);
  p.window_percent = window;
  p.centre_x = cx;
  p.centre_y = cy;
  return p;
}

}  // namespace

TEST_CASE("window geometry: centred by default, placed on its centre, moved inside the screen") {
  // 4 % of the area: side 0.2.
  WindowGeometry centred = window_geometry(placed(4, 0.5, 0.5));
  CHECK(centred.x == doctest::Approx(0.4));
  CHECK(centred.width == doctest::Approx(0.2));
  WindowGeometry g = window_geometry(placed(4, 0.3, 0.9));
  CHECK(g.x == doctest::Approx(0.2));
  CHECK(g.y == doctest::Approx(0.8));  // 0.9 - 0.1 = 0.8 fits exactly
  WindowGeometry edge = window_geometry(placed(4, 0.95, 0.0));
  CHECK(edge.x == doctest::Approx(0.8));  // would be 0.85: moved in
  CHECK(edge.y == doctest::Approx(0.0));
}

TEST_CASE("Resolve CM and LS geometry carry the patch position as the top-left corner") {
  Patch p = placed(4, 1.0 / 6, 5.0 / 6);  // a 3x3 grid's bottom-left zone
  std::string cm = resolve_xml(p, ResolveDialect::Cm);
  CHECK(cm.find(R"(<geometry x="0.0667" y="0.7333" cx="0.2000" cy="0.2000"/>)") != std::string::npos);
  std::string ls = resolve_xml(p, ResolveDialect::Ls);
  CHECK(ls.find(R"(<geometry x="0.0667" y="0.7333" cx="0.2000" cy="0.2000" />)") != std::string::npos);
  // Centred patches keep DisplayCAL's bytes.
  CHECK(resolve_xml(placed(1, 0.5, 0.5), ResolveDialect::Cm).find(R"(x="0.4500" y="0.4500" cx="0.1000")") !=
        std::string::npos);
}

TEST_CASE("the Resolve emulator receives the geometry and shows the patch at that position") {
  SimulatedClock clock_a, clock_b;
  VirtualDisplay through_protocol(load_display_model("sim:ips-lcd"), clock_a);
  VirtualDisplay direct(load_display_model("sim:ips-lcd"), clock_b);
  ResolveOptions o;
  o.port = 0;
  o.accept_timeout_s = 5;
  o.log = [](const std::string&) {};
  EmulatedResolve resolve(through_protocol, o);
  VirtualPatternGenerator virtual_generator(direct);
  Patch p = placed(4, 0.1, 0.3);  // x clamps to 0: centre 0.1 is the rectangle's centre
  resolve.show(p);
  virtual_generator.show(p);
  REQUIRE(resolve.emulator().last_frame().has_value());
  ResolveFrame frame = *resolve.emulator().last_frame();
  CHECK(frame.x == doctest::Approx(0.0));
  CHECK(frame.y == doctest::Approx(0.2));
  CHECK(frame.cx == doctest::Approx(0.2));
  CHECK(through_protocol.shown_centre_x() == doctest::Approx(0.1).epsilon(1e-9));
  CHECK(through_protocol.shown_centre_y() == doctest::Approx(0.3).epsilon(1e-9));
  CHECK(direct.shown_centre_x() == doctest::Approx(0.1));
  CHECK(direct.shown_centre_y() == doctest::Approx(0.3));
}

TEST_CASE("PGenerator: a placed patch is sent at its top-left pixel and the emulator shows it there") {
  // 4 % of 1920x1080: 384 x 216. Centre (0.25, 0.75) -> top-left (480 - 192, 810 - 108).
  CHECK(pgenerator_rgb_command(placed(4, 0.25, 0.75), 1920, 1080, 8) ==
        "RGB=RECTANGLE;384,216;100;255,255,255;0,0,0;288,702");
  CHECK(pgenerator_rgb_command(placed(4, 1.0, 0.0), 1920, 1080, 8) ==
        "RGB=RECTANGLE;384,216;100;255,255,255;0,0,0;1536,0");
  CHECK(pgenerator_rgb_command(placed(4, 0.5, 0.5), 1920, 1080, 8) ==
        "RGB=RECTANGLE;384,216;100;255,255,255;0,0,0;-1,-1");
  SimulatedClock clock;
  VirtualDisplay display(load_display_model("sim:reference"), clock);
  EmulatedPGenerator pgen(display, PGeneratorOptions{});
  pgen.show(placed(4, 0.25, 0.75));
  CHECK(display.shown_centre_x() == doctest::Approx(0.25));
  CHECK(display.shown_centre_y() == doctest::Approx(0.75));
}
