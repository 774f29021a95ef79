#include "koseki/web/response.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace koseki::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(SecurityHeadersTest, SetsEveryHeaderWithItsExactValue) {
  http::fields fields;
  ApplySecurityHeaders(fields);
  EXPECT_EQ(fields["Cache-Control"], "no-store");
  EXPECT_EQ(fields["Content-Security-Policy"],
            "default-src 'none'; img-src 'self' data:; style-src 'self'; form-action 'self'; "
            "frame-ancestors 'none'; base-uri 'none'");
  EXPECT_EQ(fields["X-Frame-Options"], "DENY");
  EXPECT_EQ(fields["Referrer-Policy"], "no-referrer");
  EXPECT_EQ(fields["Permissions-Policy"],
            "camera=(), microphone=(), geolocation=(), payment=(), usb=()");
  EXPECT_EQ(fields["Strict-Transport-Security"], "max-age=63072000; includeSubDomains");
  EXPECT_EQ(fields["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(fields["Cross-Origin-Opener-Policy"], "same-origin");
  EXPECT_EQ(fields["Cross-Origin-Resource-Policy"], "same-origin");
}

TEST(SecurityHeadersTest, OverrideWhatAHandlerSet) {
  http::fields fields;
  fields.set(http::field::cache_control, "public, max-age=3600");
  fields.insert("X-Frame-Options", "SAMEORIGIN");
  fields.insert("X-Frame-Options", "ALLOW-FROM https://example.invalid");
  ApplySecurityHeaders(fields);
  EXPECT_EQ(fields["Cache-Control"], "no-store");
  EXPECT_EQ(fields.count("X-Frame-Options"), 1u);
  EXPECT_EQ(fields["X-Frame-Options"], "DENY");
}

TEST(ErrorResponseTest, ShowsCodeMessageAndRequestIdInJapaneseHtml) {
  const HttpResponse response = MakeErrorResponse(http::status::payload_too_large,
                                                  BodyTooLargeError(1024), "0123456789abcdef");
  EXPECT_EQ(response.result(), http::status::payload_too_large);
  EXPECT_EQ(response[http::field::content_type], "text/html; charset=utf-8");
  EXPECT_THAT(response.body(), HasSubstr("<html lang=\"ja\">"));
  EXPECT_THAT(response.body(), HasSubstr("[KSK-WEB-002] 送信されたデータが大きすぎます。"));
  EXPECT_THAT(response.body(), HasSubstr("お問い合わせ番号: 0123456789abcdef"));
}

TEST(ErrorResponseTest, KeepsInternalDetailOutOfThePage) {
  const Error error = MalformedRequestError("bad method token in <request line>");
  const HttpResponse response = MakeErrorResponse(http::status::bad_request, error, "");
  EXPECT_THAT(response.body(), HasSubstr("KSK-WEB-001"));
  EXPECT_THAT(response.body(), Not(HasSubstr("bad method")));
  EXPECT_THAT(response.body(), Not(HasSubstr("お問い合わせ番号")));
}

TEST(ErrorResponseTest, EscapesTheErrorText) {
  const Error error = MakeError(ErrorCode::kNotFound, "TEST-WEB-404", "<b>見つかりません</b>");
  const HttpResponse response = MakeErrorResponse(http::status::not_found, error, "");
  EXPECT_THAT(response.body(), HasSubstr("&lt;b&gt;見つかりません&lt;/b&gt;"));
}

TEST(TransportErrorsTest, CarryStableIdsAndClasses) {
  EXPECT_EQ(MalformedRequestError("x").id, "KSK-WEB-001");
  EXPECT_EQ(BodyTooLargeError(1).id, "KSK-WEB-002");
  EXPECT_EQ(HeaderTooLargeError(1).id, "KSK-WEB-003");
  EXPECT_EQ(HandlerFailedError("x").id, "KSK-WEB-004");
  EXPECT_EQ(HandlerFailedError("x").code, ErrorCode::kInternal);
  EXPECT_EQ(HeaderTooLargeError(1).code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace koseki::web
