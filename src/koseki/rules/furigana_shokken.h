// The mayor's ex officio (職権) recording of 氏名の振り仮名 (令和5年法律第48号 附則; DOMAIN.md
// §1.6): from 2026-05-26, every reading not filed in the one-year window is recorded as it was
// notified to the register's 筆頭者. Pure: one register and its line of the city's list of
// notified readings in, the register after the recording out; the batch over the list is
// workflow/furigana_shokken.h.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "koseki/base/result.h"
#include "koseki/domain/register.h"

namespace koseki::rules {

// One line of the list: the register (本籍, 筆頭者氏名) and the readings notified for it — the
// 氏, and the 名 of each member by the 名 as written in the register.
struct NotifiedReadings {
  std::string honseki;
  std::string hittosha;
  std::optional<std::string> uji = {};
  std::vector<std::pair<std::string, std::string>> mei = {};  // 名 → reading
};

struct ShokkenRecording {
  domain::Register after;
  int recorded = 0;  // readings recorded now
  int kept = 0;      // notified readings not recorded: already filed or recorded
};

// FailedPrecondition KSK-FURIGANA-001 if `on` is before 2026-05-26, when 職権 recording begins.
Result<void> CheckShokkenDay(std::chrono::year_month_day on);

// Records the notified readings that `reg` does not have yet, dated `on` (【記録日】): the
// register's 氏の振り仮名 with a 戸籍事項 氏の振り仮名【氏の振り仮名】【記録日】, and each notified
// present member's 名の振り仮名 with a 身分事項 名の振り仮名【名の振り仮名】【記録日】, both marked
// 職権 (so that one later change needs no permission). A reading already recorded is kept, not
// replaced: the 届 filed in the window wins over the notice. Refused, with nothing recorded:
//   KSK-FURIGANA-001 FailedPrecondition  `on` before 2026-05-26
//   KSK-FURIGANA-002 InvalidArgument     a notified reading that is not katakana or too long
//   KSK-FURIGANA-003 NotFound            a notified 名 that no present member of `reg` has
//   KSK-FURIGANA-004 FailedPrecondition  `reg` is closed (除籍, 改製原戸籍)
// Messages name the item, never the name or the reading.
Result<ShokkenRecording> RecordNotifiedReadings(const domain::Register& reg,
                                                const NotifiedReadings& notified,
                                                std::chrono::year_month_day on);

}  // namespace koseki::rules
