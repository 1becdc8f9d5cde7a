// `check` (proof scripts, checked by the trusted kernel; Shannon steps get their certificates from
// the untrusted prover) and `check-claims` (published capacity claims against the bound).
#include "command.hpp"
#include "output.hpp"

#include "recallbound/error.hpp"
#include "recallbound/kernel/script.hpp"
#include "recallbound/prover/prover.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace recallbound::cli {

void add_check_claims_command(CLI::App& root, CommandList& commands);  // commands/check_claims.cpp

namespace {

constexpr int exit_rejected = 10;

std::string read_script(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) throw Error::bad_input("check: cannot read '" + path + "' (not a file)");
  constexpr std::uintmax_t max_bytes = 16U << 20U;
  if (std::filesystem::file_size(path, error) > max_bytes) throw Error::bad_input("check: '" + path + "' is larger than 16 MiB");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error::bad_input("check: cannot read '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The prover as the kernel's certificate source. Whatever it returns is checked by the kernel;
/// a limit or failure means "no certificate", and the kernel rejects the step.
kernel::CertificateSource prover_source(double time_limit) {
  return [time_limit](const kernel::Problem& problem) -> std::optional<kernel::Certificate> {
    try {
      prover::ProverOptions options;
      options.time_limit_seconds = time_limit;
      return prover::prove(problem, options).certificate;
    } catch (const Error&) {
      return std::nullopt;
    }
  };
}

int run_check(const std::vector<std::string>& files, bool json, double time_limit) {
  std::vector<std::string> texts;
  for (const auto& file : files) texts.push_back(read_script(file));
  const kernel::CertificateSource source = prover_source(time_limit);
  // Parse everything first: a malformed file is bad input (exit 2) before any verdict is printed.
  std::vector<kernel::ScriptVerdict> verdicts;
  for (std::size_t i = 0; i < files.size(); ++i) verdicts.push_back(kernel::check_script(texts[i], files[i], source));
  bool all = true;
  nlohmann::json results = nlohmann::json::array();
  for (std::size_t i = 0; i < files.size(); ++i) {
    const auto& v = verdicts[i];
    all = all && v.verified;
    if (json) {
      nlohmann::json entry = {{"file", files[i]},
                              {"verdict", v.verified ? "VERIFIED" : "REJECTED"},
                              {"title", v.title},
                              {"steps_checked", v.steps_checked},
                              {"certificates_checked", v.certificates_checked}};
      if (v.verified) {
        entry["conclusion"] = v.conclusion;
        entry["hypotheses"] = v.hypotheses;
      } else {
        entry["failure"] = {{"line", v.failed_line}, {"column", v.failed_column}, {"step", v.failed_step}, {"message", v.failure}};
      }
      results.push_back(entry);
    } else if (v.verified) {
      std::cout << files[i] << ": VERIFIED (" << v.steps_checked << " steps, " << v.certificates_checked
                << " Shannon certificates)\n  theorem: " << v.conclusion << "\n";
    } else {
      std::cout << files[i] << ": REJECTED\n  " << v.failure << "\n";
    }
  }
  if (json) print_json(std::cout, {{"command", "check"}, {"all_verified", all}, {"results", results}});
  return all ? exit_code::ok : exit_rejected;
}

}  // namespace

void add_check_commands(CLI::App& root, CommandList& commands) {
  struct Args {
    std::vector<std::string> files;
    bool json = false;
    double time_limit = 60;
  };
  auto args = std::make_shared<Args>();
  CLI::App* check = root.add_subcommand("check", "Check proof scripts (proofs/README.md) with the trusted kernel.");
  check->footer(
      "Each step is checked by its rule in exact arithmetic; the first step that does not follow is reported\n"
      "as FILE:LINE:COLUMN with the reason (for a Shannon step: a counterexample point). Shannon steps get\n"
      "their certificates from the untrusted LP prover; the kernel checks every certificate.\n"
      "Exit codes: 0 every script VERIFIED, 10 some script REJECTED, 2 a file is malformed or unreadable,\n"
      "1 internal error.");
  check->add_option("files", args->files, "proof scripts")->required();
  check->add_flag("--json", args->json, "machine-readable output (docs/proofs.md)");
  check->add_option("--time-limit", args->time_limit, "seconds the prover may spend on one Shannon step (default 60)");
  commands.push_back({check, [args] {
                        if (!(args->time_limit > 0) || args->time_limit > 1e6)
                          throw Error::bad_input("--time-limit: out of range; give seconds in (0, 1e6]");
                        return run_check(args->files, args->json, args->time_limit);
                      }});
  add_check_claims_command(root, commands);
}

}  // namespace recallbound::cli
