// The 送付 outbox: the notices to other 本籍地 that an approval computed (rules::OutgoingNotice),
// kept per tenant until the clerk has sent each one. A notice is written in the approval's own
// transaction, so it exists exactly when the approval does: no notice is lost because a
// terminal closed or a printout jammed. Marking it sent (the day and the means) adds a
// version; nothing is overwritten.
//
// Stored as the tenant's sealed objects (store/sealed_objects.h: encrypted under the tenant's
// key and bound to kind, id and version) of kind "sofu_notice", id "<case id>.<n>"; version 1
// is the notice as approved, version 2 the same notice marked sent (or delivered, in the
// approval's transaction).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/base/result.h"
#include "koseki/rules/notification.h"
#include "koseki/store/sealed_objects.h"

namespace koseki::workflow {

inline constexpr std::string_view kSofuNoticeKind = "sofu_notice";

// How a notice may be sent (戸籍法施行規則 25条, 26条): by post, as 届書等情報 through the
// Ministry of Justice's system (since 2024-03-01), or by hand (使送). Kept as data.
inline constexpr std::string_view kSofuMeans[] = {"郵送", "届書等情報", "使送"};
// The means recorded when a notice to a municipality hosted on this server was delivered into
// that tenant as an incoming case at approval (sofu_delivery.h); never given by hand.
inline constexpr std::string_view kDeliveredHere = "本サーバ内送付";

struct SofuNotice {
  std::string notice_id;  // "<case id>.<n>", n = 1, 2, … in the order the rule computed them
  std::string case_id;
  std::string uketsuke_bango;  // of the case that was approved
  rules::NotificationType type = rules::NotificationType::kShussei;
  std::string municipality;                // 送付先: 東海県南浜市
  std::optional<std::string> tenant_code;  // set when that municipality is hosted here
  std::string reason;                      // 婚姻届（夫の従前本籍地）
  std::chrono::year_month_day filed_on;    // 届出日: the receiving office's 受理日
  std::int64_t approved_at = 0;            // Unix microseconds
  // Set once sent.
  std::optional<std::chrono::year_month_day> sent_on = {};
  std::string means = {};                          // one of kSofuMeans
  std::string sent_by = {};                        // the clerk's login
  std::optional<std::string> delivered_case = {};  // kDeliveredHere: the case made there
  std::uint64_t version = 0;                       // as stored (read only)

  bool sent() const { return sent_on.has_value(); }
};

class SofuOutbox {
 public:
  explicit SofuOutbox(store::SealedObjects& objects) : objects_(objects) {}

  // Stores a new notice (version 1). Aborted (KSK-STORE-031) if the id exists.
  Result<void> Add(std::string_view tenant, const SofuNotice& notice);
  // The notice, or NotFound (KSK-SOFU-002).
  Result<SofuNotice> Get(std::string_view tenant, std::string_view notice_id);
  // Every notice of the tenant, by id; only the pending (sent == false) or the sent ones if
  // asked. DataLoss (KSK-STORE-033 / KSK-SOFU-003) for one that does not open or parse.
  Result<std::vector<SofuNotice>> List(std::string_view tenant, std::optional<bool> sent = {});
  // Stores `notice`, marked sent, as the next version of its id (Aborted KSK-STORE-031 if
  // another writer marked it first).
  Result<void> Update(std::string_view tenant, const SofuNotice& notice);

 private:
  store::SealedObjects& objects_;
};

}  // namespace koseki::workflow
