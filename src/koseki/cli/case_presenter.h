// How the CLI prints what the case use cases return (workflow/case_service.h): text for people,
// JSON for scripts. They print exactly what they are given — the use case already removed what
// the actor may not see — and never decide anything themselves.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "koseki/workflow/case_pictures.h"
#include "koseki/workflow/case_service.h"
#include "koseki/workflow/furigana_shokken.h"

namespace koseki::cli {

// Ids, states, kinds, roles and times of a case; never entry contents.
std::string FormatCase(const workflow::Case& c);
std::string FormatFindings(const std::vector<rules::Finding>& findings);
std::string FormatReview(const workflow::Review& review);
std::string FormatApproval(const workflow::ApprovalResult& approved);
std::string FormatCaseList(const workflow::CaseListPage& page);
// One line per notice: id, 受付番号, 送付先 (and its tenant when hosted here), reason, and
// 未発送 or the day and means it was sent.
std::string FormatSofuNotices(const std::vector<workflow::SofuNotice>& notices);
// One line per scan: number, pages, added by and when (JST), then each file's format and
// SHA-256 (to match a scan to the file it came from).
std::string FormatScans(const std::vector<workflow::ScanRecord>& scans);
// The refused lines of a 職権 recording (line number and error; never a name), then the counts.
std::string FormatShokkenReport(const workflow::ShokkenReport& report);
// The case as JSON, with the entries, reasons and 届出人 the view holds (none unless the
// actor may see contents).
nlohmann::json CaseToJson(const workflow::CaseView& view);

}  // namespace koseki::cli
