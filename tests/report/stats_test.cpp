// Statistics used by the verification summary, against published worked examples.
#include <doctest/doctest.h>

#include <cmath>

#include "report/verification.hpp"

using namespace calkit;

// Microsoft's PERCENTILE.INC documentation: PERCENTILE.INC({1,3,2,4}, 0.3) = 1.9.
TEST_CASE("percentile matches Excel PERCENTILE.INC's documented example") {
  CHECK(percentile({1, 3, 2, 4}, 30) == doctest::Approx(1.9).epsilon(1e-12));
}

// numpy.percentile documentation: a = [[10, 7, 4], [3, 2, 1]]; percentile(a, 50) = 3.5.
TEST_CASE("percentile matches numpy's documented median example") {
  CHECK(percentile({10, 7, 4, 3, 2, 1}, 50) == doctest::Approx(3.5).epsilon(1e-12));
}

TEST_CASE("percentile ends are the minimum and maximum, and empty input is NaN") {
  CHECK(percentile({5, -2, 9}, 0) == -2);
  CHECK(percentile({5, -2, 9}, 100) == 9);
  CHECK(std::isnan(percentile({}, 50)));
}

TEST_CASE("de_stats: mean, median, p95 and worst patch of a known set") {
  // 1..20: mean 10.5, median 10.5, type-7 p95 = 19 + 0.05 * 1 = 19.05 (h = 19 * 0.95 = 18.05).
  std::vector<double> values;
  for (int i = 20; i >= 1; --i) values.push_back(i);
  DeStats s = de_stats(values);
  CHECK(s.count == 20);
  CHECK(s.mean == doctest::Approx(10.5));
  CHECK(s.median == doctest::Approx(10.5));
  CHECK(s.p95 == doctest::Approx(19.05));
  CHECK(s.max == 20);
  CHECK(s.max_index == 0);
}
