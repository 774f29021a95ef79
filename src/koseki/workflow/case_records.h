// CaseRecords: where cases are kept — the port the workflow needs from a store. A case is
// created with its receipt and then only ever appended to; its state is derived (case.h).
// Implementations encrypt every action's payload (entries, reasons: personal data) and keep
// only ids, kinds, roles and times in plaintext. Appends are optimistic: `expected_actions`
// must equal the number of actions already stored, so two people acting at once cannot both
// win (Aborted, KSK-CASE-020, for the loser).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/base/result.h"
#include "koseki/workflow/case.h"

namespace koseki::workflow {

struct CaseSummary {
  std::string case_id;
  std::string uketsuke_bango;
  rules::NotificationType type = rules::NotificationType::kShussei;
  CaseState state = CaseState::kReceived;
  std::int64_t received_at = 0;        // Unix microseconds
  std::vector<std::string> assignees;  // operators assigned (need-to-know for listing)
};

// Case lists run newest first, a page at a time; a page ends where the next one starts, just
// after its last case (by received_at, then case id). As text (for a command line or a link):
// "<received_at>.<case id>".
struct CaseCursor {
  std::int64_t received_at = 0;
  std::string case_id;
  friend bool operator==(const CaseCursor&, const CaseCursor&) = default;

  std::string ToString() const;
  // InvalidArgument KSK-CASE-046 unless `text` is what ToString makes.
  static Result<CaseCursor> Parse(std::string_view text);
};

struct CaseListPage {
  std::vector<CaseSummary> cases;
  std::optional<CaseCursor> next;  // where the following page starts; none after the oldest
};

class CaseRecords {
 public:
  virtual ~CaseRecords() = default;
  // Stores a new case whose only action is its kReceive. AlreadyExists if the id is taken.
  virtual Result<void> Create(const Case& c) = 0;
  // NotFound (KSK-CASE-021) if the case is not in this tenant.
  virtual Result<Case> Load(std::string_view tenant, std::string_view case_id) = 0;
  virtual Result<void> Append(std::string_view tenant, std::string_view case_id,
                              std::size_t expected_actions, const CaseAction& action) = 0;
  // Up to `limit` cases, newest first, from the newest or else just after `after`.
  virtual Result<CaseListPage> List(std::string_view tenant, const std::optional<CaseCursor>& after,
                                    std::size_t limit) = 0;
  // Returns the next 受付番号 sequence number of the tenant for `year` (1, 2, …).
  virtual Result<std::int64_t> NextReceiptNumber(std::string_view tenant, int year) = 0;
};

}  // namespace koseki::workflow
