// SofuService: the clerk's use cases over the 送付 outbox (sofu_outbox.h) — list the notices
// approvals computed, pending or sent, and record that one was sent, on which day and how — or
// deliver it, when the municipality is hosted on this server. Every call, allowed or refused,
// is recorded in the tenant's audit log (sofu.list, sofu.sent, sofu.deliver); who may do what
// is decided in policy.h (CheckSofu).
//
// Not thread-safe; create one per request. Every argument object must outlive the service.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/audit/audit_log.h"
#include "koseki/base/clock.h"
#include "koseki/workflow/case.h"
#include "koseki/workflow/sofu_outbox.h"

namespace koseki::workflow {

class CaseService;

// What a SofuService::Deliverer does once it holds the receiving tenant's cases: receives
// `notice`, sent by tenant `from` (municipality `from_municipality`), as an incoming 送付 case
// of `receiving` — accepted by the sender's mayor on the 届出日, arriving now, received by
// "<from>:<clerk>" so that the receiving log says who sent it. Returns the new case id.
Result<std::string> ReceiveDelivered(CaseService& receiving, const SofuNotice& notice,
                                     const Actor& clerk, std::string_view from,
                                     std::string_view from_municipality);

class SofuService {
 public:
  // Receives a notice into the tenant it names (SofuNotice::tenant_code) as an incoming 送付
  // case, acting for `clerk`; returns that case's id. Runs inside Deliver's transaction.
  using Deliverer =
      std::function<Result<std::string>(const SofuNotice& notice, const Actor& clerk)>;

  SofuService(SofuOutbox& outbox, audit::AuditLog& audit, const Clock& clock, std::string tenant,
              Deliverer deliverer = {})
      : outbox_(outbox),
        audit_(audit),
        clock_(clock),
        tenant_(std::move(tenant)),
        deliverer_(std::move(deliverer)) {}

  // The tenant's notices by id: all, or only the pending (`sent` false) or the sent ones.
  Result<std::vector<SofuNotice>> List(const Actor& actor, std::optional<bool> sent = {});
  // Records that notice `notice_id` was sent on `sent_on` by `means` (one of kSofuMeans):
  //   KSK-SOFU-002 NotFound            no such notice
  //   KSK-SOFU-004 InvalidArgument     an unknown means
  //   KSK-SOFU-005 FailedPrecondition  already marked sent
  //   KSK-SOFU-006 InvalidArgument     a day in the future or before the approval
  Result<SofuNotice> MarkSent(const Actor& clerk, std::string_view notice_id,
                              std::chrono::year_month_day sent_on, std::string means);
  // Delivers a notice to a municipality hosted on this server: it becomes an incoming 送付 case
  // of that tenant (accepted by this tenant's mayor on the 届出日, arriving now; recorded there
  // as case.receive by "<this tenant>:<clerk>") and is marked sent today, kDeliveredHere, in
  // one transaction (sofu.deliver). KSK-SOFU-002 and -005 as MarkSent;
  //   KSK-SOFU-007 FailedPrecondition  the municipality is not hosted here
  Result<SofuNotice> Deliver(const Actor& clerk, std::string_view notice_id);

 private:
  // The notice `clerk` may mark sent: it exists and is not sent yet.
  Result<SofuNotice> Pending(const Actor& clerk, std::string_view notice_id);

  SofuOutbox& outbox_;
  audit::AuditLog& audit_;
  const Clock& clock_;
  std::string tenant_;
  Deliverer deliverer_;
};

}  // namespace koseki::workflow
