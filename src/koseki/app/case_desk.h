// CaseDesk: the case workflow (workflow/case_service.h) wired over an open installation, for
// `koseki case …`, plus the text and JSON forms the CLI prints. The CLI names its actor with
// --user/--role; binding that to an authenticated login and a registered device is the web
// layer's job (issue [4/7]) — here the use cases still enforce roles, separation of duties and
// need-to-know, and audit every action and refusal.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "koseki/app/koseki.h"
#include "koseki/workflow/case_service.h"
#include "koseki/workflow/stored_case_records.h"

namespace koseki::app {

class CaseDesk {
 public:
  // NotFound (KSK-STORE-013) for an unknown tenant.
  static Result<std::unique_ptr<CaseDesk>> Open(Koseki& koseki, std::string_view tenant);
  workflow::CaseService& service() { return service_; }
  workflow::CaseRecords& records() { return records_; }

 private:
  CaseDesk(Koseki& koseki, workflow::TenantInfo tenant);
  workflow::StoredCaseRecords records_;
  workflow::CaseService service_;
};

// Parses --user/--role: the user id must be an opaque id ([A-Za-z0-9._:-], KSK-CLI-010) and
// the role one of clerk, operator, supervisor, examiner, approver (KSK-CLI-011).
Result<workflow::Actor> ParseActor(std::string_view user, std::string_view role);

// Human-readable summaries. They show ids, states, kinds, roles and times — never entry
// contents, which only `CaseToJson(…, true)` includes (for city staff at the server).
std::string FormatCase(const workflow::Case& c);
std::string FormatFindings(const std::vector<rules::Finding>& findings);
std::string FormatReview(const workflow::Review& review);
nlohmann::json CaseToJson(const workflow::Case& c, bool with_entries);

}  // namespace koseki::app
