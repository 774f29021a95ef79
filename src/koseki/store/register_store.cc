#include "koseki/store/register_store.h"

#include <algorithm>
#include <exception>
#include <nlohmann/json.hpp>

#include "koseki/base/secret_bytes.h"
#include "koseki/base/wiped_string.h"
#include "koseki/domain/register_json.h"
#include "koseki/domain/validation.h"
#include "koseki/text/japanese_date.h"
#include "koseki/text/name.h"

namespace koseki::store {
namespace {

using internal::LookupKey;

// Separates the fields of a lookup key; SearchKey never produces it (control characters are
// not valid in names), so "AB" + sep + "C" cannot equal "A" + sep + "BC".
constexpr std::string_view kFieldSeparator = "\x1f";

LookupKey HonsekiHittoshaKey(std::string_view honseki, std::string_view hittosha_full_name) {
  std::string value = text::SearchKey(honseki);
  value += kFieldSeparator;
  value += text::SearchKey(hittosha_full_name);
  return LookupKey{std::string(kHonsekiHittoshaIndex), std::move(value)};
}

LookupKey NameBirthKey(std::string_view full_name, std::string_view birth_iso) {
  std::string value = text::SearchKey(full_name);
  value += kFieldSeparator;
  value += birth_iso;
  return LookupKey{std::string(kNameBirthIndex), std::move(value)};
}

// The register as stored (JSON; personal data, wiped when dropped), once it validates.
Result<WipedString> Serialize(const domain::Register& reg) {
  KOSEKI_RETURN_IF_ERROR(domain::ValidateRegister(reg));
  try {
    return WipedString(
        domain::ToJson(reg).dump(-1, ' ', false, nlohmann::json::error_handler_t::strict));
  } catch (const std::exception& e) {
    // Validation checks UTF-8 first, so this is a bug, not bad input. e.what() names the
    // byte position only, not the content.
    return MakeError(ErrorCode::kInternal, "KSK-STORE-022", "戸籍データを保存用に変換できません。",
                     std::string("json dump: ") + e.what());
  }
}

Error DuplicateRegister() {
  return MakeError(ErrorCode::kAlreadyExists, "KSK-STORE-029",
                   "同じ本籍・筆頭者の戸籍がすでに登録されています。",
                   "another register holds this honseki+hittosha key");
}

Error AmbiguousRegister(std::size_t count) {
  return MakeError(ErrorCode::kDataLoss, "KSK-STORE-030",
                   "同じ本籍・筆頭者の戸籍が複数登録されているため、特定できません。管理者に連絡し"
                   "てください。",
                   std::to_string(count) + " current registers hold one honseki+hittosha key");
}

Error Unparsable(std::string_view register_id, std::uint64_t version, std::string_view why) {
  return MakeError(ErrorCode::kDataLoss, "KSK-STORE-017",
                   "保存されている戸籍データを読み取れません。",
                   "register " + std::string(register_id) + " version " + std::to_string(version) +
                       ": " + std::string(why));
}

// Whether LookupKeysOf(reg) lists `key`, computing only the keys that could equal it: a lookup
// checks every candidate this way, and normalizing every member's name would cost more than
// the decryption.
bool Carries(const domain::Register& reg, const LookupKey& key) {
  if (key.purpose == kHonsekiHittoshaIndex) {
    return HonsekiHittoshaKey(reg.honseki, reg.HittoshaFullName()) == key;
  }
  if (key.purpose != kNameBirthIndex) return false;
  const std::size_t separator = key.value.rfind(kFieldSeparator);
  if (separator == std::string::npos) return false;
  const std::string_view birth_iso = std::string_view(key.value).substr(separator + 1);
  for (const domain::Person& person : reg.persons) {
    if (!person.birth_date.is_exact() || person.birth_date.ToIso() != birth_iso) continue;
    if (NameBirthKey(reg.FullNameOf(person), birth_iso) == key) return true;
  }
  return false;
}

}  // namespace

std::vector<LookupKey> RegisterStore::LookupKeysOf(const domain::Register& reg) {
  std::vector<LookupKey> keys;
  keys.push_back(HonsekiHittoshaKey(reg.honseki, reg.HittoshaFullName()));
  for (const domain::Person& person : reg.persons) {
    // Inexact dates (年月日不詳, 推定…) cannot be searched by an ISO day; they are found by
    // 本籍 and 筆頭者 instead.
    if (!person.birth_date.is_exact()) continue;
    LookupKey key = NameBirthKey(reg.FullNameOf(person), person.birth_date.ToIso());
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(std::move(key));
  }
  return keys;
}

Result<void> RegisterStore::CheckIdentityFree(std::string_view tenant,
                                              std::span<const LookupKey> keys,
                                              std::string_view self) {
  // LookupKeysOf puts it first, and always there.
  KOSEKI_ASSIGN_OR_RETURN(std::vector<std::string> holders, Find(tenant, keys.front(), self));
  if (!holders.empty()) return DuplicateRegister();
  return Ok();
}

Result<std::string> RegisterStore::WriteNew(std::string_view tenant, crypto::ByteView json,
                                            std::span<const LookupKey> keys) {
  KOSEKI_RETURN_IF_ERROR(CheckIdentityFree(tenant, keys, {}));
  return records_.Create(tenant, json, keys);
}

Result<std::string> RegisterStore::Create(std::string_view tenant, const domain::Register& reg) {
  KOSEKI_ASSIGN_OR_RETURN(const WipedString json, Serialize(reg));
  const std::vector<LookupKey> keys = LookupKeysOf(reg);
  std::string id;
  // Check and write in one transaction: no other writer can take the key in between.
  const auto create = [&]() -> Result<void> {
    KOSEKI_ASSIGN_OR_RETURN(id, WriteNew(tenant, json.bytes(), keys));
    return Ok();
  };
  KOSEKI_RETURN_IF_ERROR(backend_.InTransaction(create));
  return id;
}

Result<std::vector<std::string>> RegisterStore::CreateMany(std::string_view tenant,
                                                           std::span<const domain::Register> regs,
                                                           const CreatedFn& on_created) {
  std::vector<std::string> ids;
  ids.reserve(regs.size());
  const auto at = [](std::size_t i, Error error) {
    error.internal_detail = "registers[" + std::to_string(i) + "]: " + error.internal_detail;
    return error;
  };
  // One transaction for the batch and no savepoint per register: a failure anywhere rolls the
  // whole batch back, so there is nothing smaller to undo.
  const auto create_all = [&]() -> Result<void> {
    for (std::size_t i = 0; i < regs.size(); ++i) {
      auto json = Serialize(regs[i]);
      if (!json) return at(i, std::move(json).error());
      auto id = WriteNew(tenant, json->bytes(), LookupKeysOf(regs[i]));
      if (!id) return at(i, std::move(id).error());
      if (on_created) KOSEKI_RETURN_IF_ERROR(on_created(*id));
      ids.push_back(std::move(*id));
    }
    return Ok();
  };
  KOSEKI_RETURN_IF_ERROR(backend_.InTransaction(create_all));
  return ids;
}

Result<PreparedRegister> RegisterStore::Prepare(std::string_view tenant,
                                                std::string_view register_id,
                                                std::uint64_t expected_version,
                                                const domain::Register& reg,
                                                const domain::Register* base) {
  PreparedRegister prepared;
  KOSEKI_ASSIGN_OR_RETURN(const WipedString json, Serialize(reg));
  prepared.keys_ = LookupKeysOf(reg);
  std::vector<LookupKey> new_keys = prepared.keys_;
  if (base != nullptr) {
    const std::vector<LookupKey> indexed = LookupKeysOf(*base);
    std::erase_if(new_keys, [&](const LookupKey& key) {
      return std::find(indexed.begin(), indexed.end(), key) != indexed.end();
    });
  }
  KOSEKI_ASSIGN_OR_RETURN(
      prepared.sealed_,
      records_.SealVersion(tenant, register_id, expected_version, json.bytes(), new_keys));
  return prepared;
}

Result<std::uint64_t> RegisterStore::AppendVersion(std::string_view tenant,
                                                   std::string_view register_id,
                                                   std::uint64_t expected_version,
                                                   const domain::Register& reg) {
  KOSEKI_ASSIGN_OR_RETURN(const PreparedRegister prepared,
                          Prepare(tenant, register_id, expected_version, reg));
  return AppendVersion(prepared);
}

Result<std::uint64_t> RegisterStore::AppendVersion(const PreparedRegister& prepared) {
  const internal::SealedVersion& sealed = prepared.sealed_;
  std::uint64_t version = 0;
  // Check and write in one transaction: no other writer can take the key in between.
  const auto append = [&]() -> Result<void> {
    KOSEKI_RETURN_IF_ERROR(CheckIdentityFree(sealed.tenant, prepared.keys_, sealed.register_id));
    KOSEKI_ASSIGN_OR_RETURN(version, records_.Append(sealed));
    return Ok();
  };
  KOSEKI_RETURN_IF_ERROR(backend_.InTransaction(append));
  return version;
}

Result<StoredRegister> RegisterStore::Load(std::string_view tenant, std::string_view register_id,
                                           std::optional<std::uint64_t> version) {
  KOSEKI_ASSIGN_OR_RETURN(internal::OpenedVersion opened,
                          records_.Open(tenant, register_id, version));
  // Authenticated by the AEAD and validated when written (Serialize): only the shape is checked.
  auto reg = domain::RegisterFromJson(
      std::string_view(reinterpret_cast<const char*>(opened.plaintext.data()),
                       opened.plaintext.size()),
      domain::JsonSource::kAuthenticated);
  WipeBytes(opened.plaintext);
  if (!reg) return Unparsable(register_id, opened.version, reg.error().id);
  return StoredRegister{std::string(register_id), opened.version, opened.created_at,
                        std::move(*reg)};
}

Result<std::vector<VersionInfo>> RegisterStore::ListVersions(std::string_view tenant,
                                                             std::string_view register_id) {
  return records_.ListVersions(tenant, register_id);
}

Result<std::vector<std::string>> RegisterStore::Find(std::string_view tenant, const LookupKey& key,
                                                     std::string_view except) {
  KOSEKI_ASSIGN_OR_RETURN(std::vector<std::string> candidates, records_.Candidates(tenant, key));
  std::vector<std::string> matches;
  for (std::string& id : candidates) {
    if (id == except) continue;
    KOSEKI_ASSIGN_OR_RETURN(StoredRegister head, Load(tenant, id));
    if (Carries(head.value, key)) matches.push_back(std::move(id));
  }
  return matches;
}

Result<std::vector<std::string>> RegisterStore::FindByHonsekiAndHittosha(
    std::string_view tenant, std::string_view honseki, std::string_view hittosha_full_name) {
  KOSEKI_ASSIGN_OR_RETURN(std::vector<std::string> matches,
                          Find(tenant, HonsekiHittoshaKey(honseki, hittosha_full_name)));
  if (matches.size() > 1) return AmbiguousRegister(matches.size());
  return matches;
}

Result<std::vector<std::string>> RegisterStore::FindByNameAndBirthDate(
    std::string_view tenant, std::string_view full_name, std::string_view birth_date_iso) {
  auto date = text::JapaneseDate::FromIso(birth_date_iso);
  if (!date) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-STORE-027",
                     "生年月日は YYYY-MM-DD の形式で指定してください。", "birth date malformed");
  }
  return Find(tenant, NameBirthKey(full_name, date->ToIso()));
}

}  // namespace koseki::store
