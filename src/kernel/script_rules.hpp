#pragma once
// The rules of proof scripts (proofs/README.md, "Rules of proof scripts"). Each rule checks one
// step against the facts of earlier steps and throws RuleFailure when the step does not follow.
#include "kernel/script_parse.hpp"
#include "recallbound/kernel/script.hpp"

#include <map>
#include <string>

namespace recallbound::kernel::script {

struct RuleFailure {
  std::size_t column = 0;
  std::string message;
};

class RuleChecker {
 public:
  RuleChecker(const Script& script, const CertificateSource& certificates);

  /// Throws RuleFailure if the declarations break a side condition (a value out of its range).
  void check_declarations(std::size_t& failed_line) const;
  /// Throws RuleFailure if `line` does not follow from the earlier lines by its rule.
  void check(const Line& line);
  [[nodiscard]] std::size_t certificates_checked() const { return certificates_checked_; }

  // Helpers shared by the rules (script_rules_*.cpp).
  /// The earlier step a citation names; its free indices must be free in `line` too, unless
  /// `binds_index` (the sum rule binds the index it sums over).
  [[nodiscard]] const Line& cited(const Line& line, const Citation& citation, bool binds_index = false) const;
  [[nodiscard]] const Line& only_citation(const Line& line, std::size_t count, std::size_t which = 0) const;
  [[nodiscard]] std::optional<Rational> lower_bound(const Poly& term) const;
  [[nodiscard]] bool nonnegative(const Poly& term, bool strictly) const;
  [[nodiscard]] bool integer_valued(const Poly& term) const;
  [[nodiscard]] bool is_probability_symbol(const Poly& term) const;
  [[nodiscard]] const Poly& index_upper(const std::string& index) const;

 private:
  void shannon(const Line& line);
  void linear(const Line& line, bool numeric_only);
  void integer_rounding(const Line& line, bool maximum);
  void schema(const Line& line);

  const Script& script_;
  const CertificateSource& certificates_;
  std::map<std::size_t, const Line*> done_;
  std::map<std::string, Rational> values_;
  std::size_t certificates_checked_ = 0;
};

/// The readable statement of a claim, for failure messages.
std::string claim_text(const Claim& claim);
std::set<std::string> claim_indices(const Claim& claim);

}  // namespace recallbound::kernel::script
