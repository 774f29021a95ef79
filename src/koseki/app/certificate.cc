#include "koseki/app/certificate.h"

#include <algorithm>

#include "koseki/domain/certificate.h"
#include "koseki/text/name.h"

namespace koseki::app {
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

std::chrono::year_month_day TodayInJapan(const Clock& clock) {
  const auto japan = clock.Now() + std::chrono::hours(9);
  return std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(japan));
}

Result<IssuedCertificate> IssueCertificate(Koseki& koseki, const CertificateRequest& request) {
  IssuedCertificate issued;
  // Recorded in the tenant's log with ids only: register id and version as the object, the
  // 発行番号 as the context. Never the 本籍 or names searched for.
  const std::string log = koseki.LogFor(request.tenant);
  audit::Event event = koseki.CliEvent(audit::actions::kCliCert);
  // A refusal about an unknown tenant goes to the system log, naming the code given.
  if (log == audit::kSystemTenant && audit::IsOpaqueId(request.tenant)) {
    event.object_id = request.tenant;
  }
  const auto issue = [&](audit::Event& recorded) -> Result<void> {
    KOSEKI_ASSIGN_OR_RETURN(store::TenantRow tenant, koseki.Tenant(request.tenant));
    KOSEKI_ASSIGN_OR_RETURN(
        std::vector<std::string> ids,
        koseki.registers().FindByHonsekiAndHittosha(request.tenant, request.honseki, request.head));
    if (ids.empty()) return RegisterNotFound();
    // (本籍, 筆頭者) identifies one register; import and generation keep it unique.
    KOSEKI_ASSIGN_OR_RETURN(store::StoredRegister stored,
                            koseki.registers().Load(request.tenant, ids.front(), request.version));
    recorded.object_id = stored.register_id + ":" + std::to_string(stored.version);

    KOSEKI_ASSIGN_OR_RETURN(text::JapaneseDate today,
                            text::JapaneseDate::FromGregorian(TodayInJapan(koseki.clock())));
    domain::CertificateOptions options{.issue_date = today};
    if (!request.persons.empty()) {
      options.kind = domain::CertificateKind::kKojin;
      KOSEKI_ASSIGN_OR_RETURN(options.selected_seqs, SelectPersons(stored.value, request.persons));
    }
    options.mayor_line = tenant.name + "長";
    if (!request.mayor_name.empty()) options.mayor_line += "　　" + request.mayor_name;
    if (request.lines_per_page > 0) options.lines_per_page = request.lines_per_page;
    const std::int64_t now =
        std::chrono::duration_cast<std::chrono::seconds>(koseki.clock().Now().time_since_epoch())
            .count();
    KOSEKI_ASSIGN_OR_RETURN(std::int64_t issue_number,
                            koseki.installation().backend().RecordCertificateIssue(
                                request.tenant, stored.register_id, stored.version, now));
    options.issue_number = static_cast<int>(issue_number);
    recorded.context_id = "issue:" + std::to_string(issue_number);

    issued.register_id = stored.register_id;
    issued.version = stored.version;
    issued.issue_number = options.issue_number;
    KOSEKI_ASSIGN_OR_RETURN(issued.text, domain::RenderCertificateText(stored.value, options));
    return Ok();
  };
  KOSEKI_ASSIGN_OR_RETURN(issued.receipt, koseki.audit().Record(log, event, issue));
  return issued;
}

}  // namespace koseki::app
