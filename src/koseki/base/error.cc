#include "koseki/base/error.h"

#include <utility>

namespace koseki {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "InvalidArgument";
    case ErrorCode::kNotFound:
      return "NotFound";
    case ErrorCode::kAlreadyExists:
      return "AlreadyExists";
    case ErrorCode::kPermissionDenied:
      return "PermissionDenied";
    case ErrorCode::kFailedPrecondition:
      return "FailedPrecondition";
    case ErrorCode::kAborted:
      return "Aborted";
    case ErrorCode::kUnavailable:
      return "Unavailable";
    case ErrorCode::kDataLoss:
      return "DataLoss";
    case ErrorCode::kInternal:
      return "Internal";
    case ErrorCode::kUnauthenticated:
      return "Unauthenticated";
  }
  return "Unknown";
}

std::string Error::UserLine() const { return "[" + id + "] " + public_message; }

Error MakeError(ErrorCode code, std::string id, std::string public_message,
                std::string internal_detail) {
  return Error{code, std::move(id), std::move(public_message), std::move(internal_detail)};
}

}  // namespace koseki
