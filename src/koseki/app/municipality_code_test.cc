#include "koseki/app/municipality_code.h"

#include <gtest/gtest.h>

#include "koseki/base/testing/matchers.h"

namespace koseki::app {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOkAndHolds;

TEST(MunicipalityCodeTest, AcceptsPublishedCodes) {
  // Published codes with their check digits (千代田区, 札幌市, 大阪府, 横浜市).
  EXPECT_THAT(ValidateMunicipalityCode("131016"), IsOkAndHolds("131016"));
  EXPECT_THAT(ValidateMunicipalityCode("011002"), IsOkAndHolds("011002"));
  EXPECT_THAT(ValidateMunicipalityCode("270008"), IsOkAndHolds("270008"));
  EXPECT_THAT(ValidateMunicipalityCode("141003"), IsOkAndHolds("141003"));
}

TEST(MunicipalityCodeTest, RemainderZeroGivesOneAndRemainderOneGivesZero) {
  // 0,0,0,1,4: 3 + 8 = 11 → remainder 0 → check digit 1.
  EXPECT_EQ(MunicipalityCheckDigit("00014"), 1);
  // 0,0,0,0,5: 10 → remainder 10 → check digit 1; 0,0,0,4,0: 12 → remainder 1 → 0.
  EXPECT_EQ(MunicipalityCheckDigit("00005"), 1);
  EXPECT_EQ(MunicipalityCheckDigit("00040"), 0);
}

TEST(MunicipalityCodeTest, RefusesAWrongCheckDigit) {
  EXPECT_THAT(ValidateMunicipalityCode("131017"), ErrorIdIs("KSK-TENANT-002"));
}

TEST(MunicipalityCodeTest, RefusesMalformedCodes) {
  EXPECT_THAT(ValidateMunicipalityCode("13101"), ErrorIdIs("KSK-TENANT-001"));
  EXPECT_THAT(ValidateMunicipalityCode("1310166"), ErrorIdIs("KSK-TENANT-001"));
  EXPECT_THAT(ValidateMunicipalityCode("13101a"), ErrorIdIs("KSK-TENANT-001"));
  EXPECT_THAT(ValidateMunicipalityCode("１３１０１６"), ErrorIdIs("KSK-TENANT-001"));
}

}  // namespace
}  // namespace koseki::app
