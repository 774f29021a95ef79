#include "koseki/workflow/sofu_outbox.h"

#include <nlohmann/json.hpp>

#include "koseki/access/user.h"

namespace koseki::workflow {
namespace {

Error Unreadable(std::string detail) {
  return MakeError(ErrorCode::kDataLoss, "KSK-SOFU-003", "送付の記録を読み取れません。",
                   std::move(detail));
}

std::string ToJsonText(const SofuNotice& n) {
  nlohmann::json json = {{"notice_id", n.notice_id},
                         {"case_id", n.case_id},
                         {"uketsuke_bango", n.uketsuke_bango},
                         {"type", rules::NotificationTypeKey(n.type)},
                         {"municipality", n.municipality},
                         {"reason", n.reason},
                         {"filed_on", access::FormatIsoDay(n.filed_on)},
                         {"approved_at", n.approved_at}};
  if (n.tenant_code) json["tenant_code"] = *n.tenant_code;
  if (n.sent_on) {
    json["sent_on"] = access::FormatIsoDay(*n.sent_on);
    json["means"] = n.means;
    json["sent_by"] = n.sent_by;
    if (n.delivered_case) json["delivered_case"] = *n.delivered_case;
  }
  return json.dump();
}

Result<SofuNotice> FromOpened(const store::OpenedObject& opened) {
  const nlohmann::json json =
      nlohmann::json::parse(opened.plaintext.begin(), opened.plaintext.end(), nullptr, false);
  if (!json.is_object()) return Unreadable("notice is not a JSON object");
  SofuNotice n;
  try {
    n.notice_id = json.at("notice_id").get<std::string>();
    n.case_id = json.at("case_id").get<std::string>();
    n.uketsuke_bango = json.at("uketsuke_bango").get<std::string>();
    auto type = rules::ParseNotificationType(json.at("type").get<std::string>());
    if (!type) return Unreadable("unknown notification type");
    n.type = *type;
    n.municipality = json.at("municipality").get<std::string>();
    n.reason = json.at("reason").get<std::string>();
    auto filed = access::ParseIsoDay(json.at("filed_on").get<std::string>());
    if (!filed) return Unreadable("malformed filed_on");
    n.filed_on = *filed;
    n.approved_at = json.at("approved_at").get<std::int64_t>();
    if (json.contains("tenant_code")) n.tenant_code = json.at("tenant_code").get<std::string>();
    if (json.contains("sent_on")) {
      auto sent = access::ParseIsoDay(json.at("sent_on").get<std::string>());
      if (!sent) return Unreadable("malformed sent_on");
      n.sent_on = *sent;
      n.means = json.at("means").get<std::string>();
      n.sent_by = json.at("sent_by").get<std::string>();
      if (json.contains("delivered_case")) {
        n.delivered_case = json.at("delivered_case").get<std::string>();
      }
    }
  } catch (const nlohmann::json::exception&) {
    return Unreadable("notice fields missing or of the wrong type");
  }
  // The id is bound into the ciphertext's associated data; the copy inside must agree.
  if (n.notice_id != opened.object_id) return Unreadable("notice id differs from its place");
  n.version = opened.version;
  return n;
}

crypto::ByteView AsBytes(const std::string& text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace

Result<void> SofuOutbox::Add(std::string_view tenant, const SofuNotice& notice) {
  const std::string text = ToJsonText(notice);
  KOSEKI_ASSIGN_OR_RETURN(std::uint64_t version, objects_.Put(tenant, kSofuNoticeKind,
                                                              notice.notice_id, 0, AsBytes(text)));
  (void)version;
  return Ok();
}

Result<SofuNotice> SofuOutbox::Get(std::string_view tenant, std::string_view notice_id) {
  KOSEKI_ASSIGN_OR_RETURN(std::optional<store::OpenedObject> opened,
                          objects_.Get(tenant, kSofuNoticeKind, notice_id));
  if (!opened) {
    return MakeError(ErrorCode::kNotFound, "KSK-SOFU-002", "指定された送付はありません。",
                     "no such notice");
  }
  return FromOpened(*opened);
}

Result<std::vector<SofuNotice>> SofuOutbox::List(std::string_view tenant,
                                                 std::optional<bool> sent) {
  KOSEKI_ASSIGN_OR_RETURN(std::vector<store::OpenedObject> opened,
                          objects_.List(tenant, kSofuNoticeKind));
  std::vector<SofuNotice> notices;
  for (const store::OpenedObject& object : opened) {
    KOSEKI_ASSIGN_OR_RETURN(SofuNotice notice, FromOpened(object));
    if (!sent || notice.sent() == *sent) notices.push_back(std::move(notice));
  }
  return notices;
}

Result<void> SofuOutbox::Update(std::string_view tenant, const SofuNotice& notice) {
  const std::string text = ToJsonText(notice);
  KOSEKI_ASSIGN_OR_RETURN(
      std::uint64_t version,
      objects_.Put(tenant, kSofuNoticeKind, notice.notice_id, notice.version, AsBytes(text)));
  (void)version;
  return Ok();
}

}  // namespace koseki::workflow
