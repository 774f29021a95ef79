#include "koseki/store/testing/backend_conformance.h"

#include <gmock/gmock.h>
#include <stdlib.h>

#include <chrono>
#include <future>
#include <latch>
#include <limits>
#include <numeric>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include "koseki/base/testing/matchers.h"

namespace koseki::store::testing {

std::string BackendFactoryName(const ::testing::TestParamInfo<BackendFactory>& info) {
  return info.param.name;
}

Result<void> AppendAuditRow(Backend& backend, std::string_view log, std::uint64_t index) {
  std::vector<AuditNodeRow> nodes;
  int level = 0;
  for (std::uint64_t i = index; (i & 1) == 1; i >>= 1) {
    ++level;
    nodes.push_back(
        {level, ((index + 1) >> level) - 1, Bytes(32, static_cast<std::uint8_t>(level))});
  }
  const AuditEntryRow row{index,
                          Bytes{static_cast<std::uint8_t>(index + 1)},
                          Bytes(32, static_cast<std::uint8_t>(index)),
                          {}};
  return backend.AppendAuditEntry(log, row, nodes);
}

namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::ErrorIs;
using ::koseki::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::Optional;
using ::testing::Pair;
using ::testing::SizeIs;

// Like IsOkAndHolds, but accepts a matcher as its argument too.
MATCHER_P(Holds, matcher, "is OK and holds a matching value") {
  if (!arg.has_value()) {
    *result_listener << "error " << arg.error().id << " " << arg.error().internal_detail;
    return false;
  }
  return ::testing::ExplainMatchResult(matcher, arg.value(), result_listener);
}

constexpr std::string_view kTenantA = "990001";
constexpr std::string_view kTenantB = "990002";
constexpr std::string_view kUnknownTenant = "990099";
constexpr std::string_view kRegister = "0123456789abcdef0123456789abcdef";
constexpr std::string_view kOtherRegister = "fedcba9876543210fedcba9876543210";
constexpr std::string_view kNameBirth = "name+birth";

// Unix microseconds, with a non-zero microsecond part: times must survive to the microsecond.
constexpr std::int64_t kT0 = 1'732'600'000'123'456;
constexpr std::int64_t kT1 = kT0 + 1'000'001;
constexpr std::int64_t kT2 = kT0 + 2'000'002;

const Bytes kCiphertext1 = {1, 2, 3};
const Bytes kCiphertext2 = {4, 5, 6};
const Bytes kCiphertext3 = {7, 8, 9};
const Bytes kBlind(16, 0xab);
const Bytes kOtherBlind(16, 0xcd);

constexpr std::string_view kUserKind = "user";
constexpr std::string_view kDeviceKind = "device";
constexpr std::string_view kObjectA = "clerk-01";
constexpr std::string_view kObjectB = "clerk-02";
const Bytes kTokenHashA(kSessionTokenHashSize, 0x0a);
const Bytes kTokenHashB(kSessionTokenHashSize, 0x0b);
const Bytes kTokenHashC(kSessionTokenHashSize, 0x0c);

Error TestFailure(std::string detail) {
  return MakeError(ErrorCode::kInternal, "TEST-001", "test", std::move(detail));
}

}  // namespace

void BackendConformanceTest::SetUp() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "koseki-conformance-XXXXXX").string();
  ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
  dir_ = pattern;
  backend_ = GetParam().open(dir_);
  ASSERT_NE(backend_, nullptr);
  ASSERT_THAT(backend().InsertTenant({std::string(kTenantA), "青葉県みなと市", kT0}), IsOk());
  ASSERT_THAT(backend().InsertTenant({std::string(kTenantB), "青葉県やまびこ町", kT0}), IsOk());
}

void BackendConformanceTest::TearDown() {
  backend_.reset();
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::unique_ptr<Backend> BackendConformanceTest::OpenAnother() { return GetParam().open(dir_); }

void BackendConformanceTest::CreateRegisterWithOneVersion() {
  ASSERT_THAT(backend().InsertRegister(kTenantA, kRegister, kT0), IsOk());
  ASSERT_THAT(backend().InsertVersion(kTenantA, kRegister, 0, kCiphertext1, kT0), Holds(1u));
  const IndexEntry entry{std::string(kNameBirth), kBlind};
  ASSERT_THAT(backend().InsertIndexEntries(kTenantA, kRegister, {&entry, 1}), IsOk());
}

namespace {

CaseRow Case(std::string id, std::string bango, int year, std::int64_t received_at) {
  return CaseRow{std::move(id), std::move(bango), year, "shibou", received_at};
}

CaseActionRow Action(std::uint64_t seq) {
  return CaseActionRow{seq,
                       "receive",
                       "clerk-1",
                       "clerk",
                       kT0 + static_cast<std::int64_t>(seq),
                       Bytes{static_cast<std::uint8_t>(seq + 1)}};
}

// Returns the indexes ScanAuditEntries hands out from `from` on.
std::vector<std::uint64_t> ScannedFrom(Backend& backend, std::string_view log, std::uint64_t from) {
  std::vector<std::uint64_t> indexes;
  EXPECT_THAT(backend.ScanAuditEntries(log, from,
                                       [&](const AuditEntryView& e) -> Result<bool> {
                                         indexes.push_back(e.index);
                                         return true;
                                       }),
              IsOk());
  return indexes;
}

struct ScannedLog {
  std::vector<std::pair<std::uint64_t, Bytes>> entries;
  std::vector<std::pair<int, std::uint64_t>> nodes;
};

// ---- installation values and tenants ----------------------------------------------------------

TEST_P(BackendConformanceTest, InstallationValuesAreWriteOnce) {
  EXPECT_THAT(backend().GetInstallationValue("format_version"), Holds(std::nullopt));
  ASSERT_THAT(backend().InsertInstallationValue("format_version", "1"), IsOk());

  const auto again = backend().InsertInstallationValue("format_version", "2");

  EXPECT_THAT(again, ErrorIs(ErrorCode::kAlreadyExists));
  EXPECT_THAT(again, ErrorIdIs("KSK-STORE-014"));
  EXPECT_THAT(backend().GetInstallationValue("format_version"), Holds(Optional(std::string("1"))));
}

TEST_P(BackendConformanceTest, TenantsAreListedByCodeAndCannotBeInsertedTwice) {
  ASSERT_THAT(backend().InsertTenant({"990000", "青葉県かわせみ村", kT1}), IsOk());

  const auto again = backend().InsertTenant({std::string(kTenantA), "別の名前", kT1});

  EXPECT_THAT(again, ErrorIdIs("KSK-STORE-014"));
  EXPECT_THAT(backend().GetTenant(kTenantA),
              Holds(Optional(TenantRow{std::string(kTenantA), "青葉県みなと市", kT0})));
  EXPECT_THAT(backend().GetTenant(kUnknownTenant), Holds(std::nullopt));
  EXPECT_THAT(backend().ListTenants(),
              Holds(ElementsAre(TenantRow{"990000", "青葉県かわせみ村", kT1},
                                TenantRow{std::string(kTenantA), "青葉県みなと市", kT0},
                                TenantRow{std::string(kTenantB), "青葉県やまびこ町", kT0})));
}

TEST_P(BackendConformanceTest, LatestTenantKeyIsTheHighestVersionAndVersionsAreNeverReplaced) {
  ASSERT_THAT(backend().InsertTenantKey(kTenantA, TenantKeyRow{1, {1}, kT0}), IsOk());
  ASSERT_THAT(backend().InsertTenantKey(kTenantA, TenantKeyRow{2, {2}, kT1}), IsOk());

  EXPECT_THAT(backend().InsertTenantKey(kTenantA, TenantKeyRow{2, {3}, kT2}),
              ErrorIdIs("KSK-STORE-014"));
  EXPECT_THAT(backend().GetLatestTenantKey(kTenantA), Holds(Optional(TenantKeyRow{2, {2}, kT1})));
  EXPECT_THAT(backend().GetLatestTenantKey(kTenantB), Holds(std::nullopt));
  EXPECT_THAT(backend().InsertTenantKey(kUnknownTenant, TenantKeyRow{1, {1}, kT0}),
              ErrorIs(ErrorCode::kFailedPrecondition));
}

// ---- registers, versions, index ---------------------------------------------------------------

TEST_P(BackendConformanceTest, ANewRegisterHasHeadZeroAndNoVersion) {
  ASSERT_THAT(backend().InsertRegister(kTenantA, kRegister, kT0), IsOk());

  EXPECT_THAT(backend().GetHeadVersion(kTenantA, kRegister), Holds(Optional(0u)));
  EXPECT_THAT(backend().ListVersions(kTenantA, kRegister), Holds(IsEmpty()));
  EXPECT_THAT(backend().GetVersion(kTenantA, kRegister, 1), Holds(std::nullopt));
  EXPECT_THAT(backend().InsertRegister(kTenantA, kRegister, kT1), ErrorIdIs("KSK-STORE-014"));
  EXPECT_THAT(backend().GetHeadVersion(kTenantA, kOtherRegister), Holds(std::nullopt));
}

TEST_P(BackendConformanceTest, CreateRegisterWritesTheRegisterItsFirstVersionAndItsIndexRows) {
  const std::vector<IndexEntry> entries = {{std::string(kNameBirth), kBlind},
                                           {"honseki+hittosha", kOtherBlind}};

  ASSERT_THAT(backend().CreateRegister(kTenantA, kRegister, kCiphertext1, kT0, entries), IsOk());

  EXPECT_THAT(backend().GetHeadVersion(kTenantA, kRegister), Holds(Optional(1u)));
  EXPECT_THAT(backend().GetVersion(kTenantA, kRegister, 1),
              Holds(Optional(VersionRow{1, kCiphertext1, kT0})));
  EXPECT_THAT(backend().LookupIndex(kTenantA, kNameBirth, kBlind),
              Holds(ElementsAre(std::string(kRegister))));
  EXPECT_THAT(backend().LookupIndex(kTenantA, "honseki+hittosha", kOtherBlind),
              Holds(ElementsAre(std::string(kRegister))));
  EXPECT_THAT(backend().InsertVersion(kTenantA, kRegister, 1, kCiphertext2, kT1), Holds(2u));
}

TEST_P(BackendConformanceTest, CreateRegisterRefusesATakenIdOrAnUnknownTenantAndWritesNothing) {
  CreateRegisterWithOneVersion();
  const IndexEntry entry{std::string(kNameBirth), kOtherBlind};

  EXPECT_THAT(backend().CreateRegister(kTenantA, kRegister, kCiphertext2, kT1, {&entry, 1}),
              ErrorIdIs("KSK-STORE-014"));
  EXPECT_THAT(
      backend().CreateRegister(kUnknownTenant, kOtherRegister, kCiphertext2, kT1, {&entry, 1}),
      ErrorIs(ErrorCode::kFailedPrecondition));

  EXPECT_THAT(backend().ListVersions(kTenantA, kRegister), Holds(ElementsAre(VersionInfo{1, kT0})));
  EXPECT_THAT(backend().LookupIndex(kTenantA, kNameBirth, kOtherBlind), Holds(IsEmpty()));
  EXPECT_THAT(backend().GetHeadVersion(kUnknownTenant, kOtherRegister), Holds(std::nullopt));
}

TEST_P(BackendConformanceTest, ACreateRegisterFailingAtItsLastRowLeavesNoneOfItsRows) {
  // An empty blind value breaks the index row's constraint after the register and its version
  // were written: the call must take them back, also inside a transaction that goes on.
  const std::vector<IndexEntry> entries = {{std::string(kNameBirth), kBlind},
                                           {std::string(kNameBirth), Bytes{}}};
  ASSERT_THAT(backend().CreateRegister(kTenantA, kRegister, kCiphertext1, kT0, entries),
              Not(IsOk()));
  EXPECT_THAT(backend().GetHeadVersion(kTenantA, kRegister), Holds(std::nullopt));

  // Inside a transaction the backend may take the half call back at once (a savepoint) or
  // refuse to commit the transaction (backend.h): either way none of its rows ever show.
  {
    auto transaction = backend().BeginWrite();
    ASSERT_THAT(transaction, IsOk());
    ASSERT_THAT(backend().CreateRegister(kTenantA, kRegister, kCiphertext1, kT0, entries),
                Not(IsOk()));
    if (auto committed = (*transaction)->Commit(); !committed) {
      EXPECT_THAT(committed, ErrorIdIs("KSK-STORE-002"));
    }
  }
  EXPECT_THAT(backend().GetHeadVersion(kTenantA, kRegister), Holds(std::nullopt));
  EXPECT_THAT(backend().ListVersions(kTenantA, kRegister), Holds(IsEmpty()));
  EXPECT_THAT(backend().LookupIndex(kTenantA, kNameBirth, kBlind), Holds(IsEmpty()));

  // In a nested transaction around the call, the outer one goes on.
  auto outer = backend().BeginWrite();
  ASSERT_THAT(outer, IsOk());
  {
    auto inner = backend().BeginWrite();
    ASSERT_THAT(inner, IsOk());
    ASSERT_THAT(backend().CreateRegister(kTenantA, kRegister, kCiphertext1, kT0, entries),
                Not(IsOk()));
  }
  ASSERT_THAT(backend().InsertRegister(kTenantA, kOtherRegister, kT1), IsOk());
  ASSERT_THAT((*outer)->Commit(), IsOk());
  EXPECT_THAT(backend().GetHeadVersion(kTenantA, kRegister), Holds(std::nullopt));
  EXPECT_THAT(backend().LookupIndex(kTenantA, kNameBirth, kBlind), Holds(IsEmpty()));
  EXPECT_THAT(backend().GetHeadVersion(kTenantA, kOtherRegister), Holds(Optional(0u)));
}

TEST_P(BackendConformanceTest, InsertVersionAdvancesTheHeadOneByOne) {
  CreateRegisterWithOneVersion();

  EXPECT_THAT(backend().InsertVersion(kTenantA, kRegister, 1, kCiphertext2, kT1), Holds(2u));

  EXPECT_THAT(backend().GetHeadVersion(kTenantA, kRegister), Holds(Optional(2u)));
  EXPECT_THAT(backend().ListVersions(kTenantA, kRegister),
              Holds(ElementsAre(VersionInfo{1, kT0}, VersionInfo{2, kT1})));
  EXPECT_THAT(backend().GetVersion(kTenantA, kRegister, 1),
              Holds(Optional(VersionRow{1, kCiphertext1, kT0})));
  EXPECT_THAT(backend().GetVersion(kTenantA, kRegister, 2),
              Holds(Optional(VersionRow{2, kCiphertext2, kT1})));
  EXPECT_THAT(backend().GetVersion(kTenantA, kRegister, 3), Holds(std::nullopt));
  EXPECT_THAT(backend().GetVersion(kTenantA, kRegister, ~std::uint64_t{0}), Holds(std::nullopt));
}

TEST_P(BackendConformanceTest, AStaleExpectedVersionIsAbortedAndWritesNothing) {
  CreateRegisterWithOneVersion();
  ASSERT_THAT(backend().InsertVersion(kTenantA, kRegister, 1, kCiphertext2, kT1), IsOk());

  const auto stale = backend().InsertVersion(kTenantA, kRegister, 1, kCiphertext3, kT2);
  const auto ahead = backend().InsertVersion(kTenantA, kRegister, 5, kCiphertext3, kT2);

  EXPECT_THAT(stale, ErrorIs(ErrorCode::kAborted));
  EXPECT_THAT(stale, ErrorIdIs("KSK-STORE-010"));
  EXPECT_THAT(ahead, ErrorIdIs("KSK-STORE-010"));
  EXPECT_THAT(backend().GetHeadVersion(kTenantA, kRegister), Holds(Optional(2u)));
  EXPECT_THAT(backend().ListVersions(kTenantA, kRegister), Holds(SizeIs(2)));
}

TEST_P(BackendConformanceTest, InsertVersionOfAnUnknownRegisterIsNotFound) {
  const auto missing = backend().InsertVersion(kTenantA, kRegister, 0, kCiphertext1, kT0);

  EXPECT_THAT(missing, ErrorIs(ErrorCode::kNotFound));
  EXPECT_THAT(missing, ErrorIdIs("KSK-STORE-011"));
}

TEST_P(BackendConformanceTest, ARegisterOfAnUnknownTenantIsRefused) {
  EXPECT_THAT(backend().InsertRegister(kUnknownTenant, kRegister, kT0),
              ErrorIs(ErrorCode::kFailedPrecondition));
  EXPECT_THAT(backend().GetHeadVersion(kUnknownTenant, kRegister), Holds(std::nullopt));
}

TEST_P(BackendConformanceTest, LookupIndexReturnsSortedIdsWithoutDuplicates) {
  ASSERT_THAT(backend().InsertRegister(kTenantA, kOtherRegister, kT0), IsOk());
  ASSERT_THAT(backend().InsertRegister(kTenantA, kRegister, kT0), IsOk());
  const std::vector<IndexEntry> entries = {{std::string(kNameBirth), kBlind},
                                           {std::string(kNameBirth), kBlind}};

  ASSERT_THAT(backend().InsertIndexEntries(kTenantA, kOtherRegister, entries), IsOk());
  ASSERT_THAT(backend().InsertIndexEntries(kTenantA, kRegister, entries), IsOk());
  ASSERT_THAT(backend().InsertIndexEntries(kTenantA, kRegister, entries), IsOk());

  EXPECT_THAT(backend().LookupIndex(kTenantA, kNameBirth, kBlind),
              Holds(ElementsAre(std::string(kRegister), std::string(kOtherRegister))));
  EXPECT_THAT(backend().LookupIndex(kTenantA, "honseki+hittosha", kBlind), Holds(IsEmpty()));
  EXPECT_THAT(backend().LookupIndex(kTenantA, kNameBirth, kOtherBlind), Holds(IsEmpty()));
}

TEST_P(BackendConformanceTest, IndexRowsOfAnUnknownRegisterAreRefused) {
  const IndexEntry entry{std::string(kNameBirth), kBlind};

  EXPECT_THAT(backend().InsertIndexEntries(kTenantA, kRegister, {&entry, 1}),
              ErrorIs(ErrorCode::kFailedPrecondition));
  EXPECT_THAT(backend().LookupIndex(kTenantA, kNameBirth, kBlind), Holds(IsEmpty()));
}

TEST_P(BackendConformanceTest, RowsOfOneTenantAreInvisibleToAnother) {
  CreateRegisterWithOneVersion();

  EXPECT_THAT(backend().GetHeadVersion(kTenantB, kRegister), Holds(std::nullopt));
  EXPECT_THAT(backend().GetVersion(kTenantB, kRegister, 1), Holds(std::nullopt));
  EXPECT_THAT(backend().ListVersions(kTenantB, kRegister), Holds(IsEmpty()));
  EXPECT_THAT(backend().LookupIndex(kTenantB, kNameBirth, kBlind), Holds(IsEmpty()));
  EXPECT_THAT(backend().LookupIndex(kTenantA, kNameBirth, kBlind),
              Holds(ElementsAre(std::string(kRegister))));
  EXPECT_THAT(backend().InsertVersion(kTenantB, kRegister, 1, kCiphertext2, kT1),
              ErrorIs(ErrorCode::kNotFound));
  EXPECT_THAT(backend().RecordCertificateIssue(kTenantB, kRegister, 1, kT1),
              ErrorIs(ErrorCode::kFailedPrecondition));
}

// ---- certificate issues -----------------------------------------------------------------------

TEST_P(BackendConformanceTest, CertificateIssueNumbersAreGaplessPerTenant) {
  CreateRegisterWithOneVersion();
  ASSERT_THAT(backend().InsertRegister(kTenantB, kOtherRegister, kT0), IsOk());
  ASSERT_THAT(backend().InsertVersion(kTenantB, kOtherRegister, 0, kCiphertext1, kT0), IsOk());

  EXPECT_THAT(backend().RecordCertificateIssue(kTenantA, kRegister, 1, kT0), Holds(1));
  EXPECT_THAT(backend().RecordCertificateIssue(kTenantA, kRegister, 1, kT1), Holds(2));
  EXPECT_THAT(backend().RecordCertificateIssue(kTenantB, kOtherRegister, 1, kT1), Holds(1));
  EXPECT_THAT(backend().RecordCertificateIssue(kTenantA, kRegister, 1, kT2), Holds(3));
  EXPECT_THAT(backend().RecordCertificateIssue(kTenantA, kOtherRegister, 1, kT2),
              ErrorIs(ErrorCode::kFailedPrecondition));
  EXPECT_THAT(backend().RecordCertificateIssue(kTenantA, kRegister, 1, kT2), Holds(4));
}

// ---- audit logs -------------------------------------------------------------------------------

TEST_P(BackendConformanceTest, AuditEntriesAreAppendedInSequenceOnly) {
  for (std::uint64_t i = 0; i < 3; ++i) ASSERT_THAT(AppendAuditRow(backend(), kTenantA, i), IsOk());

  const auto gap = AppendAuditRow(backend(), kTenantA, 5);
  const auto again = AppendAuditRow(backend(), kTenantA, 1);

  EXPECT_THAT(gap, ErrorIs(ErrorCode::kAborted));
  EXPECT_THAT(gap, ErrorIdIs("KSK-STORE-024"));
  EXPECT_THAT(again, ErrorIdIs("KSK-STORE-024"));
  EXPECT_THAT(backend().GetLastAuditEntry(kTenantA),
              Holds(Optional(AuditEntryRow{2, Bytes{3}, Bytes(32, 2), {}})));
  EXPECT_THAT(backend().GetAuditEntry(kTenantA, 1),
              Holds(Optional(AuditEntryRow{1, Bytes{2}, Bytes(32, 1), {}})));
  EXPECT_THAT(backend().GetAuditEntry(kTenantA, 3), Holds(std::nullopt));
  EXPECT_THAT(backend().GetLastAuditEntry(kTenantB), Holds(std::nullopt));
  EXPECT_THAT(AppendAuditRow(backend(), kTenantB, 0), IsOk());
}

TEST_P(BackendConformanceTest, AuditHashesAreTheLeavesAndTheStoredSubtreesInRanges) {
  for (std::uint64_t i = 0; i < 5; ++i) ASSERT_THAT(AppendAuditRow(backend(), kTenantA, i), IsOk());
  const auto hashes = [](std::initializer_list<std::uint8_t> fills) {
    std::vector<Bytes> out;
    for (std::uint8_t fill : fills) out.push_back(Bytes(32, fill));
    return out;
  };

  EXPECT_THAT(backend().GetAuditHashes(kTenantA, 0, 3, 1), Holds(ElementsAreArray(hashes({3}))));
  EXPECT_THAT(backend().GetAuditHashes(kTenantA, 0, 1, 3),
              Holds(ElementsAreArray(hashes({1, 2, 3}))));
  // A range running past the end stops at the last stored one.
  EXPECT_THAT(backend().GetAuditHashes(kTenantA, 0, 2, 10),
              Holds(ElementsAreArray(hashes({2, 3, 4}))));
  EXPECT_THAT(backend().GetAuditHashes(kTenantA, 1, 0, 2), Holds(ElementsAreArray(hashes({1, 1}))));
  EXPECT_THAT(backend().GetAuditHashes(kTenantA, 2, 0, 1), Holds(ElementsAreArray(hashes({2}))));
  EXPECT_THAT(backend().GetAuditHashes(kTenantA, 1, 2, 1), Holds(IsEmpty()));
  EXPECT_THAT(backend().GetAuditHashes(kTenantA, 0, 5, 1), Holds(IsEmpty()));
  EXPECT_THAT(backend().GetAuditHashes(kTenantA, -1, 0, 1), Holds(IsEmpty()));
  EXPECT_THAT(backend().GetAuditHashes(kTenantA, 0, 0, 0), Holds(IsEmpty()));
  EXPECT_THAT(backend().GetAuditHashes(kTenantA, 0, ~std::uint64_t{0}, 2), Holds(IsEmpty()));
  EXPECT_THAT(backend().GetAuditHashes(kTenantB, 0, 0, 1), Holds(IsEmpty()));
}

TEST_P(BackendConformanceTest, ScanAuditEntriesHandsOutTheLogInOrderUntilFalse) {
  for (std::uint64_t i = 0; i < 4; ++i) ASSERT_THAT(AppendAuditRow(backend(), kTenantA, i), IsOk());
  ASSERT_THAT(AppendAuditRow(backend(), kTenantB, 0), IsOk());
  std::vector<std::uint64_t> all;
  std::vector<std::uint64_t> first_two;

  ASSERT_THAT(backend().ScanAuditEntries(kTenantA, 0,
                                         [&](const AuditEntryView& e) -> Result<bool> {
                                           all.push_back(e.index);
                                           return true;
                                         }),
              IsOk());
  ASSERT_THAT(backend().ScanAuditEntries(kTenantA, 0,
                                         [&](const AuditEntryView& e) -> Result<bool> {
                                           first_two.push_back(e.index);
                                           return first_two.size() < 2;
                                         }),
              IsOk());

  EXPECT_THAT(all, ElementsAre(0u, 1u, 2u, 3u));
  EXPECT_THAT(first_two, ElementsAre(0u, 1u));
  EXPECT_THAT(ScannedFrom(backend(), kTenantA, 2), ElementsAre(2u, 3u));
  EXPECT_THAT(ScannedFrom(backend(), kTenantA, 4), ElementsAre());
  EXPECT_THAT(ScannedFrom(backend(), kTenantA, std::numeric_limits<std::uint64_t>::max()),
              ElementsAre());
  EXPECT_THAT(
      backend().ScanAuditEntries(
          kTenantA, 0, [&](const AuditEntryView&) -> Result<bool> { return TestFailure(""); }),
      ErrorIdIs("TEST-001"));
}

TEST_P(BackendConformanceTest, EntriesAreFoundByTheirObjectInIndexOrder) {
  const auto append = [&](std::string_view log, std::uint64_t index, std::string object) {
    const AuditEntryRow row{index, Bytes{static_cast<std::uint8_t>(index + 1)},
                            Bytes(32, static_cast<std::uint8_t>(index)), std::move(object)};
    return backend().AppendAuditEntry(log, row, {});
  };
  ASSERT_THAT(append(kTenantA, 0, "reg-1"), IsOk());
  ASSERT_THAT(append(kTenantA, 1, ""), IsOk());
  ASSERT_THAT(append(kTenantA, 2, "reg-2"), IsOk());
  ASSERT_THAT(append(kTenantA, 3, "reg-1"), IsOk());
  ASSERT_THAT(append(kTenantB, 0, "reg-1"), IsOk());
  const auto found = [&](std::string_view log, std::string_view object) {
    std::vector<std::pair<std::uint64_t, Bytes>> entries;
    EXPECT_THAT(backend().ScanAuditEntriesOf(log, object,
                                             [&](const AuditEntryView& e) -> Result<bool> {
                                               entries.emplace_back(
                                                   e.index, Bytes(e.entry.begin(), e.entry.end()));
                                               return true;
                                             }),
                IsOk());
    return entries;
  };

  EXPECT_THAT(found(kTenantA, "reg-1"),
              ElementsAre(std::pair{0u, Bytes{1}}, std::pair{3u, Bytes{4}}));
  EXPECT_THAT(found(kTenantA, "reg-2"), ElementsAre(std::pair{2u, Bytes{3}}));
  EXPECT_THAT(found(kTenantB, "reg-1"), ElementsAre(std::pair{0u, Bytes{1}}));
  EXPECT_THAT(found(kTenantA, "reg-3"), IsEmpty());
}

TEST_P(BackendConformanceTest, EntriesFromBeforeTheObjectIndexAreIndexedOnce) {
  // Appended without their object, as before the index existed.
  for (std::uint64_t i = 0; i < 3; ++i) ASSERT_THAT(AppendAuditRow(backend(), kTenantA, i), IsOk());
  int calls = 0;
  // The entry bytes are {index + 1}: entries 0 and 2 are about "reg-1".
  const auto object_of = [&](std::span<const std::uint8_t> entry) {
    ++calls;
    return entry[0] == 2 ? std::string() : std::string("reg-1");
  };

  EXPECT_THAT(backend().IndexAuditObjects(object_of), Holds(true));
  EXPECT_EQ(calls, 3);
  EXPECT_THAT(backend().IndexAuditObjects(object_of), Holds(false));
  EXPECT_EQ(calls, 3);
  EXPECT_THAT(backend().GetInstallationValue(kAuditObjectsIndexedValue),
              Holds(Optional(::testing::_)));
  std::vector<std::uint64_t> indexes;
  ASSERT_THAT(backend().ScanAuditEntriesOf(kTenantA, "reg-1",
                                           [&](const AuditEntryView& e) -> Result<bool> {
                                             indexes.push_back(e.index);
                                             return true;
                                           }),
              IsOk());
  EXPECT_THAT(indexes, ElementsAre(0u, 2u));
}

TEST_P(BackendConformanceTest, ScanAuditLogHandsOutEveryEntryAndNodeOfThatLogOnly) {
  for (std::uint64_t i = 0; i < 5; ++i) ASSERT_THAT(AppendAuditRow(backend(), kTenantA, i), IsOk());
  for (std::uint64_t i = 0; i < 2; ++i) ASSERT_THAT(AppendAuditRow(backend(), kTenantB, i), IsOk());
  ScannedLog scanned;

  ASSERT_THAT(backend().ScanAuditLog(
                  kTenantA,
                  [&](const AuditEntryView& e) -> Result<bool> {
                    EXPECT_EQ(e.leaf_hash.size(), 32u);
                    scanned.entries.emplace_back(e.index, Bytes(e.entry.begin(), e.entry.end()));
                    return true;
                  },
                  [&](const AuditNodeView& n) -> Result<bool> {
                    EXPECT_EQ(n.hash.size(), 32u);
                    EXPECT_EQ(n.hash[0], n.level);
                    scanned.nodes.emplace_back(n.level, n.index);
                    return true;
                  }),
              IsOk());

  EXPECT_THAT(scanned.entries,
              ElementsAre(Pair(0u, Bytes{1}), Pair(1u, Bytes{2}), Pair(2u, Bytes{3}),
                          Pair(3u, Bytes{4}), Pair(4u, Bytes{5})));
  EXPECT_THAT(scanned.nodes, ElementsAre(Pair(1, 0u), Pair(1, 1u), Pair(2, 0u)));
}

TEST_P(BackendConformanceTest, ScanAuditLogStopsAtTheFirstFalseOrError) {
  for (std::uint64_t i = 0; i < 8; ++i) ASSERT_THAT(AppendAuditRow(backend(), kTenantA, i), IsOk());
  int entries = 0;

  ASSERT_THAT(backend().ScanAuditLog(
                  kTenantA, [&](const AuditEntryView&) -> Result<bool> { return ++entries < 3; },
                  [&](const AuditNodeView&) -> Result<bool> { return true; }),
              IsOk());
  const auto failed = backend().ScanAuditLog(
      kTenantA, [&](const AuditEntryView&) -> Result<bool> { return true; },
      [&](const AuditNodeView&) -> Result<bool> { return TestFailure("node"); });

  EXPECT_EQ(entries, 3);
  EXPECT_THAT(failed, ErrorIdIs("TEST-001"));
}

// A verifier must not see nodes whose entries it did not see: a writer appending while the log
// is read (another backend on the same store, as another koseki process would) is invisible to
// the scan.
TEST_P(BackendConformanceTest, ScanAuditLogReadsOneSnapshotWhileAnotherWriterAppends) {
  for (std::uint64_t i = 0; i < 5; ++i) ASSERT_THAT(AppendAuditRow(backend(), kTenantA, i), IsOk());
  std::unique_ptr<Backend> writer = OpenAnother();
  ASSERT_NE(writer, nullptr);
  ScannedLog scanned;

  ASSERT_THAT(backend().ScanAuditLog(
                  kTenantA,
                  [&](const AuditEntryView& e) -> Result<bool> {
                    if (e.index == 0) {
                      for (std::uint64_t i = 5; i < 8; ++i) {
                        EXPECT_THAT(AppendAuditRow(*writer, kTenantA, i), IsOk());
                      }
                    }
                    scanned.entries.emplace_back(e.index, Bytes());
                    return true;
                  },
                  [&](const AuditNodeView& n) -> Result<bool> {
                    scanned.nodes.emplace_back(n.level, n.index);
                    return true;
                  }),
              IsOk());

  EXPECT_EQ(scanned.entries.size(), 5u);
  EXPECT_THAT(scanned.nodes, ElementsAre(Pair(1, 0u), Pair(1, 1u), Pair(2, 0u)));
  EXPECT_THAT(backend().GetLastAuditEntry(kTenantA),
              Holds(Optional(::testing::Field(&AuditEntryRow::index, 7u))));
}

// A backend may keep entries in groups (the SQLite one moves each run of 256 into one row):
// every read answers the same at and across the edges of such runs.
TEST_P(BackendConformanceTest, AuditReadsAgreeAtAndAcrossEveryRunOf256Entries) {
  const auto expected = [](std::uint64_t i) {
    return AuditEntryRow{
        i, Bytes{static_cast<std::uint8_t>(i + 1)}, Bytes(32, static_cast<std::uint8_t>(i)), {}};
  };
  const auto last_index = [&]() -> std::optional<std::uint64_t> {
    auto last = backend().GetLastAuditEntry(kTenantA);
    EXPECT_THAT(last, IsOk());
    if (!last || !*last) return std::nullopt;
    EXPECT_EQ(**last, expected((*last)->index));
    return (*last)->index;
  };
  std::uint64_t size = 0;
  const auto grow_to = [&](std::uint64_t n) {
    for (; size < n; ++size) ASSERT_THAT(AppendAuditRow(backend(), kTenantA, size), IsOk());
  };
  grow_to(255);
  EXPECT_EQ(last_index(), 254u);
  grow_to(256);
  EXPECT_EQ(last_index(), 255u);
  // A checkpoint may cover exactly the whole log, never more.
  EXPECT_THAT(backend().AppendAuditCheckpoint(kTenantA, 257, "past the end", kT0),
              ErrorIdIs("KSK-STORE-006"));
  EXPECT_THAT(backend().AppendAuditCheckpoint(kTenantA, 256, "whole log", kT0), IsOk());
  EXPECT_THAT(AppendAuditRow(backend(), kTenantA, 255), ErrorIdIs("KSK-STORE-024"));
  EXPECT_THAT(AppendAuditRow(backend(), kTenantA, 257), ErrorIdIs("KSK-STORE-024"));
  grow_to(257);
  EXPECT_EQ(last_index(), 256u);
  grow_to(600);
  for (std::uint64_t i = 0; i < 256; ++i)
    ASSERT_THAT(AppendAuditRow(backend(), kTenantB, i), IsOk());

  for (std::uint64_t i : {0u, 1u, 254u, 255u, 256u, 300u, 511u, 512u, 599u}) {
    EXPECT_THAT(backend().GetAuditEntry(kTenantA, i), Holds(Optional(expected(i)))) << i;
  }
  EXPECT_THAT(backend().GetAuditEntry(kTenantA, 600), Holds(std::nullopt));
  EXPECT_THAT(backend().GetAuditEntry(kTenantB, 256), Holds(std::nullopt));
  std::vector<std::uint64_t> all(600);
  std::iota(all.begin(), all.end(), 0);
  EXPECT_THAT(ScannedFrom(backend(), kTenantA, 0), ElementsAreArray(all));
  for (std::uint64_t from : {255u, 256u, 300u, 512u, 599u}) {
    EXPECT_THAT(ScannedFrom(backend(), kTenantA, from),
                ElementsAreArray(all.begin() + static_cast<std::ptrdiff_t>(from), all.end()))
        << from;
  }
  EXPECT_EQ(ScannedFrom(backend(), kTenantB, 200).size(), 56u);
  const auto leaves = [](std::uint64_t first, std::uint64_t count) {
    std::vector<Bytes> out;
    for (std::uint64_t i = first; i < first + count; ++i) {
      out.push_back(Bytes(32, static_cast<std::uint8_t>(i)));
    }
    return out;
  };
  EXPECT_THAT(backend().GetAuditHashes(kTenantA, 0, 250, 20),
              Holds(ElementsAreArray(leaves(250, 20))));
  EXPECT_THAT(backend().GetAuditHashes(kTenantA, 0, 0, 1000),
              Holds(ElementsAreArray(leaves(0, 600))));
  EXPECT_THAT(backend().GetAuditHashes(kTenantA, 0, 512, 5),
              Holds(ElementsAreArray(leaves(512, 5))));
  EXPECT_THAT(backend().GetAuditHashes(kTenantB, 0, 255, 5),
              Holds(ElementsAreArray(leaves(255, 1))));
  std::vector<std::uint64_t> scanned;
  ASSERT_THAT(backend().ScanAuditLog(
                  kTenantA,
                  [&](const AuditEntryView& e) -> Result<bool> {
                    const AuditEntryRow row{e.index,
                                            Bytes(e.entry.begin(), e.entry.end()),
                                            Bytes(e.leaf_hash.begin(), e.leaf_hash.end()),
                                            {}};
                    EXPECT_EQ(row, expected(e.index));
                    scanned.push_back(e.index);
                    return true;
                  },
                  [&](const AuditNodeView&) -> Result<bool> { return true; }),
              IsOk());
  EXPECT_THAT(scanned, ElementsAreArray(all));
  EXPECT_THAT(backend().ListAuditLogs(),
              Holds(ElementsAre(std::string(kTenantA), std::string(kTenantB))));
  // Objects indexed after the fact are found in and after the runs: entries 6, 262 and 518 are
  // the ones whose bytes are {7}.
  EXPECT_THAT(backend().IndexAuditObjects([](std::span<const std::uint8_t> entry) {
    return entry[0] == 7 ? std::string("reg-7") : std::string();
  }),
              Holds(true));
  std::vector<std::uint64_t> found;
  ASSERT_THAT(backend().ScanAuditEntriesOf(kTenantA, "reg-7",
                                           [&](const AuditEntryView& e) -> Result<bool> {
                                             EXPECT_EQ(e.entry.size(), 1u);
                                             found.push_back(e.index);
                                             return true;
                                           }),
              IsOk());
  EXPECT_THAT(found, ElementsAre(6u, 262u, 518u));
}

TEST_P(BackendConformanceTest, CheckpointsAreNumberedAndNeverShrinkNorOutgrowTheLog) {
  for (std::uint64_t i = 0; i < 3; ++i) ASSERT_THAT(AppendAuditRow(backend(), kTenantA, i), IsOk());
  ASSERT_THAT(backend().AppendAuditCheckpoint(kTenantA, 2, "note 1", kT0), Holds(1u));
  ASSERT_THAT(backend().AppendAuditCheckpoint(kTenantA, 3, "note 2", kT1), Holds(2u));

  const auto shrinking = backend().AppendAuditCheckpoint(kTenantA, 1, "note 3", kT2);
  const auto outgrowing = backend().AppendAuditCheckpoint(kTenantA, 4, "note 3", kT2);

  EXPECT_THAT(shrinking, ErrorIs(ErrorCode::kFailedPrecondition));
  EXPECT_THAT(shrinking, ErrorIdIs("KSK-STORE-006"));
  EXPECT_THAT(outgrowing, ErrorIdIs("KSK-STORE-006"));
  EXPECT_THAT(backend().AppendAuditCheckpoint(kTenantA, 3, "same size", kT2), Holds(3u));
  EXPECT_THAT(backend().ListAuditCheckpoints(kTenantA),
              Holds(ElementsAre(AuditCheckpointRow{1, 2, "note 1", kT0},
                                AuditCheckpointRow{2, 3, "note 2", kT1},
                                AuditCheckpointRow{3, 3, "same size", kT2})));
  EXPECT_THAT(backend().GetLatestAuditCheckpoint(kTenantA),
              Holds(Optional(AuditCheckpointRow{3, 3, "same size", kT2})));
  EXPECT_THAT(backend().GetLatestAuditCheckpoint(kTenantB), Holds(std::nullopt));
  EXPECT_THAT(backend().ListAuditCheckpoints(kTenantB), Holds(IsEmpty()));
}

TEST_P(BackendConformanceTest, ListAuditLogsNamesEveryLogWithAnEntryOrACheckpoint) {
  EXPECT_THAT(backend().ListAuditLogs(), Holds(IsEmpty()));
  ASSERT_THAT(AppendAuditRow(backend(), "system", 0), IsOk());
  ASSERT_THAT(AppendAuditRow(backend(), kTenantB, 0), IsOk());
  ASSERT_THAT(backend().AppendAuditCheckpoint(kTenantA, 0, "empty", kT0), IsOk());

  EXPECT_THAT(backend().ListAuditLogs(),
              Holds(ElementsAre(std::string(kTenantA), std::string(kTenantB), "system")));
}

// ---- tenant settings and cases ----------------------------------------------------------------

TEST_P(BackendConformanceTest, TenantSettingsKeepTheirHistoryAndAnswerTheLatest) {
  ASSERT_THAT(backend().SetTenantSetting(kTenantA, "workflow.double_entry", "on", kT0), IsOk());
  ASSERT_THAT(backend().SetTenantSetting(kTenantA, "workflow.double_entry", "off", kT1), IsOk());
  ASSERT_THAT(backend().SetTenantSetting(kTenantA, "workflow.examiner_may_approve", "on", kT1),
              IsOk());

  EXPECT_THAT(backend().GetTenantSettings(kTenantA),
              Holds(ElementsAre(Pair("workflow.double_entry", "off"),
                                Pair("workflow.examiner_may_approve", "on"))));
  EXPECT_THAT(backend().GetTenantSettings(kTenantB), Holds(IsEmpty()));
  EXPECT_THAT(backend().SetTenantSetting(kUnknownTenant, "workflow.double_entry", "on", kT0),
              ErrorIs(ErrorCode::kFailedPrecondition));
}

TEST_P(BackendConformanceTest, CasesAreUniqueByIdAndByReceiptNumber) {
  ASSERT_THAT(backend().InsertCase(kTenantA, Case("c1", "2026-000001", 2026, kT0)), IsOk());

  EXPECT_THAT(backend().InsertCase(kTenantA, Case("c1", "2026-000002", 2026, kT1)),
              ErrorIdIs("KSK-STORE-014"));
  EXPECT_THAT(backend().InsertCase(kTenantA, Case("c2", "2026-000001", 2026, kT1)),
              ErrorIs(ErrorCode::kAlreadyExists));
  EXPECT_THAT(backend().GetCase(kTenantA, "c1"),
              Holds(Optional(Case("c1", "2026-000001", 2026, kT0))));
  EXPECT_THAT(backend().GetCase(kTenantA, "c2"), Holds(std::nullopt));
  EXPECT_THAT(backend().GetCase(kTenantB, "c1"), Holds(std::nullopt));
  EXPECT_THAT(backend().InsertCase(kTenantB, Case("c1", "2026-000001", 2026, kT0)), IsOk());
  EXPECT_THAT(backend().InsertCase(kUnknownTenant, Case("c9", "2026-000009", 2026, kT0)),
              ErrorIs(ErrorCode::kFailedPrecondition));
}

TEST_P(BackendConformanceTest, CasesAreListedNewestFirstInPagesAndNumberedPerYear) {
  EXPECT_THAT(backend().NextReceiptNumber(kTenantA, 2026), Holds(1));
  ASSERT_THAT(backend().InsertCase(kTenantA, Case("late", "2026-000002", 2026, kT2)), IsOk());
  ASSERT_THAT(backend().InsertCase(kTenantA, Case("early", "2026-000001", 2026, kT0)), IsOk());
  ASSERT_THAT(backend().InsertCase(kTenantA, Case("old", "2025-000001", 2025, kT1)), IsOk());
  // Received at the same moment as "late": the case id orders them.
  ASSERT_THAT(backend().InsertCase(kTenantA, Case("same", "2026-000003", 2026, kT2)), IsOk());
  const auto id = [](const char* case_id) { return ::testing::Field(&CaseRow::case_id, case_id); };

  EXPECT_THAT(backend().ListCases(kTenantA, std::nullopt, 10),
              Holds(ElementsAre(id("same"), id("late"), id("old"), id("early"))));
  EXPECT_THAT(backend().ListCases(kTenantA, std::nullopt, 2),
              Holds(ElementsAre(id("same"), id("late"))));
  EXPECT_THAT(backend().ListCases(kTenantA, CaseCursor{kT2, "late"}, 2),
              Holds(ElementsAre(id("old"), id("early"))));
  EXPECT_THAT(backend().ListCases(kTenantA, CaseCursor{kT2, "same"}, 1),
              Holds(ElementsAre(id("late"))));
  EXPECT_THAT(backend().ListCases(kTenantA, CaseCursor{kT0, "early"}, 2), Holds(IsEmpty()));
  EXPECT_THAT(backend().ListCases(kTenantB, std::nullopt, 10), Holds(IsEmpty()));
  EXPECT_THAT(backend().NextReceiptNumber(kTenantA, 2026), Holds(4));
  EXPECT_THAT(backend().NextReceiptNumber(kTenantA, 2025), Holds(2));
  EXPECT_THAT(backend().NextReceiptNumber(kTenantB, 2026), Holds(1));
}

TEST_P(BackendConformanceTest, CaseActionsAreAppendedInSequence) {
  ASSERT_THAT(backend().InsertCase(kTenantA, Case("c1", "2026-000001", 2026, kT0)), IsOk());
  ASSERT_THAT(backend().InsertCaseAction(kTenantA, "c1", Action(0)), IsOk());

  const auto again = backend().InsertCaseAction(kTenantA, "c1", Action(0));
  const auto skipping = backend().InsertCaseAction(kTenantA, "c1", Action(2));
  const auto unknown = backend().InsertCaseAction(kTenantA, "c2", Action(0));
  const auto other_tenant = backend().InsertCaseAction(kTenantB, "c1", Action(1));

  EXPECT_THAT(again, ErrorIs(ErrorCode::kAborted));
  EXPECT_THAT(again, ErrorIdIs("KSK-CASE-020"));
  EXPECT_THAT(skipping, ErrorIdIs("KSK-CASE-020"));
  EXPECT_THAT(unknown, ErrorIs(ErrorCode::kNotFound));
  EXPECT_THAT(unknown, ErrorIdIs("KSK-CASE-021"));
  EXPECT_THAT(other_tenant, ErrorIdIs("KSK-CASE-021"));
  ASSERT_THAT(backend().InsertCaseAction(kTenantA, "c1", Action(1)), IsOk());
  EXPECT_THAT(backend().ListCaseActions(kTenantA, "c1"), Holds(ElementsAre(Action(0), Action(1))));
  EXPECT_THAT(backend().ListCaseActions(kTenantB, "c1"), Holds(IsEmpty()));
}

// ---- objects ----------------------------------------------------------------------------------

TEST_P(BackendConformanceTest, ObjectVersionsAreAppendedOneByOne) {
  EXPECT_THAT(backend().GetObjectHead(kTenantA, kUserKind, kObjectA), Holds(std::nullopt));

  ASSERT_THAT(backend().InsertObjectVersion(kTenantA, kUserKind, kObjectA, 0, kCiphertext1, kT0),
              Holds(1u));
  ASSERT_THAT(backend().InsertObjectVersion(kTenantA, kUserKind, kObjectA, 1, kCiphertext2, kT1),
              Holds(2u));

  EXPECT_THAT(backend().GetObjectHead(kTenantA, kUserKind, kObjectA),
              Holds(Optional(ObjectVersionRow{2, kCiphertext2, kT1})));
  EXPECT_THAT(backend().ListObjectHeads(kTenantA, kUserKind),
              Holds(ElementsAre(ObjectHeadRow{std::string(kObjectA), {2, kCiphertext2, kT1}})));
}

TEST_P(BackendConformanceTest, AStaleExpectedObjectVersionIsAbortedAndWritesNothing) {
  ASSERT_THAT(backend().InsertObjectVersion(kTenantA, kUserKind, kObjectA, 0, kCiphertext1, kT0),
              IsOk());
  ASSERT_THAT(backend().InsertObjectVersion(kTenantA, kUserKind, kObjectA, 1, kCiphertext2, kT1),
              IsOk());

  const auto stale =
      backend().InsertObjectVersion(kTenantA, kUserKind, kObjectA, 1, kCiphertext3, kT2);
  const auto recreate =
      backend().InsertObjectVersion(kTenantA, kUserKind, kObjectA, 0, kCiphertext3, kT2);
  const auto ahead =
      backend().InsertObjectVersion(kTenantA, kUserKind, kObjectA, 5, kCiphertext3, kT2);
  const auto missing =
      backend().InsertObjectVersion(kTenantA, kUserKind, kObjectB, 1, kCiphertext3, kT2);

  EXPECT_THAT(stale, ErrorIs(ErrorCode::kAborted));
  EXPECT_THAT(stale, ErrorIdIs("KSK-STORE-031"));
  EXPECT_THAT(recreate, ErrorIdIs("KSK-STORE-031"));
  EXPECT_THAT(ahead, ErrorIdIs("KSK-STORE-031"));
  EXPECT_THAT(missing, ErrorIdIs("KSK-STORE-031"));
  EXPECT_THAT(backend().GetObjectHead(kTenantA, kUserKind, kObjectA),
              Holds(Optional(ObjectVersionRow{2, kCiphertext2, kT1})));
  EXPECT_THAT(backend().GetObjectHead(kTenantA, kUserKind, kObjectB), Holds(std::nullopt));
  EXPECT_THAT(backend().InsertObjectVersion(kTenantA, kUserKind, kObjectA, ~std::uint64_t{0},
                                            kCiphertext3, kT2),
              ErrorIs(ErrorCode::kInvalidArgument));
}

TEST_P(BackendConformanceTest, ObjectsOfAnUnknownTenantAreRefused) {
  EXPECT_THAT(
      backend().InsertObjectVersion(kUnknownTenant, kUserKind, kObjectA, 0, kCiphertext1, kT0),
      ErrorIs(ErrorCode::kFailedPrecondition));
  EXPECT_THAT(
      backend().InsertObjectVersion(kUnknownTenant, kUserKind, kObjectA, 3, kCiphertext1, kT0),
      ErrorIs(ErrorCode::kFailedPrecondition));
  EXPECT_THAT(backend().GetObjectHead(kUnknownTenant, kUserKind, kObjectA), Holds(std::nullopt));
  EXPECT_THAT(backend().ListObjectHeads(kUnknownTenant, kUserKind), Holds(IsEmpty()));
}

TEST_P(BackendConformanceTest, ObjectsAreSeparatedByTenantAndByKind) {
  ASSERT_THAT(backend().InsertObjectVersion(kTenantA, kUserKind, kObjectA, 0, kCiphertext1, kT0),
              IsOk());

  EXPECT_THAT(backend().GetObjectHead(kTenantB, kUserKind, kObjectA), Holds(std::nullopt));
  EXPECT_THAT(backend().GetObjectHead(kTenantA, kDeviceKind, kObjectA), Holds(std::nullopt));
  EXPECT_THAT(backend().ListObjectHeads(kTenantB, kUserKind), Holds(IsEmpty()));
  EXPECT_THAT(backend().ListObjectHeads(kTenantA, kDeviceKind), Holds(IsEmpty()));
  // The same key elsewhere is another object, with its own versions from 1.
  EXPECT_THAT(backend().InsertObjectVersion(kTenantB, kUserKind, kObjectA, 0, kCiphertext2, kT1),
              Holds(1u));
  EXPECT_THAT(backend().InsertObjectVersion(kTenantA, kDeviceKind, kObjectA, 0, kCiphertext3, kT2),
              Holds(1u));
  EXPECT_THAT(backend().GetObjectHead(kTenantA, kUserKind, kObjectA),
              Holds(Optional(ObjectVersionRow{1, kCiphertext1, kT0})));
}

TEST_P(BackendConformanceTest, ListObjectHeadsGivesEachObjectsHeadOrderedById) {
  ASSERT_THAT(backend().InsertObjectVersion(kTenantA, kUserKind, kObjectB, 0, kCiphertext1, kT0),
              IsOk());
  ASSERT_THAT(backend().InsertObjectVersion(kTenantA, kUserKind, kObjectA, 0, kCiphertext2, kT0),
              IsOk());
  ASSERT_THAT(backend().InsertObjectVersion(kTenantA, kUserKind, kObjectB, 1, kCiphertext3, kT1),
              IsOk());
  // Bytewise order: uppercase before lowercase, "." and ":" before digits.
  ASSERT_THAT(backend().InsertObjectVersion(kTenantA, kUserKind, "Z.9", 0, kCiphertext1, kT2),
              IsOk());
  ASSERT_THAT(backend().InsertObjectVersion(kTenantA, kDeviceKind, "0a", 0, kCiphertext1, kT2),
              IsOk());

  EXPECT_THAT(backend().ListObjectHeads(kTenantA, kUserKind),
              Holds(ElementsAre(ObjectHeadRow{"Z.9", {1, kCiphertext1, kT2}},
                                ObjectHeadRow{std::string(kObjectA), {1, kCiphertext2, kT0}},
                                ObjectHeadRow{std::string(kObjectB), {2, kCiphertext3, kT1}})));
}

TEST_P(BackendConformanceTest, MalformedObjectKindsAndIdsAreRefused) {
  for (const std::string& kind : {std::string(), std::string("User"), std::string("device-ca"),
                                  std::string("x1"), std::string(33, 'a')}) {
    EXPECT_THAT(backend().InsertObjectVersion(kTenantA, kind, kObjectA, 0, kCiphertext1, kT0),
                ErrorIdIs("KSK-STORE-032"))
        << kind;
    EXPECT_THAT(backend().GetObjectHead(kTenantA, kind, kObjectA), ErrorIdIs("KSK-STORE-032"));
    EXPECT_THAT(backend().ListObjectHeads(kTenantA, kind), ErrorIdIs("KSK-STORE-032"));
  }
  for (const std::string& id : {std::string(), std::string("a/b"), std::string("a b"),
                                std::string("名前"), std::string(129, 'a')}) {
    const auto refused =
        backend().InsertObjectVersion(kTenantA, kUserKind, id, 0, kCiphertext1, kT0);
    EXPECT_THAT(refused, ErrorIs(ErrorCode::kInvalidArgument)) << id;
    EXPECT_THAT(refused, ErrorIdIs("KSK-STORE-032"));
    EXPECT_THAT(backend().GetObjectHead(kTenantA, kUserKind, id), ErrorIdIs("KSK-STORE-032"));
  }
  EXPECT_THAT(backend().ListObjectHeads(kTenantA, kUserKind), Holds(IsEmpty()));
  // The longest allowed forms are accepted.
  EXPECT_THAT(
      backend().InsertObjectVersion(kTenantA, std::string(32, 'z'),
                                    "0-9_A.Z:a" + std::string(119, 'z'), 0, kCiphertext1, kT0),
      Holds(1u));
}

TEST_P(BackendConformanceTest, ObjectVersionsOfARolledBackTransactionAreGone) {
  {
    auto transaction = backend().BeginWrite();
    ASSERT_THAT(transaction, IsOk());
    ASSERT_THAT(backend().InsertObjectVersion(kTenantA, kUserKind, kObjectA, 0, kCiphertext1, kT0),
                IsOk());
    EXPECT_THAT(backend().GetObjectHead(kTenantA, kUserKind, kObjectA),
                Holds(Optional(ObjectVersionRow{1, kCiphertext1, kT0})));
  }

  EXPECT_THAT(backend().GetObjectHead(kTenantA, kUserKind, kObjectA), Holds(std::nullopt));
  EXPECT_THAT(backend().InsertObjectVersion(kTenantA, kUserKind, kObjectA, 0, kCiphertext2, kT1),
              Holds(1u));
}

// ---- sessions ---------------------------------------------------------------------------------

TEST_P(BackendConformanceTest, ASessionIsPutReplacedAndDeleted) {
  const SessionRow first{kTokenHashA, std::string(kTenantA), kCiphertext1, kT1};
  const SessionRow replaced{kTokenHashA, std::string(kTenantA), kCiphertext2, kT2};
  EXPECT_THAT(backend().GetSession(kTokenHashA), Holds(std::nullopt));

  ASSERT_THAT(backend().PutSession(first), IsOk());
  EXPECT_THAT(backend().GetSession(kTokenHashA), Holds(Optional(first)));
  ASSERT_THAT(backend().PutSession(replaced), IsOk());
  EXPECT_THAT(backend().GetSession(kTokenHashA), Holds(Optional(replaced)));
  EXPECT_THAT(backend().GetSession(kTokenHashB), Holds(std::nullopt));

  ASSERT_THAT(backend().DeleteSession(kTokenHashA), IsOk());
  EXPECT_THAT(backend().GetSession(kTokenHashA), Holds(std::nullopt));
  EXPECT_THAT(backend().DeleteSession(kTokenHashA), IsOk());
}

TEST_P(BackendConformanceTest, DeleteExpiredSessionsRemovesThoseExpiredAtNowOnly) {
  ASSERT_THAT(backend().PutSession({kTokenHashA, std::string(kTenantA), kCiphertext1, kT1}),
              IsOk());
  ASSERT_THAT(backend().PutSession({kTokenHashB, std::string(kTenantB), kCiphertext2, kT2}),
              IsOk());
  ASSERT_THAT(backend().PutSession({kTokenHashC, std::string(kTenantA), kCiphertext3, kT0}),
              IsOk());

  EXPECT_THAT(backend().DeleteExpiredSessions(kT0 - 1), Holds(0u));
  EXPECT_THAT(backend().DeleteExpiredSessions(kT1), Holds(2u));

  EXPECT_THAT(backend().GetSession(kTokenHashA), Holds(std::nullopt));
  EXPECT_THAT(backend().GetSession(kTokenHashC), Holds(std::nullopt));
  EXPECT_THAT(backend().GetSession(kTokenHashB),
              Holds(Optional(SessionRow{kTokenHashB, std::string(kTenantB), kCiphertext2, kT2})));
  EXPECT_THAT(backend().DeleteExpiredSessions(kT1), Holds(0u));
}

TEST_P(BackendConformanceTest, SessionsOfUnknownTenantsOrWithMalformedHashesAreRefused) {
  EXPECT_THAT(backend().PutSession({kTokenHashA, std::string(kUnknownTenant), kCiphertext1, kT1}),
              ErrorIs(ErrorCode::kFailedPrecondition));
  const Bytes short_hash(kSessionTokenHashSize - 1, 0x0a);
  const auto malformed =
      backend().PutSession({short_hash, std::string(kTenantA), kCiphertext1, kT1});
  EXPECT_THAT(malformed, ErrorIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(malformed, ErrorIdIs("KSK-STORE-028"));
  EXPECT_THAT(backend().GetSession(short_hash), Holds(std::nullopt));
  EXPECT_THAT(backend().DeleteSession(short_hash), IsOk());
  EXPECT_THAT(backend().GetSession(kTokenHashA), Holds(std::nullopt));
}

// ---- transactions -----------------------------------------------------------------------------

TEST_P(BackendConformanceTest, ACommittedTransactionKeepsEveryWrite) {
  auto transaction = backend().BeginWrite();
  ASSERT_THAT(transaction, IsOk());
  ASSERT_THAT(backend().InsertRegister(kTenantA, kRegister, kT0), IsOk());
  ASSERT_THAT(backend().InsertVersion(kTenantA, kRegister, 0, kCiphertext1, kT0), IsOk());

  ASSERT_THAT((*transaction)->Commit(), IsOk());
  transaction->reset();

  EXPECT_THAT(backend().GetHeadVersion(kTenantA, kRegister), Holds(Optional(1u)));
}

TEST_P(BackendConformanceTest, ATransactionDestroyedWithoutCommitRollsBack) {
  {
    auto transaction = backend().BeginWrite();
    ASSERT_THAT(transaction, IsOk());
    ASSERT_THAT(backend().InsertRegister(kTenantA, kRegister, kT0), IsOk());
    ASSERT_THAT(backend().InsertVersion(kTenantA, kRegister, 0, kCiphertext1, kT0), IsOk());
    ASSERT_THAT(AppendAuditRow(backend(), kTenantA, 0), IsOk());
  }

  EXPECT_THAT(backend().GetHeadVersion(kTenantA, kRegister), Holds(std::nullopt));
  EXPECT_THAT(backend().GetLastAuditEntry(kTenantA), Holds(std::nullopt));
  EXPECT_FALSE(backend().InTransactionOnThisThread());
  EXPECT_THAT(backend().InsertRegister(kTenantA, kRegister, kT1), IsOk());
}

TEST_P(BackendConformanceTest, InTransactionRollsBackEverythingWhenTheFunctionFails) {
  const auto result = backend().InTransaction([&]() -> Result<void> {
    KOSEKI_RETURN_IF_ERROR(backend().InsertRegister(kTenantA, kRegister, kT0));
    KOSEKI_RETURN_IF_ERROR(backend().InsertVersion(kTenantA, kRegister, 0, kCiphertext1, kT0));
    return TestFailure("after two writes");
  });

  EXPECT_THAT(result, ErrorIdIs("TEST-001"));
  EXPECT_THAT(backend().GetHeadVersion(kTenantA, kRegister), Holds(std::nullopt));
  EXPECT_THAT(backend().ListVersions(kTenantA, kRegister), Holds(IsEmpty()));
}

TEST_P(BackendConformanceTest, ANestedRollbackKeepsTheOuterTransactionsWork) {
  auto outer = backend().BeginWrite();
  ASSERT_THAT(outer, IsOk());
  ASSERT_THAT(backend().InsertRegister(kTenantA, kRegister, kT0), IsOk());
  {
    auto inner = backend().BeginWrite();
    ASSERT_THAT(inner, IsOk());
    ASSERT_THAT(backend().InsertRegister(kTenantA, kOtherRegister, kT0), IsOk());
    EXPECT_TRUE(backend().InTransactionOnThisThread());
  }
  EXPECT_TRUE(backend().InTransactionOnThisThread());

  ASSERT_THAT((*outer)->Commit(), IsOk());

  EXPECT_THAT(backend().GetHeadVersion(kTenantA, kRegister), Holds(Optional(0u)));
  EXPECT_THAT(backend().GetHeadVersion(kTenantA, kOtherRegister), Holds(std::nullopt));
}

TEST_P(BackendConformanceTest, ANestedCommitIsUndoneWithItsOuterTransaction) {
  {
    auto outer = backend().BeginWrite();
    ASSERT_THAT(outer, IsOk());
    ASSERT_THAT(backend().InTransaction([&]() -> Result<void> {
      return backend().InsertRegister(kTenantA, kRegister, kT0);
    }),
                IsOk());
    EXPECT_THAT(backend().GetHeadVersion(kTenantA, kRegister), Holds(Optional(0u)));
  }

  EXPECT_THAT(backend().GetHeadVersion(kTenantA, kRegister), Holds(std::nullopt));
}

TEST_P(BackendConformanceTest, AFailedCallInsideATransactionLeavesTheRestCommittable) {
  CreateRegisterWithOneVersion();

  const auto result = backend().InTransaction([&]() -> Result<void> {
    EXPECT_THAT(backend().InsertVersion(kTenantA, kRegister, 0, kCiphertext2, kT1),
                ErrorIs(ErrorCode::kAborted));
    EXPECT_THAT(backend().InsertTenant({std::string(kTenantA), "重複", kT1}),
                ErrorIs(ErrorCode::kAlreadyExists));
    return backend().InsertVersion(kTenantA, kRegister, 1, kCiphertext2, kT1).has_value()
               ? Ok()
               : TestFailure("the second InsertVersion failed");
  });

  EXPECT_THAT(result, IsOk());
  EXPECT_THAT(backend().ListVersions(kTenantA, kRegister),
              Holds(ElementsAre(VersionInfo{1, kT0}, VersionInfo{2, kT1})));
}

TEST_P(BackendConformanceTest, AHandleCommitsOnce) {
  auto transaction = backend().BeginWrite();
  ASSERT_THAT(transaction, IsOk());
  ASSERT_THAT((*transaction)->Commit(), IsOk());

  EXPECT_THAT((*transaction)->Commit(), ErrorIs(ErrorCode::kInternal));
  EXPECT_FALSE(backend().InTransactionOnThisThread());
}

TEST_P(BackendConformanceTest, InTransactionOnThisThreadIsTrueOnlyOnTheTransactionsThread) {
  EXPECT_FALSE(backend().InTransactionOnThisThread());
  auto transaction = backend().BeginWrite();
  ASSERT_THAT(transaction, IsOk());

  EXPECT_TRUE(backend().InTransactionOnThisThread());
  bool on_other_thread = true;
  std::thread([&] { on_other_thread = backend().InTransactionOnThisThread(); }).join();
  EXPECT_FALSE(on_other_thread);

  ASSERT_THAT((*transaction)->Commit(), IsOk());
  EXPECT_FALSE(backend().InTransactionOnThisThread());
}

// ---- concurrency ------------------------------------------------------------------------------

struct ReadsDuringTheWrite {
  Result<std::optional<std::uint64_t>> head = std::optional<std::uint64_t>();
  Result<std::optional<VersionRow>> uncommitted_version = std::optional<VersionRow>();
  Result<std::optional<TenantRow>> uncommitted_tenant = std::optional<TenantRow>();
  Result<std::vector<std::string>> index = std::vector<std::string>();
  bool in_transaction = true;
};

// Thread A holds a write transaction open (it waits on a latch with uncommitted rows written);
// thread B's reads complete meanwhile and see the last committed state, not A's rows.
TEST_P(BackendConformanceTest, ReadersAreNotBlockedByALongWriteAndSeeOnlyCommittedRows) {
  CreateRegisterWithOneVersion();
  std::latch written(1);
  std::latch release(1);
  Result<void> write = Ok();
  std::thread writer([&] {
    bool signalled = false;
    write = [&]() -> Result<void> {
      KOSEKI_ASSIGN_OR_RETURN(std::unique_ptr<Transaction> transaction, backend().BeginWrite());
      KOSEKI_RETURN_IF_ERROR(backend().InsertVersion(kTenantA, kRegister, 1, kCiphertext2, kT1));
      KOSEKI_RETURN_IF_ERROR(backend().InsertTenant({"990003", "青葉県かもめ町", kT1}));
      const IndexEntry entry{std::string(kNameBirth), kOtherBlind};
      KOSEKI_RETURN_IF_ERROR(backend().InsertIndexEntries(kTenantA, kRegister, {&entry, 1}));
      written.count_down();
      signalled = true;
      release.wait();
      return transaction->Commit();
    }();
    if (!signalled) written.count_down();
  });
  written.wait();

  auto reads = std::async(std::launch::async, [&] {
    ReadsDuringTheWrite r;
    r.head = backend().GetHeadVersion(kTenantA, kRegister);
    r.uncommitted_version = backend().GetVersion(kTenantA, kRegister, 2);
    r.uncommitted_tenant = backend().GetTenant("990003");
    r.index = backend().LookupIndex(kTenantA, kNameBirth, kOtherBlind);
    r.in_transaction = backend().InTransactionOnThisThread();
    return r;
  });
  // A guard against a hang, not a sleep: the reads return at once unless they wait for A.
  const bool finished = reads.wait_for(std::chrono::seconds(60)) == std::future_status::ready;
  release.count_down();
  writer.join();

  ASSERT_TRUE(finished) << "the reads waited for the open write transaction";
  const ReadsDuringTheWrite r = reads.get();
  EXPECT_THAT(r.head, Holds(Optional(1u)));
  EXPECT_THAT(r.uncommitted_version, Holds(std::nullopt));
  EXPECT_THAT(r.uncommitted_tenant, Holds(std::nullopt));
  EXPECT_THAT(r.index, Holds(IsEmpty()));
  EXPECT_FALSE(r.in_transaction);
  ASSERT_THAT(write, IsOk());
  EXPECT_THAT(backend().GetHeadVersion(kTenantA, kRegister), Holds(Optional(2u)));
  EXPECT_THAT(backend().GetTenant("990003"), Holds(Optional(::testing::_)));
}

// Each thread reads the head inside its transaction and appends after it: if two transactions
// overlapped, one would read a stale head and fail with a version conflict.
TEST_P(BackendConformanceTest, WritesFromTwoThreadsSerializeWithoutLoss) {
  ASSERT_THAT(backend().InsertRegister(kTenantA, kRegister, kT0), IsOk());
  constexpr int kPerThread = 20;
  std::latch start(2);
  const auto append_many = [&](std::uint8_t tag) -> Result<void> {
    start.arrive_and_wait();
    for (int i = 0; i < kPerThread; ++i) {
      KOSEKI_RETURN_IF_ERROR(backend().InTransaction([&]() -> Result<void> {
        KOSEKI_ASSIGN_OR_RETURN(std::optional<std::uint64_t> head,
                                backend().GetHeadVersion(kTenantA, kRegister));
        if (!head) return TestFailure("register vanished");
        KOSEKI_RETURN_IF_ERROR(
            backend().InsertVersion(kTenantA, kRegister, *head, Bytes{tag}, kT1));
        return AppendAuditRow(backend(), kTenantA, *head);
      }));
    }
    return Ok();
  };
  Result<void> first = Ok();
  Result<void> second = Ok();

  std::thread a([&] { first = append_many(1); });
  std::thread b([&] { second = append_many(2); });
  a.join();
  b.join();

  EXPECT_THAT(first, IsOk());
  EXPECT_THAT(second, IsOk());
  EXPECT_THAT(backend().GetHeadVersion(kTenantA, kRegister), Holds(Optional(2u * kPerThread)));
  EXPECT_THAT(backend().ListVersions(kTenantA, kRegister), Holds(SizeIs(2 * kPerThread)));
  EXPECT_THAT(backend().GetLastAuditEntry(kTenantA),
              Holds(Optional(::testing::Field(&AuditEntryRow::index, 2u * kPerThread - 1))));
}

// Thread B's write while A's transaction is open waits for it: it finds the register A created
// (committed by then), where running at once it would have found none.
TEST_P(BackendConformanceTest, AWriteFromAnotherThreadWaitsForTheOpenTransaction) {
  auto transaction = backend().BeginWrite();
  ASSERT_THAT(transaction, IsOk());
  ASSERT_THAT(backend().InsertRegister(kTenantA, kRegister, kT0), IsOk());
  std::latch started(1);
  Result<std::uint64_t> appended = std::uint64_t{0};
  std::thread other([&] {
    started.count_down();
    appended = backend().InsertVersion(kTenantA, kRegister, 0, kCiphertext1, kT1);
  });
  started.wait();

  ASSERT_THAT((*transaction)->Commit(), IsOk());
  other.join();

  EXPECT_THAT(appended, Holds(1u));
}

TEST_P(BackendConformanceTest, ReadsSeeWhatAnotherWriterCommitted) {
  ASSERT_THAT(backend().GetTenant("990003"), Holds(std::nullopt));  // warms any reader
  std::unique_ptr<Backend> other = OpenAnother();
  ASSERT_NE(other, nullptr);

  ASSERT_THAT(other->InsertTenant({"990003", "青葉県かもめ町", kT2}), IsOk());

  EXPECT_THAT(backend().GetTenant("990003"),
              Holds(Optional(TenantRow{"990003", "青葉県かもめ町", kT2})));
}

}  // namespace

// A test binary may link the suite without instantiating it for every backend.
GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(BackendConformanceTest);

}  // namespace koseki::store::testing
