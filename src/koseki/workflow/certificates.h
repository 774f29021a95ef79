// CertificateService: issuing a certificate (記録事項証明書) as text — the use case behind
// `koseki cert` and, later, the city's print desk. Finds the register by 本籍 and 筆頭者,
// optionally an older version, and renders 全部事項証明 — or 個人事項証明 when persons are
// named. Only the city's clerks may issue (policy.h CheckCertificateIssue). Each issue draws
// the tenant's next 発行番号 and is recorded in the tenant's audit log as cert.issue (object:
// register id and version; context: the 発行番号) in the same transaction; a refusal is
// recorded too. Dated today in Japan.
//
// Not thread-safe; create one per request. Every argument object must outlive the service.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "koseki/audit/audit_log.h"
#include "koseki/base/clock.h"
#include "koseki/store/backend.h"
#include "koseki/store/register_store.h"
#include "koseki/workflow/case.h"

namespace koseki::workflow {

struct CertificateRequest {
  std::string honseki = {};               // 本籍 as printed (spacing and width are folded)
  std::string head = {};                  // 筆頭者氏名 (山川健一 or 山川　健一)
  std::vector<std::string> persons = {};  // 個人事項証明: 名 or 氏名 of each person; empty = 全部
  std::optional<std::uint64_t> version = {};  // an older version of the register; empty = current
  std::string mayor_name = {};                // printed after "<municipality>長"; may be empty
  int lines_per_page = 0;                     // 0 = the domain default
};

struct IssuedCertificate {
  std::string register_id;
  std::uint64_t version = 0;
  int issue_number = 0;
  std::string text;  // pages separated by form feeds
  audit::Receipt receipt;
};

class CertificateService {
 public:
  // `tenant_code` and `municipality` (printed as "<municipality>長") name the issuing tenant.
  CertificateService(store::RegisterStore& registers, store::Backend& backend,
                     audit::AuditLog& audit, const Clock& clock, std::string tenant_code,
                     std::string municipality);

  // PermissionDenied KSK-CERT-001 for a role that may not issue; NotFound KSK-APP-010 no
  // register with this 本籍 and 筆頭者, KSK-APP-011 a named person is not in the register; the
  // register's own errors otherwise.
  Result<IssuedCertificate> Issue(const Actor& actor, const CertificateRequest& request);

 private:
  store::RegisterStore& registers_;
  store::Backend& backend_;
  audit::AuditLog& audit_;
  const Clock& clock_;
  std::string tenant_code_;
  std::string municipality_;
};

}  // namespace koseki::workflow
