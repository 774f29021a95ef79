// CertificateService: issuing a certificate (記録事項証明書) as text and, for the printer, as
// PDF — the use case behind `koseki cert` and, later, the city's print desk. Finds the
// register by 本籍 and 筆頭者, optionally an older version, and renders 全部事項証明 — or
// 個人事項証明 when persons are named. The mayor line and the 職印 come from the tenant's
// configuration (kMayorNameSetting, kSealObjectKind), set by its administrator. Only the city's
// clerks may issue (policy.h CheckCertificateIssue). Each issue draws the tenant's next 発行番号
// and is recorded in the tenant's audit log as cert.issue (object: register id and version;
// context: the 発行番号) in the same transaction; a refusal is recorded too. Dated today in Japan.
//
// Every issue answers a 交付請求, whose 請求の事由 (purpose) and 請求者 (requester) must be on
// record. They are personal data, so they never reach the database, a log or an error in the
// clear: they are sealed under the tenant's key into the cert.issue entry's encrypted_detail
// (docs/formats.md, "Certificate request detail"), bound to the tenant, the register version
// and the 発行番号, and only the tenant's key opens them again (OpenRequestDetail).
//
// Not thread-safe; create one per request. Every argument object must outlive the service.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "koseki/audit/audit_log.h"
#include "koseki/audit/entry.h"
#include "koseki/base/clock.h"
#include "koseki/crypto/aead.h"
#include "koseki/store/backend.h"
#include "koseki/store/register_store.h"
#include "koseki/store/sealed_objects.h"
#include "koseki/store/tenant_crypto.h"
#include "koseki/workflow/case.h"

namespace koseki::workflow {

struct CertificateRequest {
  std::string honseki = {};               // 本籍 as printed (spacing and width are folded)
  std::string head = {};                  // 筆頭者氏名 (山川健一 or 山川　健一)
  std::vector<std::string> persons = {};  // 個人事項証明: 名 or 氏名 of each person; empty = 全部
  std::optional<std::uint64_t> version = {};  // an older version of the register; empty = current
  int lines_per_page = 0;                     // 0 = the domain default
  bool pdf = false;                           // also draw the certificate as an A4 PDF
  // The 交付請求 (required; 1 to kMaxRequestTextChars characters, no control characters).
  std::string purpose = {};    // 請求の事由, e.g. 相続手続のため
  std::string requester = {};  // 請求者, e.g. 本人 or the requester's name
};

// The mayor's name, printed after "<municipality>長" (a tenant setting; public, as it is printed
// on every certificate). Without it the line names the office only.
inline constexpr std::string_view kMayorNameSetting = "certificate.mayor_name";
// The tenant's 職印 as a PNG, printed over ［職印］ in the PDF: a sealed object of this kind and
// id, read only when a PDF is drawn (not with the settings every request reads).
inline constexpr std::string_view kSealObjectKind = "certificate_seal";
inline constexpr std::string_view kSealObjectId = "seal";

// The longest 請求の事由 or 請求者 accepted, in characters as a person counts them
// (text::CountCharacters).
inline constexpr std::size_t kMaxRequestTextChars = 200;

// A 交付請求 as sealed in its cert.issue entry.
struct CertificateRequestDetail {
  std::string purpose;
  std::string requester;
};

struct IssuedCertificate {
  std::string register_id;
  std::uint64_t version = 0;
  int issue_number = 0;
  std::string text;  // pages separated by form feeds
  std::string pdf;   // the same pages as an A4 PDF, if asked for
  audit::Receipt receipt;
};

class CertificateService {
 public:
  // `tenant_code` and `municipality` (printed as "<municipality>長") name the issuing tenant;
  // `crypto` gives its key, which seals each request's purpose and requester; `objects` holds
  // its 職印.
  CertificateService(store::RegisterStore& registers, store::Backend& backend,
                     store::TenantCrypto& crypto, store::SealedObjects& objects,
                     audit::AuditLog& audit, const Clock& clock, std::string tenant_code,
                     std::string municipality);

  // PermissionDenied KSK-CERT-001 for a role that may not issue; InvalidArgument KSK-CERT-002
  // (purpose) or KSK-CERT-003 (requester) if either is missing, blank, longer than
  // kMaxRequestTextChars, not UTF-8 or holds a control character; NotFound KSK-APP-010 no
  // register with this 本籍 and 筆頭者, KSK-APP-011 a named person is not in the register; the
  // register's own errors and, for a PDF, render::CertificatePdf's otherwise. Each refusal is
  // recorded (without the request's text); nothing is issued without its PDF when one is asked.
  Result<IssuedCertificate> Issue(const Actor& actor, const CertificateRequest& request);

 private:
  store::RegisterStore& registers_;
  store::Backend& backend_;
  store::TenantCrypto& crypto_;
  store::SealedObjects& objects_;
  audit::AuditLog& audit_;
  const Clock& clock_;
  std::string tenant_code_;
  std::string municipality_;
};

// Opens the 交付請求 sealed in a cert.issue entry of the tenant whose key `aead` is (its
// store::TenantCipher's aead()). DataLoss KSK-CERT-004 if the entry is not a cert.issue entry
// with a detail, or the detail does not authenticate for this tenant, register version and
// 発行番号 (e.g. copied from another entry), or does not parse.
Result<CertificateRequestDetail> OpenRequestDetail(const crypto::Aead& aead,
                                                   const audit::Entry& entry);

}  // namespace koseki::workflow
