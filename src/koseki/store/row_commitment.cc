#include "koseki/store/row_commitment.h"

#include <vector>

#include "koseki/crypto/sha256.h"

namespace koseki::store {
namespace {

// The digest input: a domain tag, the table, then each column as a tagged, length-prefixed
// field, so that no two rows of different tables or column splits hash alike.
class DigestInput {
 public:
  explicit DigestInput(RowTable table) {
    constexpr std::string_view kTag = "koseki row v1";
    bytes_.insert(bytes_.end(), kTag.begin(), kTag.end());
    bytes_.push_back(0);
    bytes_.push_back(static_cast<std::uint8_t>(table));
  }
  DigestInput& Text(std::string_view text) {
    return Blob({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
  }
  DigestInput& Blob(RowBytes blob) {
    PutU64(blob.size());
    bytes_.insert(bytes_.end(), blob.begin(), blob.end());
    return *this;
  }
  // A large blob (a ciphertext) enters as its own SHA-256: hashed where it lies instead of
  // copied into the input.
  DigestInput& Hashed(RowBytes blob) {
    const crypto::Sha256Digest hash = crypto::Sha256({blob});
    return Blob(hash);
  }
  DigestInput& Int(std::int64_t value) {
    PutU64(static_cast<std::uint64_t>(value));
    return *this;
  }
  RowDigest Digest() const { return crypto::Sha256({bytes_}); }

 private:
  void PutU64(std::uint64_t v) {
    for (int shift = 56; shift >= 0; shift -= 8) {
      bytes_.push_back(static_cast<std::uint8_t>(v >> shift));
    }
  }
  std::vector<std::uint8_t> bytes_;
};

RowCommitment Make(RowTable table, std::string_view tenant_code, std::string_view key,
                   std::uint64_t number, const DigestInput& input) {
  return RowCommitment{table, std::string(tenant_code), std::string(key), number, input.Digest()};
}

}  // namespace

std::string_view RowTableName(RowTable table) {
  switch (table) {
    case RowTable::kTenant:
      return "tenant";
    case RowTable::kTenantKey:
      return "tenant_key";
    case RowTable::kRegister:
      return "register";
    case RowTable::kRegisterVersion:
      return "register_version";
    case RowTable::kCertificateIssue:
      return "certificate_issue";
    case RowTable::kCase:
      return "case";
    case RowTable::kCaseAction:
      return "case_action";
    case RowTable::kTenantSetting:
      return "tenant_setting";
    case RowTable::kObjectVersion:
      return "object_version";
    case RowTable::kRegisterHead:
      return "register_head";
  }
  return "unknown";
}

RowCommitment CommitTenant(std::string_view tenant_code, std::string_view name,
                           std::int64_t created_at) {
  return Make(RowTable::kTenant, tenant_code, tenant_code, 0,
              DigestInput(RowTable::kTenant).Text(name).Int(created_at));
}

RowCommitment CommitTenantKey(std::string_view tenant_code, std::uint32_t key_version,
                              RowBytes wrapped, std::int64_t created_at) {
  return Make(RowTable::kTenantKey, tenant_code, "", key_version,
              DigestInput(RowTable::kTenantKey).Blob(wrapped).Int(created_at));
}

RowCommitment CommitRegister(std::string_view tenant_code, std::string_view register_id,
                             std::int64_t created_at) {
  return Make(RowTable::kRegister, tenant_code, register_id, 0,
              DigestInput(RowTable::kRegister).Int(created_at));
}

RowCommitment CommitRegisterVersion(std::string_view tenant_code, std::string_view register_id,
                                    std::uint64_t version, RowBytes ciphertext,
                                    std::int64_t created_at) {
  return Make(RowTable::kRegisterVersion, tenant_code, register_id, version,
              DigestInput(RowTable::kRegisterVersion).Hashed(ciphertext).Int(created_at));
}

RowCommitment CommitCertificateIssue(std::string_view tenant_code, std::int64_t issue_number,
                                     std::string_view register_id, std::uint64_t version,
                                     std::int64_t issued_at) {
  return Make(RowTable::kCertificateIssue, tenant_code, "",
              static_cast<std::uint64_t>(issue_number),
              DigestInput(RowTable::kCertificateIssue)
                  .Text(register_id)
                  .Int(static_cast<std::int64_t>(version))
                  .Int(issued_at));
}

RowCommitment CommitCase(std::string_view tenant_code, std::string_view case_id,
                         std::string_view uketsuke_bango, int receipt_year,
                         std::string_view notification_type, std::int64_t received_at) {
  return Make(RowTable::kCase, tenant_code, case_id, 0,
              DigestInput(RowTable::kCase)
                  .Text(uketsuke_bango)
                  .Int(receipt_year)
                  .Text(notification_type)
                  .Int(received_at));
}

RowCommitment CommitCaseAction(std::string_view tenant_code, std::string_view case_id,
                               std::uint64_t seq, std::string_view kind, std::string_view actor_id,
                               std::string_view actor_role, std::int64_t at, RowBytes payload) {
  return Make(RowTable::kCaseAction, tenant_code, case_id, seq,
              DigestInput(RowTable::kCaseAction)
                  .Text(kind)
                  .Text(actor_id)
                  .Text(actor_role)
                  .Int(at)
                  .Hashed(payload));
}

RowCommitment CommitTenantSetting(std::string_view tenant_code, std::string_view name,
                                  std::uint64_t version, std::string_view value,
                                  std::int64_t set_at) {
  return Make(RowTable::kTenantSetting, tenant_code, name, version,
              DigestInput(RowTable::kTenantSetting).Text(value).Int(set_at));
}

RowCommitment CommitObjectVersion(std::string_view tenant_code, std::string_view kind,
                                  std::string_view object_id, std::uint64_t version,
                                  RowBytes ciphertext, std::int64_t created_at) {
  return Make(RowTable::kObjectVersion, tenant_code,
              std::string(kind) + ":" + std::string(object_id), version,
              DigestInput(RowTable::kObjectVersion).Hashed(ciphertext).Int(created_at));
}

RowCommitment RegisterHead(std::string_view tenant_code, std::string_view register_id,
                           std::uint64_t head_version) {
  return RowCommitment{RowTable::kRegisterHead, std::string(tenant_code), std::string(register_id),
                       head_version, RowDigest{}};
}

}  // namespace koseki::store
