#include "koseki/domain/validation.h"

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <variant>

#include "koseki/domain/event_templates.h"
#include "koseki/domain/internal/paths.h"
#include "koseki/domain/zokugara.h"
#include "koseki/text/name.h"

namespace koseki::domain {
namespace {

using internal::Index;

Error Invalid(const char* id, const std::string& path, std::string_view what,
              std::string_view detail) {
  return MakeError(ErrorCode::kInvalidArgument, id,
                   "戸籍データの項目「" + path + "」" + std::string(what),
                   path + ": " + std::string(detail));
}

// The ids that several checks raise, each built by one function (validation.h lists them).
// They share Invalid's signature, so CheckName can take the one to raise.
using ErrorBuilder = Error (*)(const std::string& path, std::string_view what,
                               std::string_view detail);

// KSK-DOMAIN-004: a value of the wrong type for its tag.
Error WrongValueType(const std::string& path, std::string_view what, std::string_view detail) {
  return Invalid("KSK-DOMAIN-004", path, what, detail);
}

// KSK-DOMAIN-005: no fields, an empty value, a heading or indented tag without its pair.
Error MissingValue(const std::string& path, std::string_view what, std::string_view detail) {
  return Invalid("KSK-DOMAIN-005", path, what, detail);
}

// KSK-DOMAIN-007: text that is not UTF-8 or holds control characters.
Error BadText(const std::string& path, std::string_view what, std::string_view detail) {
  return Invalid("KSK-DOMAIN-007", path, what, detail);
}

// KSK-DOMAIN-009: a 受付番号 or 移記元 that the kind of source cannot carry.
Error SourceMismatch(const std::string& path, std::string_view what, std::string_view detail) {
  return Invalid("KSK-DOMAIN-009", path, what, detail);
}

// KSK-DOMAIN-010: 本籍 / 筆頭者 / 氏 missing or not a valid name.
Error BadRegisterHead(const std::string& path, std::string_view what, std::string_view detail) {
  return Invalid("KSK-DOMAIN-010", path, what, detail);
}

// KSK-DOMAIN-012: 名, 父 or 母 not a valid name.
Error BadPersonName(const std::string& path, std::string_view what, std::string_view detail) {
  return Invalid("KSK-DOMAIN-012", path, what, detail);
}

// KSK-DOMAIN-014: 養父 / 養母 / 養続柄 inconsistent.
Error BadAdoption(const std::string& path, std::string_view what, std::string_view detail) {
  return Invalid("KSK-DOMAIN-014", path, what, detail);
}

// KSK-DOMAIN-015: 除籍 and its removing event inconsistent.
Error BadRemoval(const std::string& path, std::string_view what, std::string_view detail) {
  return Invalid("KSK-DOMAIN-015", path, what, detail);
}

// KSK-DOMAIN-016: 配偶者区分 inconsistent.
Error BadHaigusha(const std::string& path, std::string_view what, std::string_view detail) {
  return Invalid("KSK-DOMAIN-016", path, what, detail);
}

bool IsForbiddenControl(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029;
}

Result<void> CheckText(std::string_view value, const std::string& path) {
  Result<std::u32string> decoded = text::DecodeUtf8(value);
  if (!decoded) {
    return BadText(path, "の文字コードが正しくありません（UTF-8ではありません）。",
                   "invalid UTF-8");
  }
  for (char32_t c : *decoded) {
    if (IsForbiddenControl(c)) {
      return BadText(path, "に改行や制御文字は使えません。", "control character");
    }
    if (text::IsInvisible(c)) {
      return BadText(path, "に見えない文字（ゼロ幅の文字、書字方向の制御文字など）は使えません。",
                     "invisible character");
    }
  }
  if (text::CountCharacters(value) > kMaxTextCharacters) {
    return BadText(path, "が長すぎます（" + std::to_string(kMaxTextCharacters) + " 文字まで）。",
                   "text too long");
  }
  return Ok();
}

Result<void> CheckName(std::string_view name, ErrorBuilder invalid, const std::string& path) {
  Result<std::string> checked = text::ValidateName(name);
  if (!checked) {
    return invalid(path, "の氏名が正しくありません（空欄、制御文字など）。",
                   "ValidateName failed: " + checked.error().id);
  }
  return Ok();
}

Result<void> CheckFurigana(const std::optional<std::string>& furigana, const std::string& path) {
  if (furigana && !text::IsKatakanaReading(*furigana)) {
    return Invalid("KSK-DOMAIN-017", path, "の振り仮名はカタカナで記載してください。",
                   "not a katakana reading");
  }
  return Ok();
}

Result<void> CheckFieldValue(const TagSpec& spec, const FieldValue& value,
                             const std::string& path) {
  const auto* text_value = std::get_if<std::string>(&value);
  switch (spec.type) {
    case TagType::kDate:
    case TagType::kWesternDate:
      if (!std::holds_alternative<text::JapaneseDate>(value)) {
        return WrongValueType(path, "には日付を記載してください。", "date tag without a date");
      }
      return Ok();
    case TagType::kTime:
      if (const auto* t = std::get_if<TimeOfDay>(&value)) {
        if (t->hour < 0 || t->hour > 23 || t->minute < 0 || t->minute > 59) {
          return Invalid("KSK-DOMAIN-008", path, "の時刻が範囲外です。", "time out of range");
        }
        return Ok();
      }
      break;  // text: checked below
    case TagType::kHeading:
      if (text_value == nullptr || !text_value->empty()) {
        return WrongValueType(path, "は見出しのため値を持てません。", "heading tag with a value");
      }
      return Ok();
    case TagType::kText:
      break;
  }
  if (text_value == nullptr) {
    return WrongValueType(path, "には文字で記載してください。", "text tag with a non-text value");
  }
  if (text_value->empty()) {
    return MissingValue(path, "が空欄です。", "empty text value");
  }
  return CheckText(*text_value, path);
}

Result<void> CheckSource(const EventSource& source, const std::string& path) {
  if (!source.uketsuke_bango.empty() && source.kind != SourceKind::kTodokede) {
    return SourceMismatch(path + ".source", "の受付番号は届出による記録にだけ付けられます。",
                          "uketsuke_bango on a non-todokede source");
  }
  if (!source.iki_moto.empty() && source.kind != SourceKind::kIki) {
    return SourceMismatch(path + ".source", "の移記元は移記による記録にだけ付けられます。",
                          "iki_moto on a non-iki source");
  }
  KOSEKI_RETURN_IF_ERROR(CheckText(source.uketsuke_bango, path + ".source.uketsuke_bango"));
  return CheckText(source.iki_moto, path + ".source.iki_moto");
}

Result<void> ValidateEventAt(const Event& event, const std::string& path) {
  const EventTemplate* tmpl = FindEventTemplate(event.kind);
  if (tmpl == nullptr) {
    return Invalid("KSK-DOMAIN-001", path + ".kind", "の事項の種類が登録されていません。",
                   "unknown event kind");
  }
  if (event.fields.empty()) {
    return MissingValue(path + ".fields", "に記載する項目がありません。", "event without fields");
  }
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < event.fields.size(); ++i) {
    const Field& field = event.fields[i];
    const std::string field_path = path + ".fields" + Index(i);
    const TagSpec* spec = FindTag(*tmpl, field.tag);
    if (spec == nullptr) {
      return Invalid("KSK-DOMAIN-002", field_path + ".tag",
                     "のタグはこの種類の事項の様式にありません。", "tag not in template");
    }
    if (!seen.insert(spec->tag).second) {
      return Invalid("KSK-DOMAIN-003", field_path + ".tag", "のタグが重複しています。",
                     "duplicate tag");
    }
    KOSEKI_RETURN_IF_ERROR(CheckFieldValue(*spec, field.value, field_path + ".value"));
  }
  // An indented tag needs its heading, and a heading needs something under it.
  for (std::size_t i = 0; i < event.fields.size(); ++i) {
    const TagSpec* spec = FindTag(*tmpl, event.fields[i].tag);
    const std::string field_path = path + ".fields" + Index(i);
    if (!spec->under.empty() && !seen.contains(spec->under)) {
      return MissingValue(field_path, "の見出し（従前の記録）がありません。",
                          "indented tag without its heading");
    }
    if (spec->type == TagType::kHeading) {
      bool has_child = false;
      for (const TagSpec& other : tmpl->tags) {
        if (other.under == spec->tag && seen.contains(other.tag)) has_child = true;
      }
      if (!has_child) {
        return MissingValue(field_path, "の見出しの下に記載する項目がありません。",
                            "heading without indented tags");
      }
    }
  }
  return CheckSource(event.source, path);
}

Result<void> ValidateEventsIn(const std::vector<Event>& events, EventScope scope,
                              const std::string& path) {
  for (std::size_t i = 0; i < events.size(); ++i) {
    const std::string event_path = path + Index(i);
    KOSEKI_RETURN_IF_ERROR(ValidateEventAt(events[i], event_path));
    if (FindEventTemplate(events[i].kind)->scope != scope) {
      return Invalid("KSK-DOMAIN-006", event_path + ".kind",
                     scope == EventScope::kKosekiJiko
                         ? "は身分事項の種類で、戸籍事項には記録できません。"
                         : "は戸籍事項の種類で、身分事項には記録できません。",
                     "event kind in the wrong block");
    }
  }
  return Ok();
}

Result<void> CheckAdoption(const Person& p, const std::string& path) {
  if (!p.yofu.empty()) KOSEKI_RETURN_IF_ERROR(CheckName(p.yofu, BadAdoption, path + ".yofu"));
  if (!p.yobo.empty()) KOSEKI_RETURN_IF_ERROR(CheckName(p.yobo, BadAdoption, path + ".yobo"));
  const bool adopted = !p.yofu.empty() || !p.yobo.empty();
  if (adopted && p.yo_zokugara != YoZokugaraFor(p.sex)) {
    return BadAdoption(path + ".yo_zokugara",
                       "は養子（男）または養女（女）で、性別と一致する必要があります。",
                       "adoptive zokugara missing or not matching sex");
  }
  if (!adopted && !p.yo_zokugara.empty()) {
    return BadAdoption(path + ".yo_zokugara", "があるのに養父母の記載がありません。",
                       "adoptive zokugara without adoptive parents");
  }
  return Ok();
}

Result<void> CheckZokugara(const Person& p, const std::string& path) {
  // 男 / 女 alone is the pre-2004 form for a child born out of wedlock; it stays valid on
  // entries nobody has asked to update.
  const bool legacy =
      (p.sex == Sex::kMale && p.zokugara == "男") || (p.sex == Sex::kFemale && p.zokugara == "女");
  if (!legacy && ZokugaraOrdinal(p.sex, p.zokugara) == 0) {
    return Invalid("KSK-DOMAIN-013", path + ".zokugara",
                   "の続柄が正しくないか、性別と一致しません（例：長男、二女。次男は使いません）。",
                   "malformed zokugara or sex mismatch");
  }
  return Ok();
}

Result<void> CheckRemoval(const Person& p, const std::string& path) {
  if (!p.removed) {
    if (!p.removal_kind.empty()) {
      return BadRemoval(path + ".removal_kind", "は除籍されていない者には記載できません。",
                        "removal kind without removal");
    }
    return Ok();
  }
  const EventTemplate* tmpl = FindEventTemplate(p.removal_kind);
  if (tmpl == nullptr || tmpl->scope != EventScope::kMibunJiko) {
    return BadRemoval(path + ".removal_kind", "の除籍の原因となる事項の種類が正しくありません。",
                      "unknown removal kind");
  }
  for (const Event& e : p.mibun_jiko) {
    if (e.kind == p.removal_kind) return Ok();
  }
  return BadRemoval(path + ".removal_kind", "の除籍の原因となる事項が身分事項にありません。",
                    "removal event missing from mibun_jiko");
}

// Dates one entry records in order: the day of the event it reports before its 届出日 (nothing
// is reported before it happened), and a 届出日 before the day its 送付 arrived here. An empty
// kind applies to every kind.
struct DateOrder {
  std::string_view kind;
  std::string_view earlier;
  std::string_view later;
};
constexpr DateOrder kDateOrders[] = {
    {"出生", "出生日", "届出日"},
    {"出生", "出生日", "国籍留保の届出日"},
    {"死亡", "死亡日", "届出日"},
    {"帰化", "帰化日", "届出日"},
    {"国籍取得", "国籍取得日", "届出日"},
    {"離婚", "離婚の調停成立日", "届出日"},
    {"離婚", "離婚の審判確定日", "届出日"},
    {"離婚", "離婚の和解成立日", "届出日"},
    {"離婚", "離婚の請求の認諾日", "届出日"},
    {"離婚", "離婚の裁判確定日", "届出日"},
    {"", "届出日", "送付を受けた日"},
};

// KSK-DOMAIN-043 if an entry records its dates out of kDateOrders' order.
Result<void> CheckDateOrder(const Event& e, const std::string& path) {
  for (const DateOrder& order : kDateOrders) {
    if (!order.kind.empty() && order.kind != e.kind) continue;
    const std::optional<text::JapaneseDate> earlier = e.DateOf(order.earlier);
    const std::optional<text::JapaneseDate> later = e.DateOf(order.later);
    if (!earlier || !later || !earlier->day() || !later->day()) continue;
    if (*later->day() < *earlier->day()) {
      return Invalid("KSK-DOMAIN-043", path,
                     "の【" + std::string(order.later) + "】が【" + std::string(order.earlier) +
                         "】より前の日付です。",
                     "dates out of order in one entry");
    }
  }
  return Ok();
}

// KSK-DOMAIN-042 if an entry of a person is dated before the person was born (an exact birth
// day only). Two dates may be: 【胎児認知日】, a child acknowledged before birth (民法783条),
// and a 生年月日 tag, which is someone else's (a foreign spouse's).
Result<void> CheckNothingBeforeBirth(const Person& p, const std::string& path) {
  const std::optional<std::chrono::year_month_day> born = p.birth_date.day();
  if (!p.birth_date.is_exact() || !born) return Ok();
  for (std::size_t i = 0; i < p.mibun_jiko.size(); ++i) {
    const Event& e = p.mibun_jiko[i];
    for (std::size_t j = 0; j < e.fields.size(); ++j) {
      const Field& f = e.fields[j];
      const auto* date = std::get_if<text::JapaneseDate>(&f.value);
      if (date == nullptr || !date->day()) continue;
      if (f.tag == "胎児認知日" || f.tag.ends_with("生年月日")) continue;
      if (*date->day() < *born) {
        return Invalid("KSK-DOMAIN-042", path + ".mibun_jiko" + Index(i) + ".fields" + Index(j),
                       "の日付が出生の日より前です。", "entry dated before birth");
      }
    }
  }
  return Ok();
}

Result<void> ValidatePerson(const Person& p, const std::string& path) {
  KOSEKI_RETURN_IF_ERROR(CheckName(p.mei, BadPersonName, path + ".mei"));
  KOSEKI_RETURN_IF_ERROR(CheckFurigana(p.mei_furigana, path + ".mei_furigana"));
  if (!p.father.empty())
    KOSEKI_RETURN_IF_ERROR(CheckName(p.father, BadPersonName, path + ".father"));
  if (!p.mother.empty())
    KOSEKI_RETURN_IF_ERROR(CheckName(p.mother, BadPersonName, path + ".mother"));
  if (!p.birth_date.is_exact()) {
    KOSEKI_RETURN_IF_ERROR(CheckText(p.birth_date.ToWareki(), path + ".birth_date"));
  }
  KOSEKI_RETURN_IF_ERROR(CheckZokugara(p, path));
  KOSEKI_RETURN_IF_ERROR(CheckAdoption(p, path));
  if ((p.haigusha_kubun == HaigushaKubun::kOtto && p.sex != Sex::kMale) ||
      (p.haigusha_kubun == HaigushaKubun::kTsuma && p.sex != Sex::kFemale)) {
    return BadHaigusha(path + ".haigusha_kubun", "の配偶者区分が性別と一致しません。",
                       "haigusha kubun does not match sex");
  }
  KOSEKI_RETURN_IF_ERROR(
      ValidateEventsIn(p.mibun_jiko, EventScope::kMibunJiko, path + ".mibun_jiko"));
  for (std::size_t i = 0; i < p.mibun_jiko.size(); ++i) {
    KOSEKI_RETURN_IF_ERROR(CheckDateOrder(p.mibun_jiko[i], path + ".mibun_jiko" + Index(i)));
  }
  KOSEKI_RETURN_IF_ERROR(CheckNothingBeforeBirth(p, path));
  return CheckRemoval(p, path);
}

}  // namespace

Result<void> ValidateEvent(const Event& event) { return ValidateEventAt(event, "event"); }

Result<void> ValidateRegister(const Register& reg) {
  if (reg.honseki.empty()) {
    return BadRegisterHead("honseki", "（本籍）が空欄です。", "empty honseki");
  }
  KOSEKI_RETURN_IF_ERROR(CheckText(reg.honseki, "honseki"));
  KOSEKI_RETURN_IF_ERROR(CheckName(reg.hittosha_uji, BadRegisterHead, "hittosha.uji"));
  KOSEKI_RETURN_IF_ERROR(CheckName(reg.hittosha_mei, BadRegisterHead, "hittosha.mei"));
  KOSEKI_RETURN_IF_ERROR(CheckName(reg.uji, BadRegisterHead, "uji"));
  KOSEKI_RETURN_IF_ERROR(CheckFurigana(reg.uji_furigana, "uji_furigana"));
  KOSEKI_RETURN_IF_ERROR(ValidateEventsIn(reg.koseki_jiko, EventScope::kKosekiJiko, "koseki_jiko"));
  for (std::size_t i = 0; i < reg.koseki_jiko.size(); ++i) {
    KOSEKI_RETURN_IF_ERROR(CheckDateOrder(reg.koseki_jiko[i], "koseki_jiko" + Index(i)));
  }

  if (reg.persons.size() > kMaxPersons) {
    return Invalid("KSK-DOMAIN-041", "persons",
                   "の人数が多すぎます（" + std::to_string(kMaxPersons) + " 人まで）。",
                   "too many persons");
  }
  int previous_seq = 0;
  int husbands = 0;
  int wives = 0;
  for (std::size_t i = 0; i < reg.persons.size(); ++i) {
    const Person& p = reg.persons[i];
    const std::string path = "persons" + Index(i);
    if (p.seq <= previous_seq) {
      return Invalid("KSK-DOMAIN-011", path + ".seq",
                     "の順番は1以上で、前の者より大きくしてください。",
                     "seq not positive or not ascending");
    }
    previous_seq = p.seq;
    KOSEKI_RETURN_IF_ERROR(ValidatePerson(p, path));
    if (!p.removed) {
      husbands += p.haigusha_kubun == HaigushaKubun::kOtto ? 1 : 0;
      wives += p.haigusha_kubun == HaigushaKubun::kTsuma ? 1 : 0;
    }
  }
  if (husbands > 1 || wives > 1) {
    return BadHaigusha("persons", "に在籍中の夫または妻が二人以上います。",
                       "more than one current husband or wife");
  }
  return Ok();
}

}  // namespace koseki::domain
