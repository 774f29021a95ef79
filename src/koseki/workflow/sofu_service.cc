#include "koseki/workflow/sofu_service.h"

#include <algorithm>

#include "koseki/audit/actions.h"
#include "koseki/workflow/case_service.h"
#include "koseki/workflow/policy.h"
#include "koseki/workflow/receipt.h"
#include "koseki/workflow/recorded.h"

namespace koseki::workflow {

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

}  // namespace koseki::workflow
