// How SQLite runs the backend's statements, asked of SQLite itself: no statement that a user's
// call runs may read a table through, or sort what it read, so that no call grows with the
// years of history a city keeps (only the statements marked `whole` — verify, the state check,
// a handful of tenants — read everything by design). And for the calls that once did grow — a
// checkpoint's sequence check, the next 受付番号, a page of cases, the audit entries of one object
// — the number of SQLite VM steps is the same with ten rows of history as with a thousand (counted,
// not timed).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <set>
#include <string>
#include <vector>

#include "koseki/base/testing/matchers.h"
#include "koseki/store/sqlite/internal/statements.h"
#include "koseki/store/sqlite/sqlite_backend.h"
#include "koseki/store/testing/store_test_util.h"

namespace koseki::store {
namespace {

namespace statements = sqlite_internal::statements;
using ::koseki::testing::IsOk;

constexpr std::string_view kTenant = "999997";
constexpr std::int64_t kT0 = 1'700'000'000'000'000;

class QueryPlanTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    std::filesystem::create_directories(data_dir());
    auto backend = SqliteBackend::Open(db_file());
    ASSERT_THAT(backend, IsOk());
    backend_ = std::move(backend).value();
    ASSERT_EQ(sqlite3_open_v2(db_file().c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  }
  void TearDown() override {
    sqlite3_close(db_);
    backend_.reset();
    StoreTest::TearDown();
  }

  // The detail lines of EXPLAIN QUERY PLAN.
  std::vector<std::string> Plan(std::string_view sql) {
    std::vector<std::string> lines;
    sqlite3_stmt* stmt = nullptr;
    const std::string explain = "EXPLAIN QUERY PLAN " + std::string(sql);
    EXPECT_EQ(sqlite3_prepare_v2(db_, explain.c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_) << ": " << sql;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      lines.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3)));
    }
    sqlite3_finalize(stmt);
    return lines;
  }

  std::set<std::string> Tables() {
    std::set<std::string> tables;
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, "SELECT name FROM sqlite_master WHERE type = 'table'", -1,
                                 &stmt, nullptr),
              SQLITE_OK);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      tables.emplace(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    }
    sqlite3_finalize(stmt);
    return tables;
  }

  // Runs `sql` to completion with `bind` applied and returns the VM steps it took (triggers
  // included: they run in the same VM).
  template <typename Bind>
  int VmSteps(std::string_view sql, const Bind& bind) {
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, std::string(sql).c_str(), -1, &stmt, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db_);
    bind(stmt);
    int rc = SQLITE_ROW;
    while (rc == SQLITE_ROW) rc = sqlite3_step(stmt);
    EXPECT_EQ(rc, SQLITE_DONE) << sqlite3_errmsg(db_);
    const int steps = sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_VM_STEP, 0);
    sqlite3_finalize(stmt);
    return steps;
  }

  void Text(sqlite3_stmt* stmt, int index, std::string_view text) {
    sqlite3_bind_text(stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }

  std::unique_ptr<SqliteBackend> backend_;
  sqlite3* db_ = nullptr;
};

TEST_F(QueryPlanTest, NoStatementOfACallReadsATableThroughOrSortsWhatItRead) {
  const std::set<std::string> tables = Tables();
  ASSERT_TRUE(tables.contains("cases"));
  for (const statements::Named& statement : statements::kAll) {
    if (statement.whole) continue;
    for (const std::string& line : Plan(statement.sql)) {
      EXPECT_THAT(line, ::testing::Not(::testing::HasSubstr("USE TEMP B-TREE FOR ORDER BY")))
          << statement.name;
      if (!line.starts_with("SCAN ")) continue;
      // "SCAN <table>" or "SCAN <table> USING … INDEX …": a whole table or index read through.
      const std::string name = line.substr(5, line.find(' ', 5) - 5);
      EXPECT_FALSE(tables.contains(name)) << statement.name << ": " << line;
    }
  }
}

// Each pair: the steps with ten rows of history, then with a thousand.
TEST_F(QueryPlanTest, ACheckpointCostsTheSameAfterAThousandCheckpoints) {
  ASSERT_THAT(backend_->InsertTenant({std::string(kTenant), "青葉県みなと市", kT0}), IsOk());
  std::uint64_t entries = 0;
  std::uint64_t checkpoints = 0;
  const auto grow_to = [&](std::uint64_t count) {
    for (; checkpoints < count; ++checkpoints) {
      ASSERT_THAT(backend_->AppendAuditEntry(kTenant, {entries, Bytes{1}, Bytes(32, 0), {}}, {}),
                  IsOk());
      ++entries;
      ASSERT_THAT(backend_->AppendAuditCheckpoint(kTenant, entries, "note", kT0), IsOk());
    }
  };
  const auto next_checkpoint_steps = [&]() {
    // Measured inside a transaction that is rolled back, so that the history stays as it was.
    EXPECT_EQ(sqlite3_exec(db_, "SAVEPOINT measure", nullptr, nullptr, nullptr), SQLITE_OK);
    const int steps = VmSteps(statements::kInsertCheckpointSql, [&](sqlite3_stmt* stmt) {
      Text(stmt, 1, kTenant);
      sqlite3_bind_int64(stmt, 2, static_cast<std::int64_t>(checkpoints + 1));
      sqlite3_bind_int64(stmt, 3, static_cast<std::int64_t>(entries));
      Text(stmt, 4, "note");
      sqlite3_bind_int64(stmt, 5, kT0);
    });
    EXPECT_EQ(sqlite3_exec(db_, "ROLLBACK TO measure; RELEASE measure", nullptr, nullptr, nullptr),
              SQLITE_OK);
    return steps;
  };
  grow_to(10);
  const int few = next_checkpoint_steps();
  grow_to(1000);
  const int many = next_checkpoint_steps();
  EXPECT_GT(few, 0);
  // A seek more in a deeper b-tree at most; a scan would take a hundred times as many.
  EXPECT_LE(many, few + few / 2) << few << " → " << many;
}

TEST_F(QueryPlanTest, TheNextReceiptNumberAndAPageOfCasesCostTheSameAfterAThousandCases) {
  ASSERT_THAT(backend_->InsertTenant({std::string(kTenant), "青葉県みなと市", kT0}), IsOk());
  int cases = 0;
  const auto grow_to = [&](int count) {
    for (; cases < count; ++cases) {
      char bango[24];
      std::snprintf(bango, sizeof bango, "2026-%06d", cases + 1);
      ASSERT_THAT(backend_->InsertCase(kTenant, CaseRow{"case-" + std::to_string(cases), bango,
                                                        2026, "shibou", kT0 + cases}),
                  IsOk());
    }
  };
  const auto next_number_steps = [&]() {
    return VmSteps(statements::kNextReceiptNumberSql, [&](sqlite3_stmt* stmt) {
      Text(stmt, 1, kTenant);
      sqlite3_bind_int(stmt, 2, 2026);
    });
  };
  const auto page_steps = [&]() {
    return VmSteps(statements::kListCasesBeforeSql, [&](sqlite3_stmt* stmt) {
      Text(stmt, 1, kTenant);
      sqlite3_bind_int64(stmt, 2, kT0 + cases - 3);  // from the third newest on
      Text(stmt, 3, "case-" + std::to_string(cases - 3));
      sqlite3_bind_int64(stmt, 4, 5);
    });
  };
  grow_to(10);
  const int few_number = next_number_steps();
  const int few_page = page_steps();
  grow_to(1000);
  const int many_number = next_number_steps();
  const int many_page = page_steps();
  EXPECT_LE(many_number, few_number + few_number / 2) << few_number << " → " << many_number;
  EXPECT_LE(many_page, few_page + few_page / 2) << few_page << " → " << many_page;
  EXPECT_THAT(backend_->NextReceiptNumber(kTenant, 2026), ::koseki::testing::IsOkAndHolds(1001));
}

TEST_F(QueryPlanTest, TheEntriesOfOneObjectCostTheSameAfterAThousandEntriesOfOthers) {
  std::uint64_t entries = 0;
  const auto append = [&](std::string object) {
    ASSERT_THAT(backend_->AppendAuditEntry(kTenant, {entries, Bytes{1}, Bytes(32, 0), object}, {}),
                IsOk());
    ++entries;
  };
  append("reg-watched");
  append("reg-watched");
  const auto grow_to = [&](std::uint64_t count) {
    while (entries < count) append("reg-" + std::to_string(entries));
  };
  const auto find_steps = [&]() {
    return VmSteps(statements::kObjectEntryIndexesSql, [&](sqlite3_stmt* stmt) {
      Text(stmt, 1, kTenant);
      Text(stmt, 2, "reg-watched");
    });
  };
  grow_to(10);
  const int few = find_steps();
  grow_to(1000);
  const int many = find_steps();
  EXPECT_LE(many, few + few / 2) << few << " → " << many;
}

}  // namespace
}  // namespace koseki::store
