#include "koseki/audit/entry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "koseki/audit/actions.h"
#include "koseki/audit/merkle.h"
#include "koseki/audit/testing/audit_test_util.h"
#include "koseki/base/testing/matchers.h"

namespace koseki::audit {
namespace {

using ::koseki::audit::testing::FromHex;
using ::koseki::audit::testing::HashFromHex;
using ::koseki::audit::testing::kDocumentedInitEntryV1;
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

// Version 2 of the documented example: the same fields, then no writes and no MAC.
TEST(EntryTest, EncodingIsTheDocumentedBytes) {
  auto entry = Entry::Create("system", 0, SampleTime(0), InitEvent());
  ASSERT_THAT(entry, IsOk());
  const std::string v1_fields(kDocumentedInitEntryV1.substr(2));
  EXPECT_EQ(entry->Encode(), FromHex("02" + v1_fields + "00000000" + "00"));
}

// Entries written before version 2 still parse, and encode to the same bytes (so their leaf
// hashes, and the checkpoints over them, stay valid).
TEST(EntryTest, TheDocumentedVersionOneEntryStillParsesToItsOwnBytes) {
  const auto bytes = FromHex(kDocumentedInitEntryV1);
  auto entry = Entry::Parse(bytes);
  ASSERT_THAT(entry, IsOk());
  EXPECT_EQ(entry->format(), kEntryFormatVersion1);
  EXPECT_EQ(entry->event(), InitEvent());
  EXPECT_EQ(entry->Encode(), bytes);
  EXPECT_FALSE(entry->keyed());
}

// The version-2 example of docs/formats.md: a tenant setting changed, with the row it wrote
// and its MAC under the example key (32 bytes 0x02). The bytes, the row digest and the MAC were
// computed independently with Python's hashlib and hmac from the layout in the document.
TEST(EntryTest, TheDocumentedVersionTwoExampleWithAWriteAndAMac) {
  Event event;
  event.actor = {"adm01", "", ""};
  event.action = std::string(actions::kAdminTenantSetting);
  event.object_id = "workflow.double_entry";
  const store::RowCommitment write =
      store::CommitTenantSetting("999999", "workflow.double_entry", 1, "on", 1795687200000000);
  EXPECT_EQ(std::vector<std::uint8_t>(write.digest.begin(), write.digest.end()),
            FromHex("6cc08376585975cfa2adc5b5bd90fe75ab7e19aac27381da121def5f81730bf9"));
  auto entry = Entry::Create("999999", 3, SampleTime(0), event, {write});
  ASSERT_THAT(entry, IsOk());
  auto key =
      crypto::MessageMac::Create(SecretBytes::FromBytes(std::vector<std::uint8_t>(32, 0x02)));
  ASSERT_THAT(key, IsOk());
  const Entry sealed = entry->Sealed(*key);
  const std::vector<std::uint8_t> expected = FromHex(
      "0200000000000000030006612b01af0800010006393939393939000561646d303100000000001461646d69"
      "6e2e74656e616e745f73657474696e670015776f726b666c6f772e646f75626c655f656e74727900000000"
      "00000000000000010800063939393939390015776f726b666c6f772e646f75626c655f656e747279000000"
      "00000000016cc08376585975cfa2adc5b5bd90fe75ab7e19aac27381da121def5f81730bf9204d72acdca6"
      "e7f108c17a9b3267e10dae4c75986cf307e901f2fc197cf5ebd9f2");
  EXPECT_EQ(sealed.Encode(), expected);
  EXPECT_EQ(LeafHash(expected),
            HashFromHex("d92ded2eefb446572fe8da2bff59d1f8bc83e451f946c8f2e32300e6966f6d95"));
  auto parsed = Entry::Parse(expected);
  ASSERT_THAT(parsed, IsOk());
  EXPECT_EQ(parsed->writes(), std::vector<store::RowCommitment>{write});
  EXPECT_TRUE(parsed->MacValid(*key));
}

// The MAC covers every byte before it: a changed write, action or time no longer verifies, nor
// does the entry under another key.
TEST(EntryTest, TheMacFailsForAnyChangedByteOrAnotherKey) {
  auto key =
      crypto::MessageMac::Create(SecretBytes::FromBytes(std::vector<std::uint8_t>(32, 0x02)));
  auto other =
      crypto::MessageMac::Create(SecretBytes::FromBytes(std::vector<std::uint8_t>(32, 0x03)));
  ASSERT_THAT(key, IsOk());
  ASSERT_THAT(other, IsOk());
  const store::RowCommitment write =
      store::CommitTenantSetting("999999", "workflow.double_entry", 1, "on", 0);
  const Entry sealed =
      Entry::Create("999999", 3, SampleTime(3), SampleEvent(3), {write})->Sealed(*key);
  EXPECT_FALSE(sealed.MacValid(*other));
  const auto bytes = sealed.Encode();
  const std::size_t mac_start = bytes.size() - crypto::MessageMac::kTagSize - 1;
  for (std::size_t i = 0; i < mac_start; ++i) {
    auto changed = bytes;
    changed[i] ^= 0x01;
    auto parsed = Entry::Parse(changed);
    if (parsed) {
      EXPECT_FALSE(parsed->MacValid(*key)) << "byte " << i;
    }
  }
}

// A tenant's log records only its own tenant's rows; the system log may name any tenant (it
// records tenants' creation). The head pseudo-row is never logged.
TEST(EntryTest, WritesOfAnotherTenantOrTheHeadPseudoRowAreRefused) {
  const auto foreign = store::CommitTenantSetting("888888", "workflow.double_entry", 1, "on", 0);
  EXPECT_THAT(Entry::Create("999999", 0, SampleTime(0), SampleEvent(0), {foreign}),
              ErrorIdIs("KSK-AUDIT-010"));
  EXPECT_THAT(Entry::Create("system", 0, SampleTime(0), SampleEvent(0), {foreign}), IsOk());
  EXPECT_THAT(Entry::Create("999999", 0, SampleTime(0), SampleEvent(0),
                            {store::RegisterHead("999999", "r1", 2)}),
              ErrorIdIs("KSK-AUDIT-010"));
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
  bytes[0] = 0x03;
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
