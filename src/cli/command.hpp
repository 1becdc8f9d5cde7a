#pragma once
// How a command family plugs into the binary: it adds its subcommands to the root app and
// records, for each, the function that runs it once parsing succeeded. Library errors
// (recallbound::Error) propagate out of `run`; main turns them into messages and exit codes.
#include <CLI/CLI.hpp>

#include <functional>
#include <vector>

namespace recallbound::cli {

struct Command {
  CLI::App* app;
  std::function<int()> run;  // returns the exit code
};
using CommandList = std::vector<Command>;

// One line per command family; each is defined in commands/<family>.cpp.
void add_capacity_commands(CLI::App& root, CommandList& commands);
void add_arch_commands(CLI::App& root, CommandList& commands);  // arch list|show|state, triangle
void add_prove_commands(CLI::App& root, CommandList& commands);
void add_estimate_commands(CLI::App& root, CommandList& commands);
void add_verify_commands(CLI::App& root, CommandList& commands);
void add_recall_commands(CLI::App& root, CommandList& commands);
void add_recall_curve_commands(CLI::App& root, CommandList& commands);  // recall-curve
void add_check_commands(CLI::App& root, CommandList& commands);

}  // namespace recallbound::cli
