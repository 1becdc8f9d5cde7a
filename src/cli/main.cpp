// recallbound: certified limits on what long-sequence models can recall.
#include "command.hpp"

#include "recallbound/error.hpp"

#include <fmt/core.h>

#include <exception>
#include <iostream>

namespace {

constexpr const char* exit_code_help =
    "Exit codes: 0 success, 1 internal error, 2 bad input, 3 a time or size limit was hit;\n"
    "commands that give verdicts use 10 and up (see each command's --help).";

int run(int argc, char** argv) {
  CLI::App app{"recallbound: certified information-theoretic limits on long-sequence recall."};
  app.footer(exit_code_help);
  app.require_subcommand(1);
  app.set_version_flag("--version", "recallbound 0.1.0");
  recallbound::cli::CommandList commands;
  recallbound::cli::add_capacity_commands(app, commands);
  recallbound::cli::add_arch_commands(app, commands);
  recallbound::cli::add_prove_commands(app, commands);
  recallbound::cli::add_estimate_commands(app, commands);
  recallbound::cli::add_verify_commands(app, commands);
  recallbound::cli::add_recall_commands(app, commands);
  recallbound::cli::add_recall_curve_commands(app, commands);
  recallbound::cli::add_check_commands(app, commands);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "recallbound: " << e.what() << "\n(run with --help for usage)\n";
    return recallbound::exit_code::bad_input;
  }
  for (const auto& command : commands)
    if (command.app->parsed()) return command.run();
  std::cerr << "recallbound: no command given\n";
  return recallbound::exit_code::bad_input;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const recallbound::Error& e) {
    std::cout.flush();
    std::cerr << "recallbound: " << e.what() << '\n';
    return e.exit_code();
  } catch (const std::exception& e) {
    std::cout.flush();
    std::cerr << "recallbound: internal error: " << e.what() << '\n';
    return recallbound::exit_code::internal;
  }
}
