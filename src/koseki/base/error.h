// Error values shared by every module.
//
// An Error separates what a user may see (a Japanese message and a stable code that support
// staff can look up) from what the diagnostic log may see (internal detail). Neither ever holds
// personal data: no name, address, date of a person, or free text from a register or a case.
#pragma once

#include <string>
#include <string_view>

namespace koseki {

// The canonical error classes (as in absl::StatusCode); the CLI and, later, the web layer map
// them to exit codes and HTTP statuses in exactly one place each.
enum class ErrorCode {
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,
  kFailedPrecondition,
  kAborted,
  kUnavailable,
  kDataLoss,
  kInternal,
  kUnauthenticated,
};

// Returns the canonical name of `code`, e.g. "InvalidArgument".
std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  // Stable machine-readable identifier, e.g. "KSK-CRYPTO-001". Never reused for another meaning;
  // built in exactly one place in the code and listed in docs/errors.md (a test checks both).
  std::string id;
  // Message for the user, in Japanese, without internals.
  std::string public_message;
  // Detail for operators' logs: ids, sizes, library error strings. Never personal data.
  std::string internal_detail;

  // Returns "[id] public_message", the one line shown to a user.
  std::string UserLine() const;
};

// Builds an Error; the usual way to create one.
Error MakeError(ErrorCode code, std::string id, std::string public_message,
                std::string internal_detail = {});

}  // namespace koseki
