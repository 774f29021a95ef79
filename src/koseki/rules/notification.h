// Notification types (届出の種類) handled by the rules engine, and the operator's entry for one.
//
// An Entry is what an operator types from the scanned 届書: a flat map of field key → text,
// validated and typed by the notification's rule (notification_rule.h). Keeping the raw text
// means a draft can be saved half-filled and re-validated later; typed values exist only
// inside a rule's evaluation.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "koseki/base/result.h"

namespace koseki::rules {

enum class NotificationType {
  kShussei,      // 出生届
  kShibou,       // 死亡届
  kKonin,        // 婚姻届
  kRikon,        // 離婚届 (協議 / 裁判: the form's 離婚の種別 field)
  kYoshiEngumi,  // 養子縁組届 (普通養子)
  kYoshiRien,    // 養子離縁届 (協議)
  kNinchi,       // 認知届 (任意認知)
  kTenseki,      // 転籍届 (管内 / 管外: decided by the new 本籍)
  kBunseki,      // 分籍届
  kNyuseki,      // 入籍届
  kFurigana,  // 氏名の振り仮名の届 (氏 and 名 of one register, first filing or change)
  kInzokuShuryo,   // 姻族関係終了届 (after a spouse's death)
  kFukuuji,        // 復氏届 (after a spouse's death)
  kKonshiZokusho,  // 離婚の際に称していた氏を称する届 (戸籍法77条の2)
  kKika,           // 帰化届
};

// Returns the Japanese name, e.g. 出生届.
std::string_view NotificationTypeName(NotificationType type);
// Returns the stable ASCII key used in JSON and URLs, e.g. "shussei".
std::string_view NotificationTypeKey(NotificationType type);
// Parses a key ("shussei") or a Japanese name ("出生届", "出生"); InvalidArgument otherwise.
Result<NotificationType> ParseNotificationType(std::string_view text);

struct Entry {
  NotificationType type = NotificationType::kShussei;
  // Field key → value as entered. Dates: "YYYY-MM-DD" or 和暦 ("令和６年１１月２０日");
  // times "HH:MM"; person references "R1:3" (attached register R1, person seq 3).
  std::map<std::string, std::string> values = {};
  // Warning code → the reason the operator gives for going ahead (警告の確認理由).
  std::map<std::string, std::string> acknowledgements = {};

  // Returns the value of `key`, or nullopt when absent or blank.
  std::optional<std::string> Get(std::string_view key) const;
};

// Bounds on one entry, far above any real notification (a form has a few dozen fields), so that
// a draft — saved even while it has errors — cannot make every later read of its case costly.
inline constexpr std::size_t kMaxEntryFields = 200;           // values + acknowledgements
inline constexpr std::size_t kMaxEntryTextCharacters = 1000;  // each key, value and reason

// InvalidArgument KSK-RULES-013 if `entry` exceeds the bounds above (naming the key at fault,
// never its value).
Result<void> CheckEntryBounds(const Entry& entry);

}  // namespace koseki::rules
