#include "koseki/web/response.h"

#include <string>

#include "koseki/web/html_escape.h"

namespace koseki::web {
namespace {

// Only this server's own stylesheet and images (and data: images, e.g. rendered register
// pages); no script at all; forms post back to this server only; never framed.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'none'; img-src 'self' data:; style-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'";

}  // namespace

void ApplySecurityHeaders(http::fields& fields) {
  // Register pictures must never stay in a browser cache or a proxy of the terminal.
  fields.set(http::field::cache_control, "no-store");
  fields.set("Content-Security-Policy", kContentSecurityPolicy);
  fields.set(http::field::x_frame_options, "DENY");
  fields.set("Referrer-Policy", "no-referrer");
  fields.set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
  fields.set(http::field::strict_transport_security, "max-age=63072000; includeSubDomains");
  fields.set("X-Content-Type-Options", "nosniff");
  fields.set("Cross-Origin-Opener-Policy", "same-origin");
  fields.set("Cross-Origin-Resource-Policy", "same-origin");
}

HttpResponse MakeErrorResponse(http::status status, const Error& error,
                               std::string_view request_id) {
  std::string body;
  body.reserve(512);
  body +=
      "<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">"
      "<title>エラー | koseki</title><link rel=\"stylesheet\" href=\"/static/koseki.css\">"
      "</head><body><main><h1>エラー</h1><p class=\"error\" role=\"alert\">";
  body += HtmlEscape(error.UserLine());
  body += "</p>";
  if (!request_id.empty()) {
    body += "<p class=\"request-id\">お問い合わせ番号: ";
    body += HtmlEscape(request_id);
    body += "</p>";
  }
  body += "<p><a href=\"/\">最初の画面へ</a></p></main></body></html>\n";

  HttpResponse response{status, 11};
  response.set(http::field::content_type, "text/html; charset=utf-8");
  response.body() = std::move(body);
  return response;
}

Error MalformedRequestError(std::string_view detail) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-WEB-001",
                   "リクエストの形式が正しくありません。",
                   "malformed HTTP request: " + std::string(detail));
}

Error BodyTooLargeError(std::size_t limit) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-WEB-002", "送信されたデータが大きすぎます。",
                   "request body over the limit of " + std::to_string(limit) + " bytes");
}

Error HeaderTooLargeError(std::size_t limit) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-WEB-003",
                   "リクエストのヘッダーが大きすぎます。",
                   "request header over the limit of " + std::to_string(limit) + " bytes");
}

Error HandlerFailedError(std::string_view detail) {
  return MakeError(ErrorCode::kInternal, "KSK-WEB-004",
                   "内部エラーが発生しました。しばらくしてから再度お試しください。",
                   std::string(detail));
}

}  // namespace koseki::web
