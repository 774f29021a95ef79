#include "koseki/store/sqlite/migrations.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "koseki/base/hex.h"
#include "koseki/base/testing/matchers.h"
#include "koseki/store/sqlite/sqlite_backend.h"
#include "koseki/store/testing/store_test_util.h"

namespace koseki::store::sqlite_internal {
namespace {

using ::koseki::store::testing::HoldsValue;
using ::koseki::store::testing::RawExec;
using ::koseki::store::testing::RawQueryInt;
using ::koseki::store::testing::RawQueryText;
using ::koseki::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::Optional;

constexpr std::string_view kTenant = "990001";
constexpr std::string_view kRegister = "0123456789abcdef0123456789abcdef";
// Seconds as steps 1–5 stored them, and the same instant in microseconds.
constexpr std::int64_t kSeconds = 1732600000;
constexpr std::int64_t kMicros = kSeconds * 1000000;
// A case row's time, already microseconds before step 6.
constexpr std::int64_t kCaseMicros = 1732600000654321;

class MigrationsTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    std::filesystem::create_directories(data_dir());
  }

  // Creates a database of schema version `version` holding one row of every table with a time
  // (as the koseki of that version wrote them), through a raw connection.
  void CreateOldDatabase(std::int64_t version) {
    auto db = Database::Open(db_file());
    ASSERT_THAT(db, IsOk());
    ASSERT_THAT(MigrateTo(*db, version), IsOk());
    ASSERT_THAT(SchemaVersion(*db), HoldsValue(version));
    const std::string s = std::to_string(kSeconds);
    const std::string c = std::to_string(kCaseMicros);
    ASSERT_THAT(
        db->Exec(
            "INSERT INTO installation VALUES ('format_version', '1');"
            "INSERT INTO installation VALUES ('created_at', '" +
            s +
            "');"
            "INSERT INTO tenants VALUES ('990001', '青葉県みなと市', " +
            s +
            ");"
            "INSERT INTO tenant_keys VALUES ('990001', 1, x'01', " +
            s +
            ");"
            "INSERT INTO registers VALUES ('990001', '" +
            std::string(kRegister) + "', 0, " + s +
            ");"
            "INSERT INTO register_versions VALUES ('990001', '" +
            std::string(kRegister) + "', 1, x'01', " + s +
            ");"
            "UPDATE registers SET head_version = 1;"
            "INSERT INTO certificate_issues VALUES ('990001', 1, '" +
            std::string(kRegister) + "', 1, " + s +
            ");"
            "INSERT INTO audit_entries VALUES ('990001', 0, x'01', zeroblob(32));"
            "INSERT INTO audit_checkpoints VALUES ('990001', 1, 1, 'note', " +
            s +
            ");"
            "INSERT INTO tenant_settings VALUES ('990001', 'workflow.double_entry', 1, 'on', " +
            s +
            ");"
            "INSERT INTO cases VALUES ('990001', 'c1', '2024-000001', 2024, 'shibou', " +
            c +
            ");"
            "INSERT INTO case_actions VALUES ('990001', 'c1', 0, 'receive', 'u', 'clerk', " +
            c + ", x'01');"),
        IsOk());
  }
};

TEST_F(MigrationsTest, StepSixTurnsEveryStoredSecondIntoMicroseconds) {
  CreateOldDatabase(5);

  auto backend = SqliteBackend::Open(db_file());

  ASSERT_THAT(backend, IsOk());
  EXPECT_THAT((*backend)->SchemaVersion(), HoldsValue(Migrations().back().version));
  EXPECT_THAT((*backend)->GetTenant(kTenant),
              HoldsValue(Optional(TenantRow{std::string(kTenant), "青葉県みなと市", kMicros})));
  EXPECT_THAT((*backend)->GetLatestTenantKey(kTenant),
              HoldsValue(Optional(TenantKeyRow{1, {1}, kMicros})));
  EXPECT_THAT((*backend)->ListVersions(kTenant, kRegister),
              HoldsValue(ElementsAre(VersionInfo{1, kMicros})));
  EXPECT_THAT((*backend)->ListAuditCheckpoints(kTenant),
              HoldsValue(ElementsAre(AuditCheckpointRow{1, 1, "note", kMicros})));
  EXPECT_THAT((*backend)->GetInstallationValue("created_at"),
              HoldsValue(Optional(std::to_string(kMicros))));
  EXPECT_EQ(RawQueryInt(db_file(), "SELECT created_at FROM registers"), kMicros);
  EXPECT_EQ(RawQueryInt(db_file(), "SELECT issued_at FROM certificate_issues"), kMicros);
  EXPECT_EQ(RawQueryInt(db_file(), "SELECT set_at FROM tenant_settings"), kMicros);
  EXPECT_EQ(RawQueryInt(db_file(),
                        "SELECT min(applied_at) > 1000000000000000 FROM "
                        "schema_migrations"),
            1);
  // Already microseconds: unchanged.
  EXPECT_THAT((*backend)->GetCase(kTenant, "c1"),
              HoldsValue(Optional(::testing::Field(&CaseRow::received_at, kCaseMicros))));
  EXPECT_EQ(RawQueryInt(db_file(), "SELECT at FROM case_actions"), kCaseMicros);
}

TEST_F(MigrationsTest, StepSixKeepsTheAppendOnlyTriggers) {
  CreateOldDatabase(5);
  ASSERT_THAT(SqliteBackend::Open(db_file()), IsOk());

  for (const char* sql :
       {"UPDATE tenant_keys SET created_at = 0", "UPDATE registers SET created_at = 0",
        "UPDATE registers SET head_version = 5", "UPDATE register_versions SET created_at = 0",
        "UPDATE certificate_issues SET issued_at = 0",
        "UPDATE audit_checkpoints SET created_at = 0", "UPDATE tenant_settings SET set_at = 0",
        "UPDATE installation SET value = '0'"}) {
    const store::testing::RawResult result = RawExec(db_file(), sql);
    EXPECT_EQ(result.rc & 0xff, SQLITE_CONSTRAINT) << sql << ": " << result.message;
  }
  EXPECT_EQ(RawQueryInt(db_file(), "SELECT created_at FROM registers"), kMicros);
}

TEST_F(MigrationsTest, AValueAlreadyInMicrosecondsIsNotConvertedAgain) {
  CreateOldDatabase(5);
  ASSERT_EQ(RawExec(db_file(), "INSERT INTO tenants VALUES ('990002', '青葉県やまびこ町', " +
                                   std::to_string(kMicros + 7) + ")")
                .rc,
            SQLITE_OK);

  auto backend = SqliteBackend::Open(db_file());

  ASSERT_THAT(backend, IsOk());
  EXPECT_THAT((*backend)->GetTenant("990002"),
              HoldsValue(Optional(::testing::Field(&TenantRow::created_at, kMicros + 7))));
}

TEST_F(MigrationsTest, StepSevenAddsObjectsAndSessionsToAVersionSixDatabase) {
  CreateOldDatabase(6);
  const Bytes ciphertext = {1, 2, 3};
  const Bytes token_hash(kSessionTokenHashSize, 0x5a);

  auto backend = SqliteBackend::Open(db_file());

  ASSERT_THAT(backend, IsOk());
  EXPECT_THAT((*backend)->SchemaVersion(), HoldsValue(Migrations().back().version));
  EXPECT_THAT((*backend)->ListVersions(kTenant, kRegister),
              HoldsValue(ElementsAre(VersionInfo{1, kSeconds})));  // step 6 ran before the rows
  EXPECT_THAT((*backend)->InsertObjectVersion(kTenant, "user", "clerk-01", 0, ciphertext, kMicros),
              HoldsValue(1u));
  EXPECT_THAT((*backend)->GetObjectHead(kTenant, "user", "clerk-01"),
              HoldsValue(Optional(ObjectVersionRow{1, ciphertext, kMicros})));
  ASSERT_THAT((*backend)->PutSession({token_hash, std::string(kTenant), ciphertext, kMicros}),
              IsOk());
  EXPECT_THAT((*backend)->DeleteExpiredSessions(kMicros), HoldsValue(1u));
}

TEST_F(MigrationsTest, StepSevenDeletesExpiredSessionsThroughTheExpiryIndex) {
  auto db = Database::Open(db_file());
  ASSERT_THAT(db, IsOk());
  ASSERT_THAT(Migrate(*db), IsOk());
  auto plan = db->Prepare("EXPLAIN QUERY PLAN DELETE FROM sessions WHERE expires_at <= ?1");
  ASSERT_THAT(plan, IsOk());
  ASSERT_THAT(plan->Bind(1, kMicros), IsOk());
  std::string details;

  while (true) {
    auto has_row = plan->Step();
    ASSERT_THAT(has_row, IsOk());
    if (!*has_row) break;
    details += plan->ColumnText(3) + "\n";
  }

  EXPECT_THAT(details, ::testing::HasSubstr("USING COVERING INDEX sessions_by_expiry"));
}

// The schema enforces what the backend promises, also against raw SQL: object versions are
// append-only and follow each other; sessions may change (they are ephemeral) but only with
// well-formed keys.
TEST_F(MigrationsTest, StepSevenTriggersKeepObjectVersionsAppendOnly) {
  auto backend = SqliteBackend::Open(db_file());
  ASSERT_THAT(backend, IsOk());
  ASSERT_THAT((*backend)->InsertTenant({std::string(kTenant), "青葉県みなと市", kMicros}), IsOk());
  ASSERT_THAT((*backend)->InsertObjectVersion(kTenant, "user", "clerk-01", 0, Bytes{1}, kMicros),
              IsOk());

  for (const char* sql :
       {"UPDATE object_versions SET ciphertext = x'02'", "UPDATE object_versions SET version = 2",
        "UPDATE object_versions SET created_at = 0", "DELETE FROM object_versions",
        "INSERT OR REPLACE INTO object_versions VALUES ('990001', 'user', 'clerk-01', 1, x'02', 0)",
        "INSERT INTO object_versions VALUES ('990001', 'user', 'clerk-01', 3, x'02', 0)",
        "INSERT INTO object_versions VALUES ('990001', 'user', 'clerk-02', 2, x'02', 0)",
        // (A plain sqlite3 connection checks foreign keys only when asked to, as koseki's do.)
        "PRAGMA foreign_keys = ON; "
        "INSERT INTO object_versions VALUES ('990099', 'user', 'clerk-01', 1, x'02', 0)",
        "INSERT INTO object_versions VALUES ('990001', 'User', 'clerk-01', 1, x'02', 0)",
        "INSERT INTO object_versions VALUES ('990001', 'user', 'clerk/01', 1, x'02', 0)",
        "INSERT INTO object_versions VALUES ('990001', 'user', 'clerk-03', 1, x'', 0)",
        "INSERT INTO sessions VALUES (x'00', '990001', x'01', 0)",
        "PRAGMA foreign_keys = ON; INSERT INTO sessions VALUES (zeroblob(32), '990099', x'01', "
        "0)"}) {
    const store::testing::RawResult result = RawExec(db_file(), sql);
    EXPECT_EQ(result.rc & 0xff, SQLITE_CONSTRAINT) << sql << ": " << result.message;
  }
  EXPECT_THAT((*backend)->GetObjectHead(kTenant, "user", "clerk-01"),
              HoldsValue(Optional(ObjectVersionRow{1, Bytes{1}, kMicros})));
  EXPECT_EQ(RawQueryInt(db_file(), "SELECT count(*) FROM object_versions"), 1);
  // Sessions are mutable by design.
  EXPECT_EQ(RawExec(db_file(),
                    "INSERT INTO sessions VALUES (zeroblob(32), '990001', x'01', 0);"
                    "UPDATE sessions SET expires_at = 5; DELETE FROM sessions")
                .rc,
            SQLITE_OK);
}

TEST_F(MigrationsTest, StepTenKeepsTheAuditNodesOfEveryEighthLevelAndStaysAppendOnly) {
  {
    auto db = Database::Open(db_file());
    ASSERT_THAT(db, IsOk());
    ASSERT_THAT(MigrateTo(*db, 9), IsOk());
    // 256 entries and, as version 9 stored them, a node of each level 1…8 over the first ones.
    ASSERT_THAT(db->Exec("WITH RECURSIVE i(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i "
                         "WHERE n < 255) "
                         "INSERT INTO audit_entries SELECT '990001', n, x'01', zeroblob(32) FROM i;"
                         "WITH RECURSIVE l(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM l "
                         "WHERE n < 8) "
                         "INSERT INTO audit_nodes SELECT '990001', n, 0, zeroblob(32) FROM l;"),
                IsOk());
    ASSERT_THAT(Migrate(*db), IsOk());
  }

  EXPECT_EQ(RawQueryInt(db_file(), "SELECT count(*) FROM audit_nodes WHERE level != 8"), 0);
  EXPECT_EQ(RawQueryInt(db_file(), "SELECT count(*) FROM audit_nodes WHERE level = 8"), 1);
  const store::testing::RawResult deleted = RawExec(db_file(), "DELETE FROM audit_nodes");
  EXPECT_EQ(deleted.rc & 0xff, SQLITE_CONSTRAINT) << deleted.message;
}

// Entries stored as rows before bundles existed are bundled when the store is next opened for
// writing, and read back the same; a second open finds nothing more to bundle, and takes no
// write lock for it (another process holds it here).
TEST_F(MigrationsTest, EntriesFromBeforeStepElevenAreBundledAtTheNextOpen) {
  {
    auto db = Database::Open(db_file());
    ASSERT_THAT(db, IsOk());
    ASSERT_THAT(MigrateTo(*db, 10), IsOk());
    ASSERT_THAT(db->Exec("WITH RECURSIVE i(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i "
                         "WHERE n < 599) "
                         "INSERT INTO audit_entries SELECT '990001', n, randomblob(1 + n % 7), "
                         "zeroblob(32) FROM i;"
                         "INSERT INTO audit_entries VALUES ('990002', 0, x'01', zeroblob(32));"),
                IsOk());
  }
  const std::string before =
      RawQueryText(db_file(),
                   "SELECT group_concat(lower(hex(entry)), ',') FROM (SELECT entry FROM "
                   "audit_entries "
                   "WHERE log_id = '990001' ORDER BY entry_index)");
  ASSERT_FALSE(before.empty());

  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db_file().c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close_v2)> writer(raw, &sqlite3_close_v2);
  for (int open = 0; open < 2; ++open) {
    if (open == 1) {
      ASSERT_EQ(sqlite3_exec(writer.get(), "BEGIN IMMEDIATE", nullptr, nullptr, nullptr),
                SQLITE_OK);
    }
    auto backend = SqliteBackend::Open(db_file());
    ASSERT_THAT(backend, IsOk());
    EXPECT_EQ(RawQueryInt(db_file(), "SELECT count(*) FROM audit_entries"), 88 + 1);
    EXPECT_EQ(RawQueryInt(db_file(), "SELECT count(*) FROM audit_entry_bundles"), 2);
    std::string after;
    ASSERT_THAT((*backend)->ScanAuditEntries("990001", 0,
                                             [&](const AuditEntryView& e) -> Result<bool> {
                                               if (!after.empty()) after += ',';
                                               after += HexEncode(e.entry);
                                               return true;
                                             }),
                IsOk());
    EXPECT_EQ(after, before);
  }
}

TEST_F(MigrationsTest, MigrateToStopsAtTheVersionAsked) {
  auto db = Database::Open(db_file());
  ASSERT_THAT(db, IsOk());

  ASSERT_THAT(MigrateTo(*db, 3), IsOk());

  EXPECT_THAT(SchemaVersion(*db), HoldsValue(3));
  EXPECT_EQ(RawQueryInt(db_file(), "SELECT count(*) FROM sqlite_master WHERE name = 'cases'"), 0);
  ASSERT_THAT(Migrate(*db), IsOk());
  EXPECT_THAT(SchemaVersion(*db), HoldsValue(Migrations().back().version));
}

}  // namespace
}  // namespace koseki::store::sqlite_internal
