// GoogleTest matchers for Result<T>: IsOk(), IsOkAndHolds(m), ErrorIs(code), ErrorIdIs(id).
#pragma once

#include <gmock/gmock.h>

#include <ostream>

#include "koseki/base/result.h"

namespace koseki {

// Prints a Result in test failures as "OK" or its error, instead of raw bytes.
template <typename T>
void PrintTo(const Result<T>& result, std::ostream* os) {
  if (result.has_value()) {
    *os << "OK";
  } else {
    *os << "error " << result.error().id << " (" << result.error().internal_detail << ")";
  }
}

}  // namespace koseki

namespace koseki::testing {

MATCHER(IsOk, "is OK") {
  if (arg.has_value()) return true;
  *result_listener << "error " << arg.error().id << " " << arg.error().internal_detail;
  return false;
}

MATCHER_P(IsOkAndHolds, matcher, "is OK and holds a matching value") {
  if (!arg.has_value()) {
    *result_listener << "error " << arg.error().id << " " << arg.error().internal_detail;
    return false;
  }
  using Value = typename std::decay_t<decltype(arg)>::value_type;
  return ::testing::ExplainMatchResult(::testing::SafeMatcherCast<const Value&>(matcher),
                                       arg.value(), result_listener);
}

MATCHER_P(ErrorIs, code, "fails with " + std::string(::koseki::ErrorCodeName(code))) {
  if (arg.has_value()) {
    *result_listener << "succeeded";
    return false;
  }
  *result_listener << "error " << ::koseki::ErrorCodeName(arg.error().code) << " "
                   << arg.error().id;
  return arg.error().code == code;
}

MATCHER_P(ErrorIdIs, id, "fails with id " + std::string(id)) {
  if (arg.has_value()) {
    *result_listener << "succeeded";
    return false;
  }
  *result_listener << "error " << arg.error().id;
  return arg.error().id == id;
}

}  // namespace koseki::testing
