// `prove` (the Shannon-type inequality prover) and `check-cert` (the trusted kernel alone).
#include "command.hpp"
#include "output.hpp"

#include "recallbound/error.hpp"
#include "recallbound/kernel/certificate.hpp"
#include "recallbound/prover/prover.hpp"
#include "recallbound/prover/render.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace recallbound::cli {

namespace {

constexpr int exit_not_provable = 10;
constexpr int exit_rejected = 10;

constexpr const char* prove_footer =
    "Expressions (full minitip style): H(X,Y|Z), I(X;Y|Z), I(X;Y;Z) (interaction information),\n"
    "[A;B;C;D] (Ingleton), D(A;B;C); rational coefficients 3*, 1/2*, 0.25; relations >=, <=, =.\n"
    "Givens: a relation, a Markov chain 'X -> Y -> Z' (or X/Y/Z), mutual independence 'X || Y || Z'\n"
    "(or X . Y . Z), functional dependence 'Y : X' (Y is a function of X); lists like 'X1,X2'.\n"
    "'Not provable' means: not a consequence of the Shannon inequalities and the givens. It does not\n"
    "mean false (Zhang-Yeung is valid but not Shannon-type).\n"
    "Exit codes: 0 proved, 10 not provable (counterexample found), 2 bad input,\n"
    "3 a time or size limit was hit, 1 internal error.";

nlohmann::json quantity_json(const kernel::Certificate& c) {
  nlohmann::json proof = nlohmann::json::array();
  for (const auto& block : c.blocks) {
    nlohmann::json terms = nlohmann::json::array(), uses = nlohmann::json::array();
    for (const auto& term : block.terms)
      terms.push_back({{"multiplier", to_exact_string(term.multiplier)}, {"quantity", term.quantity.text(c.problem.variables)}});
    for (const auto& use : block.uses)
      uses.push_back({{"given", use.given}, {"component", use.component}, {"multiplier", to_exact_string(use.multiplier)}});
    proof.push_back({{"direction", kernel::direction_name(block.direction)}, {"terms", terms}, {"uses", uses}});
  }
  return proof;
}

int run_prove(const std::string& goal, const std::vector<std::string>& givens, const std::string& cert_path, bool latex,
              bool json, const prover::ProverOptions& options) {
  const kernel::Problem problem = kernel::make_problem(goal, givens);
  const prover::ProverResult result = prover::prove(problem, options);
  const kernel::Certificate& c = result.certificate;
  if (!cert_path.empty())
    write_atomically(cert_path, [&](std::ostream& out) { out << kernel::write_certificate(c); });
  const auto& s = result.statistics;
  if (json) {
    nlohmann::json out = {{"command", "prove"},
                          {"goal", goal},
                          {"givens", givens},
                          {"variables", problem.variables},
                          {"verdict", result.proved ? "proved" : "not-provable"},
                          {"merged_variables", result.merged_groups},
                          {"kernel", {{"verified", result.verdict.verified}, {"checks", result.verdict.checks},
                                      {"digest", result.verdict.digest}}},
                          {"statistics", {{"variables", s.variables}, {"merged_variables", s.merged_variables},
                                          {"lp_rows", s.lp_rows}, {"lp_columns", s.lp_columns},
                                          {"lp_seconds", s.lp_seconds}, {"exact_seconds", s.exact_seconds},
                                          {"certificate_lines", s.certificate_lines},
                                          {"certificate_bytes", s.certificate_bytes}, {"reduction", s.reduction}}},
                          {"text", prover::render_text(c)}};
    if (result.proved) {
      out["proof"] = quantity_json(c);
    } else {
      nlohmann::json point = nlohmann::json::object();
      for (const auto& value : c.point) point[kernel::set_text(value.set, problem.variables)] = to_exact_string(value.value);
      out["counterexample"] = {{"violated", kernel::direction_name(c.violated)},
                               {"violation", to_exact_string(*result.verdict.violation)},
                               {"point", point}};
    }
    if (latex) out["latex"] = prover::render_latex(c);
    if (!cert_path.empty()) out["certificate"] = cert_path;
    print_json(std::cout, out);
  } else {
    std::cout << (result.proved ? "PROVED (Shannon-type)\n" : "NOT PROVABLE by Shannon-type inequalities\n");
    if (!result.merged_groups.empty()) {
      std::cout << "merged variables that always occur together:";
      for (const auto& group : result.merged_groups) {
        std::string joined;
        for (const auto& name : group) joined += (joined.empty() ? "" : ",") + name;
        std::cout << " {" << joined << "}";
      }
      std::cout << "\n";
    }
    std::cout << prover::render_text(c);
    if (!result.proved)
      std::cout << "violation: " << kernel::direction_name(c.violated) << " form = "
                << to_exact_string(*result.verdict.violation) << " < 0\n";
    if (latex) std::cout << "\n" << prover::render_latex(c);
    std::cout << fmt::format("kernel: VERIFIED ({} checks, {}); LP {:.3f} s, exact recovery {:.3f} s, {} certificate lines\n",
                             result.verdict.checks, result.verdict.digest, s.lp_seconds, s.exact_seconds,
                             s.certificate_lines);
    std::cout << "LP reduction: " << s.reduction << " (" << s.lp_rows << " rows x " << s.lp_columns << " columns)\n";
    if (!cert_path.empty()) std::cout << "certificate written to " << cert_path << "\n";
  }
  return result.proved ? exit_code::ok : exit_not_provable;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in || std::filesystem::is_directory(path)) throw Error::bad_input("check-cert: cannot read '" + path + "'");
  constexpr std::uintmax_t max_bytes = 256U << 20U;
  if (std::filesystem::file_size(path) > max_bytes) throw Error::bad_input("check-cert: '" + path + "' is larger than 256 MiB");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

int run_check(const std::vector<std::string>& files, const std::string& goal, const std::vector<std::string>& givens, bool json) {
  std::vector<std::string> texts;
  for (const auto& file : files) texts.push_back(read_file(file));  // all readable before any verdict
  std::optional<kernel::Problem> expected;
  if (!goal.empty()) expected = kernel::make_problem(goal, givens);
  else if (!givens.empty()) throw Error::bad_input("--given: needs --goal (the expected problem)");
  nlohmann::json results = nlohmann::json::array();
  bool all_verified = true;
  for (std::size_t i = 0; i < files.size(); ++i) {
    kernel::Verdict verdict;
    try {
      const kernel::Certificate certificate = kernel::parse_certificate(texts[i]);
      verdict = expected ? kernel::check_certificate(certificate, *expected) : kernel::check_certificate(certificate);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::bad_input) throw;
      verdict.failure = e.what();
    }
    all_verified = all_verified && verdict.verified;
    const std::string kind = verdict.kind == kernel::CertificateKind::proof ? "proof" : "counterexample";
    if (json) {
      nlohmann::json entry = {{"file", files[i]}, {"verdict", verdict.verified ? "VERIFIED" : "REJECTED"}, {"checks", verdict.checks}};
      if (verdict.verified) {
        entry["kind"] = kind;
        entry["digest"] = verdict.digest;
        if (verdict.violation) entry["violation"] = to_exact_string(*verdict.violation);
      } else {
        entry["failure"] = verdict.failure;
      }
      results.push_back(entry);
    } else if (verdict.verified) {
      std::cout << files[i] << ": VERIFIED " << kind << " (" << verdict.checks << " checks"
                << (verdict.violation ? ", violation " + to_exact_string(*verdict.violation) : std::string()) << ")\n";
    } else {
      std::cout << files[i] << ": REJECTED: " << verdict.failure << "\n";
    }
  }
  if (json) print_json(std::cout, {{"command", "check-cert"}, {"all_verified", all_verified}, {"results", results}});
  return all_verified ? exit_code::ok : exit_rejected;
}

}  // namespace

void add_prove_commands(CLI::App& root, CommandList& commands) {
  struct ProveArgs {
    std::string goal, cert;
    std::vector<std::string> givens;
    bool latex = false, json = false;
    double time_limit = 600;
    std::size_t max_variables = 16;
    bool no_reduce = false;
  };
  auto args = std::make_shared<ProveArgs>();
  CLI::App* prove = root.add_subcommand("prove", "Prove a linear information inequality by Shannon-type inequalities, "
                                                 "with an exact certificate (or an exact counterexample).");
  prove->footer(prove_footer);
  prove->add_option("goal", args->goal, "the inequality, e.g. 'I(X;Z) <= I(X;Y)'")->required();
  prove->add_option("--given", args->givens, "a constraint (repeatable), e.g. 'X -> Y -> Z'")->allow_extra_args(false);
  prove->add_option("--cert", args->cert, "write the certificate (proof or counterexample) to FILE ('-' for stdout)");
  prove->add_flag("--latex", args->latex, "also print the proof as LaTeX");
  prove->add_flag("--json", args->json, "machine-readable output (docs/prover.md)");
  prove->add_option("--time-limit", args->time_limit, "seconds for LP plus exact recovery (default 600)");
  prove->add_option("--max-variables", args->max_variables, "largest number of variables after merging (default 16)");
  prove->add_flag("--no-reduce", args->no_reduce,
                  "solve the plain LP over every elemental inequality (no symmetry or independence reduction)");
  commands.push_back({prove, [args] {
                        if (!(args->time_limit > 0) || args->time_limit > 1e7)
                          throw Error::bad_input("--time-limit: " + fmt::format("{}", args->time_limit) +
                                                 " is out of range; give seconds in (0, 1e7]");
                        if (args->max_variables < 1 || args->max_variables > 24)
                          throw Error::bad_input("--max-variables: " + std::to_string(args->max_variables) +
                                                 " is out of range; allowed 1 to 24");
                        return run_prove(args->goal, args->givens, args->cert, args->latex, args->json,
                                         {args->time_limit, args->max_variables, !args->no_reduce});
                      }});

  struct CheckArgs {
    std::vector<std::string> files, givens;
    std::string goal;
    bool json = false;
  };
  auto check = std::make_shared<CheckArgs>();
  CLI::App* check_cert = root.add_subcommand("check-cert", "Check certificates with the trusted kernel (exact arithmetic, no search).");
  check_cert->footer("Prints VERIFIED only when every rule of proofs/README.md passed, else REJECTED with the first failing check.\n"
                     "Exit codes: 0 every certificate VERIFIED, 10 some certificate REJECTED, 2 bad input (unreadable file),\n"
                     "1 internal error.");
  check_cert->add_option("files", check->files, "certificate files (proofs/CERTIFICATE.md)")->required();
  check_cert->add_option("--goal", check->goal, "also require the certificates to be about this goal");
  check_cert->add_option("--given", check->givens, "a given of the expected problem (repeatable; with --goal)")->allow_extra_args(false);
  check_cert->add_flag("--json", check->json, "machine-readable output (docs/prover.md)");
  commands.push_back({check_cert, [check] { return run_check(check->files, check->goal, check->givens, check->json); }});
}

}  // namespace recallbound::cli
