// Plug-in, Miller-Madow and Chao-Shen entropy estimators, and the sparse confusion table.
// NSB lives in nsb.cpp.
#include "recallbound/estimators/discrete.hpp"

#include "estimators/nsb.hpp"
#include "recallbound/error.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace recallbound::estimators {
namespace {

constexpr double nats_per_bit = std::numbers::ln2;

struct Occupied {
  std::vector<std::uint64_t> counts;  // non-zero counts only
  std::uint64_t total = 0;
};

Occupied occupied(const std::vector<std::uint64_t>& counts, std::uint64_t alphabet_size) {
  Occupied result;
  for (auto c : counts)
    if (c > 0) {
      result.counts.push_back(c);
      result.total += c;
    }
  if (result.total == 0) throw Error::bad_input("samples: no samples; an entropy estimate needs at least one");
  if (alphabet_size != 0 && alphabet_size < result.counts.size())
    throw Error::bad_input("alphabet size: " + std::to_string(alphabet_size) + " is below the " +
                           std::to_string(result.counts.size()) + " distinct symbols observed");
  return result;
}

double plugin_nats(const Occupied& o) {
  const double n = static_cast<double>(o.total);
  double sum = 0;  // sum c log c, then H = log n - sum / n
  for (auto c : o.counts) {
    const double x = static_cast<double>(c);
    sum += x * std::log(x);
  }
  return std::max(0.0, std::log(n) - sum / n);
}

// Chao & Shen (2003): estimate the sample coverage from singletons, shrink the plug-in
// probabilities by it, and weight each term by the inverse probability the symbol was seen.
double chao_shen_nats(const Occupied& o) {
  const double n = static_cast<double>(o.total);
  double singletons = static_cast<double>(std::count(o.counts.begin(), o.counts.end(), std::uint64_t{1}));
  if (singletons == n) singletons = n - 1;  // coverage 0 would make every term vanish
  const double coverage = 1 - singletons / n;
  double h = 0;
  for (auto c : o.counts) {
    const double pa = coverage * static_cast<double>(c) / n;
    const double seen = -std::expm1(n * std::log1p(-pa));  // 1 - (1 - pa)^n
    if (pa > 0 && seen > 0) h -= pa * std::log(pa) / seen;
  }
  return h;
}

}  // namespace

DiscreteMethod parse_discrete_method(std::string_view name, std::string_view field) {
  if (name == "plugin") return DiscreteMethod::plugin;
  if (name == "mm") return DiscreteMethod::miller_madow;
  if (name == "cs") return DiscreteMethod::chao_shen;
  if (name == "nsb") return DiscreteMethod::nsb;
  throw Error::bad_input(std::string(field) + ": '" + std::string(name) +
                         "' is not a discrete method; use plugin, mm, cs or nsb");
}

std::string method_name(DiscreteMethod method) {
  switch (method) {
    case DiscreteMethod::plugin: return "plugin";
    case DiscreteMethod::miller_madow: return "mm";
    case DiscreteMethod::chao_shen: return "cs";
    case DiscreteMethod::nsb: return "nsb";
  }
  return "?";
}

double entropy_bits(const std::vector<std::uint64_t>& counts, DiscreteMethod method, std::uint64_t alphabet_size) {
  const Occupied o = occupied(counts, alphabet_size);
  double nats = 0;
  switch (method) {
    case DiscreteMethod::plugin: nats = plugin_nats(o); break;
    case DiscreteMethod::miller_madow:
      nats = plugin_nats(o) + static_cast<double>(o.counts.size() - 1) / (2 * static_cast<double>(o.total));
      break;
    case DiscreteMethod::chao_shen: nats = chao_shen_nats(o); break;
    case DiscreteMethod::nsb:
      if (alphabet_size == 0)
        throw Error::bad_input("alphabet size: NSB needs the number of possible symbols (e.g. --vocab)");
      nats = detail::nsb_entropy_nats(o.counts, alphabet_size);
      break;
  }
  return nats / nats_per_bit;
}

NsbPosterior nsb_posterior_bits(const std::vector<std::uint64_t>& counts, std::uint64_t alphabet_size) {
  if (alphabet_size == 0) throw Error::bad_input("alphabet size: NSB needs the number of possible symbols (e.g. --vocab)");
  const Occupied o = occupied(counts, alphabet_size);
  const detail::NsbMoments m = detail::nsb_posterior_nats(o.counts, alphabet_size);
  return {m.mean / nats_per_bit, m.standard_deviation / nats_per_bit};
}

double plugin_bias_bound_bits(std::uint64_t samples, std::uint64_t alphabet_size) {
  if (samples == 0 || alphabet_size == 0) return 0;
  return std::log1p(static_cast<double>(alphabet_size - 1) / static_cast<double>(samples)) / nats_per_bit;
}

void SparseConfusion::add(std::uint64_t x, std::uint64_t y, std::uint64_t count) {
  constexpr std::uint64_t limit = std::uint64_t{1} << 32;
  if (x >= limit || y >= limit)
    throw Error::bad_input("symbol: " + std::to_string(std::max(x, y)) + " is out of range; symbols must be below 2^32");
  if (count == 0) return;
  auto [it, inserted] = cells_.try_emplace(key(x, y), Cell{x, y, 0});
  it->second.count += count;
  x_[x] += count;
  y_[y] += count;
  total_ += count;
}

std::vector<std::uint64_t> SparseConfusion::joint_counts() const {
  std::vector<std::uint64_t> out;
  out.reserve(cells_.size());
  for (const auto& [k, cell] : cells_) out.push_back(cell.count);
  return out;
}

std::vector<std::uint64_t> SparseConfusion::x_counts() const {
  std::vector<std::uint64_t> out;
  for (const auto& [k, c] : x_) out.push_back(c);
  return out;
}

std::vector<std::uint64_t> SparseConfusion::y_counts() const {
  std::vector<std::uint64_t> out;
  for (const auto& [k, c] : y_) out.push_back(c);
  return out;
}

std::vector<SparseConfusion::Cell> SparseConfusion::sorted_cells() const {
  std::vector<Cell> out;
  out.reserve(cells_.size());
  for (const auto& [k, cell] : cells_) out.push_back(cell);
  std::sort(out.begin(), out.end(), [](const Cell& a, const Cell& b) { return a.x != b.x ? a.x < b.x : a.y < b.y; });
  return out;
}

double mutual_information_bits(const SparseConfusion& table, DiscreteMethod method, std::uint64_t x_alphabet,
                               std::uint64_t y_alphabet) {
  std::uint64_t joint_alphabet = 0;
  if (x_alphabet != 0 && y_alphabet != 0) {
    if (x_alphabet > UINT64_MAX / y_alphabet)
      throw Error::bad_input("alphabet size: the joint alphabet exceeds 2^64 symbols");
    joint_alphabet = x_alphabet * y_alphabet;
  }
  // Sort the counts so floating-point sums do not depend on hash-table order.
  auto sorted = [](std::vector<std::uint64_t> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  return entropy_bits(sorted(table.x_counts()), method, x_alphabet) +
         entropy_bits(sorted(table.y_counts()), method, y_alphabet) -
         entropy_bits(sorted(table.joint_counts()), method, joint_alphabet);
}

}  // namespace recallbound::estimators
