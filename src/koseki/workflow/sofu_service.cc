#include "koseki/workflow/sofu_service.h"

#include <algorithm>

#include "koseki/audit/actions.h"
#include "koseki/workflow/case_service.h"
#include "koseki/workflow/policy.h"
#include "koseki/workflow/receipt.h"
#include "koseki/workflow/recorded.h"

namespace koseki::workflow {

Result<std::string> ReceiveDelivered(CaseService& receiving, const SofuNotice& notice,
                                     const Actor& clerk, std::string_view from,
                                     std::string_view from_municipality) {
  Actor sender = clerk;
  sender.user_id = std::string(from) + ":" + clerk.user_id;
  KOSEKI_ASSIGN_OR_RETURN(
      Case received,
      receiving.Receive(sender, notice.type, {},
                        ReceiptInput{.forwarded = Forwarding{rules::MayorOf(from_municipality),
                                                             notice.filed_on}}));
  return received.case_id;
}

Result<std::vector<SofuNotice>> SofuService::List(const Actor& actor, std::optional<bool> sent) {
  using Notices = std::vector<SofuNotice>;
  return Recorded<Notices>(audit_, tenant_, EventOf(actor, audit::actions::kSofuList),
                           [&](audit::Event&) -> Result<Notices> {
                             KOSEKI_RETURN_IF_ERROR(CheckSofu(actor, /*mark_sent=*/false));
                             return outbox_.List(tenant_, sent);
                           });
}

Result<SofuNotice> SofuService::Pending(const Actor& clerk, std::string_view notice_id) {
  KOSEKI_RETURN_IF_ERROR(CheckSofu(clerk, /*mark_sent=*/true));
  KOSEKI_ASSIGN_OR_RETURN(SofuNotice notice, outbox_.Get(tenant_, notice_id));
  if (notice.sent()) {
    return MakeError(ErrorCode::kFailedPrecondition, "KSK-SOFU-005",
                     "この送付は既に発送済みとして記録されています。", "already sent");
  }
  return notice;
}

Result<SofuNotice> SofuService::MarkSent(const Actor& clerk, std::string_view notice_id,
                                         std::chrono::year_month_day sent_on, std::string means) {
  return Recorded<SofuNotice>(
      audit_, tenant_, EventOf(clerk, audit::actions::kSofuSent, notice_id),
      [&](audit::Event&) -> Result<SofuNotice> {
        KOSEKI_ASSIGN_OR_RETURN(SofuNotice notice, Pending(clerk, notice_id));
        if (std::find(std::begin(kSofuMeans), std::end(kSofuMeans), means) ==
            std::end(kSofuMeans)) {
          return MakeError(ErrorCode::kInvalidArgument, "KSK-SOFU-004",
                           "送付の方法は 郵送・届書等情報・使送 のいずれかで指定してください。",
                           "unknown means");
        }
        const std::int64_t now = UnixMicros(clock_.Now());
        if (sent_on > JapanDayOfMicros(now) || sent_on < JapanDayOfMicros(notice.approved_at)) {
          return MakeError(ErrorCode::kInvalidArgument, "KSK-SOFU-006",
                           "発送日は決裁の日から今日までの日付で指定してください。",
                           "sent day out of range");
        }
        notice.sent_on = sent_on;
        notice.means = std::move(means);
        notice.sent_by = clerk.user_id;
        KOSEKI_RETURN_IF_ERROR(outbox_.Update(tenant_, notice));
        ++notice.version;
        return notice;
      });
}

Result<SofuNotice> SofuService::Deliver(const Actor& clerk, std::string_view notice_id) {
  return Recorded<SofuNotice>(
      audit_, tenant_, EventOf(clerk, audit::actions::kSofuDeliver, notice_id),
      [&](audit::Event&) -> Result<SofuNotice> {
        KOSEKI_ASSIGN_OR_RETURN(SofuNotice notice, Pending(clerk, notice_id));
        if (!notice.tenant_code || !deliverer_) {
          return MakeError(ErrorCode::kFailedPrecondition, "KSK-SOFU-007",
                           "送付先の市区町村はこのサーバにありません。郵送等で送付してください。",
                           "receiving municipality not hosted here");
        }
        // The incoming case and this notice's new version commit together, or neither does.
        KOSEKI_ASSIGN_OR_RETURN(std::string delivered, deliverer_(notice, clerk));
        notice.sent_on = JapanDayOfMicros(UnixMicros(clock_.Now()));
        notice.means = std::string(kDeliveredHere);
        notice.sent_by = clerk.user_id;
        notice.delivered_case = std::move(delivered);
        KOSEKI_RETURN_IF_ERROR(outbox_.Update(tenant_, notice));
        ++notice.version;
        return notice;
      });
}

}  // namespace koseki::workflow
