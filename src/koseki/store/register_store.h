// RegisterStore: family registers (戸籍) at rest — encrypted, append-only, found by blind index.
//
// Backend-neutral: works over any Backend and any TenantCrypto. Each stored version is the
// full register (domain::ToJson, dumped) encrypted with the tenant's AEAD and the associated
// data crypto::MakeAssociatedData(tenant, "register_versions", register_id, version); nothing
// is ever overwritten: a change appends version head + 1 with an optimistic check.
//
// Lookups never see plaintext in the database. Two blind indexes are written with every
// version (values normalized by text::SearchKey, fields joined by U+001F):
//   "honseki+hittosha"  SearchKey(本籍) ‖ U+001F ‖ SearchKey(筆頭者の氏 + 名)
//   "name+birth"        SearchKey(氏 + 名) ‖ U+001F ‖ YYYY-MM-DD, for every person whose birth
//                       date is exact
// Index rows are append-only too, so rows of old versions stay; and the 16-byte HMAC may
// collide. Find* therefore decrypts each candidate's head version and returns only registers
// whose head still carries the searched key.
//
// (本籍, 筆頭者) identifies a register: no two registers' heads of a tenant may carry the same
// "honseki+hittosha" key. Create, CreateMany and AppendVersion check it inside the write
// transaction that writes the version (candidates from the index, heads decrypted, the register
// itself excepted), and the Backend's one writer at a time means no other transaction can take
// the key between check and commit; so import, gen and approvals all keep it, also against
// another process. A register whose 本籍 or 筆頭者 changed no longer holds its old key (its old
// index rows stay, but its head no longer carries them). FindByHonsekiAndHittosha refuses to
// choose if it ever finds two current registers (data written before the check existed).
//
// Ids are opaque (32 hex digits, random) and never derived from content. Errors never carry
// personal data. Thread-safe if the backend and the TenantCrypto are (the production ones are).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/base/clock.h"
#include "koseki/base/result.h"
#include "koseki/domain/register.h"
#include "koseki/store/backend.h"
#include "koseki/store/internal/sealed_records.h"
#include "koseki/store/tenant_crypto.h"

namespace koseki::store {

// Blind-index purposes (bound into the HMAC input, so equal values in two indexes differ).
inline constexpr std::string_view kHonsekiHittoshaIndex = "honseki+hittosha";
inline constexpr std::string_view kNameBirthIndex = "name+birth";

// A register version validated, serialized, sealed and indexed for one place — a register and
// the version after `expected_version` (RegisterStore::Prepare): most of the work of a write,
// and none of it needs the writer, so a caller does it before its transaction.
class PreparedRegister {
 public:
  // How many lookup keys this version writes to the index: all of its own, or with a base
  // (RegisterStore::Prepare) those the base lacks.
  std::size_t index_writes() const { return sealed_.entries.size(); }

 private:
  friend class RegisterStore;
  PreparedRegister() = default;

  internal::SealedVersion sealed_;
  std::vector<internal::LookupKey> keys_;  // RegisterStore::LookupKeysOf, for the identity check
};

struct StoredRegister {
  std::string register_id;
  std::uint64_t version = 0;
  std::int64_t created_at = 0;  // Unix microseconds when this version was written
  domain::Register value;
};

class RegisterStore {
 public:
  // All three must outlive the store.
  RegisterStore(Backend& backend, TenantCrypto& crypto, const Clock& clock)
      : records_(backend, crypto, clock), backend_(backend) {}

  // Validates (domain::ValidateRegister) and stores `reg` as version 1 of a new register;
  // returns its id. InvalidArgument (KSK-DOMAIN-0NN) for an invalid register; NotFound
  // (KSK-STORE-013) for an unknown tenant; AlreadyExists (KSK-STORE-029) if a register of the
  // tenant already has this 本籍 and 筆頭者 (nothing is written).
  Result<std::string> Create(std::string_view tenant, const domain::Register& reg);
  // Stores every register in one transaction (all or nothing); returns the ids in order.
  // For `koseki import` and bulk loads. An invalid or duplicate register fails the whole batch;
  // the error's internal detail names its position ("registers[17]"). `on_created`, if given,
  // runs inside the transaction right after each register is written (to record it in the
  // audit log with exactly its own rows); its error fails the batch.
  using CreatedFn = std::function<Result<void>(const std::string& register_id)>;
  Result<std::vector<std::string>> CreateMany(std::string_view tenant,
                                              std::span<const domain::Register> regs,
                                              const CreatedFn& on_created = {});
  // Appends a new full version after `expected_version`; returns the new version number.
  // Aborted (KSK-STORE-010) if the register has moved on since; AlreadyExists (KSK-STORE-029)
  // if another register has the new version's 本籍 and 筆頭者 (nothing is written).
  Result<std::uint64_t> AppendVersion(std::string_view tenant, std::string_view register_id,
                                      std::uint64_t expected_version, const domain::Register& reg);
  // The same for a version prepared before (Prepare): the transaction then only checks and
  // writes.
  Result<std::uint64_t> AppendVersion(const PreparedRegister& prepared);
  // Validates `reg` (InvalidArgument KSK-DOMAIN-0NN), serializes it and seals it as the version
  // after `expected_version` of the register, for AppendVersion. NotFound (KSK-STORE-013) for
  // an unknown tenant. `base`, if given, is the register at `expected_version`: the lookup keys
  // it has are in the index already (every version's are written with it, and AppendVersion
  // writes only onto that version), so only the keys `reg` adds are written: a 死亡 adds none,
  // and each key skipped is one index seek less in the writer's turn.
  Result<PreparedRegister> Prepare(std::string_view tenant, std::string_view register_id,
                                   std::uint64_t expected_version, const domain::Register& reg,
                                   const domain::Register* base = nullptr);
  // Loads a version (the head if `version` is empty). NotFound (KSK-STORE-011/012) if absent
  // in this tenant; DataLoss (KSK-STORE-016/017) if the stored bytes do not authenticate or
  // do not parse.
  Result<StoredRegister> Load(std::string_view tenant, std::string_view register_id,
                              std::optional<std::uint64_t> version = std::nullopt);
  // Returns the versions of a register, oldest first.
  Result<std::vector<VersionInfo>> ListVersions(std::string_view tenant,
                                                std::string_view register_id);

  // Returns the id of the register whose current 本籍 and 筆頭者 match (after SearchKey), or
  // none. DataLoss (KSK-STORE-030) if two registers match (never picks one of them).
  Result<std::vector<std::string>> FindByHonsekiAndHittosha(std::string_view tenant,
                                                            std::string_view honseki,
                                                            std::string_view hittosha_full_name);
  // Returns the ids of registers with a person of this full name (氏 + 名, spaces ignored)
  // born on `birth_date_iso` (YYYY-MM-DD; InvalidArgument KSK-STORE-027 otherwise).
  Result<std::vector<std::string>> FindByNameAndBirthDate(std::string_view tenant,
                                                          std::string_view full_name,
                                                          std::string_view birth_date_iso);

  // Runs `fn` in one transaction of the backend: calls of this store inside it commit
  // together or not at all (e.g. an approval touching several registers).
  Result<void> WithTransaction(const std::function<Result<void>()>& fn) {
    return backend_.InTransaction(fn);
  }

  // Returns the normalized lookup keys of `reg`, its (本籍, 筆頭者) first (exposed for tests and
  // re-indexing tools).
  static std::vector<internal::LookupKey> LookupKeysOf(const domain::Register& reg);

 private:
  // Returns the registers whose head carries `key`, except `except`.
  Result<std::vector<std::string>> Find(std::string_view tenant, const internal::LookupKey& key,
                                        std::string_view except = {});
  // Checks that the (本籍, 筆頭者) of `keys` (LookupKeysOf) is free and writes the register
  // serialized as `json`, indexed under `keys`, as a new register; returns its id. Call inside
  // a write transaction.
  Result<std::string> WriteNew(std::string_view tenant, crypto::ByteView json,
                               std::span<const internal::LookupKey> keys);
  // AlreadyExists (KSK-STORE-029) if a register other than `self` holds the (本籍, 筆頭者) of
  // `keys` (LookupKeysOf of the register to write). Call inside the write transaction that
  // writes it.
  Result<void> CheckIdentityFree(std::string_view tenant, std::span<const internal::LookupKey> keys,
                                 std::string_view self);

  internal::SealedRecords records_;
  Backend& backend_;
};

}  // namespace koseki::store
