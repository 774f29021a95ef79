// SofuService: the clerk's use cases over the 送付 outbox (sofu_outbox.h) — list the notices
// approvals computed, pending or sent, and record that one was sent, on which day and how. A
// notice to a municipality hosted on this server needs neither: the approval delivered it
// (sofu_delivery.h). Every call, allowed or refused, is recorded in the tenant's audit log
// (sofu.list, sofu.sent); who may do what is decided in policy.h (CheckSofu).
//
// Not thread-safe; create one per request. Every argument object must outlive the service.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/audit/audit_log.h"
#include "koseki/base/clock.h"
#include "koseki/workflow/case.h"
#include "koseki/workflow/sofu_outbox.h"

namespace koseki::workflow {

class SofuService {
 public:
  SofuService(SofuOutbox& outbox, audit::AuditLog& audit, const Clock& clock, std::string tenant)
      : outbox_(outbox), audit_(audit), clock_(clock), tenant_(std::move(tenant)) {}

  // The tenant's notices by id: all, or only the pending (`sent` false) or the sent ones.
  Result<std::vector<SofuNotice>> List(const Actor& actor, std::optional<bool> sent = {});
  // Records that notice `notice_id` was sent on `sent_on` by `means` (one of kSofuMeans):
  //   KSK-SOFU-002 NotFound            no such notice
  //   KSK-SOFU-004 InvalidArgument     an unknown means
  //   KSK-SOFU-005 FailedPrecondition  already marked sent
  //   KSK-SOFU-006 InvalidArgument     a day in the future or before the approval
  Result<SofuNotice> MarkSent(const Actor& clerk, std::string_view notice_id,
                              std::chrono::year_month_day sent_on, std::string means);

 private:
  // The notice `clerk` may mark sent: it exists and is not sent yet.
  Result<SofuNotice> Pending(const Actor& clerk, std::string_view notice_id);

  SofuOutbox& outbox_;
  audit::AuditLog& audit_;
  const Clock& clock_;
  std::string tenant_;
};

}  // namespace koseki::workflow
