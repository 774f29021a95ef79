// What a test or the load benchmark needs to play a browser's part in koseki's forms: the
// hidden CSRF token and the TOTP secret read back from the HTML, the session cookie's value, and
// form values encoded as application/x-www-form-urlencoded. Pure functions.
#pragma once

#include <string>
#include <string_view>

namespace koseki::web::testing {

// Returns the value of the hidden csrf field of an HTML form, or "".
std::string CsrfOf(std::string_view html);
// Returns the base32 secret shown on the TOTP enrolment page, or "".
std::string TotpSecretOf(std::string_view html);
// Returns the value of a Set-Cookie header ("name=value; attributes" → "value"), or "".
std::string CookieValueOf(std::string_view set_cookie);
// Percent-encodes a form value (every byte but unreserved ASCII).
std::string FormEncode(std::string_view value);

}  // namespace koseki::web::testing
