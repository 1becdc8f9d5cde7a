#include "prover/zero_closure.hpp"

#include <bit>

namespace recallbound::prover::detail {

namespace {

VariableSet bit(std::size_t v) { return VariableSet{1} << v; }
bool disjoint(VariableSet a, VariableSet b) { return (a & b) == 0; }
// Elemental counts stay far below 2^32 within the prover's --max-variables limit (24).
std::uint32_t narrow(std::size_t value) { return static_cast<std::uint32_t>(value); }

// The largest set of a form (by size, then mask): where a CI has -1 and H(U|S) has +1.
VariableSet largest_set(const LinearForm& form) {
  VariableSet best = 0;
  for (const auto& entry : form.coefficients()) {
    const auto size = std::popcount(entry.first), best_size = std::popcount(best);
    if (size > best_size || (size == best_size && entry.first > best)) best = entry.first;
  }
  return best;
}

Quantity mutual(VariableSet a, VariableSet b, VariableSet c) { return {false, a, b, c}; }
Quantity entropy(VariableSet a, VariableSet c) { return {true, a, 0, c}; }

}  // namespace

void Expansion::add(const Expansion& other, const Rational& factor) {
  for (const auto& [quantity, value] : other.terms) terms[quantity] += factor * value;
  for (const auto& [component, value] : other.uses) uses[component] += factor * value;
}

std::optional<ZeroFact> recognise_zero_fact(const LinearForm& form, std::size_t component) {
  if (form.is_zero()) return std::nullopt;
  const VariableSet u = largest_set(form);
  const Rational top = form.coefficients().at(u);
  ZeroFact fact;
  fact.component = component;
  if (top > 0) {  // scale * (H(U) - H(S)), S a proper subset of U (or absent)
    fact.scale = top;
    fact.functional = true;
    fact.u = u;
    for (const auto& [set, coefficient] : form.coefficients()) {
      if (set == u) continue;
      if (coefficient != -top || fact.s != 0 || (set & ~u) != 0) return std::nullopt;
      fact.s = set;
    }
    return fact;
  }
  fact.scale = -top;  // scale * (sum of +1 sets, -1 on U [, -1 on C])
  std::vector<VariableSet> plus;
  VariableSet minus_other = 0;
  for (const auto& [set, coefficient] : form.coefficients()) {
    if (set == u) continue;
    if (coefficient == fact.scale) {
      plus.push_back(set);
    } else if (coefficient == -fact.scale && minus_other == 0) {
      minus_other = set;
    } else {
      return std::nullopt;
    }
  }
  if (plus.size() < 2) return std::nullopt;
  if (minus_other != 0 || plus.size() == 2) {  // I(X-C; Y-C | C) with X u Y = U, X n Y = C
    if (plus.size() != 2) return std::nullopt;
    const VariableSet x = plus[0], y = plus[1], c = minus_other;
    if ((x | y) != u || (x & y) != c || x == c || y == c) return std::nullopt;
    fact.parts.push_back({x & ~c, y & ~c, c});
    return fact;
  }
  VariableSet seen = 0;  // independence: disjoint sets covering U; sum_j I(S_j; S_1..S_{j-1})
  for (VariableSet set : plus) {
    if (!disjoint(seen, set)) return std::nullopt;
    if (seen != 0) fact.parts.push_back({set, seen, 0});
    seen |= set;
  }
  if (seen != u) return std::nullopt;
  return fact;
}

ZeroClosure::ZeroClosure(std::size_t m, const std::vector<ReducedComponent>& components)
    : m_(m), full_((VariableSet{1} << m) - 1), elementals_(elemental_inequalities(m)) {
  for (std::size_t c = 0; c < components.size(); ++c) {
    if (!components[c].equality) continue;
    if (auto fact = recognise_zero_fact(components[c].form, c)) facts_.push_back(std::move(*fact));
  }
  if (facts_.empty()) return;
  reason_.resize(elementals_.size());
  for (std::size_t f = 0; f < facts_.size(); ++f) mark_fact(f);
  close();
}

std::size_t ZeroClosure::pair(std::size_t i, std::size_t j, VariableSet given) const {
  return i < j ? pair_elemental_index(m_, i, j, given) : pair_elemental_index(m_, j, i, given);
}

void ZeroClosure::mark(std::size_t elemental, const Reason& reason) {
  if (reason_[elemental].kind != Kind::none) return;
  reason_[elemental] = reason;
  ++count_;
  if (elementals_[elemental].pair) queue_.push_back(elemental);
}

void ZeroClosure::mark_fact(std::size_t f) {
  const ZeroFact& fact = facts_[f];
  if (fact.functional) {  // H(t|K) = 0 for t in U - S and K containing S, so I(t;x|K) = 0 too
    const VariableSet t_set = fact.u & ~fact.s;
    for (std::size_t t = 0; t < m_; ++t) {
      if ((t_set & bit(t)) == 0) continue;
      mark(t, {Kind::functional, narrow(f)});
      for (std::size_t x = 0; x < m_; ++x) {
        if (x == t || (fact.s & bit(x)) != 0) continue;
        const VariableSet rest = full_ & ~(fact.s | bit(t) | bit(x));
        for (VariableSet r = 0;; r = ((r | ~rest) + 1) & rest) {
          mark(pair(t, x, fact.s | r), {Kind::functional, narrow(f)});
          if (r == rest) break;
        }
      }
    }
    return;
  }
  for (std::size_t p = 0; p < fact.parts.size(); ++p) {  // every elemental of I(A;B|C)'s expansions
    const auto& part = fact.parts[p];
    for (std::size_t a = 0; a < m_; ++a) {
      if ((part.a & bit(a)) == 0) continue;
      for (std::size_t b = 0; b < m_; ++b) {
        if ((part.b & bit(b)) == 0) continue;
        const VariableSet rest = (part.a | part.b) & ~(bit(a) | bit(b));
        for (VariableSet r = 0;; r = ((r | ~rest) + 1) & rest) {
          mark(pair(a, b, part.c | r), {Kind::part, narrow(f), narrow(p)});
          if (r == rest) break;
        }
      }
    }
  }
}

void ZeroClosure::close() {
  // I(p;x|K) + I(p;y|xK) = I(p;y|K) + I(p;x|yK): a side that is all 0 makes the other side 0.
  auto try_side = [&](std::size_t known, std::size_t partner, std::size_t new1, std::size_t new2) {
    if (!is_zero(partner) || (is_zero(new1) && is_zero(new2))) return;
    mark(new1, {Kind::rule, 0, 0, narrow(known), narrow(partner), narrow(new2)});
    mark(new2, {Kind::rule, 0, 0, narrow(known), narrow(partner), narrow(new1)});
  };
  for (std::size_t head = 0; head < queue_.size(); ++head) {
    const Elemental z = elementals_[queue_[head]];
    const std::size_t index = queue_[head];
    for (const auto& [p, q] : {std::pair{z.i, z.j}, std::pair{z.j, z.i}}) {
      for (std::size_t y = 0; y < m_; ++y) {  // z = I(p;q|K), K = given; the third variable y
        if (y == p || y == q || (z.given & bit(y)) != 0) continue;
        try_side(index, pair(p, y, z.given | bit(q)), pair(p, y, z.given), pair(p, q, z.given | bit(y)));
      }
      for (std::size_t x = 0; x < m_; ++x) {  // z = I(p;q|xK), x in the condition
        if ((z.given & bit(x)) == 0) continue;
        const VariableSet k = z.given & ~bit(x);
        try_side(index, pair(p, x, k), pair(p, q, k), pair(p, x, k | bit(q)));
      }
    }
  }
}

const Expansion& ZeroClosure::negation(std::size_t elemental) {
  if (const auto it = negations_.find(elemental); it != negations_.end()) return it->second;
  const Reason reason = reason_[elemental];
  const Elemental& e = elementals_[elemental];
  Expansion result;
  auto add_term = [&](const Quantity& q) { result.terms[q] += 1; };
  switch (reason.kind) {
    case Kind::part: {
      // -I(a;b|K) = I(A';B|C) + I(A-A';B'|CA') + I(A-A'-a;B-B'|Ka) + I(a;B-B'-b|Kb) + other parts - given/scale
      const ZeroFact& fact = facts_[reason.fact];
      for (std::size_t p = 0; p < fact.parts.size(); ++p) {
        const auto& part = fact.parts[p];
        if (p != reason.part) {
          add_term(mutual(part.a, part.b, part.c));
          continue;
        }
        const bool i_in_a = (part.a & bit(e.i)) != 0;
        const VariableSet a = bit(i_in_a ? e.i : e.j), b = bit(i_in_a ? e.j : e.i);
        const VariableSet a_in = e.given & part.a, b_in = e.given & part.b;
        if (a_in != 0) add_term(mutual(a_in, part.b, part.c));
        if (b_in != 0) add_term(mutual(part.a & ~a_in, b_in, part.c | a_in));
        if ((part.a & ~a_in & ~a) != 0) add_term(mutual(part.a & ~a_in & ~a, part.b & ~b_in, e.given | a));
        if ((part.b & ~b_in & ~b) != 0) add_term(mutual(a, part.b & ~b_in & ~b, e.given | b));
      }
      result.uses[fact.component] -= 1 / fact.scale;
      break;
    }
    case Kind::functional: {
      // -I(t;x|K) = H(t|xK) + I(t;K-S|S) + H(T-t|S,t) - given/scale; -H(t|N-t) likewise with x absent
      const ZeroFact& fact = facts_[reason.fact];
      const VariableSet t_set = fact.u & ~fact.s;
      std::size_t t = e.i;
      VariableSet k = e.given;
      if (e.pair) {
        const bool i_is_t = (t_set & bit(e.i)) != 0 && (fact.s & ~e.given) == 0;
        t = i_is_t ? e.i : e.j;
        const std::size_t x = i_is_t ? e.j : e.i;
        add_term(entropy(bit(t), e.given | bit(x)));
      }
      if ((k & ~fact.s) != 0) add_term(mutual(bit(t), k & ~fact.s, fact.s));
      if ((t_set & ~bit(t)) != 0) add_term(entropy(t_set & ~bit(t), fact.s | bit(t)));
      result.uses[fact.component] -= 1 / fact.scale;
      break;
    }
    case Kind::rule: {
      // known + known_partner = this + new_partner, both known ones 0
      add_term(quantity_of(elementals_[reason.new_partner]));
      result.add(negation(reason.known), 1);
      result.add(negation(reason.known_partner), 1);
      break;
    }
    case Kind::none:
      break;
  }
  return negations_.emplace(elemental, std::move(result)).first->second;
}

}  // namespace recallbound::prover::detail
