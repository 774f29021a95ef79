// Row commitments: what a write put into the store, in a form the audit log can carry and a
// verifier without any key can check against the database (docs/security.md, "State against
// the log").
//
// Every row whose meaning matters and that is not sealed on its own — tenants and their keys,
// registers and their versions, certificate issues, cases and their actions, tenant settings,
// and the versions of sealed objects (users, devices, …) — is committed to by the audit entry
// recorded in the transaction that wrote it: the table, the tenant, the row's key and number,
// and a SHA-256 digest of every other column. A changed column changes the digest; a deleted
// row leaves a commitment without a row; an inserted row is a row without a commitment. The
// digests hide nothing (they are unkeyed) and reveal nothing personal: every personal datum is
// inside a ciphertext, which is digested, never read.
//
// A register's head version is the one mutable column: it is not committed row by row but
// checked against the versions (the head must be the highest committed version).
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace koseki::store {

// The tables with committed rows. Stable numbers: they are part of the audit entry format.
enum class RowTable : std::uint8_t {
  kTenant = 1,            // key: tenant code; number 0
  kTenantKey = 2,         // key: empty; number: key version
  kRegister = 3,          // key: register id; number 0
  kRegisterVersion = 4,   // key: register id; number: version
  kCertificateIssue = 5,  // key: empty; number: 発行番号
  kCase = 6,              // key: case id; number 0
  kCaseAction = 7,        // key: case id; number: action seq
  kTenantSetting = 8,     // key: setting name; number: version
  kObjectVersion = 9,     // key: kind ":" object id; number: version
  // Not a row of its own and never logged: a register's head version, as Backend::ScanState
  // reports it (key: register id; number: the head; digest all zero).
  kRegisterHead = 10,
};
inline constexpr std::uint8_t kMaxRowTable = 10;

// Returns a stable lower-case name for reports, e.g. "register_version".
std::string_view RowTableName(RowTable table);

using RowDigest = std::array<std::uint8_t, 32>;

struct RowCommitment {
  RowTable table = RowTable::kTenant;
  std::string tenant_code;
  std::string key;
  std::uint64_t number = 0;
  RowDigest digest{};

  friend bool operator==(const RowCommitment&, const RowCommitment&) = default;
  friend auto operator<=>(const RowCommitment&, const RowCommitment&) = default;
};

using RowBytes = std::span<const std::uint8_t>;

// One function per table, over the row's columns (backend.h describes them).
RowCommitment CommitTenant(std::string_view tenant_code, std::string_view name,
                           std::int64_t created_at);
RowCommitment CommitTenantKey(std::string_view tenant_code, std::uint32_t key_version,
                              RowBytes wrapped, std::int64_t created_at);
RowCommitment CommitRegister(std::string_view tenant_code, std::string_view register_id,
                             std::int64_t created_at);
RowCommitment CommitRegisterVersion(std::string_view tenant_code, std::string_view register_id,
                                    std::uint64_t version, RowBytes ciphertext,
                                    std::int64_t created_at);
RowCommitment CommitCertificateIssue(std::string_view tenant_code, std::int64_t issue_number,
                                     std::string_view register_id, std::uint64_t version,
                                     std::int64_t issued_at);
RowCommitment CommitCase(std::string_view tenant_code, std::string_view case_id,
                         std::string_view uketsuke_bango, int receipt_year,
                         std::string_view notification_type, std::int64_t received_at);
RowCommitment CommitCaseAction(std::string_view tenant_code, std::string_view case_id,
                               std::uint64_t seq, std::string_view kind, std::string_view actor_id,
                               std::string_view actor_role, std::int64_t at, RowBytes payload);
RowCommitment CommitTenantSetting(std::string_view tenant_code, std::string_view name,
                                  std::uint64_t version, std::string_view value,
                                  std::int64_t set_at);
RowCommitment CommitObjectVersion(std::string_view tenant_code, std::string_view kind,
                                  std::string_view object_id, std::uint64_t version,
                                  RowBytes ciphertext, std::int64_t created_at);
// The state-only pseudo-row of a register's head (RowTable::kRegisterHead).
RowCommitment RegisterHead(std::string_view tenant_code, std::string_view register_id,
                           std::uint64_t head_version);

}  // namespace koseki::store
