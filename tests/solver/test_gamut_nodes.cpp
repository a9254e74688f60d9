// Every LUT node against the box-clipped inverse of the fitted model, on every built-in display
// and target. The clipped inverse is found by a compass search (box_search.hpp), started from the
// base model's matrix inverse clipped to the box and from the node itself, so it shares nothing
// with the solver's inversion. Its distance to a node's target colour (ICtCp dE ITP units for
// PQ, CIELAB of the target white for SDR) decides:
// - in gamut (within the model's own fit error): the LUT node is no further from the target than
//   the clipped inverse (but for the black node: signal 0 drives 0);
// - outside: the LUT node is at most twice as far (the mapping weighs hue errors double, and
//   that is the most it can cost, solver/invert.hpp);
// - along every LUT edge from a colour the LUT shows to one it maps, the colours shown move by
//   no more than those two bounds allow (3× the target's step plus 3× the tolerance): no cell
//   jumps across the gamut boundary.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "box_search.hpp"
#include "emulators/sim_readings.hpp"
#include "patches/patch_sets.hpp"
#include "sim/virtual_display.hpp"
#include "solver/invert.hpp"
#include "solver/solve.hpp"

using namespace calkit;

namespace {

// dE: what the inversions leave, one tenth of a just-noticeable difference (they can stop on the
// ridge where the white term's min() switches channels, a kink no derivative sees across).
constexpr double kSlack = 0.1;

void check_nodes(const std::string& display, const std::string& target_name) {
  bool hdr_display = load_display_model(display).eotf == PanelEotf::Pq;
  bool hdr = target_name != "bt1886";
  PatchSet patches = recommended_patch_set(hdr, 500);
  if (hdr_display && !hdr) scale_for_sdr_on_pq_input(patches, 100);
  SolveOptions options;
  options.lut_size = 17;
  SolveResult r =
      solve(read_with_sim_probe(load_display_model(display), patches.rgb), target_by_name(target_name), options);
  DeviceMapper mapper(r.model, r.target, r.fit.model_rms);  // for its space only
  const PerceptualSpace& space = mapper.space();
  const double tolerance = r.fit.model_rms;
  const int n = r.lut.size;
  std::vector<Vec3> wanted(r.lut.table.size()), shown(r.lut.table.size());
  std::vector<char> in_gamut(r.lut.table.size(), 0), checked(r.lut.table.size(), 0);
  int inside = 0, outside = 0;
  double worst_inside = -1e9, worst_ratio = 0;
  for (int b = 0; b < n; ++b)
    for (int g = 0; g < n; ++g)
      for (int red = 0; red < n; ++red) {
        int i = red + n * (g + n * b);
        Vec3 T = r.target.XYZ(Vec3(red, g, b) / double(n - 1));
        wanted[i] = space.from_XYZ(T);
        const Vec3& node = r.lut.table[i];
        shown[i] = space.from_XYZ(r.model.XYZ(node));
        if (!r.target.inside_gamut_limit(T)) continue;  // P3 content: Rec.2020 colours are not asked for
        if (i == 0) continue;  // signal 0 drives 0 by definition (solve.cpp), not by an inversion
        checked[i] = 1;
        double d_lut = (shown[i] - wanted[i]).norm();
        if (d_lut <= kSlack) {
          in_gamut[i] = 1;
          ++inside;
          continue;
        }
        test::BoxSearch clip = test::nearest_in_box(r.model, space, wanted[i], {r.model.initial_rgb(T), node});
        INFO(display << " " << target_name << " node (" << red << " " << g << " " << b << ") LUT " << d_lut
                     << " clipped inverse " << clip.distance << " tolerance " << tolerance);
        if (clip.distance <= tolerance) {
          in_gamut[i] = 1;
          ++inside;
          worst_inside = std::max(worst_inside, d_lut - clip.distance);
          CHECK(d_lut <= clip.distance + kSlack);
        } else {
          ++outside;
          worst_ratio = std::max(worst_ratio, d_lut / clip.distance);
          CHECK(d_lut <= 2 * clip.distance + kSlack);
        }
      }
  // No edge from a node the LUT shows to one it maps jumps.
  int crossings = 0;
  double worst_jump = 0;
  for (int i = 0; i < n * n * n; ++i)
    for (int step : {1, n, n * n}) {
      int j = i + step;
      bool wraps = (step == 1 && i % n == n - 1) || (step == n && (i / n) % n == n - 1) || j >= n * n * n;
      if (wraps || !checked[i] || !checked[j] || in_gamut[i] == in_gamut[j]) continue;
      ++crossings;
      double moved = (shown[i] - shown[j]).norm(), asked = (wanted[i] - wanted[j]).norm();
      double bound = 3 * asked + 3 * (tolerance + kSlack);
      worst_jump = std::max(worst_jump, moved / bound);
      INFO(display << " " << target_name << " edge " << i << "-" << j << " shown moves " << moved << " for " << asked);
      CHECK(moved <= bound);
    }
  MESSAGE(display << " " << target_name << ": " << inside << " nodes in gamut (worst excess over the clipped inverse "
                  << worst_inside << "), " << outside << " mapped (worst ratio to it " << worst_ratio << "), "
                  << crossings << " boundary edges (worst jump " << worst_jump << " of its bound); tolerance "
                  << tolerance);
  CHECK(inside > 200);
}

void check_display(const std::string& display) {
  std::vector<std::string> targets{"bt1886"};
  if (load_display_model(display).eotf == PanelEotf::Pq)
    targets = {"pq-p3d65", "pq-rec2020", "pq-p3d65-rec2020", "bt1886"};
  for (const std::string& t : targets) check_nodes(display, t);
}

}  // namespace

TEST_CASE("gamut nodes: sim:reference, every node against the clipped inverse") { check_display("sim:reference"); }
TEST_CASE("gamut nodes: sim:ips-lcd, every node against the clipped inverse") { check_display("sim:ips-lcd"); }
TEST_CASE("gamut nodes: sim:projector, every node against the clipped inverse") { check_display("sim:projector"); }
TEST_CASE("gamut nodes: sim:woled-tv, every node against the clipped inverse") { check_display("sim:woled-tv"); }
TEST_CASE("gamut nodes: sim:qdoled-hdr, every node against the clipped inverse") { check_display("sim:qdoled-hdr"); }
TEST_CASE("gamut nodes: sim:miniled-hdr, every node against the clipped inverse") { check_display("sim:miniled-hdr"); }

TEST_CASE("gamut nodes: the test covers every built-in display") { CHECK(builtin_display_names().size() == 6); }
