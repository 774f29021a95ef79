// What every response of the server carries, and the pages the transport writes itself.
//
// ApplySecurityHeaders is the one place the security headers are defined; the server applies
// it to every response it sends, the handler's included, so a handler cannot forget them (and
// cannot weaken them: they override). (An error class becomes an HTTP status in the portal's
// HttpStatusFor; the transport's own statuses are fixed.) The error pages are short Japanese HTML
// with the error's stable code and the request id, and nothing about the request or the server's
// internals.
//
// All functions are pure and thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

#include "koseki/base/error.h"
#include "koseki/web/handler.h"

namespace koseki::web {

// Sets (replacing any earlier value) Cache-Control, Content-Security-Policy,
// X-Frame-Options, Referrer-Policy, Permissions-Policy, Strict-Transport-Security,
// X-Content-Type-Options, Cross-Origin-Opener-Policy and Cross-Origin-Resource-Policy.
void ApplySecurityHeaders(http::fields& fields);

// Returns an HTML error page for `error` with `status` (HTTP/1.1, text/html; charset=utf-8).
// `request_id` is shown so that a user can quote it to support; may be empty. The caller (or
// the server, for a handler's response) sets the security headers and the payload size.
HttpResponse MakeErrorResponse(http::status status, const Error& error,
                               std::string_view request_id);

// The errors behind the transport's own responses.
// InvalidArgument KSK-WEB-001: the request does not parse as HTTP/1.1 (answered with 400).
Error MalformedRequestError(std::string_view detail);
// InvalidArgument KSK-WEB-002: the body is over the handler's limit (answered with 413).
Error BodyTooLargeError(std::size_t limit);
// InvalidArgument KSK-WEB-003: the header is over the server's limit (answered with 431).
Error HeaderTooLargeError(std::size_t limit);
// Internal KSK-WEB-004: the handler threw or returned an unusable response (answered with
// 500).
Error HandlerFailedError(std::string_view detail);

}  // namespace koseki::web
