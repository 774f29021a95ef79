// FuriganaShokkenService: the 職権 recording of 氏名の振り仮名 over the city's list of notified
// readings (rules/furigana_shokken.h), as a city runs it from 2026-05-26 — one JSON line per
// register, as the notices went out.
//
// Each register is its own audited action (furigana.shokken, object: the register id): its new
// version and its audit entry commit together, so a batch stopped half-way (a closed terminal,
// a crash) leaves every register either recorded or untouched, and running the same list
// again records only what is left. A line that cannot be recorded (no such register, a
// malformed reading, a 名 not present) is refused and recorded as a refusal, and the batch
// goes on; the report lists it by line number. Only the approver (決裁者, acting for the
// mayor whose act a 職権 entry is) may run it: CheckFuriganaShokken (policy.h).
//
// Not thread-safe; create one per request. Every argument object must outlive the service.
#pragma once

#include <chrono>
#include <cstddef>
#include <istream>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "koseki/audit/audit_log.h"
#include "koseki/base/clock.h"
#include "koseki/rules/furigana_shokken.h"
#include "koseki/store/register_store.h"
#include "koseki/workflow/case.h"

namespace koseki::workflow {

// Reads the list: JSON Lines, one register a line —
//   {"honseki": "青葉県みなと市桜町二丁目１５番地", "hittosha": "山川健一", "uji": "ヤマカワ",
//    "mei": {"健一": "ケンイチ", "美咲": "ミサキ"}}
// ("uji" and "mei" optional; blank lines skipped). InvalidArgument KSK-FURIGANA-005 naming
// the line of the first malformed one; nothing is read past it.
Result<std::vector<rules::NotifiedReadings>> ReadNotifiedList(std::istream& in);

struct ShokkenLine {
  std::size_t line = 0;          // 1-based, in the list
  std::string register_id = {};  // empty when the register was not found
  int recorded = 0;
  int kept = 0;
  std::optional<Error> refusal = {};
};

struct ShokkenReport {
  std::vector<ShokkenLine> lines;
  int registers_written = 0;
  int readings_recorded = 0;
  int readings_kept = 0;
  int refused = 0;
};

class FuriganaShokkenService {
 public:
  FuriganaShokkenService(store::RegisterStore& registers, audit::AuditLog& audit,
                         const Clock& clock, std::string tenant)
      : registers_(registers), audit_(audit), clock_(clock), tenant_(std::move(tenant)) {}

  // Records the list's readings dated `on` (the 記録日; from 2026-05-26, not after today):
  //   KSK-FURIGANA-001 FailedPrecondition  `on` before 2026-05-26
  //   KSK-FURIGANA-006 InvalidArgument     `on` after today
  //   KSK-FURIGANA-007 PermissionDenied    the actor is not an approver
  // Those stop the batch before anything is written (and are recorded as refusals); a line's
  // own refusal only stops that line.
  Result<ShokkenReport> Record(const Actor& approver, std::span<const rules::NotifiedReadings> list,
                               std::chrono::year_month_day on);

 private:
  // Records one line as its own audited action.
  ShokkenLine RecordLine(const Actor& approver, const rules::NotifiedReadings& notified,
                         std::size_t line, std::chrono::year_month_day on);

  store::RegisterStore& registers_;
  audit::AuditLog& audit_;
  const Clock& clock_;
  std::string tenant_;
};

}  // namespace koseki::workflow
