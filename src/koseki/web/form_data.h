// Parsing what a browser sends with a request: application/x-www-form-urlencoded bodies and the
// Cookie header. Strict and bounded: a malformed percent escape or a repeated field is an error
// (InvalidArgument KSK-WEB-101), never a guess, so that a handler sees exactly one value per
// field.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "koseki/base/result.h"

namespace koseki::web {

using FormFields = std::map<std::string, std::string, std::less<>>;

// Parses "a=1&b=x%20y" ('+' is a space). InvalidArgument KSK-WEB-101 on a bad escape, a field
// without '=', or a field given twice.
Result<FormFields> ParseForm(std::string_view body);
// Returns the field's value or an empty string.
std::string_view FieldOr(const FormFields& fields, std::string_view name);

// Returns the value of cookie `name` in a Cookie header ("a=1; b=2"), if present once.
std::optional<std::string_view> CookieValue(std::string_view header, std::string_view name);

}  // namespace koseki::web
