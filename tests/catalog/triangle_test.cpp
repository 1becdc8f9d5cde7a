// The triangle is derived from the formulas: exact growth exponents, the classification of known
// architectures, hybrid paths, and the impossibility check over the whole catalog.
#include "recallbound/catalog/triangle.hpp"

#include "recallbound/error.hpp"

#include <doctest/doctest.h>

using recallbound::Integer;
using namespace recallbound::catalog;

namespace {

TrianglePlace place_of(const std::string& id, const std::vector<std::pair<std::string, std::string>>& sets = {}) {
  return classify(configure(Catalog::builtin().find(id), nullptr, sets));
}

}  // namespace

TEST_CASE("growth: exact exponents of simple functions") {
  CHECK(growth_of([](const Integer& T) { return 3 * T * T + 1000000 * T; }).exponent == 2);
  CHECK(growth_of([](const Integer& T) { return T / 7 + 5; }).exponent == 1);
  CHECK(growth_of([](const Integer&) { return Integer(42); }).exponent == 0);
  CHECK(growth_of([](const Integer& T) { return T < 4096 ? T : Integer(4096); }).exponent == 0);
  CHECK(growth_of([](const Integer&) { return Integer(0); }).vanishes);
  // A huge constant next to a small linear term: the linear term still wins at T = 2^200.
  Integer big = Integer(1) << 120;
  CHECK(growth_of([&](const Integer& T) { return big + T; }).exponent == 1);
  // A quantity whose growth only settles far beyond 2^200 is refused, not guessed.
  Integer late = Integer(1) << 202;
  CHECK_THROWS_AS(growth_of([&](const Integer& T) { return T < late ? T * T : T; }), recallbound::Error);
}

TEST_CASE("triangle: known architectures land where the theory puts them") {
  CHECK(place_of("softmax-attention").label() == "R");
  CHECK(place_of("gqa").label() == "R");
  CHECK(place_of("mla").label() == "R");
  CHECK(place_of("mamba").label() == "E+C");
  CHECK(place_of("mamba2-ssm").label() == "E+C");
  CHECK(place_of("sliding-window-attention").label() == "E+C");
  CHECK(place_of("linear-attention").label() == "E+C");
  CHECK(place_of("rwkv7").label() == "E+C");
  CHECK(place_of("hyena").label() == "R");       // long convolutions keep the inputs
  CHECK(place_of("linformer").label() == "R");   // no recurrent form in causal decoding
  CHECK(place_of("jamba").label() == "R");       // any attention layer makes the cache grow
  CHECK(place_of("jamba", {{"attn_layers", "0"}}).label() == "E+C");
  CHECK(place_of("griffin").label() == "E+C");   // local attention only
  CHECK(place_of("based").label() == "E+C");
  TrianglePlace softmax = place_of("softmax-attention");
  CHECK(softmax.state.exponent == 1);
  CHECK(softmax.cost.exponent == 1);
}

TEST_CASE("triangle: no entry, preset or hybrid path point has all three") {
  std::size_t checked = 0;
  for (const auto& arch : Catalog::builtin().architectures()) {
    std::vector<Configuration> configs{configure(arch, nullptr, {})};
    for (const auto& preset : arch.presets) configs.push_back(configure(arch, &preset, {}));
    for (const auto& config : configs) {
      TrianglePlace place = classify(config);
      CHECK_MESSAGE(!(place.efficiency && place.compactness && place.recall), arch.id);
      // Recall needs state growing at least linearly, which is exactly what compactness forbids.
      CHECK_MESSAGE(place.recall != place.compactness, arch.id);
      ++checked;
    }
    for (const auto& point : trace_path(arch, configs.front())) {
      CHECK_MESSAGE(!(point.place.efficiency && point.place.compactness && point.place.recall), arch.id);
      ++checked;
    }
  }
  CHECK(checked > 100);
}

TEST_CASE("triangle: hybrids declare a path and move from E+C toward R along it") {
  for (const auto& arch : Catalog::builtin().architectures()) {
    if (arch.family != "hybrid") continue;
    REQUIRE_MESSAGE(arch.path.has_value(), arch.id);
    auto path = trace_path(arch, configure(arch, nullptr, {}));
    REQUIRE(path.size() >= 2);
    for (const auto& point : path) {
      double sum = point.point.efficiency + point.point.compactness + point.point.recall;
      CHECK(sum == doctest::Approx(1.0));
      CHECK(point.point.state_slope >= 0.0);
      CHECK(point.point.state_slope <= 1.0);
    }
  }
  // Jamba: the state at a fixed context grows with the attention-layer count, and the
  // classification flips from E+C (no attention) to R.
  const Architecture& jamba = Catalog::builtin().find("jamba");
  auto path = trace_path(jamba, configure(jamba, nullptr, {}));
  CHECK(path.front().value == 0);
  CHECK(path.front().place.label() == "E+C");
  CHECK(path.back().place.label() == "R");
  for (std::size_t i = 1; i < path.size(); ++i) CHECK(path[i].point.state_slope >= path[i - 1].point.state_slope);
}
