#include "koseki/rules/notification.h"

#include <array>
#include <string>

#include "koseki/base/error.h"
#include "koseki/text/name.h"

namespace koseki::rules {
namespace {

struct TypeInfo {
  NotificationType type;
  std::string_view key;
  std::string_view name;  // 出生届; the name without 届 is accepted too
};

constexpr std::array<TypeInfo, 15> kTypes = {{
    {NotificationType::kShussei, "shussei", "出生届"},
    {NotificationType::kShibou, "shibou", "死亡届"},
    {NotificationType::kKonin, "konin", "婚姻届"},
    {NotificationType::kRikon, "rikon", "離婚届"},
    {NotificationType::kYoshiEngumi, "yoshi_engumi", "養子縁組届"},
    {NotificationType::kYoshiRien, "yoshi_rien", "養子離縁届"},
    {NotificationType::kNinchi, "ninchi", "認知届"},
    {NotificationType::kTenseki, "tenseki", "転籍届"},
    {NotificationType::kBunseki, "bunseki", "分籍届"},
    {NotificationType::kNyuseki, "nyuseki", "入籍届"},
    {NotificationType::kFurigana, "furigana", "氏名の振り仮名の届"},
    {NotificationType::kInzokuShuryo, "inzoku_shuryo", "姻族関係終了届"},
    {NotificationType::kFukuuji, "fukuuji", "復氏届"},
    {NotificationType::kKonshiZokusho, "konshi_zokusho", "離婚の際に称していた氏を称する届"},
    {NotificationType::kKika, "kika", "帰化届"},
}};

const TypeInfo& InfoOf(NotificationType type) {
  for (const TypeInfo& info : kTypes) {
    if (info.type == type) return info;
  }
  return kTypes[0];  // unreachable for a valid enumerator
}

// True for the characters an operator may leave around a value: ASCII blanks and U+3000.
bool IsBlank(std::string_view value) {
  std::size_t i = 0;
  while (i < value.size()) {
    if (value[i] == ' ' || value[i] == '\t' || value[i] == '\r' || value[i] == '\n') {
      ++i;
    } else if (value.substr(i, 3) == "\u3000") {
      i += 3;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string_view NotificationTypeName(NotificationType type) { return InfoOf(type).name; }

std::string_view NotificationTypeKey(NotificationType type) { return InfoOf(type).key; }

Result<NotificationType> ParseNotificationType(std::string_view text) {
  for (const TypeInfo& info : kTypes) {
    if (text == info.key || text == info.name) return info.type;
    // 出生届 without its trailing 届 (3 bytes in UTF-8).
    if (text == info.name.substr(0, info.name.size() - 3)) return info.type;
  }
  return MakeError(ErrorCode::kInvalidArgument, "KSK-RULES-001", "届出の種類が正しくありません。",
                   "unknown notification type");
}

Result<void> CheckEntryBounds(const Entry& entry) {
  const auto refuse = [](std::string detail) -> Result<void> {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-RULES-013",
                     "入力内容が大きすぎます（項目は " + std::to_string(kMaxEntryFields) +
                         " まで、各項目は " + std::to_string(kMaxEntryTextCharacters) +
                         " 文字まで）。",
                     std::move(detail));
  };
  if (entry.values.size() + entry.acknowledgements.size() > kMaxEntryFields) {
    return refuse("too many fields");
  }
  for (const auto* fields : {&entry.values, &entry.acknowledgements}) {
    for (const auto& [key, value] : *fields) {
      if (text::CountCharacters(key) > kMaxEntryTextCharacters) return refuse("key too long");
      if (text::CountCharacters(value) > kMaxEntryTextCharacters) {
        // The key is the form's own field name (or a warning code), not personal data.
        return refuse("value too long: " + key.substr(0, 64));
      }
    }
  }
  return Ok();
}

std::optional<std::string> Entry::Get(std::string_view key) const {
  auto it = values.find(std::string(key));
  if (it == values.end() || IsBlank(it->second)) return std::nullopt;
  return it->second;
}

}  // namespace koseki::rules
