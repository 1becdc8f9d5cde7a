#include "prover/symmetry.hpp"

#include "prover/sparse_lp.hpp"

#include <algorithm>
#include <map>
#include <numeric>

namespace recallbound::prover::detail {

namespace {

using Clock = std::chrono::steady_clock;

VariableSet swap_bits(VariableSet set, std::size_t a, std::size_t b) {
  const bool has_a = ((set >> a) & 1U) != 0, has_b = ((set >> b) & 1U) != 0;
  if (has_a == has_b) return set;
  return set ^ ((VariableSet{1} << a) | (VariableSet{1} << b));
}

LinearForm swapped(const LinearForm& form, std::size_t a, std::size_t b) {
  LinearForm result;
  for (const auto& [set, coefficient] : form.coefficients()) result.add(swap_bits(set, a, b), coefficient);
  return result;
}

// An exact text key of a component (sense and form), for multiset comparison.
std::string key_of(const LinearForm& form, bool equality) {
  std::string key = equality ? "=" : ">";
  for (const auto& [set, coefficient] : form.coefficients())
    key += std::to_string(set) + ":" + to_exact_string(coefficient) + ";";
  return key;
}

std::size_t find_root(std::vector<std::size_t>& parent, std::size_t v) {
  while (parent[v] != v) v = parent[v] = parent[parent[v]];
  return v;
}

}  // namespace

VariableBlocks symmetry_blocks(std::size_t m, const LinearForm& target, const std::vector<ReducedComponent>& components) {
  std::vector<std::string> keys;
  std::map<std::string, std::size_t> index_of_key;
  for (std::size_t c = 0; c < components.size(); ++c) {
    keys.push_back(key_of(components[c].form, components[c].equality));
    index_of_key.emplace(keys.back(), c);
  }
  std::vector<std::string> sorted_keys = keys;
  std::sort(sorted_keys.begin(), sorted_keys.end());

  std::vector<std::size_t> parent(m);
  std::iota(parent.begin(), parent.end(), std::size_t{0});
  std::vector<std::pair<std::size_t, std::size_t>> generators;
  for (std::size_t a = 0; a < m; ++a)
    for (std::size_t b = a + 1; b < m; ++b) {
      if (find_root(parent, a) == find_root(parent, b)) continue;  // already in one block
      if (!(swapped(target, a, b) == target)) continue;
      std::vector<std::string> images;
      for (const auto& component : components) images.push_back(key_of(swapped(component.form, a, b), component.equality));
      std::sort(images.begin(), images.end());
      if (images != sorted_keys) continue;
      generators.emplace_back(a, b);
      parent[find_root(parent, b)] = find_root(parent, a);
    }
  VariableBlocks blocks;
  std::map<std::size_t, std::size_t> block_of_root;
  for (std::size_t v = 0; v < m; ++v) {
    const auto [it, inserted] = block_of_root.emplace(find_root(parent, v), block_of_root.size());
    blocks.block_of.push_back(it->second);
  }
  blocks.count = block_of_root.size();
  // Component orbits: closure under the generating transpositions.
  for (std::size_t c = 0; c < components.size(); ++c) {
    std::vector<std::size_t> orbit{index_of_key.at(keys[c])};
    for (std::size_t k = 0; k < orbit.size(); ++k)
      for (const auto& [a, b] : generators) {
        const std::size_t image = index_of_key.at(key_of(swapped(components[orbit[k]].form, a, b), components[orbit[k]].equality));
        if (std::find(orbit.begin(), orbit.end(), image) == orbit.end()) orbit.push_back(image);
      }
    std::sort(orbit.begin(), orbit.end());
    blocks.component_orbit.push_back(std::move(orbit));
  }
  return blocks;
}

std::optional<DirectionOutcome> solve_by_symmetry(std::size_t m, const LinearForm& target,
                                                  const std::vector<ReducedComponent>& components,
                                                  Clock::time_point deadline) {
  const auto start = Clock::now();
  const VariableBlocks blocks = symmetry_blocks(m, target, components);
  if (blocks.trivial()) return std::nullopt;
  const VariableSet full = (VariableSet{1} << m) - 1;

  // Orbit of a set: how many of its variables lie in each block.
  std::map<std::vector<std::size_t>, std::size_t> set_orbit_index;
  std::vector<std::size_t> row_of(full + 1);
  auto block_counts = [&](VariableSet set) {
    std::vector<std::size_t> counts(blocks.count);
    for (std::size_t v = 0; v < m; ++v)
      if (((set >> v) & 1U) != 0) ++counts[blocks.block_of[v]];
    return counts;
  };
  for (VariableSet s = 1; s <= full; ++s)
    row_of[s] = set_orbit_index.emplace(block_counts(s), set_orbit_index.size()).first->second;

  SparseLp lp;
  lp.rows = set_orbit_index.size();
  auto orbit_sum = [&](const std::map<std::size_t, Rational>& dense) {
    SparseVector entries;
    for (const auto& [row, value] : dense)
      if (value != 0) entries.emplace_back(row, value);
    return entries;
  };
  {
    std::map<std::size_t, Rational> t;
    for (const auto& [set, coefficient] : target.coefficients()) t[row_of[set]] += coefficient;
    lp.target = orbit_sum(t);
  }
  // Orbit of an elemental: its kind, the blocks of its pair, and its condition's block counts.
  const auto elementals = elemental_inequalities(m);
  std::map<std::vector<std::size_t>, std::size_t> elemental_orbit_index;
  std::vector<std::vector<std::size_t>> members;
  std::vector<std::map<std::size_t, Rational>> sums;
  for (std::size_t k = 0; k < elementals.size(); ++k) {
    const Elemental& e = elementals[k];
    std::vector<std::size_t> key;
    if (!e.pair) {
      key = {0, blocks.block_of[e.i]};
    } else {
      key = block_counts(e.given);
      const std::size_t bi = blocks.block_of[e.i], bj = blocks.block_of[e.j];
      key.insert(key.begin(), {1, std::min(bi, bj), std::max(bi, bj)});
    }
    const auto [it, inserted] = elemental_orbit_index.emplace(std::move(key), members.size());
    if (inserted) {
      members.emplace_back();
      sums.emplace_back();
    }
    members[it->second].push_back(k);
    const ElementalForm form = elemental_form(e, full);
    for (std::size_t x = 0; x < form.size; ++x) sums[it->second][row_of[form.entries[x].first]] += form.entries[x].second;
  }
  std::vector<std::size_t> column_orbit;  // elemental orbit, or members.size() + component
  for (std::size_t o = 0; o < members.size(); ++o) {
    SparseVector entries = orbit_sum(sums[o]);
    if (entries.empty()) continue;
    lp.columns.push_back({std::move(entries), false});
    column_orbit.push_back(o);
  }
  for (std::size_t c = 0; c < components.size(); ++c) {
    if (blocks.component_orbit[c].front() != c) continue;  // one column per orbit
    std::map<std::size_t, Rational> sum;
    for (std::size_t member : blocks.component_orbit[c])
      for (const auto& [set, coefficient] : components[member].form.coefficients()) sum[row_of[set]] += coefficient;
    SparseVector entries = orbit_sum(sum);
    if (entries.empty()) continue;
    lp.columns.push_back({std::move(entries), components[c].equality});
    column_orbit.push_back(members.size() + c);
  }

  auto lift = [&](const std::vector<Rational>& v) {
    std::vector<Rational> h(full + 1);
    for (VariableSet s = 1; s <= full; ++s) h[s] = v[row_of[s]];
    return h;
  };
  const auto accept = [&](const std::vector<Rational>& v) { return is_counterexample(m, target, components, lift(v)); };
  const double setup_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const LpSolution solution = solve_sparse_lp(lp, deadline, accept);

  DirectionOutcome outcome;
  outcome.rows = lp.rows;
  outcome.columns = lp.columns.size() + 2 * lp.rows;
  outcome.lp_seconds = setup_seconds + solution.lp_seconds;
  outcome.exact_seconds = solution.exact_seconds;
  std::string sizes;
  std::vector<std::size_t> block_sizes(blocks.count);
  for (std::size_t b : blocks.block_of) ++block_sizes[b];
  for (std::size_t size : block_sizes)
    if (size > 1) sizes += (sizes.empty() ? "" : " x ") + std::string("S") + std::to_string(size);
  outcome.reduction = "symmetry " + sizes;
  if (!solution.provable) {
    outcome.point = lift(solution.point);
    return outcome;
  }
  outcome.provable = true;
  for (const auto& [column, multiplier] : solution.multipliers) {
    const std::size_t orbit = column_orbit[column];
    if (orbit < members.size()) {
      for (std::size_t k : members[orbit]) outcome.terms.emplace_back(quantity_of(elementals[k]), multiplier);
    } else {
      for (std::size_t member : blocks.component_orbit[orbit - members.size()])
        outcome.component_multipliers.emplace_back(member, multiplier);
    }
  }
  return outcome;
}

}  // namespace recallbound::prover::detail
