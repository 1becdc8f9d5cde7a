// capacity, min-bits, min-error: the certified recall bound from the command line.
#include "capacity_batch.hpp"
#include "command.hpp"
#include "enclosure_json.hpp"
#include "output.hpp"
#include "recall_proof.hpp"
#include "state_bits_options.hpp"

#include "recallbound/error.hpp"

#include <fmt/core.h>

#include <fstream>
#include <iostream>
#include <memory>

namespace recallbound::cli {
namespace {

constexpr int shown_digits = 30;

void print_derivation(std::ostream& out, const std::vector<DerivationStep>& steps) {
  out << "derivation:\n";
  for (const auto& step : steps) out << fmt::format("  [{}] {}\n      = {}\n", step.rule, step.statement, step.value);
}

struct CapacityOptions {
  StateBitsOptions state;
  std::string vocab, error, batch, out_path = "-", emit_proof;
  bool json = false;
};

/// --emit-proof: a proof script of the result for `recallbound check` (proofs/README.md).
void emit_proof(const std::string& path, const RecallInstance& instance) {
  if (path.empty()) return;
  write_atomically(path, [&](std::ostream& out) { out << recall_instance_script(instance); });
}

int run_capacity(const CapacityOptions& o) {
  if (!o.batch.empty()) {
    if (o.state.given() || !o.vocab.empty() || !o.error.empty())
      throw Error::bad_input("--batch: the CSV supplies state_bits, vocab and error; drop the other options");
    if (o.json) throw Error::bad_input("--batch writes CSV; --json is not available with it");
    std::ifstream file;
    std::istream* in = &std::cin;
    if (o.batch != "-") {
      file.open(o.batch, std::ios::binary);
      if (!file) throw Error::bad_input("--batch: cannot open '" + o.batch + "'");
      in = &file;
    }
    write_atomically(o.out_path, [&](std::ostream& out) { run_capacity_batch(*in, out, o.batch); });
    return exit_code::ok;
  }
  if (o.vocab.empty() || o.error.empty()) throw Error::bad_input("capacity: --vocab and --error are required");
  std::string accounting;
  LogForm bits = o.state.resolve(&accounting);
  Integer vocab = checked_vocab(parse_rational(o.vocab, "--vocab"));
  Rational error = checked_error(parse_rational(o.error, "--error"));
  CapacityResult r = max_pairs(bits, vocab, error);
  if (!o.emit_proof.empty()) {
    const auto exact_bits = bits.exact_rational();
    if (!exact_bits) throw Error::bad_input("--emit-proof: needs a rational number of state bits (" + bits.to_string() + " is not)");
    if (r.unbounded) throw Error::bad_input("--emit-proof: the bound is vacuous (eps >= 1 - 1/V); there is no maximum to prove");
    emit_proof(o.emit_proof, {std::nullopt, vocab, error, *exact_bits, r.max_pairs,
                              "recallbound capacity --vocab " + vocab.str() + " --error " + to_exact_string(error) +
                                  " --state-bits " + to_exact_string(*exact_bits), {}, {}});
  }
  write_atomically(o.out_path, [&](std::ostream& out) {
    if (o.json) {
      nlohmann::json j = {
          {"command", "capacity"},
          {"inputs", {{"vocab", vocab.str()}, {"error", to_exact_string(error)}}},
          {"state_bits", {{"form", bits.to_string()}, {"accounting", accounting},
                          {"enclosure", enclosure_json(bits.enclose(128), shown_digits)}}},
          {"unbounded", r.unbounded},
          {"max_pairs", r.unbounded ? nlohmann::json("unbounded") : nlohmann::json(r.max_pairs.str())},
          {"denominator", {{"form", recall_denominator(vocab, error).to_string()},
                           {"enclosure", enclosure_json(r.denominator, shown_digits)}}},
          {"ratio", r.unbounded ? nlohmann::json(nullptr) : enclosure_json(r.ratio, shown_digits)},
          {"precision_bits", r.trace.precision_bits},
          {"exact_zero_test", r.trace.used_exact_zero_test},
          {"derivation", derivation_json(r.derivation)}};
      print_json(out, j);
      return;
    }
    if (r.unbounded)
      out << "max pairs: unbounded (error " << to_exact_string(error) << " >= 1 - 1/V: guessing reaches it)\n";
    else
      out << "max pairs: " << r.max_pairs.str() << "\n";
    out << "  state bits B: " << accounting << "\n";
    out << "  D(eps, V)   in " << r.denominator.to_decimal(20) << "\n";
    if (!r.unbounded) out << "  B / D       in " << r.ratio.to_decimal(20) << "\n";
    out << "  decided exactly at " << r.trace.precision_bits << " bits of precision"
        << (r.trace.used_exact_zero_test ? " with the exact zero test" : "") << "\n";
    print_derivation(out, r.derivation);
  });
  return exit_code::ok;
}

struct MinBitsOptions {
  std::string pairs, vocab, error, emit_proof;
  bool json = false;
};

int run_min_bits(const MinBitsOptions& o) {
  Integer pairs = parse_integer(o.pairs, "--pairs");
  if (pairs < 0) throw Error::bad_input("--pairs: " + o.pairs + " is out of range; it must be an integer >= 0");
  Integer vocab = checked_vocab(parse_rational(o.vocab, "--vocab"));
  Rational error = checked_error(parse_rational(o.error, "--error"));
  MinBitsResult r = min_state_bits(pairs, vocab, error);
  if (!o.emit_proof.empty()) {
    if (pairs < 1) throw Error::bad_input("--emit-proof: needs --pairs >= 1");
    emit_proof(o.emit_proof, {pairs, vocab, error, std::nullopt, r.min_bits,
                              "recallbound min-bits --pairs " + pairs.str() + " --vocab " + vocab.str() + " --error " +
                                  to_exact_string(error), {}, {}});
  }
  if (o.json) {
    print_json(std::cout, {{"command", "min-bits"},
                           {"inputs", {{"pairs", pairs.str()}, {"vocab", vocab.str()}, {"error", to_exact_string(error)}}},
                           {"vacuous", r.vacuous},
                           {"min_state_bits", r.min_bits.str()},
                           {"information_bits", enclosure_json(r.information, shown_digits)},
                           {"precision_bits", r.trace.precision_bits},
                           {"exact_zero_test", r.trace.used_exact_zero_test},
                           {"derivation", derivation_json(r.derivation)}});
    return exit_code::ok;
  }
  std::cout << "min state bits: " << r.min_bits.str() << "\n";
  std::cout << "  N * D(eps, V) in " << r.information.to_decimal(20) << "\n";
  print_derivation(std::cout, r.derivation);
  return exit_code::ok;
}

struct MinErrorOptions {
  StateBitsOptions state;
  std::string pairs, vocab;
  int digits = 30;
  bool json = false;
};

int run_min_error(const MinErrorOptions& o) {
  Integer pairs = parse_integer(o.pairs, "--pairs");
  if (pairs < 0) throw Error::bad_input("--pairs: " + o.pairs + " is out of range; it must be an integer >= 0");
  std::string accounting;
  LogForm bits = o.state.resolve(&accounting);
  Integer vocab = checked_vocab(parse_rational(o.vocab, "--vocab"));
  if (o.digits < 1 || o.digits > 1000)
    throw Error::bad_input("--digits: " + std::to_string(o.digits) + " is out of range; it must be in [1, 1000]");
  MinErrorResult r = min_error(pairs, bits, vocab, o.digits);
  if (o.json) {
    print_json(std::cout, {{"command", "min-error"},
                           {"inputs", {{"pairs", pairs.str()}, {"vocab", vocab.str()}}},
                           {"state_bits", {{"form", bits.to_string()}, {"accounting", accounting}}},
                           {"zero_error_possible", r.zero_error_possible},
                           {"min_error", enclosure_json(r.min_error, o.digits + 2)},
                           {"guaranteed_digits", r.guaranteed_digits},
                           {"derivation", derivation_json(r.derivation)}});
    return exit_code::ok;
  }
  std::cout << "min error: " << (r.zero_error_possible ? std::string("0 (the bound allows error-free recall)")
                                                       : r.min_error.to_decimal(o.digits + 2))
            << "\n  guaranteed significant digits: " << r.guaranteed_digits << "\n  state bits B: " << accounting << "\n";
  print_derivation(std::cout, r.derivation);
  return exit_code::ok;
}

}  // namespace

void add_capacity_commands(CLI::App& root, CommandList& commands) {
  auto capacity = std::make_shared<CapacityOptions>();
  auto* c = root.add_subcommand("capacity", "Certified max number of key-value pairs a state can recall");
  capacity->state.add_to(*c);
  c->add_option("--vocab", capacity->vocab, "Vocabulary size V of the values (integer >= 2)");
  c->add_option("--error", capacity->error, "Average per-query error eps in [0, 1] (exact: 0.01 is 1/100)");
  c->add_option("--batch", capacity->batch, "CSV with columns state_bits,vocab,error ('-' for stdin); streams CSV out");
  c->add_option("--out", capacity->out_path, "Write the result to FILE (atomically) instead of stdout");
  c->add_flag("--json", capacity->json, "JSON output (shape in docs/capacity.md)");
  c->add_option("--emit-proof", capacity->emit_proof, "Also write a proof script of the result (check it with `recallbound check`)");
  c->footer("max_pairs = floor(B / D(eps, V)), decided exactly; 'unbounded' when eps >= 1 - 1/V.\n"
            "Exit codes: 0 ok, 1 internal error, 2 bad input, 3 precision limit hit.");
  commands.push_back({c, [capacity] { return run_capacity(*capacity); }});

  auto min_bits = std::make_shared<MinBitsOptions>();
  auto* b = root.add_subcommand("min-bits", "Certified minimum state bits to recall N pairs at error eps");
  b->add_option("--pairs", min_bits->pairs, "Number N of key-value pairs")->required();
  b->add_option("--vocab", min_bits->vocab, "Vocabulary size V (integer >= 2)")->required();
  b->add_option("--error", min_bits->error, "Average per-query error eps in [0, 1]")->required();
  b->add_flag("--json", min_bits->json, "JSON output (shape in docs/capacity.md)");
  b->add_option("--emit-proof", min_bits->emit_proof, "Also write a proof script of the result (check it with `recallbound check`)");
  b->footer("min_state_bits = ceil(N * D(eps, V)), decided exactly.\nExit codes: 0 ok, 1 internal, 2 bad input, 3 limit.");
  commands.push_back({b, [min_bits] { return run_min_bits(*min_bits); }});

  auto min_err = std::make_shared<MinErrorOptions>();
  auto* e = root.add_subcommand("min-error", "Certified minimum average error for N pairs in a state of B bits");
  min_err->state.add_to(*e);
  e->add_option("--pairs", min_err->pairs, "Number N of key-value pairs")->required();
  e->add_option("--vocab", min_err->vocab, "Vocabulary size V (integer >= 2)")->required();
  e->add_option("--digits", min_err->digits, "Guaranteed significant digits of the enclosure (1..1000)")->capture_default_str();
  e->add_flag("--json", min_err->json, "JSON output (shape in docs/capacity.md)");
  e->footer("Encloses the smallest eps with N * D(eps, V) <= B.\nExit codes: 0 ok, 1 internal, 2 bad input, 3 limit.");
  commands.push_back({e, [min_err] { return run_min_error(*min_err); }});
}

}  // namespace recallbound::cli
