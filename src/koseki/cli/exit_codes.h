// The one mapping from ErrorCode to the CLI's exit status.
#pragma once

#include "koseki/base/error.h"

namespace koseki::cli {

// 0 is success; 1 is reserved for unexpected failures (an exception at the barrier).
inline int ExitCodeFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return 2;
    case ErrorCode::kNotFound:
      return 3;
    case ErrorCode::kAlreadyExists:
      return 4;
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kPermissionDenied:
      return 5;
    case ErrorCode::kFailedPrecondition:
    case ErrorCode::kAborted:
      return 6;
    case ErrorCode::kDataLoss:
      return 7;
    case ErrorCode::kUnavailable:
    case ErrorCode::kInternal:
      return 8;
  }
  return 1;
}

}  // namespace koseki::cli
