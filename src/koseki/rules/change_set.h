// ChangeSet: everything a notification changes, computed by its rule from the entry and the
// current registers — the new full version of every touched register, the registers created,
// and the notices (送付) to other 本籍地. Approval applies it in one transaction with
// optimistic version checks (workflow); examination shows its before/after certificates.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "koseki/domain/register.h"

namespace koseki::rules {

// A new version of an attached register.
struct RegisterUpdate {
  std::string ref;                 // "R1": the attachment it updates
  std::string register_id;         // store id of that register
  std::uint64_t base_version = 0;  // the version the entry was computed from
  domain::Register after;          // the complete new version
};

// A register to create (新戸籍編製).
struct RegisterCreation {
  std::string label;  // why, for the examiner: "婚姻による新戸籍", "戸籍法17条による新戸籍"
  domain::Register value;  // the complete first version
  // Set when the register belongs to another municipality hosted on this server: that tenant
  // creates it when it records the 送付; the approving tenant never writes into another tenant.
  std::optional<std::string> tenant_code = {};
};

// A notice (送付) to another 本籍地 that must record the event.
struct OutgoingNotice {
  std::string municipality;                // 東海県南浜市
  std::optional<std::string> tenant_code;  // set when that municipality is hosted on this server
  std::string reason;                      // 婚姻届（夫の従前本籍地）
};

struct ChangeSet {
  std::vector<RegisterUpdate> updates;
  std::vector<RegisterCreation> creations;
  std::vector<OutgoingNotice> notices;
};

}  // namespace koseki::rules
