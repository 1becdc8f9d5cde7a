#include "recallbound/catalog/triangle.hpp"

#include "recallbound/error.hpp"

#include <algorithm>
#include <cmath>

namespace recallbound::catalog {
namespace {

// Large enough that lower-order terms cannot move the ratio by a factor of 2^(1/2) for any
// coefficient a catalog formula can reasonably have (coefficients up to 2^100 relative).
constexpr unsigned growth_probe_exponent = 200;

Integer power_of_two(unsigned k) {
  Integer value = 1;
  value <<= k;
  return value;
}

// The integer d with 2^(2d - 1) < (a/b)^2 < 2^(2d + 1), decided exactly; a, b > 0.
std::int64_t nearest_exponent(const Integer& a, const Integer& b) {
  Integer a2 = a * a, b2 = b * b;
  // Start from bit lengths and adjust; exponents are small (|d| <= a few).
  std::int64_t d = static_cast<std::int64_t>(boost::multiprecision::msb(a)) -
                   static_cast<std::int64_t>(boost::multiprecision::msb(b));
  auto below = [&](std::int64_t twice_plus) {  // (a/b)^2 < 2^twice_plus
    if (twice_plus >= 0) return a2 < (b2 << static_cast<unsigned>(twice_plus));
    return (a2 << static_cast<unsigned>(-twice_plus)) < b2;
  };
  while (!below(2 * d + 1)) ++d;
  while (below(2 * d - 1)) --d;
  return d;
}

double slope_between(const Integer& low, const Integer& high, double decades) {
  if (low <= 0 || high <= 0) return 0.0;
  double ratio = std::log2(to_display_double(Rational(high))) - std::log2(to_display_double(Rational(low)));
  return std::clamp(ratio / decades, 0.0, 1.0);
}

}  // namespace

std::string Growth::to_string() const {
  if (vanishes) return "0";
  return "T^" + std::to_string(exponent);
}

std::string TrianglePlace::label() const {
  std::string out;
  if (efficiency) out += "E";
  if (compactness) out += out.empty() ? "C" : "+C";
  if (recall) out += out.empty() ? "R" : "+R";
  return out.empty() ? "none" : out;
}

Growth growth_of(const std::function<Integer(const Integer&)>& f) {
  std::vector<Integer> values;
  for (unsigned k = growth_probe_exponent; k <= growth_probe_exponent + 3; ++k) values.push_back(f(power_of_two(k)));
  if (std::all_of(values.begin(), values.end(), [](const Integer& v) { return v == 0; })) return {true, 0};
  if (std::any_of(values.begin(), values.end(), [](const Integer& v) { return v <= 0; }))
    throw Error::bad_input("growth in T: the quantity is negative for large T; check the formulas");
  std::int64_t exponent = nearest_exponent(values[1], values[0]);
  for (std::size_t i = 2; i < values.size(); ++i)
    if (nearest_exponent(values[i], values[i - 1]) != exponent)
      throw Error::limit("growth in T: the doubling ratio f(2T)/f(T) still changes beyond T = 2^" +
                         std::to_string(growth_probe_exponent) +
                         "; the triangle needs formulas whose growth has settled by then");
  return {false, exponent};
}

TrianglePlace classify(const Configuration& configuration) {
  TrianglePlace place;
  place.state = growth_of([&](const Integer& T) { return state_numbers(configuration, T); });
  place.cost = growth_of([&](const Integer& T) { return madds_per_token(configuration, T); });
  place.efficiency = place.cost.vanishes || place.cost.exponent <= 0;
  place.compactness = place.state.vanishes || place.state.exponent <= 0;
  place.recall = !place.state.vanishes && place.state.exponent >= 1;
  return place;
}

FigurePoint figure_point(const Configuration& configuration) {
  const Integer low = power_of_two(10), high = power_of_two(20);
  FigurePoint point;
  point.state_slope = slope_between(state_numbers(configuration, low), state_numbers(configuration, high), 10.0);
  point.cost_slope = slope_between(madds_per_token(configuration, low), madds_per_token(configuration, high), 10.0);
  double e = 1.0 - point.cost_slope, c = 1.0 - point.state_slope, r = point.state_slope;
  double sum = e + c + r;  // >= 1 since c + r = 1
  point.efficiency = e / sum;
  point.compactness = c / sum;
  point.recall = r / sum;
  return point;
}

std::vector<PathPoint> trace_path(const Architecture& architecture, const Configuration& base) {
  std::vector<PathPoint> out;
  if (!architecture.path) return out;
  for (const auto& value : architecture.path->values) {
    std::vector<std::pair<std::string, std::string>> overrides;
    for (const auto& p : base.parameters)
      overrides.emplace_back(p.name, to_exact_string(p.name == architecture.path->parameter ? value : p.value));
    Configuration config = configure(architecture, base.preset, overrides);
    out.push_back({value, classify(config), figure_point(config)});
  }
  return out;
}

}  // namespace recallbound::catalog
