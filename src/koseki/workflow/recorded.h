// Recording a use case: the audit log's view of an actor, and Recorded, which runs a use
// case's work as one audited action — the work and its audit entry commit in one transaction,
// and a refusal is recorded in its own (audit::AuditLog::Record). Every use case (workflow/, app/)
// records itself through these, so that none can forget to.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "koseki/audit/audit_log.h"
#include "koseki/workflow/case.h"

namespace koseki::workflow {

// Returns the audit log's view of an actor: user, device and network peer (the role and
// channel are implied by the action and the device).
inline audit::Actor AuditActorOf(const Actor& actor) {
  return audit::Actor{actor.user_id, actor.device_id, actor.peer};
}

// Returns an event of `action` on `object` by `actor`.
inline audit::Event EventOf(const Actor& actor, std::string_view action,
                            std::string_view object = {}) {
  audit::Event event;
  event.actor = AuditActorOf(actor);
  event.action = std::string(action);
  event.object_id = std::string(object);
  return event;
}

// Runs `fn` as the audited action `event` in `log`; `fn` may refine the event (e.g. name the
// object it found). Returns fn's value; stores the entry's receipt in `receipt` if given.
template <typename T>
Result<T> Recorded(audit::AuditLog& audit, std::string_view log, audit::Event event,
                   const std::function<Result<T>(audit::Event&)>& fn,
                   audit::Receipt* receipt = nullptr) {
  std::optional<T> out;
  KOSEKI_ASSIGN_OR_RETURN(audit::Receipt recorded,
                          audit.Record(log, std::move(event), [&](audit::Event& e) -> Result<void> {
                            KOSEKI_ASSIGN_OR_RETURN(T value, fn(e));
                            out = std::move(value);
                            return Ok();
                          }));
  if (receipt != nullptr) *receipt = std::move(recorded);
  return std::move(*out);
}

}  // namespace koseki::workflow
