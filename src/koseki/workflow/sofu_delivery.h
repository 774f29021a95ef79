// Delivery of 送付 notices to municipalities hosted on this server. At approval every notice
// whose municipality is a tenant here becomes an incoming 送付 case of that tenant inside the
// approval's own transaction (CaseService::Approve): the approval, its register versions, the
// notice marked delivered and the receiving tenant's case commit together or not at all, and
// nothing waits on a clerk remembering to send it.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "koseki/access/actor.h"
#include "koseki/base/result.h"
#include "koseki/workflow/sofu_outbox.h"

namespace koseki::workflow {

class CaseService;

// Receives `notice` into the tenant it names (SofuNotice::tenant_code) as an incoming 送付 case,
// on behalf of `by` (the approver); returns that case's id. The composition root gives one that
// opens the receiving tenant's desk (app/tenant_desk.cc); tests inject failures.
using SofuDeliverer =
    std::function<Result<std::string>(const SofuNotice& notice, const access::Actor& by)>;

// What a SofuDeliverer does once it holds the receiving tenant's cases: receives `notice`, sent
// by tenant `from` (municipality `from_municipality`), as an incoming 送付 case of `receiving` —
// accepted by the sender's mayor on the 届出日, arriving now. The receipt is the receiving
// office's intake, recorded as a clerk's receipt by "<from>:<by's login>" so that the receiving
// log says who sent it. Returns the new case id.
Result<std::string> ReceiveDelivered(CaseService& receiving, const SofuNotice& notice,
                                     const access::Actor& by, std::string_view from,
                                     std::string_view from_municipality);

}  // namespace koseki::workflow
