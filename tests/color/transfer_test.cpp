// Transfer functions against published vectors (ST 2084, BT.1886, BT.2100 HLG) and invariants.
#include <doctest/doctest.h>

#include <cmath>

#include "color/transfer.hpp"
#include "core/error.hpp"
#include "csv_rows.hpp"

using namespace calkit;
using calkit::test::read_vectors;

TEST_CASE("PQ inverse EOTF matches ST 2084 vectors and their 10-bit codes") {
  auto rows = read_vectors("pq_vectors.csv");
  REQUIRE(rows.size() == 31);
  for (const auto& r : rows) {
    double e = pq_inverse_eotf(r.num("nits"));
    INFO("nits " << r.str("nits"));
    CHECK(std::abs(e - r.num("pq_signal")) < 1e-9);
    CHECK(std::lround(1023 * e) == std::stol(r.str("code10_full")));
    CHECK(std::lround(64 + 876 * e) == std::stol(r.str("code10_narrow")));
  }
  CHECK(pq_inverse_eotf(0) == doctest::Approx(std::pow(3424.0 / 4096.0, 78.84375)).epsilon(1e-12));
  CHECK(pq_inverse_eotf(-5) == pq_inverse_eotf(0));  // negatives clamp
}

TEST_CASE("PQ EOTF inverts the ST 2084 vectors") {
  for (const auto& r : read_vectors("pq_vectors.csv")) {
    double nits = r.num("nits");
    INFO("nits " << nits);
    CHECK(std::abs(pq_eotf(r.num("pq_signal")) - nits) < 1e-9 * std::max(1.0, nits));
  }
  CHECK(pq_eotf(0) == 0.0);
  CHECK(pq_eotf(-0.1) == 0.0);
}

TEST_CASE("BT.1886 EOTF matches the Annex 1 vectors (a, b, L) and inverts") {
  auto rows = read_vectors("bt1886_vectors.csv");
  REQUIRE(rows.size() == 50);
  for (const auto& r : rows) {
    Bt1886Eotf eotf(r.num("Lw"), r.num("Lb"));
    INFO("Lw " << r.str("Lw") << " Lb " << r.str("Lb") << " V " << r.str("V"));
    CHECK(std::abs(eotf.a() - r.num("a")) < 1e-8);
    CHECK(std::abs(eotf.b() - r.num("b")) < 1e-10);
    double L = r.num("L_cd_m2");
    CHECK(std::abs(eotf.nits(r.num("V")) - L) < 1e-9 * std::max(1.0, L));
    CHECK(std::abs(eotf.signal(L) - r.num("V")) < 1e-9);
  }
}

TEST_CASE("BT.1886 rejects an impossible display") {
  CHECK_THROWS_AS(Bt1886Eotf(100, 200), InputError);
  CHECK_THROWS_AS(Bt1886Eotf(-1, 0), InputError);
}

TEST_CASE("sRGB EOTF: IEC 61966-2-1 break points and round trip") {
  // IEC 61966-2-1: 0.04045 -> 0.0031308 (both segments meet there), 1 -> 1.
  CHECK(srgb_eotf(0.04045) == doctest::Approx(0.04045 / 12.92));
  CHECK(srgb_eotf(1.0) == doctest::Approx(1.0));
  CHECK(srgb_eotf(0.5) == doctest::Approx(0.21404114048223255).epsilon(1e-12));  // ((0.555)/1.055)^2.4
  for (double v = 0; v <= 1.0; v += 0.01) CHECK(srgb_inverse_eotf(srgb_eotf(v)) == doctest::Approx(v));
  CHECK(gamma_eotf(0.5, 2.2) == doctest::Approx(std::pow(0.5, 2.2)));
  CHECK(gamma_inverse_eotf(gamma_eotf(0.3, 2.6), 2.6) == doctest::Approx(0.3));
}

TEST_CASE("HLG OETF matches colour-science values (oracles.md)") {
  // 0.9999999955 uses the rounded c = 0.55991073; the exact c = 0.5 - a ln(4a) gives 0.99999999507.
  CHECK(std::abs(hlg_oetf(0.18 / 12) - 0.2121320344) < 1e-10);
  CHECK(std::abs(hlg_oetf(1.0) - 0.9999999955) < 1e-9);
  CHECK(hlg_oetf(1.0 / 12) == doctest::Approx(0.5));
  for (double e = 0; e <= 1.0; e += 0.01) CHECK(hlg_inverse_oetf(hlg_oetf(e)) == doctest::Approx(e));
}

TEST_CASE("HLG system gamma follows BT.2100 / BT.2390") {
  CHECK(hlg_system_gamma(1000) == doctest::Approx(1.2));
  CHECK(hlg_system_gamma(2000) == doctest::Approx(1.2 + 0.42 * std::log10(2.0)));
  CHECK(hlg_system_gamma(400) == doctest::Approx(1.2 + 0.42 * std::log10(0.4)));
}

TEST_CASE("HLG EOTF: peak white, black lift and round trip") {
  // Signal 1 on all channels is nominal peak: E = OETF^-1(1) ~ 1 and Ys = 1 -> Lw.
  Vec3 white = hlg_eotf(Vec3::Ones(), 1000);
  CHECK(white.x() == doctest::Approx(1000).epsilon(1e-7));
  // With black lift, signal 0 shows exactly the display black (BT.2100-2 beta definition).
  CHECK(hlg_eotf(Vec3::Zero(), 1000, 0.05).x() == doctest::Approx(0.05).epsilon(1e-12));
  // 75% HLG grey on a 1000 cd/m² display: BT.2408 reference white ~203 cd/m².
  CHECK(hlg_eotf(Vec3::Constant(0.75), 1000).y() == doctest::Approx(203).epsilon(0.01));
  for (double lb : {0.0, 0.01}) {
    Vec3 s{0.2, 0.6, 0.9};
    Vec3 back = hlg_inverse_eotf(hlg_eotf(s, 1500, lb), 1500, lb);
    CHECK((back - s).cwiseAbs().maxCoeff() < 1e-9);
  }
}

TEST_CASE("HLG EOTF matches colour-science eotf_BT2100_HLG_2 (BT.2100-2 black lift)") {
  // colour-science colour/models/rgb/transfer_functions/tests/test_itur_bt_2100.py (places=7).
  CHECK(hlg_eotf(Vec3::Zero(), 1000).y() == doctest::Approx(0.0));
  CHECK(std::abs(hlg_eotf(Vec3::Constant(0.212132034355964), 1000).y() - 6.476039825649814) < 1e-7);
  CHECK(std::abs(hlg_eotf(Vec3::Ones(), 1000).y() - 1000.000032321769100) < 1e-7);
  CHECK(std::abs(hlg_eotf(Vec3::Constant(0.212132034355964), 10000, 0.001, 1.4).y() - 29.581261576946076) < 1e-7);
  CHECK(std::abs(hlg_inverse_eotf(Vec3::Constant(6.476039825649814), 1000).y() - 0.212132034355964) < 1e-9);
  CHECK(std::abs(hlg_inverse_eotf(Vec3::Constant(29.581261576946076), 10000, 0.001, 1.4).y() - 0.212132034355964) <
        1e-9);
}

TEST_CASE("BT.2390 EETF: identity below the knee, peak to peak, monotonic") {
  Bt2390Eetf eetf(0, 4000, 0, 1000);
  double knee = eetf.knee_nits();
  CHECK(knee < 1000);
  CHECK(knee > 100);
  for (double L : {0.0, 0.1, 1.0, 10.0, 100.0, knee * 0.999}) CHECK(eetf.nits(L) == doctest::Approx(L).epsilon(1e-9));
  CHECK(eetf.nits(4000) == doctest::Approx(1000).epsilon(1e-9));
  double prev = -1;
  for (double s = 0; s <= 1.0; s += 0.001) {
    double out = eetf.nits(pq_eotf(s * pq_inverse_eotf(4000)));
    CHECK(out >= prev);
    CHECK(out <= 1000 * (1 + 1e-12));
    prev = out;
  }
  // BT.2390 black-level lift: mastering black lands exactly on the display black.
  Bt2390Eetf lifted(0.005, 1000, 0.05, 500);
  CHECK(lifted.nits(0.005) == doctest::Approx(0.05).epsilon(1e-9));
  // ... and the lift term b (1 - E2)^4 barely moves the peak (BT.2390-4 §5.4 keeps it unclipped).
  CHECK(lifted.nits(1000) >= 500);
  CHECK(lifted.nits(1000) == doctest::Approx(500).epsilon(1e-4));
  // Display at least as bright as the master: nothing to roll off.
  Bt2390Eetf none(0, 1000, 0, 1000);
  CHECK(none.nits(700) == doctest::Approx(700).epsilon(1e-12));
}

TEST_CASE("BT.2390 EETF follows libplacebo's and DisplayCAL's implementations") {
  int libplacebo = 0, displaycal = 0;
  for (const auto& r : read_vectors("bt2390_eetf_vectors.csv")) {
    double mb = r.num("master_black"), mp = r.num("master_peak"), db = r.num("display_black");
    double dp = r.num("display_peak"), in = r.num("in_nits"), want = r.num("out_nits");
    double got = Bt2390Eetf(mb, mp, db, dp).nits(in);
    INFO(r.str("source") << " " << mb << "-" << mp << " onto " << db << "-" << dp << ": " << in << " -> " << want
                         << ", got " << got);
    if (r.str("source") == "libplacebo") {
      CHECK(std::abs(got - want) <= 1e-4 * want);  // float32 golden file
      ++libplacebo;
      continue;
    }
    // DisplayCAL renormalises the lifted peak: below the report by at most b (1 - maxLum)^4 in
    // normalised PQ; its numbers are printed to 6 decimals.
    double range = pq_inverse_eotf(mp) - pq_inverse_eotf(mb);
    double b = std::max(0.0, (pq_inverse_eotf(db) - pq_inverse_eotf(mb)) / range);
    double max_lum = (pq_inverse_eotf(dp) - pq_inverse_eotf(mb)) / range;
    double renormalised = max_lum < 1 ? b * std::pow(1 - max_lum, 4) * range : 0.0;
    double printed = pq_inverse_eotf(want + 5e-7) - pq_inverse_eotf(want);
    CHECK(std::abs(pq_inverse_eotf(got) - pq_inverse_eotf(want)) <= renormalised + printed + 1e-9);
    ++displaycal;
  }
  CHECK(libplacebo == 13);
  CHECK(displaycal == 76);
}

TEST_CASE("PQ inverse EOTF slope is the derivative of the ST 2084 curve") {
  // Invariant: the analytic slope equals a central difference of pq_inverse_eotf itself.
  for (const auto& r : read_vectors("pq_vectors.csv")) {
    double nits = r.num("nits");
    if (nits < 0.01) continue;  // the curve's slope is unbounded at 0
    INFO("nits " << nits);
    double slope = 0;
    CHECK(pq_inverse_eotf_with_slope(nits, &slope) == pq_inverse_eotf(nits));
    double h = 1e-5 * nits;
    double central = (pq_inverse_eotf(nits + h) - pq_inverse_eotf(nits - h)) / (2 * h);
    CHECK(slope == doctest::Approx(central).epsilon(1e-6));
  }
}
