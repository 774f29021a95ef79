#include "koseki/audit/entry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/audit/actions.h"
#include "koseki/audit/testing/audit_test_util.h"
#include "koseki/base/testing/matchers.h"

namespace koseki::audit {
namespace {

using ::koseki::audit::testing::FromHex;
using ::koseki::audit::testing::SampleEvent;
using ::koseki::audit::testing::SampleTime;
using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;

Event RefusedViewWithDetail() {
  Event event;
  event.actor = {"u-0042", "dev-07", "2001:db8::1"};
  event.action = std::string(actions::kRegisterView);
  event.object_id = "reg-0001";
  event.context_id = "case-0009";
  event.outcome = Outcome::kRefused;
  event.error_id = "KSK-ACCESS-003";
  event.encrypted_detail = {0x01, 0x00, 0x00, 0x00, 0x01, 0xde, 0xad, 0xbe, 0xef};
  return event;
}

// The example of docs/formats.md ("Audit log"): `koseki init` by user u-1 from 192.0.2.10.
Event InitEvent() {
  Event event;
  event.actor = {"u-1", "", "192.0.2.10"};
  event.action = std::string(actions::kCliInit);
  return event;
}

TEST(EntryTest, EncodeThenParseGivesTheSameEntry) {
  auto entry = Entry::Create("131016", 42, SampleTime(42), RefusedViewWithDetail());
  ASSERT_THAT(entry, IsOk());
  auto parsed = Entry::Parse(entry->Encode());
  ASSERT_THAT(parsed, IsOk());
  EXPECT_EQ(*parsed, *entry);
  EXPECT_EQ(parsed->event().encrypted_detail, RefusedViewWithDetail().encrypted_detail);
  EXPECT_EQ(parsed->time(), SampleTime(42));
}

TEST(EntryTest, EncodingIsTheDocumentedBytes) {
  auto entry = Entry::Create("system", 0, SampleTime(0), InitEvent());
  ASSERT_THAT(entry, IsOk());
  EXPECT_EQ(entry->Encode(), FromHex("01"
                                     "0000000000000000"
                                     "0006612b01af0800"
                                     "01"
                                     "0006"
                                     "73797374656d"
                                     "0003"
                                     "752d31"
                                     "0000"
                                     "000a"
                                     "3139322e302e322e3130"
                                     "0008"
                                     "636c692e696e6974"
                                     "0000"
                                     "0000"
                                     "0000"
                                     "00000000"));
}

TEST(EntryTest, ParseRefusesEveryTruncation) {
  const auto bytes = Entry::Create("131016", 7, SampleTime(7), RefusedViewWithDetail())->Encode();
  for (std::size_t length = 0; length < bytes.size(); ++length) {
    EXPECT_THAT(Entry::Parse(std::span(bytes).first(length)), ErrorIdIs("KSK-AUDIT-011"))
        << "length " << length;
  }
}

TEST(EntryTest, ParseRefusesTrailingBytes) {
  auto bytes = Entry::Create("131016", 7, SampleTime(7), SampleEvent(7))->Encode();
  bytes.push_back(0x00);
  EXPECT_THAT(Entry::Parse(bytes), ErrorIdIs("KSK-AUDIT-011"));
}

TEST(EntryTest, ParseRefusesAnUnknownVersion) {
  auto bytes = Entry::Create("131016", 7, SampleTime(7), SampleEvent(7))->Encode();
  bytes[0] = 0x02;
  EXPECT_THAT(Entry::Parse(bytes), ErrorIdIs("KSK-AUDIT-011"));
}

TEST(EntryTest, ParseRefusesAnUnknownOutcome) {
  auto bytes = Entry::Create("131016", 7, SampleTime(7), SampleEvent(7))->Encode();
  bytes[17] = 0x04;
  EXPECT_THAT(Entry::Parse(bytes), ErrorIdIs("KSK-AUDIT-011"));
  bytes[17] = 0x00;
  EXPECT_THAT(Entry::Parse(bytes), ErrorIdIs("KSK-AUDIT-011"));
}

TEST(EntryTest, ParseRefusesALengthThatRunsPastTheEnd) {
  auto bytes = Entry::Create("131016", 7, SampleTime(7), SampleEvent(7))->Encode();
  bytes[18] = 0xff;  // high byte of the tenant length
  EXPECT_THAT(Entry::Parse(bytes), ErrorIdIs("KSK-AUDIT-011"));
}

TEST(EntryTest, ParseRefusesAWellFramedFieldWithForbiddenCharacters) {
  auto bytes = Entry::Create("system", 0, SampleTime(0), InitEvent())->Encode();
  // Offset 28 is the first byte of the user id "u-1"; a space is not an id character.
  bytes[28] = ' ';
  EXPECT_THAT(Entry::Parse(bytes), ErrorIdIs("KSK-AUDIT-011"));
}

TEST(EntryTest, ParseRefusesAnErrorIdOnASuccessfulOutcome) {
  Event event = RefusedViewWithDetail();
  auto bytes = Entry::Create("131016", 1, SampleTime(1), event)->Encode();
  bytes[17] = static_cast<std::uint8_t>(Outcome::kOk);
  EXPECT_THAT(Entry::Parse(bytes), ErrorIdIs("KSK-AUDIT-011"));
}

TEST(EntryTest, CreateRefusesAJapaneseNameInAnIdField) {
  Event event = SampleEvent(1);
  event.actor.user_id = "山川健一";
  EXPECT_THAT(Entry::Create("131016", 1, SampleTime(1), event), ErrorIdIs("KSK-AUDIT-010"));
}

TEST(EntryTest, CreateRefusesAnAddressWithSpaces) {
  Event event = SampleEvent(1);
  event.object_id = "aoba minato 1-2-3";
  EXPECT_THAT(Entry::Create("131016", 1, SampleTime(1), event), ErrorIdIs("KSK-AUDIT-010"));
}

TEST(EntryTest, CreateRefusesAnEmailAddressAsAnId) {
  Event event = SampleEvent(1);
  event.context_id = "kenichi@example.invalid";
  EXPECT_THAT(Entry::Create("131016", 1, SampleTime(1), event), ErrorIdIs("KSK-AUDIT-010"));
}

TEST(EntryTest, CreateRefusesAnIdLongerThan128Bytes) {
  Event event = SampleEvent(1);
  event.actor.device_id = std::string(129, 'a');
  EXPECT_THAT(Entry::Create("131016", 1, SampleTime(1), event), ErrorIdIs("KSK-AUDIT-010"));
  event.actor.device_id = std::string(128, 'a');
  EXPECT_THAT(Entry::Create("131016", 1, SampleTime(1), event), IsOk());
}

TEST(EntryTest, CreateRefusesActionsOutsideTheGrammar) {
  for (const char* action : {"", "approve", "Case.approve", "case approve", "case..approve",
                             "case.", ".case", "case.1approve", "case.appröve"}) {
    Event event = SampleEvent(1);
    event.action = action;
    EXPECT_THAT(Entry::Create("131016", 1, SampleTime(1), event), ErrorIdIs("KSK-AUDIT-010"))
        << action;
  }
}

TEST(EntryTest, CreateRefusesAnErrorIdOnSuccessAndNeedsOneOtherwise) {
  Event ok = SampleEvent(1);
  ok.error_id = "KSK-AUTH-001";
  EXPECT_THAT(Entry::Create("131016", 1, SampleTime(1), ok), ErrorIdIs("KSK-AUDIT-010"));
  Event refused = SampleEvent(1);
  refused.outcome = Outcome::kRefused;
  EXPECT_THAT(Entry::Create("131016", 1, SampleTime(1), refused), ErrorIdIs("KSK-AUDIT-010"));
  for (const char* bad : {"KSK-AUTH-01", "KSK--001", "ksk-auth-001", "KSK-AUTH-0011", "E123"}) {
    refused.error_id = bad;
    EXPECT_THAT(Entry::Create("131016", 1, SampleTime(1), refused), ErrorIdIs("KSK-AUDIT-010"))
        << bad;
  }
  refused.error_id = "KSK-AUTH-001";
  EXPECT_THAT(Entry::Create("131016", 1, SampleTime(1), refused), IsOk());
}

TEST(EntryTest, CreateRefusesAnOversizedDetailAndATimeBefore1970AndNoTenant) {
  Event big = SampleEvent(1);
  big.encrypted_detail.assign(kMaxDetailSize + 1, 0xab);
  EXPECT_THAT(Entry::Create("131016", 1, SampleTime(1), big), ErrorIdIs("KSK-AUDIT-010"));
  EXPECT_THAT(Entry::Create("131016", 1, Timestamp(std::chrono::microseconds(-1)), SampleEvent(1)),
              ErrorIdIs("KSK-AUDIT-010"));
  EXPECT_THAT(Entry::Create("", 1, SampleTime(1), SampleEvent(1)), ErrorIdIs("KSK-AUDIT-010"));
}

TEST(EntryTest, OutcomeNamesAreStable) {
  EXPECT_EQ(OutcomeName(Outcome::kOk), "ok");
  EXPECT_EQ(OutcomeName(Outcome::kRefused), "refused");
  EXPECT_EQ(OutcomeName(Outcome::kError), "error");
}

}  // namespace
}  // namespace koseki::audit
