// Solver targets described for reports, against the published primaries (tests/data/
// primaries_whitepoints.csv: ITU-R BT.709-6, BT.2020-2, SMPTE EG 432-1).
#include <doctest/doctest.h>

#include "report/target_description.hpp"
#include "scenario.hpp"

using namespace calkit;

TEST_CASE("a BT.1886 target is described as Rec.709 primaries, D65, SDR") {
  TargetDescription d = describe_target(target_by_name("bt1886"));
  CHECK(d.red.x == doctest::Approx(0.640));
  CHECK(d.red.y == doctest::Approx(0.330));
  CHECK(d.green.x == doctest::Approx(0.300));
  CHECK(d.blue.y == doctest::Approx(0.060));
  CHECK(d.white.x == doctest::Approx(0.3127));
  CHECK(d.white.y == doctest::Approx(0.3290));
  CHECK(d.eotf == "BT.1886");
  CHECK(d.white_nits == doctest::Approx(100));
  CHECK_FALSE(d.hdr);
}

TEST_CASE("PQ targets are HDR with their gamut's primaries") {
  TargetDescription rec2020 = describe_target(target_by_name("pq-rec2020"));
  CHECK(rec2020.hdr);
  CHECK(rec2020.eotf == "PQ");
  CHECK(rec2020.red.x == doctest::Approx(0.708));
  CHECK(rec2020.green.y == doctest::Approx(0.797));
  TargetDescription p3 = describe_target(target_by_name("pq-p3d65-rec2020"));
  CHECK(p3.red.x == doctest::Approx(0.680));
  CHECK(p3.green.x == doctest::Approx(0.265));
}

TEST_CASE("a display that shows exactly the solver's target verifies with zero error") {
  Target target = target_by_name("bt1886");
  VerificationOptions options;
  options.target = describe_target(target);
  auto result = evaluate(calkit::test::measure(calkit::test::verification_signals(), target_function(target)),
                         target_function(target), options);
  CHECK(result.summary.de2000.max < 1e-9);
  CHECK(result.verdict.pass);
  // BT.1886 at 100 cd/m² with zero black is the 2.4 power law (BT.1886 Annex 1).
  CHECK(result.greyscale.mean_gamma == doctest::Approx(2.4).epsilon(1e-9));
}
