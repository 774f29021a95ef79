// Result<T>: a value or an Error, shaped like a subset of C++23 std::expected so that a later
// switch is an alias change (std::expected needs -std=c++2b, which our toolchain lacks).
//
//   Result<Register> r = store.Load(id);
//   if (!r) return r.error();
//   Use(*r);
//
// KOSEKI_RETURN_IF_ERROR(expr) returns the error of a Result<void>-like expression;
// KOSEKI_ASSIGN_OR_RETURN(lhs, expr) unwraps a Result<T> or returns its error.
#pragma once

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

#include "koseki/base/error.h"

namespace koseki {

// Wraps an Error so that `return Unexpected(err);` reads like std::unexpected.
class Unexpected {
 public:
  explicit Unexpected(Error error) : error_(std::move(error)) {}
  Error& error() & { return error_; }
  Error&& error() && { return std::move(error_); }

 private:
  Error error_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  using value_type = T;

  Result() requires std::is_default_constructible_v<T> : data_(std::in_place_index<0>) {}
  // NOLINTNEXTLINE(google-explicit-constructor): implicit like std::expected.
  Result(T value) : data_(std::in_place_index<0>, std::move(value)) {}
  template <typename U>
  requires(std::is_constructible_v<T, U&&> && !std::is_same_v<std::decay_t<U>, T> &&
           !std::is_same_v<std::decay_t<U>, Error> &&
           !std::is_same_v<std::decay_t<U>, Unexpected> &&
           !std::is_same_v<std::decay_t<U>, Result<T>>)
      // NOLINTNEXTLINE(google-explicit-constructor)
      Result(U&& value)
      : data_(std::in_place_index<0>, std::forward<U>(value)) {}
  // NOLINTNEXTLINE(google-explicit-constructor)
  Result(Error error) : data_(std::in_place_index<1>, std::move(error)) {}
  // NOLINTNEXTLINE(google-explicit-constructor)
  Result(Unexpected unexpected) : data_(std::in_place_index<1>, std::move(unexpected).error()) {}

  bool has_value() const { return data_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    assert(has_value());
    return std::get<0>(data_);
  }
  const T& value() const& {
    assert(has_value());
    return std::get<0>(data_);
  }
  T&& value() && {
    assert(has_value());
    return std::get<0>(std::move(data_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    assert(!has_value());
    return std::get<1>(data_);
  }
  Error&& error() && {
    assert(!has_value());
    return std::get<1>(std::move(data_));
  }

  template <typename U>
  T value_or(U&& fallback) const& {
    return has_value() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, Error> data_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  using value_type = void;

  Result() = default;
  // NOLINTNEXTLINE(google-explicit-constructor)
  Result(Error error) : error_(std::move(error)), ok_(false) {}
  // NOLINTNEXTLINE(google-explicit-constructor)
  Result(Unexpected unexpected) : error_(std::move(unexpected).error()), ok_(false) {}

  bool has_value() const { return ok_; }
  explicit operator bool() const { return ok_; }
  void value() const { assert(ok_); }

  const Error& error() const& {
    assert(!ok_);
    return error_;
  }
  Error&& error() && {
    assert(!ok_);
    return std::move(error_);
  }

 private:
  Error error_;
  bool ok_ = true;
};

// Returns a successful Result<void>.
inline Result<void> Ok() { return {}; }

}  // namespace koseki

#define KOSEKI_CONCAT_INNER_(a, b) a##b
#define KOSEKI_CONCAT_(a, b) KOSEKI_CONCAT_INNER_(a, b)

#define KOSEKI_RETURN_IF_ERROR_IMPL_(tmp, expr) \
  do {                                          \
    auto tmp = (expr);                          \
    if (!tmp) return std::move(tmp).error();    \
  } while (false)

// The temporary's name carries the line number so that nested uses (a lambda argument that
// itself uses the macro) do not shadow each other.
#define KOSEKI_RETURN_IF_ERROR(expr) \
  KOSEKI_RETURN_IF_ERROR_IMPL_(KOSEKI_CONCAT_(koseki_result_, __LINE__), expr)

#define KOSEKI_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp) return std::move(tmp).error();            \
  lhs = std::move(tmp).value()

#define KOSEKI_ASSIGN_OR_RETURN(lhs, expr) \
  KOSEKI_ASSIGN_OR_RETURN_IMPL_(KOSEKI_CONCAT_(koseki_assign_, __LINE__), lhs, expr)
