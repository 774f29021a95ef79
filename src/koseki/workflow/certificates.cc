#include "koseki/workflow/certificates.h"

#include <algorithm>

#include "koseki/domain/certificate.h"
#include "koseki/text/japanese_date.h"
#include "koseki/text/name.h"
#include "koseki/workflow/policy.h"
#include "koseki/workflow/recorded.h"

namespace koseki::workflow {
namespace {

Error RegisterNotFound() {
  return MakeError(ErrorCode::kNotFound, "KSK-APP-010",
                   "指定された本籍・筆頭者の戸籍は見つかりません。", "no register for lookup key");
}

// Returns the seqs of the named persons: a name matches a person's 名 or 氏名 after folding.
Result<std::vector<int>> SelectPersons(const domain::Register& reg,
                                       const std::vector<std::string>& names) {
  std::vector<int> seqs;
  for (const std::string& name : names) {
    const std::string key = text::SearchKey(name);
    auto it = std::find_if(reg.persons.begin(), reg.persons.end(), [&](const domain::Person& p) {
      return text::SearchKey(p.mei) == key || text::SearchKey(reg.FullNameOf(p)) == key;
    });
    if (it == reg.persons.end()) {
      return MakeError(ErrorCode::kNotFound, "KSK-APP-011",
                       "指定された者はこの戸籍に記録されていません。", "person not in register");
    }
    seqs.push_back(it->seq);
  }
  return seqs;
}

}  // namespace

CertificateService::CertificateService(store::RegisterStore& registers, store::Backend& backend,
                                       audit::AuditLog& audit, const Clock& clock,
                                       std::string tenant_code, std::string municipality)
    : registers_(registers),
      backend_(backend),
      audit_(audit),
      clock_(clock),
      tenant_code_(std::move(tenant_code)),
      municipality_(std::move(municipality)) {}

Result<IssuedCertificate> CertificateService::Issue(const Actor& actor,
                                                    const CertificateRequest& request) {
  IssuedCertificate issued;
  // Recorded with ids only: register id and version as the object, the 発行番号 as the
  // context. Never the 本籍 or names searched for.
  const auto issue = [&](audit::Event& recorded) -> Result<bool> {
    KOSEKI_RETURN_IF_ERROR(CheckCertificateIssue(actor));
    KOSEKI_ASSIGN_OR_RETURN(
        std::vector<std::string> ids,
        registers_.FindByHonsekiAndHittosha(tenant_code_, request.honseki, request.head));
    if (ids.empty()) return RegisterNotFound();
    KOSEKI_ASSIGN_OR_RETURN(store::StoredRegister stored,
                            registers_.Load(tenant_code_, ids.front(), request.version));
    recorded.object_id = stored.register_id + ":" + std::to_string(stored.version);

    KOSEKI_ASSIGN_OR_RETURN(text::JapaneseDate today,
                            text::JapaneseDate::FromGregorian(JapanDayOf(clock_.Now())));
    domain::CertificateOptions options{.issue_date = today};
    if (!request.persons.empty()) {
      options.kind = domain::CertificateKind::kKojin;
      KOSEKI_ASSIGN_OR_RETURN(options.selected_seqs, SelectPersons(stored.value, request.persons));
    }
    options.mayor_line = municipality_ + "長";
    if (!request.mayor_name.empty()) options.mayor_line += "　　" + request.mayor_name;
    if (request.lines_per_page > 0) options.lines_per_page = request.lines_per_page;
    KOSEKI_ASSIGN_OR_RETURN(
        std::int64_t issue_number,
        backend_.RecordCertificateIssue(tenant_code_, stored.register_id, stored.version,
                                        UnixMicros(clock_.Now())));
    options.issue_number = static_cast<int>(issue_number);
    recorded.context_id = "issue:" + std::to_string(issue_number);

    issued.register_id = stored.register_id;
    issued.version = stored.version;
    issued.issue_number = options.issue_number;
    KOSEKI_ASSIGN_OR_RETURN(issued.text, domain::RenderCertificateText(stored.value, options));
    return true;
  };
  KOSEKI_RETURN_IF_ERROR(Recorded<bool>(
      audit_, tenant_code_, EventOf(actor, audit::actions::kCertIssue), issue, &issued.receipt));
  return issued;
}

}  // namespace koseki::workflow
