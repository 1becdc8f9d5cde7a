#pragma once
// Output plumbing shared by commands: all-or-nothing file writes and JSON printing.
#include <nlohmann/json.hpp>

#include <functional>
#include <iosfwd>
#include <string>

namespace recallbound::cli {

/// Writes through `produce` to `path` via a temporary file in the same directory, renamed into
/// place only when `produce` returned normally: a failed command leaves no partial file.
/// `path` "-" writes to stdout.
void write_atomically(const std::string& path, const std::function<void(std::ostream&)>& produce);

/// Pretty JSON (2-space indent) followed by a newline.
void print_json(std::ostream& out, const nlohmann::json& value);

}  // namespace recallbound::cli
