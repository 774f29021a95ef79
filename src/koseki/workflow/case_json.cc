#include "koseki/workflow/case_json.h"

#include "koseki/access/user.h"

namespace koseki::workflow {
namespace {

Error BadShape(std::string detail) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-CASE-030",
                   "入力データの形式が正しくありません。", std::move(detail));
}

Result<std::map<std::string, std::string>> StringMap(const nlohmann::json& json,
                                                     std::string_view what) {
  std::map<std::string, std::string> out;
  if (json.is_null()) return out;
  if (!json.is_object()) return BadShape(std::string(what) + " is not an object");
  for (const auto& [key, value] : json.items()) {
    if (!value.is_string()) return BadShape(std::string(what) + "." + key + " is not a string");
    out.emplace(key, value.get<std::string>());
  }
  return out;
}

}  // namespace

nlohmann::json ReceiptToJson(const Receipt& receipt) {
  nlohmann::json json = {{"at", receipt.at}};
  if (receipt.forwarded) {
    json["forwarded"] = {{"accepted_by", receipt.forwarded->accepted_by},
                         {"accepted_on", access::FormatIsoDay(receipt.forwarded->accepted_on)}};
  }
  return json;
}

Result<Receipt> ReceiptFromJson(const nlohmann::json& json) {
  if (!json.is_object() || !json.contains("at") || !json["at"].is_number_integer()) {
    return BadShape("payload.receipt");
  }
  Receipt receipt{.at = json["at"].get<std::int64_t>()};
  if (json.contains("forwarded")) {
    const nlohmann::json& f = json["forwarded"];
    if (!f.is_object() || !f.contains("accepted_by") || !f["accepted_by"].is_string() ||
        !f.contains("accepted_on") || !f["accepted_on"].is_string()) {
      return BadShape("payload.receipt.forwarded");
    }
    auto day = access::ParseIsoDay(f["accepted_on"].get<std::string>());
    if (!day) return BadShape("payload.receipt.forwarded.accepted_on");
    receipt.forwarded = Forwarding{f["accepted_by"].get<std::string>(), *day};
  }
  return receipt;
}

nlohmann::json EntryToJson(const rules::Entry& entry) {
  return {{"type", std::string(rules::NotificationTypeKey(entry.type))},
          {"values", entry.values},
          {"acknowledgements", entry.acknowledgements}};
}

Result<rules::Entry> EntryFromJson(const nlohmann::json& json) {
  if (!json.is_object()) return BadShape("entry is not an object");
  for (const auto& [key, value] : json.items()) {
    if (key != "type" && key != "values" && key != "acknowledgements") {
      return BadShape("unknown key in entry");
    }
  }
  if (!json.contains("type") || !json["type"].is_string()) return BadShape("entry.type missing");
  rules::Entry entry;
  KOSEKI_ASSIGN_OR_RETURN(entry.type,
                          rules::ParseNotificationType(json["type"].get<std::string>()));
  KOSEKI_ASSIGN_OR_RETURN(entry.values,
                          StringMap(json.value("values", nlohmann::json()), "values"));
  KOSEKI_ASSIGN_OR_RETURN(
      entry.acknowledgements,
      StringMap(json.value("acknowledgements", nlohmann::json()), "acknowledgements"));
  return entry;
}

Result<rules::Entry> EntryFromJsonText(std::string_view text) {
  const nlohmann::json json = nlohmann::json::parse(text.begin(), text.end(), nullptr, false);
  if (json.is_discarded()) return BadShape("entry is not JSON");
  return EntryFromJson(json);
}

nlohmann::json PayloadToJson(const CaseAction& action) {
  nlohmann::json json = nlohmann::json::object();
  if (action.attached) {
    json["attached"] = {{"register_id", action.attached->register_id},
                        {"version", action.attached->version}};
  }
  if (!action.assignee.empty()) json["assignee"] = action.assignee;
  if (action.entry) json["entry"] = EntryToJson(*action.entry);
  if (!action.reason.empty()) json["reason"] = action.reason;
  if (!action.notifier.empty()) json["notifier"] = action.notifier;
  if (action.receipt) json["receipt"] = ReceiptToJson(*action.receipt);
  return json;
}

Result<void> PayloadFromJson(const nlohmann::json& json, CaseAction& action) {
  if (!json.is_object()) return BadShape("payload is not an object");
  if (json.contains("attached")) {
    const auto& a = json["attached"];
    if (!a.is_object() || !a.contains("register_id") || !a["register_id"].is_string() ||
        !a.contains("version") || !a["version"].is_number_unsigned()) {
      return BadShape("payload.attached");
    }
    action.attached =
        AttachedRegisterRef{a["register_id"].get<std::string>(), a["version"].get<std::uint64_t>()};
  }
  if (json.contains("assignee")) {
    if (!json["assignee"].is_string()) return BadShape("payload.assignee");
    action.assignee = json["assignee"].get<std::string>();
  }
  if (json.contains("entry")) {
    KOSEKI_ASSIGN_OR_RETURN(action.entry, EntryFromJson(json["entry"]));
  }
  if (json.contains("reason")) {
    if (!json["reason"].is_string()) return BadShape("payload.reason");
    action.reason = json["reason"].get<std::string>();
  }
  if (json.contains("notifier")) {
    if (!json["notifier"].is_string()) return BadShape("payload.notifier");
    action.notifier = json["notifier"].get<std::string>();
  }
  if (json.contains("receipt")) {
    KOSEKI_ASSIGN_OR_RETURN(action.receipt, ReceiptFromJson(json["receipt"]));
  }
  return Ok();
}

}  // namespace koseki::workflow
