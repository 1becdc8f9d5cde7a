#include "recall_proof.hpp"

#include "recallbound/error.hpp"

namespace recallbound::cli {

namespace {

// Steps 1-22 of proofs/recall_capacity.proof, verbatim (tests/cli/emit_proof_test.sh compares them).
constexpr const char* theorem_steps = R"(variables S, R
family X, Y over i

1. hypothesis independent X[1..N] || R
2. hypothesis function Y[1..N] : S, R
3. hypothesis mutually independent X[1..N]
4. hypothesis alphabet X[i] size V
5. hypothesis uniform X[i]
6. hypothesis alphabet S bits B
7. hypothesis error e[i] of X[i] from Y[i]
8. hypothesis average eps of e[i]
9. I(X[1..N]; Y[1..N]) <= H(S)                                      by shannon 1, 2
10. H(S) <= B                                                        by cardinality 6
11. H(X[1..N]) = sum[i=1..N](H(X[i]))                                by independence 3
12. H(X[i]) = log2(V)                                                by uniform 5, 4
13. sum[i=1..N](H(X[i])) = N*log2(V)                                 by sum 12
14. H(X[1..N] | Y[1..N]) <= sum[i=1..N](H(X[i] | Y[1..N]))           by subadditivity X | Y[1..N]
15. function Y[i] : Y[1..N]                                          by member
16. H(X[i] | Y[1..N]) <= H(X[i] | Y[i])                              by shannon 15
17. sum[i=1..N](H(X[i] | Y[1..N])) <= sum[i=1..N](H(X[i] | Y[i]))    by sum 16
18. H(X[i] | Y[i]) <= h2(e[i]) + e[i]*log2(V - 1)                     by fano 7, 4
19. sum[i=1..N](H(X[i] | Y[i])) <= sum[i=1..N](h2(e[i]) + e[i]*log2(V - 1))   by sum 18
20. sum[i=1..N](h2(e[i])) <= N*h2(eps)                               by jensen 8
21. N*eps = sum[i=1..N](e[i])                                        by average 8
22. N*D(eps, V) <= B                                                 by linear 9, 10, 11, 13, 14, 17, 19, 20, 21*log2(V - 1)
)";

// Title and comment text is free-form but must stay on its line.
std::string one_line(std::string text) {
  for (char& c : text)
    if (c == '\n' || c == '\r') c = ' ';
  return text;
}

}  // namespace

std::string recall_instance_script(const RecallInstance& in) {
  if (in.pairs.has_value() == in.bits.has_value()) throw Error::internal("recall_instance_script: exactly one of N and B is unknown");
  const std::string v = in.vocab.str(), eps = to_exact_string(in.error);
  std::string s = "recallbound-proof 1\n";
  s += in.bits ? "title Max pairs: N <= " + in.bound.str() + " for V = " + v + ", eps = " + eps + ", B = " + to_exact_string(*in.bits)
               : "title Min state bits: B >= " + in.bound.str() + " for N = " + in.pairs->str() + ", V = " + v + ", eps = " + eps;
  if (!in.subject.empty()) s += " (" + one_line(in.subject) + ")";
  s += "\n# Written by: " + one_line(in.origin) + "\n";
  for (const auto& note : in.notes) s += "# " + one_line(note) + "\n";
  s += "# The recall theorem (proofs/recall_capacity.proof) with numbers for V, eps and " +
       std::string(in.bits ? "B" : "N") + ", then substituted and rounded exactly.\n";
  s += in.pairs ? "symbol N integer >= 1 = " + in.pairs->str() + "\n" : "symbol N integer >= 1\n";
  s += "symbol V integer >= 2 = " + v + "\n";
  s += in.bits ? "symbol B real >= 0 = " + to_exact_string(*in.bits) + "\n" : "symbol B integer >= 0\n";
  s += "symbol eps real >= 0 <= 1 = " + eps + "\n";
  s += "index i in 1..N\nsymbol e[i] real >= 0 <= 1\n";
  s += theorem_steps;
  const std::string n_text = in.pairs ? in.pairs->str() + "*" : "N*";
  const std::string b_text = in.bits ? to_exact_string(*in.bits) : "B";
  s += "23. " + n_text + "D(" + eps + ", " + v + ") <= " + b_text + "    by substitute 22\n";
  s += in.bits ? "24. N <= " + in.bound.str() + "    by max-integer 23\n" : "24. B >= " + in.bound.str() + "    by min-integer 23\n";
  s += "conclude 24\nend\n";
  return s;
}

}  // namespace recallbound::cli
