#include "rational_log_oracle.hpp"

#include "recallbound/error.hpp"
#include "recallbound/exact/log_form.hpp"

#include <doctest/doctest.h>

#include <random>

using namespace recallbound;

namespace {
LogForm lg(long long a, Rational c = 1) { return LogForm::log2_of(Rational(a), c); }
LogForm lg(const Rational& a, Rational c = 1) { return LogForm::log2_of(a, c); }
}  // namespace

TEST_CASE("exact_rational recognises forms that are rational, and only those") {
  CHECK(lg(8).exact_rational() == Rational(3));
  CHECK((lg(6) - lg(3)).exact_rational() == Rational(1));
  CHECK((lg(9, Rational(1, 2)) - lg(3)).exact_rational() == Rational(0));
  CHECK((lg(27, Rational(1, 3)) - lg(3)).exact_rational() == Rational(0));
  CHECK((lg(Rational(1, 1024))).exact_rational() == Rational(-10));
  CHECK((lg(12) + lg(Rational(1, 3))).exact_rational() == Rational(2));
  CHECK((lg(36, Rational(1, 2)) - lg(6) + LogForm::constant(Rational(5, 7))).exact_rational() == Rational(5, 7));
  CHECK_FALSE(lg(3).exact_rational().has_value());
  CHECK_FALSE((lg(6) - lg(2)).exact_rational().has_value());
  CHECK_FALSE((lg(10) - lg(5, 2)).exact_rational().has_value());  // log2(10/25)
  CHECK_FALSE((lg(15) - lg(3) - lg(7)).exact_rational().has_value());
  // Many bases sharing factors: 2^a 3^b 5^c built in different ways.
  CHECK((lg(60) + lg(45) - lg(2700)).exact_rational() == Rational(0));
  CHECK_FALSE((lg(60) + lg(45) - lg(2701)).exact_rational().has_value());
}

TEST_CASE("sign is exact, including for forms equal to zero") {
  CHECK((lg(9, Rational(1, 2)) - lg(3)).sign() == 0);
  CHECK((lg(3) - LogForm::constant(Rational(158496, 100000))).sign() == 1);  // log2 3 = 1.58496250...
  CHECK((lg(3) - LogForm::constant(Rational(158497, 100000))).sign() == -1);
  // log2(3) - 1054/665 ~ 4.4e-7 (a convergent); 12 digits closer still:
  CHECK((lg(3) - LogForm::constant(Rational(Integer("1584962500721156"), Integer("1000000000000000")))).sign() == 1);
  CHECK((lg(3) - LogForm::constant(Rational(Integer("1584962500721157"), Integer("1000000000000000")))).sign() == -1);
  DecisionTrace trace;
  CHECK((lg(6) - lg(3) - LogForm::constant(Rational(1))).sign(&trace) == 0);
  CHECK(trace.used_exact_zero_test);
}

TEST_CASE("enclosures of random forms contain the oracle value") {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 100; ++i) {
    LogForm form = LogForm::constant(Rational(static_cast<long>(rng() % 1000) - 500, 7));
    Rational oracle_lo = form.constant_part(), oracle_hi = form.constant_part();
    for (int t = 0; t < 3; ++t) {
      Rational arg(static_cast<long>(rng() % 100000) + 1, static_cast<long>(rng() % 1000) + 1);
      Rational c(static_cast<long>(rng() % 200) - 100, static_cast<long>(rng() % 50) + 1);
      form += LogForm::log2_of(arg, c);
      auto [lo, hi] = test::log2_bounds(arg);
      oracle_lo += c >= 0 ? c * lo : c * hi;
      oracle_hi += c >= 0 ? c * hi : c * lo;
    }
    Interval value = form.enclose(80);
    CHECK(value.lower() <= oracle_lo);
    CHECK(oracle_hi <= value.upper());
  }
}

TEST_CASE("floor and ceil are exact at integers and just beside them") {
  CHECK(floor_exact(lg(8)) == 3);
  CHECK(ceil_exact(lg(8)) == 3);
  CHECK(floor_exact(lg(8) * Rational(-1)) == -3);
  // 10 * log2(2^(1/10)) style: log2(1024)/10 = 1 exactly, though no term is rational on its own.
  CHECK(floor_exact(lg(1024, Rational(1, 10))) == 1);
  CHECK(ceil_exact(lg(1024, Rational(1, 10))) == 1);
  // log2(3) * 665 = 1054.0000002...; log2(3) * 306 = 484.99997...
  CHECK(floor_exact(lg(3, 665)) == 1054);
  CHECK(ceil_exact(lg(3, 665)) == 1055);
  CHECK(floor_exact(lg(3, 306)) == 484);
  CHECK(ceil_exact(lg(3, 306)) == 485);
}

TEST_CASE("floor of a ratio within 1e-30 of an integer is decided on the right side") {
  // D = log2 3. Convergents p/q of log2 3 make p / D within ~1/q of q; shift by +-1e-30 relative.
  const Rational tiny(1, Integer("1000000000000000000000000000000"));
  LogForm d = lg(3);
  DecisionTrace trace;
  // Exactly k * D with k = 10^6: floor(k D / D) = k, reached through the exact zero test.
  CHECK(floor_ratio_exact(d * Rational(1000000), d, &trace) == 1000000);
  CHECK(trace.used_exact_zero_test);
  // k * D * (1 - 1e-30) and k * D * (1 + 1e-30).
  DecisionTrace below, above;
  CHECK(floor_ratio_exact(d * (Rational(1000000) * (1 - tiny)), d, &below) == 999999);
  CHECK(floor_ratio_exact(d * (Rational(1000000) * (1 + tiny)), d, &above) == 1000000);
  CHECK(below.precision_bits >= 128);  // 64 bits cannot see 1e-30
}

TEST_CASE("a non-positive denominator is an internal error, not a wrong answer") {
  CHECK_THROWS_AS((void)floor_ratio_exact(lg(3), lg(3) - lg(3)), Error);
}
