#include "koseki/workflow/sofu_delivery.h"

#include "koseki/workflow/case_service.h"
#include "koseki/workflow/receipt.h"

namespace koseki::workflow {

Result<std::string> ReceiveDelivered(CaseService& receiving, const SofuNotice& notice,
                                     const access::Actor& by, std::string_view from,
                                     std::string_view from_municipality) {
  access::Actor sender = by;
  sender.user_id = std::string(from) + ":" + by.user_id;
  sender.role = access::Role::kClerk;
  KOSEKI_ASSIGN_OR_RETURN(
      Case received,
      receiving.Receive(sender, notice.type, {},
                        ReceiptInput{.forwarded = Forwarding{rules::MayorOf(from_municipality),
                                                             notice.filed_on}}));
  return received.case_id;
}

}  // namespace koseki::workflow
