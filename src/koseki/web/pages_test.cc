#include "koseki/web/pages.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace koseki::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const PageFrame kFrame{.tenant_name = "青葉県みなと市", .zone_label = "市区町村"};

TEST(PagesTest, EscapesEverythingItIsGiven) {
  EXPECT_EQ(HtmlEscape("<a href=\"x\">&'"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  const PageFrame hostile{.tenant_name = "<script>alert(1)</script>", .zone_label = "x"};
  EXPECT_THAT(LoginPage(hostile, "\"><script>", nullptr), Not(HasSubstr("<script>")));
}

TEST(PagesTest, NoPageCarriesScriptOrInlineStyle) {
  const Error error = MakeError(ErrorCode::kUnauthenticated, "KSK-AUTH-010", "違います。");
  for (const std::string& page :
       {LoginPage(kFrame, "c", &error), ChangePasswordPage(kFrame, &error),
        TotpEnrolPage(kFrame, "JBSWY3DP", "<svg></svg>", &error), TotpPage(kFrame, nullptr),
        MenuPage(kFrame, access::Role::kClerk, true), LoggedOutPage(kFrame),
        ErrorPage(kFrame, "エラー", error)}) {
    EXPECT_THAT(page, Not(HasSubstr("<script")));
    EXPECT_THAT(page, Not(HasSubstr("style=")));
    EXPECT_THAT(page, HasSubstr("lang=\"ja\""));
  }
}

TEST(PagesTest, ErrorsShowTheirStableCode) {
  const Error error = MakeError(ErrorCode::kUnauthenticated, "KSK-AUTH-010", "違います。");
  EXPECT_THAT(LoginPage(kFrame, "c", &error), HasSubstr("[KSK-AUTH-010]"));
}

TEST(PagesTest, FormsCarryTheCsrfToken) {
  PageFrame frame = kFrame;
  frame.login = "clerk01";
  frame.csrf = "0123abcd";
  EXPECT_THAT(LoginPage(kFrame, "0123abcd", nullptr),
              HasSubstr("name=\"csrf\" value=\"0123abcd\""));
  EXPECT_THAT(ChangePasswordPage(frame, nullptr), HasSubstr("value=\"0123abcd\""));
  EXPECT_THAT(TotpPage(frame, nullptr), HasSubstr("value=\"0123abcd\""));
  // The logout form in the header of every page after login.
  EXPECT_THAT(MenuPage(frame, access::Role::kClerk, false), HasSubstr("action=\"/logout\""));
}

TEST(PagesTest, TheMenuFollowsTheRoleAndTellsOfAnIdlePause) {
  EXPECT_THAT(MenuPage(kFrame, access::Role::kOperator, false), HasSubstr("担当する事件"));
  EXPECT_THAT(MenuPage(kFrame, access::Role::kOperator, false), Not(HasSubstr("証明書")));
  EXPECT_THAT(MenuPage(kFrame, access::Role::kClerk, true), HasSubstr("初期メニューに戻りました"));
  EXPECT_THAT(MenuPage(kFrame, access::Role::kClerk, false), Not(HasSubstr("初期メニューに戻り")));
}

}  // namespace
}  // namespace koseki::web
