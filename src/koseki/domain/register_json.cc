#include "koseki/domain/register_json.h"

#include <chrono>
#include <exception>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "koseki/domain/event_templates.h"
#include "koseki/domain/internal/paths.h"
#include "koseki/domain/validation.h"

namespace koseki::domain {
namespace {

using internal::Index;
using Json = nlohmann::json;

// ---- Enumerations as written in JSON ----

std::string_view SexName(Sex sex) { return sex == Sex::kMale ? "男" : "女"; }

std::string_view KubunName(HaigushaKubun k) { return k == HaigushaKubun::kOtto ? "夫" : "妻"; }

std::string_view SourceName(SourceKind k) {
  switch (k) {
    case SourceKind::kTodokede:
      return "届出";
    case SourceKind::kShokken:
      return "職権";
    case SourceKind::kIki:
      return "移記";
  }
  return "";
}

// ---- Dates and times ----

std::string TwoDigits(unsigned n) {
  return std::string(1, static_cast<char>('0' + n / 10 % 10)) +
         std::string(1, static_cast<char>('0' + n % 10));
}

std::string IsoDay(std::chrono::year_month_day ymd) {
  const int year = static_cast<int>(ymd.year());
  std::string y = std::to_string(year);
  y.insert(0, y.size() < 4 ? 4 - y.size() : 0, '0');
  return y + "-" + TwoDigits(static_cast<unsigned>(ymd.month())) + "-" +
         TwoDigits(static_cast<unsigned>(ymd.day()));
}

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

int ToInt(std::string_view digits) {
  int n = 0;
  for (char c : digits) n = n * 10 + (c - '0');
  return n;
}

// Parses "YYYY-MM-DD" into any valid Gregorian day (estimates may lie before 1873).
std::optional<std::chrono::year_month_day> ParseIsoDay(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !AllDigits(s.substr(0, 4)) ||
      !AllDigits(s.substr(5, 2)) || !AllDigits(s.substr(8, 2))) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{
      std::chrono::year{ToInt(s.substr(0, 4))},
      std::chrono::month{static_cast<unsigned>(ToInt(s.substr(5, 2)))},
      std::chrono::day{static_cast<unsigned>(ToInt(s.substr(8, 2)))}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

Json DateToJson(const text::JapaneseDate& date) {
  if (date.is_exact()) return date.ToIso();
  Json j = {{"text", date.ToWareki()}};
  if (const auto day = date.day()) j["estimated"] = IsoDay(*day);
  return j;
}

std::string TimeToJson(TimeOfDay t) {
  return TwoDigits(static_cast<unsigned>(t.hour)) + ":" +
         TwoDigits(static_cast<unsigned>(t.minute));
}

// ---- Serialization ----

Json FieldValueToJson(const EventTemplate* tmpl, const Field& field) {
  if (const auto* d = std::get_if<text::JapaneseDate>(&field.value)) return DateToJson(*d);
  if (const auto* t = std::get_if<TimeOfDay>(&field.value)) return TimeToJson(*t);
  const std::string& s = std::get<std::string>(field.value);
  const TagSpec* spec = tmpl != nullptr ? FindTag(*tmpl, field.tag) : nullptr;
  // A time tag holding text (推定…) is an object so that it cannot be mistaken for "HH:MM".
  if (spec != nullptr && spec->type == TagType::kTime) return Json{{"text", s}};
  return s;
}

Json EventToJson(const Event& e) {
  const EventTemplate* tmpl = FindEventTemplate(e.kind);
  Json fields = Json::array();
  for (const Field& f : e.fields) {
    fields.push_back(Json{{"tag", f.tag}, {"value", FieldValueToJson(tmpl, f)}});
  }
  Json source = {{"type", SourceName(e.source.kind)}};
  if (!e.source.uketsuke_bango.empty()) source["uketsuke_bango"] = e.source.uketsuke_bango;
  if (!e.source.iki_moto.empty()) source["iki_moto"] = e.source.iki_moto;
  return Json{{"kind", e.kind},
              {"fields", std::move(fields)},
              {"source", std::move(source)},
              {"transcribable", e.transcribable}};
}

Json EventsToJson(const std::vector<Event>& events) {
  Json out = Json::array();
  for (const Event& e : events) out.push_back(EventToJson(e));
  return out;
}

Json PersonToJson(const Person& p) {
  Json j = {{"seq", p.seq},           {"mei", p.mei},
            {"sex", SexName(p.sex)},  {"birth_date", DateToJson(p.birth_date)},
            {"zokugara", p.zokugara}, {"mibun_jiko", EventsToJson(p.mibun_jiko)}};
  if (p.mei_furigana) j["mei_furigana"] = *p.mei_furigana;
  if (!p.father.empty()) j["father"] = p.father;
  if (!p.mother.empty()) j["mother"] = p.mother;
  if (!p.yofu.empty()) j["yofu"] = p.yofu;
  if (!p.yobo.empty()) j["yobo"] = p.yobo;
  if (!p.yo_zokugara.empty()) j["yo_zokugara"] = p.yo_zokugara;
  if (p.haigusha_kubun != HaigushaKubun::kNone) j["haigusha_kubun"] = KubunName(p.haigusha_kubun);
  if (p.removed) j["removed_by"] = p.removal_kind;
  return j;
}

// ---- Parsing ----

Error Bad(const char* id, const std::string& path, std::string_view what, std::string_view detail) {
  return MakeError(ErrorCode::kInvalidArgument, id,
                   "登録データの項目「" + path + "」" + std::string(what),
                   path + ": " + std::string(detail));
}

// The ids that several parsing steps raise, each built by one function (register_json.h).
// KSK-DOMAIN-030: wrong JSON shape (not an object, a missing key, a value of the wrong type).
Error WrongShape(const std::string& path, std::string_view what, std::string_view detail) {
  return Bad("KSK-DOMAIN-030", path, what, detail);
}

// KSK-DOMAIN-032: a malformed or impossible date.
Error BadDate(const std::string& path, std::string_view what, std::string_view detail) {
  return Bad("KSK-DOMAIN-032", path, what, detail);
}

// KSK-DOMAIN-034: an unknown enumeration value.
Error UnknownValue(const std::string& path, std::string_view what, std::string_view detail) {
  return Bad("KSK-DOMAIN-034", path, what, detail);
}

// `expected` names the JSON type in Japanese for the user; the log gets the path only.
Error WrongType(const std::string& path, std::string_view expected) {
  return WrongShape(path, "の形式が正しくありません（" + std::string(expected) + "が必要です）。",
                    "wrong JSON type");
}

std::string Child(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

// Refuses keys outside `allowed`.
Result<void> CheckKeys(const Json& obj, std::initializer_list<std::string_view> allowed,
                       const std::string& path) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool known = false;
    for (std::string_view k : allowed) known = known || it.key() == k;
    if (!known) {
      // The key itself is not echoed: a misplaced value could be personal data.
      return Bad("KSK-DOMAIN-035", path.empty() ? "(最上位)" : path, "に未知のキーがあります。",
                 "unknown key");
    }
  }
  return Ok();
}

Result<const Json*> RequireObject(const Json& j, const std::string& path) {
  if (!j.is_object()) return WrongType(path, "オブジェクト");
  return &j;
}

// Returns the member or nullptr; `required` turns absence into an error.
Result<const Json*> Member(const Json& obj, std::string_view key, const std::string& path,
                           bool required) {
  auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) {
      return WrongShape(Child(path, key), "がありません。", "missing key");
    }
    return static_cast<const Json*>(nullptr);
  }
  return &*it;
}

Result<std::optional<std::string>> OptString(const Json& obj, std::string_view key,
                                             const std::string& path, bool required = false) {
  KOSEKI_ASSIGN_OR_RETURN(const Json* v, Member(obj, key, path, required));
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_string()) return WrongType(Child(path, key), "文字列");
  return std::optional<std::string>(v->get_ref<const std::string&>());
}

Result<std::string> ReqString(const Json& obj, std::string_view key, const std::string& path) {
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> v, OptString(obj, key, path, true));
  return std::move(*v);
}

Result<text::JapaneseDate> ParseDate(const Json& j, const std::string& path) {
  if (j.is_string()) {
    Result<text::JapaneseDate> d = text::JapaneseDate::FromIso(j.get_ref<const std::string&>());
    if (!d) {
      return BadDate(path,
                     "の日付が正しくありません（YYYY-MM-DD、明治6年1月1日以降の実在する日）。",
                     "bad ISO date: " + d.error().id);
    }
    return std::move(*d);
  }
  if (!j.is_object()) return WrongType(path, "日付（文字列またはオブジェクト）");
  KOSEKI_RETURN_IF_ERROR(CheckKeys(j, {"text", "estimated"}, path));
  KOSEKI_ASSIGN_OR_RETURN(std::string text, ReqString(j, "text", path));
  if (text.empty()) return BadDate(Child(path, "text"), "が空欄です。", "empty date text");
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> estimated, OptString(j, "estimated", path));
  std::optional<std::chrono::year_month_day> day;
  if (estimated) {
    day = ParseIsoDay(*estimated);
    if (!day) {
      return BadDate(Child(path, "estimated"), "の日付が正しくありません（YYYY-MM-DD）。",
                     "bad estimated date");
    }
  }
  return text::JapaneseDate::Inexact(std::move(text), day);
}

Result<FieldValue> ParseFieldValue(const TagSpec* spec, const Json& j, const std::string& path) {
  const TagType type = spec != nullptr ? spec->type : TagType::kText;
  switch (type) {
    case TagType::kDate:
    case TagType::kWesternDate: {
      KOSEKI_ASSIGN_OR_RETURN(text::JapaneseDate d, ParseDate(j, path));
      return FieldValue(std::move(d));
    }
    case TagType::kTime: {
      if (j.is_object()) {
        KOSEKI_RETURN_IF_ERROR(CheckKeys(j, {"text"}, path));
        KOSEKI_ASSIGN_OR_RETURN(std::string text, ReqString(j, "text", path));
        return FieldValue(std::move(text));
      }
      if (!j.is_string()) return WrongType(path, "時刻（\"HH:MM\"）");
      const std::string& s = j.get_ref<const std::string&>();
      if (s.size() != 5 || s[2] != ':' || !AllDigits(s.substr(0, 2)) ||
          !AllDigits(s.substr(3, 2)) || ToInt(s.substr(0, 2)) > 23 || ToInt(s.substr(3, 2)) > 59) {
        return Bad("KSK-DOMAIN-033", path, "の時刻が正しくありません（HH:MM、24時間制）。",
                   "bad time");
      }
      return FieldValue(TimeOfDay{ToInt(s.substr(0, 2)), ToInt(s.substr(3, 2))});
    }
    case TagType::kText:
    case TagType::kHeading:
      break;
  }
  // Unknown tags are parsed as text and then refused by ValidateRegister (KSK-DOMAIN-002).
  if (!j.is_string()) return WrongType(path, "文字列");
  return FieldValue(j.get_ref<const std::string&>());
}

Result<EventSource> ParseSource(const Json& j, const std::string& path) {
  KOSEKI_RETURN_IF_ERROR(RequireObject(j, path));
  KOSEKI_RETURN_IF_ERROR(CheckKeys(j, {"type", "uketsuke_bango", "iki_moto"}, path));
  KOSEKI_ASSIGN_OR_RETURN(std::string type, ReqString(j, "type", path));
  EventSource source;
  if (type == "届出") {
    source.kind = SourceKind::kTodokede;
  } else if (type == "職権") {
    source.kind = SourceKind::kShokken;
  } else if (type == "移記") {
    source.kind = SourceKind::kIki;
  } else {
    return UnknownValue(Child(path, "type"), "は「届出」「職権」「移記」のいずれかです。",
                        "unknown source type");
  }
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> number, OptString(j, "uketsuke_bango", path));
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> moto, OptString(j, "iki_moto", path));
  source.uketsuke_bango = number.value_or("");
  source.iki_moto = moto.value_or("");
  return source;
}

Result<Event> ParseEvent(const Json& j, const std::string& path) {
  KOSEKI_RETURN_IF_ERROR(RequireObject(j, path));
  KOSEKI_RETURN_IF_ERROR(CheckKeys(j, {"kind", "fields", "source", "transcribable"}, path));
  KOSEKI_ASSIGN_OR_RETURN(std::string kind, ReqString(j, "kind", path));
  const EventTemplate* tmpl = FindEventTemplate(kind);
  KOSEKI_ASSIGN_OR_RETURN(const Json* fields_json, Member(j, "fields", path, true));
  if (!fields_json->is_array()) return WrongType(Child(path, "fields"), "配列");
  std::vector<Field> fields;
  for (std::size_t i = 0; i < fields_json->size(); ++i) {
    const std::string field_path = Child(path, "fields") + Index(i);
    const Json& fj = (*fields_json)[i];
    KOSEKI_RETURN_IF_ERROR(RequireObject(fj, field_path));
    KOSEKI_RETURN_IF_ERROR(CheckKeys(fj, {"tag", "value"}, field_path));
    KOSEKI_ASSIGN_OR_RETURN(std::string tag, ReqString(fj, "tag", field_path));
    KOSEKI_ASSIGN_OR_RETURN(const Json* value_json, Member(fj, "value", field_path, true));
    const TagSpec* spec = tmpl != nullptr ? FindTag(*tmpl, tag) : nullptr;
    KOSEKI_ASSIGN_OR_RETURN(FieldValue value,
                            ParseFieldValue(spec, *value_json, Child(field_path, "value")));
    fields.push_back(Field{std::move(tag), std::move(value)});
  }
  EventSource source;
  KOSEKI_ASSIGN_OR_RETURN(const Json* source_json, Member(j, "source", path, false));
  if (source_json != nullptr) {
    KOSEKI_ASSIGN_OR_RETURN(source, ParseSource(*source_json, Child(path, "source")));
  }
  Event event = MakeEvent(std::move(kind), std::move(fields), std::move(source));
  KOSEKI_ASSIGN_OR_RETURN(const Json* transcribable, Member(j, "transcribable", path, false));
  if (transcribable != nullptr) {
    if (!transcribable->is_boolean()) return WrongType(Child(path, "transcribable"), "真偽値");
    event.transcribable = transcribable->get<bool>();
  }
  return event;
}

Result<std::vector<Event>> ParseEvents(const Json& obj, std::string_view key,
                                       const std::string& path) {
  std::vector<Event> events;
  KOSEKI_ASSIGN_OR_RETURN(const Json* arr, Member(obj, key, path, false));
  if (arr == nullptr) return events;
  if (!arr->is_array()) return WrongType(Child(path, key), "配列");
  for (std::size_t i = 0; i < arr->size(); ++i) {
    KOSEKI_ASSIGN_OR_RETURN(Event e, ParseEvent((*arr)[i], Child(path, key) + Index(i)));
    events.push_back(std::move(e));
  }
  return events;
}

Result<Person> ParsePerson(const Json& j, const std::string& path) {
  KOSEKI_RETURN_IF_ERROR(RequireObject(j, path));
  KOSEKI_RETURN_IF_ERROR(
      CheckKeys(j,
                {"seq", "mei", "mei_furigana", "sex", "birth_date", "father", "mother", "zokugara",
                 "yofu", "yobo", "yo_zokugara", "haigusha_kubun", "removed_by", "mibun_jiko"},
                path));
  KOSEKI_ASSIGN_OR_RETURN(const Json* birth_json, Member(j, "birth_date", path, true));
  KOSEKI_ASSIGN_OR_RETURN(text::JapaneseDate birth,
                          ParseDate(*birth_json, Child(path, "birth_date")));
  Person p{.birth_date = std::move(birth)};

  KOSEKI_ASSIGN_OR_RETURN(const Json* seq, Member(j, "seq", path, true));
  if (!seq->is_number_integer() || seq->get<long long>() < 1 ||
      seq->get<long long>() > std::numeric_limits<int>::max()) {
    return WrongType(Child(path, "seq"), "1以上の整数");
  }
  p.seq = static_cast<int>(seq->get<long long>());
  KOSEKI_ASSIGN_OR_RETURN(p.mei, ReqString(j, "mei", path));
  KOSEKI_ASSIGN_OR_RETURN(p.mei_furigana, OptString(j, "mei_furigana", path));
  KOSEKI_ASSIGN_OR_RETURN(std::string sex, ReqString(j, "sex", path));
  if (sex == "男") {
    p.sex = Sex::kMale;
  } else if (sex == "女") {
    p.sex = Sex::kFemale;
  } else {
    return UnknownValue(Child(path, "sex"), "は「男」または「女」です。", "unknown sex");
  }
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> father, OptString(j, "father", path));
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> mother, OptString(j, "mother", path));
  KOSEKI_ASSIGN_OR_RETURN(p.zokugara, ReqString(j, "zokugara", path));
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> yofu, OptString(j, "yofu", path));
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> yobo, OptString(j, "yobo", path));
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> yo_zokugara,
                          OptString(j, "yo_zokugara", path));
  p.father = father.value_or("");
  p.mother = mother.value_or("");
  p.yofu = yofu.value_or("");
  p.yobo = yobo.value_or("");
  p.yo_zokugara = yo_zokugara.value_or("");
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> kubun, OptString(j, "haigusha_kubun", path));
  if (kubun) {
    if (*kubun == "夫") {
      p.haigusha_kubun = HaigushaKubun::kOtto;
    } else if (*kubun == "妻") {
      p.haigusha_kubun = HaigushaKubun::kTsuma;
    } else {
      return UnknownValue(Child(path, "haigusha_kubun"), "は「夫」または「妻」です。",
                          "unknown haigusha kubun");
    }
  }
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> removed_by, OptString(j, "removed_by", path));
  if (removed_by) {
    p.removed = true;
    p.removal_kind = std::move(*removed_by);
  }
  KOSEKI_ASSIGN_OR_RETURN(p.mibun_jiko, ParseEvents(j, "mibun_jiko", path));
  return p;
}

Result<Register> ParseRegister(const Json& j, JsonSource source) {
  KOSEKI_RETURN_IF_ERROR(RequireObject(j, "(最上位)"));
  KOSEKI_RETURN_IF_ERROR(CheckKeys(
      j,
      {"format", "honseki", "hittosha", "uji", "uji_furigana", "status", "koseki_jiko", "persons"},
      ""));
  KOSEKI_ASSIGN_OR_RETURN(const Json* format, Member(j, "format", "", false));
  if (format == nullptr || !format->is_number_integer() ||
      format->get<long long>() != kRegisterJsonFormat) {
    return Bad("KSK-DOMAIN-031", "format", "の版に対応していません（1のみ対応）。",
               "missing or unsupported format version");
  }
  Register r;
  KOSEKI_ASSIGN_OR_RETURN(r.honseki, ReqString(j, "honseki", ""));
  KOSEKI_ASSIGN_OR_RETURN(const Json* hittosha, Member(j, "hittosha", "", true));
  KOSEKI_RETURN_IF_ERROR(RequireObject(*hittosha, "hittosha"));
  KOSEKI_RETURN_IF_ERROR(CheckKeys(*hittosha, {"uji", "mei"}, "hittosha"));
  KOSEKI_ASSIGN_OR_RETURN(r.hittosha_uji, ReqString(*hittosha, "uji", "hittosha"));
  KOSEKI_ASSIGN_OR_RETURN(r.hittosha_mei, ReqString(*hittosha, "mei", "hittosha"));
  KOSEKI_ASSIGN_OR_RETURN(r.uji, ReqString(j, "uji", ""));
  KOSEKI_ASSIGN_OR_RETURN(r.uji_furigana, OptString(j, "uji_furigana", ""));
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> status, OptString(j, "status", ""));
  if (status && *status != "現在") {
    if (*status == "除籍") {
      r.status = RegisterStatus::kJoseki;
    } else if (*status == "改製原") {
      r.status = RegisterStatus::kKaiseiGen;
    } else {
      return UnknownValue("status", "は「現在」「除籍」「改製原」のいずれかです。",
                          "unknown register status");
    }
  }
  KOSEKI_ASSIGN_OR_RETURN(r.koseki_jiko, ParseEvents(j, "koseki_jiko", ""));
  KOSEKI_ASSIGN_OR_RETURN(const Json* persons, Member(j, "persons", "", true));
  if (!persons->is_array()) return WrongType("persons", "配列");
  for (std::size_t i = 0; i < persons->size(); ++i) {
    KOSEKI_ASSIGN_OR_RETURN(Person p, ParsePerson((*persons)[i], "persons" + Index(i)));
    r.persons.push_back(std::move(p));
  }
  if (source == JsonSource::kUntrusted) KOSEKI_RETURN_IF_ERROR(ValidateRegister(r));
  return r;
}

}  // namespace

Json ToJson(const Register& reg) {
  Json persons = Json::array();
  for (const Person& p : reg.persons) persons.push_back(PersonToJson(p));
  Json j = {{"format", kRegisterJsonFormat},
            {"honseki", reg.honseki},
            {"hittosha", {{"uji", reg.hittosha_uji}, {"mei", reg.hittosha_mei}}},
            {"uji", reg.uji},
            {"status", RegisterStatusName(reg.status)},
            {"koseki_jiko", EventsToJson(reg.koseki_jiko)},
            {"persons", std::move(persons)}};
  if (reg.uji_furigana) j["uji_furigana"] = *reg.uji_furigana;
  return j;
}

Result<Register> RegisterFromJson(const Json& json, JsonSource source) {
  // Barrier: nothing above should throw, but an exception must not cross the module boundary.
  try {
    return ParseRegister(json, source);
  } catch (const std::exception&) {
    // what() is not logged: library messages may quote keys or values.
    return MakeError(ErrorCode::kInternal, "KSK-DOMAIN-039",
                     "登録データの読み込みで内部エラーが発生しました。",
                     "exception while reading register JSON");
  }
}

}  // namespace koseki::domain
