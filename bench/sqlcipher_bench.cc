// koseki_bench_sqlcipher: run (c) of the store benchmark — the same registers and lookups as
// koseki_bench_store, on SQLCipher from Debian (libsqlcipher), doing the same logical work:
//
//   * koseki's own schema: every migration step of the SQLite backend (store/sqlite/schema.h,
//     shared as data, so the tables, triggers and foreign keys cannot drift from koseki's), with
//     the register JSON in plaintext as the version blob, and as the index value a 64-bit
//     FNV-1a hash of the normalized lookup key where koseki stores an HMAC: SQLCipher encrypts
//     the whole file instead;
//   * PRAGMA key, cipher_page_size 4096 (SQLite's page size, which koseki's store uses;
//     SQLCipher 3 defaults to 1024), WAL, synchronous=FULL, foreign_keys, secure_delete;
//   * import: per register ValidateRegister + ToJson().dump() (as RegisterStore does), the
//     (本籍, 筆頭者) uniqueness probe of the index, the register row, the optimistic head check,
//     the version row, the head update and the index rows, one transaction per batch;
//   * lookup: text::SearchKey of 本籍 and 筆頭者, the index query, the head version, the
//     payload, domain::RegisterFromJson (the parse koseki does), and a check that the key matches.
// Differences that favour SQLCipher (so a win against it is not flattered): the index keys are
// precomputed by the caller, hashed without a key, register ids come from a PRNG instead of the
// OS CSPRNG, the uniqueness probe does not decrypt candidates, and a lookup checks one key of
// the candidate rather than recomputing all its keys.
//
// This executable must never link libsqlite3 (so never koseki_store_sqlite): it checks that
// `PRAGMA cipher_version` answers, i.e. that SQLCipher really serves the sqlite3_* calls, and
// that the database file does not start with the plaintext SQLite header.
//
// Built a second time as koseki_bench_lean (KOSEKI_BENCH_LEAN): the same program on plain
// SQLite from Debian — no key, no cipher checks — the lean baseline that koseki's store is
// measured against (koseki does the same logical work plus encryption, HMAC blind indexes,
// validation on read and row commitments).
//
// --cache-mib M sets the page cache (PRAGMA cache_size) to M MiB; 0 keeps SQLite's default
// (2 MB), which is how SQLCipher is usually run, and 256 is a tuned one.
//
// Usage: koseki_bench_sqlcipher --input WORKLOAD.jsonl --db FILE [--cache-mib M]
//        (format: workload.h); koseki_bench_lean likewise.
#if KOSEKI_BENCH_LEAN
#include <sqlite3.h>
#else
#include <sqlcipher/sqlite3.h>
#endif

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "bench/workload.h"
#include "koseki/base/result.h"
#include "koseki/domain/register_json.h"
#include "koseki/domain/validation.h"
#include "koseki/store/sqlite/schema.h"
#include "koseki/text/name.h"

namespace koseki::bench {
namespace {

using nlohmann::json;

// The purpose of the (本籍, 筆頭者) index (store::kHonsekiHittoshaIndex).
constexpr std::string_view kHonsekiHittosha = "honseki+hittosha";

// The index value of a normalized key: 64-bit FNV-1a, 8 bytes big-endian. koseki's schema
// allows 1–64 bytes of `blind` (its HMAC is 16); a plaintext key can be longer.
std::string IndexValue(std::string_view key) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : key) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ULL;
  }
  std::string value(8, '\0');
  for (int i = 7; i >= 0; --i, hash >>= 8) {
    value[static_cast<std::size_t>(i)] = static_cast<char>(hash & 0xff);
  }
  return value;
}

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* stmt) const { sqlite3_finalize(stmt); }
};
using Db = std::unique_ptr<sqlite3, DbCloser>;
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

struct IndexKey {
  std::string purpose;
  std::string value;
};

struct Workload {
  std::size_t batch = 0;
  std::string tenant;
  std::vector<domain::Register> registers;
  std::vector<std::vector<IndexKey>> index;                  // per register, value hashed
  std::vector<std::pair<std::string, std::string>> lookups;  // (本籍, 筆頭者氏名)
};

Error SqlError(sqlite3* db, const std::string& what) {
  return BenchError(what + ": " + sqlite3_errmsg(db));
}

Result<void> Exec(sqlite3* db, const std::string& sql) {
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
    return SqlError(db, "exec");
  }
  return Ok();
}

Result<Stmt> Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) return SqlError(db, "prepare");
  return Stmt(raw);
}

// Binds text/blob without copying; the value must outlive the step.
void BindText(sqlite3_stmt* stmt, int i, std::string_view text) {
  sqlite3_bind_text(stmt, i, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}
void BindBlob(sqlite3_stmt* stmt, int i, std::string_view bytes) {
  sqlite3_bind_blob(stmt, i, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC);
}

// Steps a statement that returns no row, then resets it.
Result<void> Run(sqlite3* db, sqlite3_stmt* stmt, const char* what) {
  const int rc = sqlite3_step(stmt);
  sqlite3_reset(stmt);
  if (rc != SQLITE_DONE) return SqlError(db, what);
  return Ok();
}

Result<Workload> ReadWorkload(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return BenchError("cannot open the workload file");
  Workload workload;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    const json item = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!item.is_object()) return BenchError("workload line " + std::to_string(number));
    if (item.contains(kKeyBatch)) {
      workload.batch = item[kKeyBatch].get<std::size_t>();
      workload.tenant = item[kKeyTenant].get<std::string>();
    } else if (item.contains(kKeyRegister)) {
      auto reg = domain::RegisterFromJson(item[kKeyRegister].dump());
      if (!reg)
        return BenchError("workload line " + std::to_string(number) + ": " + reg.error().id);
      workload.registers.push_back(std::move(*reg));
      std::vector<IndexKey>& keys = workload.index.emplace_back();
      for (const json& key : item[kKeyIndex]) {
        keys.push_back(IndexKey{key[0].get<std::string>(), IndexValue(key[1].get<std::string>())});
      }
    } else if (item.contains(kKeyLookup)) {
      workload.lookups.emplace_back(item[kKeyLookup][0].get<std::string>(),
                                    item[kKeyLookup][1].get<std::string>());
    }
  }
  if (workload.batch == 0 || workload.registers.empty()) return BenchError("empty workload");
  return workload;
}

Result<Db> OpenDatabase(const std::filesystem::path& file, const std::string& tenant, int cache_mib,
                        std::string* cipher_version) {
  sqlite3* raw = nullptr;
  const int rc =
      sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  Db db(raw);
  if (rc != SQLITE_OK) return SqlError(raw, "open");
#if KOSEKI_BENCH_LEAN
  *cipher_version = "";
#else
  KOSEKI_RETURN_IF_ERROR(Exec(db.get(), "PRAGMA key = 'bench passphrase, not secret'"));
  KOSEKI_RETURN_IF_ERROR(Exec(db.get(), "PRAGMA cipher_page_size = 4096"));
  {
    KOSEKI_ASSIGN_OR_RETURN(Stmt version, Prepare(db.get(), "PRAGMA cipher_version"));
    if (sqlite3_step(version.get()) != SQLITE_ROW) {
      return BenchError("PRAGMA cipher_version gave no answer: not running on SQLCipher");
    }
    *cipher_version = reinterpret_cast<const char*>(sqlite3_column_text(version.get(), 0));
  }
#endif
  if (cache_mib > 0) {
    KOSEKI_RETURN_IF_ERROR(
        Exec(db.get(), "PRAGMA cache_size = -" + std::to_string(cache_mib * 1024)));
  }
  KOSEKI_RETURN_IF_ERROR(Exec(db.get(),
                              "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                              "PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;"));
  // koseki's schema, step by step, as its migrations build it.
  KOSEKI_RETURN_IF_ERROR(
      Exec(db.get(), std::string(store::sqlite_internal::CreateMigrationsTableSql())));
  for (const auto& step : store::sqlite_internal::Migrations()) {
    KOSEKI_RETURN_IF_ERROR(Exec(db.get(), "BEGIN IMMEDIATE"));
    KOSEKI_RETURN_IF_ERROR(Exec(db.get(), std::string(step.sql)));
    KOSEKI_RETURN_IF_ERROR(
        Exec(db.get(), "INSERT INTO schema_migrations (version, name, applied_at) VALUES (" +
                           std::to_string(step.version) + ", 'bench', 0)"));
    KOSEKI_RETURN_IF_ERROR(Exec(db.get(), "COMMIT"));
  }
  KOSEKI_ASSIGN_OR_RETURN(
      Stmt tenant_row,
      Prepare(db.get(), "INSERT INTO tenants (tenant_code, name, created_at) VALUES (?1, '', 0)"));
  BindText(tenant_row.get(), 1, tenant);
  KOSEKI_RETURN_IF_ERROR(Run(db.get(), tenant_row.get(), "insert tenant"));
  return db;
}

std::string RandomId(std::mt19937_64& rng) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  for (int half = 0; half < 2; ++half) {
    std::uint64_t bits = rng();
    for (int i = 0; i < 16; ++i, bits >>= 4) id[half * 16 + i] = kHex[bits & 0xf];
  }
  return id;
}

Result<double> Import(sqlite3* db, const Workload& workload) {
  KOSEKI_ASSIGN_OR_RETURN(
      Stmt insert_register,
      Prepare(db,
              "INSERT INTO registers (tenant_code, register_id, head_version, created_at) "
              "VALUES (?1, ?2, 0, ?3)"));
  KOSEKI_ASSIGN_OR_RETURN(
      Stmt get_head,
      Prepare(db,
              "SELECT head_version FROM registers WHERE tenant_code = ?1 AND register_id = ?2"));
  KOSEKI_ASSIGN_OR_RETURN(
      Stmt insert_version,
      Prepare(db,
              "INSERT INTO register_versions (tenant_code, register_id, version, ciphertext, "
              "created_at) VALUES (?1, ?2, 1, ?3, ?4)"));
  KOSEKI_ASSIGN_OR_RETURN(
      Stmt advance_head, Prepare(db,
                                 "UPDATE registers SET head_version = 1 WHERE tenant_code = ?1 AND "
                                 "register_id = ?2 AND head_version = 0"));
  // SQLCipher 3.4 is SQLite 3.15: no upsert, so index rows use INSERT OR IGNORE.
  KOSEKI_ASSIGN_OR_RETURN(
      Stmt insert_index,
      Prepare(db,
              "INSERT OR IGNORE INTO register_index (tenant_code, purpose, blind, register_id) "
              "VALUES (?1, ?2, ?3, ?4)"));
  KOSEKI_ASSIGN_OR_RETURN(
      Stmt probe_index,
      Prepare(db,
              "SELECT register_id FROM register_index WHERE tenant_code = ?1 AND purpose = ?2 "
              "AND blind = ?3 LIMIT 1"));
  std::mt19937_64 rng(1);
  const std::int64_t now = std::chrono::duration_cast<std::chrono::microseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  const std::string& tenant = workload.tenant;

  Stopwatch watch;
  for (std::size_t begin = 0; begin < workload.registers.size(); begin += workload.batch) {
    const std::size_t end = std::min(begin + workload.batch, workload.registers.size());
    KOSEKI_RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE"));
    for (std::size_t i = begin; i < end; ++i) {
      const domain::Register& reg = workload.registers[i];
      KOSEKI_RETURN_IF_ERROR(domain::ValidateRegister(reg));
      const std::string payload = domain::ToJson(reg).dump();
      const std::string id = RandomId(rng);

      // (本籍, 筆頭者) must be new in the tenant (koseki checks it inside the transaction).
      for (const IndexKey& key : workload.index[i]) {
        if (key.purpose != kHonsekiHittosha) continue;
        BindText(probe_index.get(), 1, tenant);
        BindText(probe_index.get(), 2, key.purpose);
        BindBlob(probe_index.get(), 3, key.value);
        const int probed = sqlite3_step(probe_index.get());
        sqlite3_reset(probe_index.get());
        if (probed == SQLITE_ROW) return BenchError("a register of this (本籍, 筆頭者) exists");
        if (probed != SQLITE_DONE) return SqlError(db, "probe index");
      }

      BindText(insert_register.get(), 1, tenant);
      BindText(insert_register.get(), 2, id);
      sqlite3_bind_int64(insert_register.get(), 3, now);
      KOSEKI_RETURN_IF_ERROR(Run(db, insert_register.get(), "insert register"));

      BindText(get_head.get(), 1, tenant);
      BindText(get_head.get(), 2, id);
      const bool head_is_zero = sqlite3_step(get_head.get()) == SQLITE_ROW &&
                                sqlite3_column_int64(get_head.get(), 0) == 0;
      sqlite3_reset(get_head.get());
      if (!head_is_zero) return BenchError("unexpected head version");

      BindText(insert_version.get(), 1, tenant);
      BindText(insert_version.get(), 2, id);
      BindBlob(insert_version.get(), 3, payload);
      sqlite3_bind_int64(insert_version.get(), 4, now);
      KOSEKI_RETURN_IF_ERROR(Run(db, insert_version.get(), "insert version"));

      BindText(advance_head.get(), 1, tenant);
      BindText(advance_head.get(), 2, id);
      KOSEKI_RETURN_IF_ERROR(Run(db, advance_head.get(), "advance head"));
      if (sqlite3_changes(db) != 1) return BenchError("head did not advance");

      for (const IndexKey& key : workload.index[i]) {
        BindText(insert_index.get(), 1, tenant);
        BindText(insert_index.get(), 2, key.purpose);
        BindBlob(insert_index.get(), 3, key.value);
        BindText(insert_index.get(), 4, id);
        KOSEKI_RETURN_IF_ERROR(Run(db, insert_index.get(), "insert index"));
      }
    }
    KOSEKI_RETURN_IF_ERROR(Exec(db, "COMMIT"));
  }
  return watch.Seconds();
}

Result<double> Lookups(sqlite3* db, const Workload& workload) {
  KOSEKI_ASSIGN_OR_RETURN(
      Stmt lookup_index,
      Prepare(db,
              "SELECT DISTINCT register_id FROM register_index WHERE tenant_code = ?1 AND "
              "purpose = ?2 AND blind = ?3 ORDER BY register_id"));
  KOSEKI_ASSIGN_OR_RETURN(
      Stmt get_head,
      Prepare(db,
              "SELECT head_version FROM registers WHERE tenant_code = ?1 AND register_id = ?2"));
  KOSEKI_ASSIGN_OR_RETURN(
      Stmt get_version,
      Prepare(db,
              "SELECT ciphertext, created_at FROM register_versions WHERE tenant_code = ?1 "
              "AND register_id = ?2 AND version = ?3"));
  const std::string purpose(kHonsekiHittosha);
  const std::string& tenant = workload.tenant;

  Stopwatch watch;
  for (const auto& [honseki, hittosha] : workload.lookups) {
    const std::string key = text::SearchKey(honseki) + "\x1f" + text::SearchKey(hittosha);
    std::vector<std::string> candidates;
    BindText(lookup_index.get(), 1, tenant);
    BindText(lookup_index.get(), 2, purpose);
    const std::string blind = IndexValue(key);
    BindBlob(lookup_index.get(), 3, blind);
    while (sqlite3_step(lookup_index.get()) == SQLITE_ROW) {
      candidates.emplace_back(
          reinterpret_cast<const char*>(sqlite3_column_text(lookup_index.get(), 0)));
    }
    sqlite3_reset(lookup_index.get());

    std::size_t matches = 0;
    for (const std::string& id : candidates) {
      BindText(get_head.get(), 1, tenant);
      BindText(get_head.get(), 2, id);
      if (sqlite3_step(get_head.get()) != SQLITE_ROW) return SqlError(db, "head");
      const std::int64_t head = sqlite3_column_int64(get_head.get(), 0);
      sqlite3_reset(get_head.get());

      BindText(get_version.get(), 1, tenant);
      BindText(get_version.get(), 2, id);
      sqlite3_bind_int64(get_version.get(), 3, head);
      if (sqlite3_step(get_version.get()) != SQLITE_ROW) return SqlError(db, "version");
      const auto* data = static_cast<const char*>(sqlite3_column_blob(get_version.get(), 0));
      const std::string payload(
          data, static_cast<std::size_t>(sqlite3_column_bytes(get_version.get(), 0)));
      sqlite3_reset(get_version.get());

      auto reg = domain::RegisterFromJson(payload);
      if (!reg) return BenchError("stored register does not parse: " + reg.error().id);
      if (text::SearchKey(reg->honseki) + "\x1f" + text::SearchKey(reg->HittoshaFullName()) ==
          key) {
        ++matches;
      }
    }
    if (matches != 1) {
      return BenchError("a lookup found " + std::to_string(matches) + " registers, want 1");
    }
  }
  return watch.Seconds();
}

#if !KOSEKI_BENCH_LEAN
// SQLCipher's file starts with a random salt; a plaintext SQLite file with this header.
Result<void> CheckEncryptedFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string header(16, '\0');
  in.read(header.data(), static_cast<std::streamsize>(header.size()));
  if (header == std::string("SQLite format 3\0", 16)) {
    return BenchError("the database file is not encrypted");
  }
  return Ok();
}
#endif

Result<void> RunBench(const std::filesystem::path& input, const std::filesystem::path& db_file,
                      int cache_mib) {
  KOSEKI_ASSIGN_OR_RETURN(const Workload workload, ReadWorkload(input));
  std::string cipher_version;
  KOSEKI_ASSIGN_OR_RETURN(Db db,
                          OpenDatabase(db_file, workload.tenant, cache_mib, &cipher_version));
  KOSEKI_ASSIGN_OR_RETURN(const double import_seconds, Import(db.get(), workload));
  KOSEKI_ASSIGN_OR_RETURN(const double lookup_seconds, Lookups(db.get(), workload));
  db.reset();
#if !KOSEKI_BENCH_LEAN
  KOSEKI_RETURN_IF_ERROR(CheckEncryptedFile(db_file));
#endif
  std::printf("%s\n", json{{"cipher_version", cipher_version},
                           {"import_seconds", import_seconds},
                           {"lookup_seconds", lookup_seconds},
                           {"registers", workload.registers.size()},
                           {"lookups", workload.lookups.size()}}
                          .dump()
                          .c_str());
  return Ok();
}

}  // namespace
}  // namespace koseki::bench

int main(int argc, char** argv) {
  std::filesystem::path input;
  std::filesystem::path db_file;
  CLI::App app{"koseki store benchmark: the same work on SQLCipher, or on plain SQLite (lean)"};
  app.add_option("--input", input, "workload file written by koseki_bench_store")->required();
  app.add_option("--db", db_file, "database file to create")->required();
  int cache_mib = 0;
  app.add_option("--cache-mib", cache_mib, "page cache in MiB (0: SQLite's default)")
      ->check(CLI::Range(0, 16384));
  CLI11_PARSE(app, argc, argv);
  const koseki::Result<void> done = koseki::bench::RunBench(input, db_file, cache_mib);
  if (!done) {
    std::fprintf(stderr, "koseki_bench_sqlcipher: %s %s\n", done.error().id.c_str(),
                 done.error().internal_detail.c_str());
    return 1;
  }
  return 0;
}
