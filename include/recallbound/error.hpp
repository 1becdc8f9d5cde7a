#pragma once
// The one error type of recallbound, and the exit codes every command shares.
#include <stdexcept>
#include <string>

namespace recallbound {

/// Exit codes shared by every command. Verdicts that scripts gate on use 10 and up
/// (documented with each command).
namespace exit_code {
inline constexpr int ok = 0;
inline constexpr int internal = 1;
inline constexpr int bad_input = 2;
inline constexpr int limit = 3;
}  // namespace exit_code

enum class ErrorKind { bad_input, limit, internal };

/// Thrown by library code; the CLI turns it into a message on stderr and an exit code.
/// Messages are exact and checked by tests: they name the field, the value and the allowed range.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  static Error bad_input(const std::string& message) { return {ErrorKind::bad_input, message}; }
  static Error limit(const std::string& message) { return {ErrorKind::limit, message}; }
  static Error internal(const std::string& message) { return {ErrorKind::internal, message}; }

  [[nodiscard]] ErrorKind kind() const noexcept { return kind_; }
  [[nodiscard]] int exit_code() const noexcept {
    switch (kind_) {
      case ErrorKind::bad_input: return exit_code::bad_input;
      case ErrorKind::limit: return exit_code::limit;
      case ErrorKind::internal: return exit_code::internal;
    }
    return exit_code::internal;
  }

 private:
  ErrorKind kind_;
};

}  // namespace recallbound
