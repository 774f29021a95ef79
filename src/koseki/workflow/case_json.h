// JSON form of case actions and entries: what CaseRecords encrypts as an action's payload, and
// what `koseki case enter` reads. Deterministic (sorted keys).
#pragma once

#include <nlohmann/json.hpp>

#include "koseki/base/result.h"
#include "koseki/workflow/case.h"

namespace koseki::workflow {

nlohmann::json EntryToJson(const rules::Entry& entry);
// {"type": "shussei"|"出生届", "values": {...}, "acknowledgements": {...}}; InvalidArgument
// (KSK-CASE-030) for a wrong shape, an unknown type or a non-string value.
Result<rules::Entry> EntryFromJson(const nlohmann::json& json);
// Parses `text` as JSON, then as EntryFromJson; InvalidArgument (KSK-CASE-030) if it is not JSON.
Result<rules::Entry> EntryFromJsonText(std::string_view text);

// {"at": µs, "forwarded": {"accepted_by": "架空県架空町長", "accepted_on": "YYYY-MM-DD"}}
// (forwarded only for a 送付); ReceiptFromJson: InvalidArgument (KSK-CASE-030) for another shape.
nlohmann::json ReceiptToJson(const Receipt& receipt);
Result<Receipt> ReceiptFromJson(const nlohmann::json& json);

// The payload of an action (attached / assignee / entry / reason / notifier / receipt), without
// kind, actor, time.
nlohmann::json PayloadToJson(const CaseAction& action);
// Fills the payload fields of `action` from PayloadToJson's output.
Result<void> PayloadFromJson(const nlohmann::json& json, CaseAction& action);

}  // namespace koseki::workflow
