#include "koseki/web/form_data.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/base/testing/matchers.h"

namespace koseki::web {
namespace {

using ::koseki::testing::IsOk;

TEST(FormDataTest, DecodesFieldsWithPercentEscapesAndPlus) {
  auto fields = ParseForm("login=clerk01&password=a+b%26c%3D%E6%88%B8&csrf=00ff");
  ASSERT_THAT(fields, IsOk());
  EXPECT_EQ(FieldOr(*fields, "login"), "clerk01");
  EXPECT_EQ(FieldOr(*fields, "password"), "a b&c=戸");
  EXPECT_EQ(FieldOr(*fields, "missing"), "");
}

TEST(FormDataTest, RefusesBadEscapesMissingEqualsAndRepeatedFields) {
  for (const char* bad : {"a=%zz", "a=%4", "a", "csrf=1&csrf=2"}) {
    auto refused = ParseForm(bad);
    ASSERT_FALSE(refused) << bad;
    EXPECT_EQ(refused.error().id, "KSK-WEB-101");
  }
}

TEST(FormDataTest, FindsACookieOnlyWhenItIsThereOnce) {
  EXPECT_EQ(CookieValue("a=1; __Host-koseki=abc; b=2", "__Host-koseki"), "abc");
  EXPECT_EQ(CookieValue("a=1", "__Host-koseki"), std::nullopt);
  EXPECT_EQ(CookieValue("__Host-koseki=x; __Host-koseki=y", "__Host-koseki"), std::nullopt);
  EXPECT_EQ(CookieValue("x__Host-koseki=1", "__Host-koseki"), std::nullopt);
}

}  // namespace
}  // namespace koseki::web
