// The receipt as a clerk states it: the 受付日時 in Japan time, the accepting office of a 送付,
// and the checks before anything is recorded.
#include "koseki/workflow/receipt.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/base/clock.h"
#include "koseki/base/testing/matchers.h"

namespace koseki::workflow {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;
using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

constexpr year_month_day kNov14{year(2026), month(11), day(14)};

std::int64_t Micros(year_month_day d, int hour, int minute) {
  return UnixMicros(std::chrono::system_clock::time_point(
      std::chrono::sys_days(d) + std::chrono::hours(hour) + std::chrono::minutes(minute)));
}

TEST(ReceiptTest, TheClerksTimeIsJapanTime) {
  auto at = ParseReceiptTime("2026-11-14 18:05");
  ASSERT_THAT(at, IsOk());
  EXPECT_EQ(*at, Micros(kNov14, 9, 5));  // 18:05 JST is 09:05 UTC
  EXPECT_EQ(FormatReceiptTime(*at), "2026-11-14 18:05");
  // Just after midnight in Japan is still the previous day in UTC; the day is Japan's.
  auto night = ParseReceiptTime("2026-11-14 00:30");
  ASSERT_THAT(night, IsOk());
  EXPECT_EQ(JapanDayOfMicros(*night), kNov14);
}

TEST(ReceiptTest, AMalformedTimeIsRefused) {
  for (const char* bad :
       {"2026-11-14", "2026-11-14T18:05", "2026-11-14 18:5", "2026-02-30 10:00", "2026-11-14 24:00",
        "2026-11-14 12:60", "2026-11-14 1a:00", "２０２６-11-14 18:05", ""}) {
    EXPECT_THAT(ParseReceiptTime(bad), ErrorIdIs("KSK-CASE-048")) << bad;
  }
}

TEST(ReceiptTest, TheAcceptorIsTheMayorOrTheConsulateAsWritten) {
  EXPECT_EQ(*AcceptorOf("架空県架空町"), "架空県架空町長");
  EXPECT_EQ(*AcceptorOf("東京都架空区"), "東京都架空区長");
  EXPECT_EQ(*AcceptorOf("架空県架空郡架空村"), "架空県架空郡架空村長");
  EXPECT_EQ(*AcceptorOf("在サンパウロ総領事"), "在サンパウロ総領事");
  EXPECT_EQ(*AcceptorOf("在アルカディア大使"), "在アルカディア大使");
  for (const char* bad : {"", "架空県", "市", "在", "在サンパウロ", "架空県架空町長"}) {
    EXPECT_THAT(AcceptorOf(bad), ErrorIdIs("KSK-CASE-051")) << bad;
  }
}

TEST(ReceiptTest, AForwardingNeedsBothTheOfficeAndTheDay) {
  EXPECT_THAT(ParseReceiptInput("", "架空県架空町", ""), ErrorIdIs("KSK-CASE-054"));
  EXPECT_THAT(ParseReceiptInput("", "", "2026-11-10"), ErrorIdIs("KSK-CASE-054"));
  EXPECT_THAT(ParseReceiptInput("", "架空県架空町", "2026-11-31"), ErrorIdIs("KSK-AUTH-008"));
  auto input = ParseReceiptInput("2026-11-14 18:05", "架空県架空町", "2026-11-10");
  ASSERT_THAT(input, IsOk());
  EXPECT_EQ(input->at, Micros(kNov14, 9, 5));
  ASSERT_TRUE(input->forwarded.has_value());
  EXPECT_EQ(input->forwarded->accepted_by, "架空県架空町長");
  EXPECT_EQ(input->forwarded->accepted_on, year_month_day(year(2026), month(11), day(10)));
  auto now = ParseReceiptInput("", "", "");
  ASSERT_THAT(now, IsOk());
  EXPECT_FALSE(now->at.has_value());
  EXPECT_FALSE(now->forwarded.has_value());
}

TEST(ReceiptTest, AReceiptIsNeitherInTheFutureNorBeforeTheOfficesFirstDay) {
  const std::int64_t now = Micros(kNov14, 9, 5);
  const year_month_day first{year(2026), month(4), day(1)};
  EXPECT_THAT(CheckReceipt({.at = now}, now, first, "青葉県みなと市長"), IsOk());
  EXPECT_THAT(CheckReceipt({.at = now + 60'000'000}, now, first, "青葉県みなと市長"),
              ErrorIdIs("KSK-CASE-049"));
  // 2026-04-01 00:00 JST is the first moment allowed; a minute earlier is refused.
  const std::int64_t opening = Micros(year_month_day(year(2026), month(3), day(31)), 15, 0);
  EXPECT_THAT(CheckReceipt({.at = opening}, now, first, "青葉県みなと市長"), IsOk());
  EXPECT_THAT(CheckReceipt({.at = opening - 60'000'000}, now, first, "青葉県みなと市長"),
              ErrorIdIs("KSK-CASE-050"));
  EXPECT_THAT(CheckReceipt({.at = 0}, now, std::nullopt, "青葉県みなと市長"), IsOk());
  const std::int64_t meiji = Micros(year_month_day(year(1872), month(12), day(31)), 0, 0);
  EXPECT_THAT(CheckReceipt({.at = meiji}, now, std::nullopt, "青葉県みなと市長"),
              ErrorIdIs("KSK-DATE-001"));
}

TEST(ReceiptTest, AForwardingIsAcceptedElsewhereAndNotAfterItArrived) {
  const std::int64_t now = Micros(kNov14, 9, 5);
  const auto forwarded = [&](std::string by, year_month_day on) {
    return Receipt{.at = now, .forwarded = Forwarding{std::move(by), on}};
  };
  EXPECT_THAT(CheckReceipt(forwarded("架空県架空町長", kNov14), now, {}, "青葉県みなと市長"),
              IsOk());
  EXPECT_THAT(
      CheckReceipt(forwarded("架空県架空町長", year_month_day(year(2026), month(11), day(15))), now,
                   {}, "青葉県みなと市長"),
      ErrorIdIs("KSK-CASE-052"));
  EXPECT_THAT(CheckReceipt(forwarded("青葉県みなと市長", kNov14), now, {}, "青葉県みなと市長"),
              ErrorIdIs("KSK-CASE-053"));
  EXPECT_THAT(
      CheckReceipt(forwarded("架空県架空町長", year_month_day(year(1800), month(1), day(1))), now,
                   {}, "青葉県みなと市長"),
      ErrorIdIs("KSK-DATE-001"));
}

}  // namespace
}  // namespace koseki::workflow
