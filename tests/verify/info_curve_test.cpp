// Information curves from one recall run: cloned states, Fano bits per checkpoint, and the
// shapes the theory predicts (a linear rise below capacity, saturation below the state's bits).
#include "recallbound/models/info_curve.hpp"
#include "recallbound/models/model.hpp"
#include "recallbound/verify/check.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace recallbound;
using namespace recallbound::models;

namespace {

RunSpec spec_for(const std::string& arch, std::size_t d, std::int64_t vocab, const std::string& precision,
                 std::size_t trials, EmbeddingKind keys) {
  RunSpec spec;
  spec.model.arch = arch;
  spec.model.d = d;
  spec.model.vocab = vocab;
  spec.model.key_embedding = keys;
  spec.format = parse_storage_format(precision);
  spec.task.vocab = vocab;
  spec.trials = trials;
  spec.seed = 3;
  return spec;
}

verify::Report fano(const RunSpec& spec, const InfoCurve& curve) {
  std::vector<verify::RecallObservation> obs;
  std::vector<verify::StateBits> states;
  for (const auto& p : curve.points) {
    obs.push_back({Integer(p.pairs_written), Integer(value_alphabet_size(spec.task.vocab)), p.queries, p.errors});
    states.push_back({LogForm::constant(Rational(p.state_bits)), "test"});
  }
  return verify::check_rows(obs, states, Rational(99, 100));
}

}  // namespace

TEST_CASE("curve checkpoints are increasing and end at N") {
  CHECK(curve_checkpoints(32, 8) == std::vector<std::int64_t>{4, 8, 12, 16, 20, 24, 28, 32});
  CHECK(curve_checkpoints(5, 8) == std::vector<std::int64_t>{1, 2, 3, 4, 5});
  CHECK(curve_checkpoints(10, 3) == std::vector<std::int64_t>{4, 7, 10});
  CHECK_THROWS_WITH(curve_checkpoints(10, 0), "--points: 0 is out of range; it must be in 1..256");
}

TEST_CASE("a clone carries the state and leaves the original undisturbed") {
  const RunSpec spec = spec_for("softmax-attention", 16, 66, "fp32", 1, EmbeddingKind::gaussian);
  const auto weights = make_weights(spec.model, 1);
  auto model = make_model(spec.model, weights, spec.format);
  for (Token t : {Token{1}, Token{40}, Token{2}, Token{50}}) model->step(t);
  auto twin = model->clone();
  Eigen::VectorXf a(16), b(16);
  twin->step(1);
  twin->read_out(a);
  model->read_out(b);
  model->step(1);
  Eigen::VectorXf c(16);
  model->read_out(c);
  CHECK(a == c);      // the clone reads key 1 exactly as the original does after it
  CHECK(!(a == b));   // and stepping the clone did not advance the original
}

TEST_CASE("below capacity the curve rises as n log2 V: exact recall at every checkpoint, never above the state") {
  // Linear attention with orthonormal keys stores N <= d pairs exactly.
  const std::size_t d = 32;
  const RunSpec spec = spec_for("linear-attention", d, 2 * 32 + 2, "fp32", 20, EmbeddingKind::orthonormal);
  const InfoCurve curve = run_info_curve(spec, 32, curve_checkpoints(32, 8), make_weights(spec.model, spec.seed));
  REQUIRE(curve.points.size() == 8);
  const verify::Report report = fano(spec, curve);
  for (std::size_t j = 0; j < curve.points.size(); ++j) {
    const auto& p = curve.points[j];
    const auto& r = report.rows[j];
    CAPTURE(p.pairs_written);
    CHECK(p.queries == 20 * static_cast<std::uint64_t>(p.pairs_written));
    CHECK(p.errors == 0);
    CHECK(r.bits_estimate.midpoint_double() == doctest::Approx(static_cast<double>(p.pairs_written) * std::log2(33.0)));
    CHECK(r.verdict != verify::Verdict::violation);
    CHECK(r.bits_upper.midpoint_double() < r.state_bits.midpoint_double());
    if (j > 0) CHECK(r.bits_upper.midpoint_double() >= report.rows[j - 1].bits_lower.midpoint_double());
  }
}

TEST_CASE("a compact model driven past capacity rises, then saturates below its state's bits") {
  // d = 32 linear attention with Gaussian keys in fp16 (a 16896-bit state) asked to hold 256 pairs of
  // 8-bit values: interference among the keys caps what its read-outs can reveal.
  const RunSpec spec = spec_for("linear-attention", 32, 514, "fp16", 10, EmbeddingKind::gaussian);
  const InfoCurve curve = run_info_curve(spec, 256, curve_checkpoints(256, 8), make_weights(spec.model, spec.seed));
  const verify::Report report = fano(spec, curve);
  CHECK(report.verdict != verify::Verdict::violation);
  auto bits = [&](std::size_t j) { return report.rows[j].bits_estimate.midpoint_double(); };
  const double state = report.rows.back().state_bits.midpoint_double();
  CHECK(bits(1) > bits(0));            // rising while the memory still separates the keys (n = 32 -> 64)
  CHECK(bits(7) < 1.5 * bits(3));      // saturated: linear growth would double from n = N/2 to N
  for (std::size_t j = 0; j < report.rows.size(); ++j) CHECK(report.rows[j].bits_upper.midpoint_double() < state);
  CHECK(curve.points.back().errors > curve.points.back().queries / 2);  // most reads fail past capacity
}

TEST_CASE("an information curve is identical whatever the number of threads, for both read-outs") {
  for (Readout readout : {Readout::value_codes, Readout::probe}) {
    RunSpec spec = spec_for("deltanet", 8, 130, "bf16", 6, EmbeddingKind::gaussian);
    spec.readout = readout;
    const auto weights = make_weights(spec.model, spec.seed);
    spec.threads = 1;
    const InfoCurve one = run_info_curve(spec, 24, curve_checkpoints(24, 4), weights);
    spec.threads = 3;
    const InfoCurve three = run_info_curve(spec, 24, curve_checkpoints(24, 4), weights);
    for (std::size_t j = 0; j < one.points.size(); ++j) {
      CHECK(one.points[j].errors == three.points[j].errors);
      CHECK(one.points[j].state_numbers == three.points[j].state_numbers);
    }
  }
}
