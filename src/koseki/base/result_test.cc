#include "koseki/base/result.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "koseki/base/testing/matchers.h"

namespace koseki {
namespace {

using ::koseki::testing::ErrorIs;
using ::koseki::testing::IsOk;
using ::koseki::testing::IsOkAndHolds;

Result<int> Half(int n) {
  if (n % 2 != 0) return MakeError(ErrorCode::kInvalidArgument, "T-1", "奇数です");
  return n / 2;
}

Result<int> Quarter(int n) {
  KOSEKI_ASSIGN_OR_RETURN(int half, Half(n));
  KOSEKI_ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

Result<void> CheckEven(int n) {
  KOSEKI_RETURN_IF_ERROR(Half(n));
  return Ok();
}

TEST(ResultTest, HoldsValueOnSuccess) { EXPECT_THAT(Half(8), IsOkAndHolds(4)); }

TEST(ResultTest, HoldsErrorOnFailure) {
  Result<int> r = Half(3);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().id, "T-1");
  EXPECT_EQ(r.error().UserLine(), "[T-1] 奇数です");
}

TEST(ResultTest, AssignOrReturnPropagatesTheFirstError) {
  EXPECT_THAT(Quarter(8), IsOkAndHolds(2));
  EXPECT_THAT(Quarter(6), ErrorIs(ErrorCode::kInvalidArgument));
}

TEST(ResultTest, ReturnIfErrorWorksForVoid) {
  EXPECT_THAT(CheckEven(2), IsOk());
  EXPECT_THAT(CheckEven(1), ErrorIs(ErrorCode::kInvalidArgument));
}

TEST(ResultTest, HoldsMoveOnlyValues) {
  Result<std::unique_ptr<std::string>> r = std::make_unique<std::string>("x");
  ASSERT_THAT(r, IsOk());
  std::unique_ptr<std::string> taken = std::move(r).value();
  EXPECT_EQ(*taken, "x");
}

TEST(ResultTest, IsOkAndHoldsAcceptsMatchers) {
  EXPECT_THAT(Half(8), IsOkAndHolds(::testing::Gt(3)));
  EXPECT_THAT(Half(8), ::testing::Not(IsOkAndHolds(::testing::Gt(4))));
}

TEST(ResultTest, ValueOrFallsBackOnError) {
  EXPECT_EQ(Half(3).value_or(-1), -1);
  EXPECT_EQ(Half(4).value_or(-1), 2);
}

}  // namespace
}  // namespace koseki
