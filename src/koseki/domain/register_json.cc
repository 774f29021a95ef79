#include "koseki/domain/register_json.h"

#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <exception>
#include <initializer_list>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "koseki/base/secret_bytes.h"
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
//
// simdjson reads the text into one flat tape instead of a tree of nodes, in about a tenth of
// the time of nlohmann::json; registers are read on every lookup, approval and certificate.

using Element = simdjson::dom::element;
using Object = simdjson::dom::object;

// Where in the register a value sits, e.g. persons[1].mibun_jiko[0]. Built on the stack as the
// parser descends and spelled out only for an error, so a register that parses builds no path.
class Path {
 public:
  Path() = default;
  Path Key(std::string_view key) const { return Path(this, key, 0); }
  Path At(std::size_t index) const { return Path(this, {}, index); }

  // The path as messages show it; the register itself is "(最上位)".
  std::string Name() const {
    const std::string name = Spelled();
    return name.empty() ? "(最上位)" : name;
  }

 private:
  Path(const Path* parent, std::string_view key, std::size_t index)
      : parent_(parent), key_(key), index_(index) {}

  std::string Spelled() const {
    if (parent_ == nullptr) return "";
    std::string out = parent_->Spelled();
    if (key_.empty()) return out + Index(index_);
    return out.empty() ? std::string(key_) : out + "." + std::string(key_);
  }

  const Path* parent_ = nullptr;
  std::string_view key_;  // empty for an array index
  std::size_t index_ = 0;
};

Error Bad(const char* id, const Path& path, std::string_view what, std::string_view detail) {
  const std::string name = path.Name();
  return MakeError(ErrorCode::kInvalidArgument, id,
                   "登録データの項目「" + name + "」" + std::string(what),
                   name + ": " + std::string(detail));
}

// The ids that several parsing steps raise, each built by one function (register_json.h).
// KSK-DOMAIN-030: wrong JSON shape (not an object, a missing key, a value of the wrong type).
Error WrongShape(const Path& path, std::string_view what, std::string_view detail) {
  return Bad("KSK-DOMAIN-030", path, what, detail);
}

// KSK-DOMAIN-032: a malformed or impossible date.
Error BadDate(const Path& path, std::string_view what, std::string_view detail) {
  return Bad("KSK-DOMAIN-032", path, what, detail);
}

// KSK-DOMAIN-034: an unknown enumeration value.
Error UnknownValue(const Path& path, std::string_view what, std::string_view detail) {
  return Bad("KSK-DOMAIN-034", path, what, detail);
}

// `expected` names the JSON type in Japanese for the user; the log gets the path only.
Error WrongType(const Path& path, std::string_view expected) {
  return WrongShape(path, "の形式が正しくありません（" + std::string(expected) + "が必要です）。",
                    "wrong JSON type");
}

// Refuses keys outside `allowed` and a key given twice (which of the two would count?).
// The key itself is never echoed: a misplaced value could be personal data.
Result<void> CheckKeys(Object obj, std::initializer_list<std::string_view> allowed,
                       const Path& path) {
  std::uint32_t seen = 0;  // bit i: allowed[i] was met (the widest object has 14 keys)
  for (const simdjson::dom::key_value_pair field : obj) {
    const std::string_view* known = std::find(allowed.begin(), allowed.end(), field.key);
    if (known == allowed.end()) {
      return Bad("KSK-DOMAIN-035", path, "に未知のキーがあります。", "unknown key");
    }
    const std::uint32_t bit = std::uint32_t{1} << (known - allowed.begin());
    if ((seen & bit) != 0) {
      return Bad("KSK-DOMAIN-036", path, "に同じキーが二度あります。", "duplicate key");
    }
    seen |= bit;
  }
  return Ok();
}

Result<Object> RequireObject(Element j, const Path& path) {
  Object obj;
  if (j.get_object().get(obj) != simdjson::SUCCESS) return WrongType(path, "オブジェクト");
  return obj;
}

// Returns the member or nothing; `required` turns absence into an error.
Result<std::optional<Element>> Member(Object obj, std::string_view key, const Path& path,
                                      bool required) {
  Element member;
  if (obj.at_key(key).get(member) != simdjson::SUCCESS) {
    if (required) return WrongShape(path.Key(key), "がありません。", "missing key");
    return std::optional<Element>();
  }
  return std::optional<Element>(member);
}

Result<std::string_view> StringOf(Element j, const Path& path) {
  std::string_view s;
  if (j.get_string().get(s) != simdjson::SUCCESS) return WrongType(path, "文字列");
  return s;
}

Result<std::optional<std::string>> OptString(Object obj, std::string_view key, const Path& path,
                                             bool required = false) {
  KOSEKI_ASSIGN_OR_RETURN(const std::optional<Element> v, Member(obj, key, path, required));
  if (!v) return std::optional<std::string>();
  KOSEKI_ASSIGN_OR_RETURN(const std::string_view s, StringOf(*v, path.Key(key)));
  return std::optional<std::string>(s);
}

Result<std::string> ReqString(Object obj, std::string_view key, const Path& path) {
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> v, OptString(obj, key, path, true));
  return std::move(*v);
}

// A JSON integer in [min, max]; nothing else (not 1.0, not "1").
std::optional<std::int64_t> IntegerIn(Element j, std::int64_t min, std::int64_t max) {
  std::int64_t n = 0;
  if (j.get_int64().get(n) != simdjson::SUCCESS || n < min || n > max) return std::nullopt;
  return n;
}

Result<text::JapaneseDate> ParseDate(Element j, const Path& path) {
  if (std::string_view iso; j.get_string().get(iso) == simdjson::SUCCESS) {
    Result<text::JapaneseDate> d = text::JapaneseDate::FromIso(iso);
    if (!d) {
      return BadDate(path,
                     "の日付が正しくありません（YYYY-MM-DD、明治6年1月1日以降の実在する日）。",
                     "bad ISO date: " + d.error().id);
    }
    return std::move(*d);
  }
  Object obj;
  if (j.get_object().get(obj) != simdjson::SUCCESS) {
    return WrongType(path, "日付（文字列またはオブジェクト）");
  }
  KOSEKI_RETURN_IF_ERROR(CheckKeys(obj, {"text", "estimated"}, path));
  KOSEKI_ASSIGN_OR_RETURN(std::string text, ReqString(obj, "text", path));
  if (text.empty()) return BadDate(path.Key("text"), "が空欄です。", "empty date text");
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> estimated, OptString(obj, "estimated", path));
  std::optional<std::chrono::year_month_day> day;
  if (estimated) {
    day = ParseIsoDay(*estimated);
    if (!day) {
      return BadDate(path.Key("estimated"), "の日付が正しくありません（YYYY-MM-DD）。",
                     "bad estimated date");
    }
  }
  return text::JapaneseDate::Inexact(std::move(text), day);
}

Result<FieldValue> ParseFieldValue(const TagSpec* spec, Element j, const Path& path) {
  const TagType type = spec != nullptr ? spec->type : TagType::kText;
  switch (type) {
    case TagType::kDate:
    case TagType::kWesternDate: {
      KOSEKI_ASSIGN_OR_RETURN(text::JapaneseDate d, ParseDate(j, path));
      return FieldValue(std::move(d));
    }
    case TagType::kTime: {
      if (Object obj; j.get_object().get(obj) == simdjson::SUCCESS) {
        KOSEKI_RETURN_IF_ERROR(CheckKeys(obj, {"text"}, path));
        KOSEKI_ASSIGN_OR_RETURN(std::string text, ReqString(obj, "text", path));
        return FieldValue(std::move(text));
      }
      std::string_view s;
      if (j.get_string().get(s) != simdjson::SUCCESS) return WrongType(path, "時刻（\"HH:MM\"）");
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
  KOSEKI_ASSIGN_OR_RETURN(const std::string_view s, StringOf(j, path));
  return FieldValue(std::string(s));
}

Result<EventSource> ParseSource(Element j, const Path& path) {
  KOSEKI_ASSIGN_OR_RETURN(const Object obj, RequireObject(j, path));
  KOSEKI_RETURN_IF_ERROR(CheckKeys(obj, {"type", "uketsuke_bango", "iki_moto"}, path));
  KOSEKI_ASSIGN_OR_RETURN(std::string type, ReqString(obj, "type", path));
  EventSource source;
  if (type == "届出") {
    source.kind = SourceKind::kTodokede;
  } else if (type == "職権") {
    source.kind = SourceKind::kShokken;
  } else if (type == "移記") {
    source.kind = SourceKind::kIki;
  } else {
    return UnknownValue(path.Key("type"), "は「届出」「職権」「移記」のいずれかです。",
                        "unknown source type");
  }
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> number,
                          OptString(obj, "uketsuke_bango", path));
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> moto, OptString(obj, "iki_moto", path));
  source.uketsuke_bango = number.value_or("");
  source.iki_moto = moto.value_or("");
  return source;
}

Result<simdjson::dom::array> RequireArray(Element j, const Path& path) {
  simdjson::dom::array arr;
  if (j.get_array().get(arr) != simdjson::SUCCESS) return WrongType(path, "配列");
  return arr;
}

Result<Event> ParseEvent(Element j, const Path& path) {
  KOSEKI_ASSIGN_OR_RETURN(const Object obj, RequireObject(j, path));
  KOSEKI_RETURN_IF_ERROR(CheckKeys(obj, {"kind", "fields", "source", "transcribable"}, path));
  KOSEKI_ASSIGN_OR_RETURN(std::string kind, ReqString(obj, "kind", path));
  const EventTemplate* tmpl = FindEventTemplate(kind);
  KOSEKI_ASSIGN_OR_RETURN(const std::optional<Element> fields_json,
                          Member(obj, "fields", path, true));
  const Path fields_path = path.Key("fields");
  KOSEKI_ASSIGN_OR_RETURN(const simdjson::dom::array fields_array,
                          RequireArray(*fields_json, fields_path));
  std::vector<Field> fields;
  fields.reserve(fields_array.size());
  std::size_t i = 0;
  for (const Element fj : fields_array) {
    const Path field_path = fields_path.At(i++);
    KOSEKI_ASSIGN_OR_RETURN(const Object field, RequireObject(fj, field_path));
    KOSEKI_RETURN_IF_ERROR(CheckKeys(field, {"tag", "value"}, field_path));
    KOSEKI_ASSIGN_OR_RETURN(std::string tag, ReqString(field, "tag", field_path));
    KOSEKI_ASSIGN_OR_RETURN(const std::optional<Element> value_json,
                            Member(field, "value", field_path, true));
    const TagSpec* spec = tmpl != nullptr ? FindTag(*tmpl, tag) : nullptr;
    KOSEKI_ASSIGN_OR_RETURN(FieldValue value,
                            ParseFieldValue(spec, *value_json, field_path.Key("value")));
    fields.push_back(Field{std::move(tag), std::move(value)});
  }
  EventSource source;
  KOSEKI_ASSIGN_OR_RETURN(const std::optional<Element> source_json,
                          Member(obj, "source", path, false));
  if (source_json) {
    KOSEKI_ASSIGN_OR_RETURN(source, ParseSource(*source_json, path.Key("source")));
  }
  Event event = MakeEvent(std::move(kind), std::move(fields), std::move(source));
  KOSEKI_ASSIGN_OR_RETURN(const std::optional<Element> transcribable,
                          Member(obj, "transcribable", path, false));
  if (transcribable) {
    if (transcribable->get_bool().get(event.transcribable) != simdjson::SUCCESS) {
      return WrongType(path.Key("transcribable"), "真偽値");
    }
  }
  return event;
}

Result<std::vector<Event>> ParseEvents(Object obj, std::string_view key, const Path& path) {
  std::vector<Event> events;
  KOSEKI_ASSIGN_OR_RETURN(const std::optional<Element> member, Member(obj, key, path, false));
  if (!member) return events;
  const Path events_path = path.Key(key);
  KOSEKI_ASSIGN_OR_RETURN(const simdjson::dom::array arr, RequireArray(*member, events_path));
  events.reserve(arr.size());
  std::size_t i = 0;
  for (const Element e : arr) {
    KOSEKI_ASSIGN_OR_RETURN(Event event, ParseEvent(e, events_path.At(i++)));
    events.push_back(std::move(event));
  }
  return events;
}

Result<Person> ParsePerson(Element j, const Path& path) {
  KOSEKI_ASSIGN_OR_RETURN(const Object obj, RequireObject(j, path));
  KOSEKI_RETURN_IF_ERROR(
      CheckKeys(obj,
                {"seq", "mei", "mei_furigana", "sex", "birth_date", "father", "mother", "zokugara",
                 "yofu", "yobo", "yo_zokugara", "haigusha_kubun", "removed_by", "mibun_jiko"},
                path));
  KOSEKI_ASSIGN_OR_RETURN(const std::optional<Element> birth_json,
                          Member(obj, "birth_date", path, true));
  KOSEKI_ASSIGN_OR_RETURN(text::JapaneseDate birth, ParseDate(*birth_json, path.Key("birth_date")));
  Person p{.birth_date = std::move(birth)};

  KOSEKI_ASSIGN_OR_RETURN(const std::optional<Element> seq_json, Member(obj, "seq", path, true));
  const std::optional<std::int64_t> seq = IntegerIn(*seq_json, 1, std::numeric_limits<int>::max());
  if (!seq) return WrongType(path.Key("seq"), "1以上の整数");
  p.seq = static_cast<int>(*seq);
  KOSEKI_ASSIGN_OR_RETURN(p.mei, ReqString(obj, "mei", path));
  KOSEKI_ASSIGN_OR_RETURN(p.mei_furigana, OptString(obj, "mei_furigana", path));
  KOSEKI_ASSIGN_OR_RETURN(std::string sex, ReqString(obj, "sex", path));
  if (sex == "男") {
    p.sex = Sex::kMale;
  } else if (sex == "女") {
    p.sex = Sex::kFemale;
  } else {
    return UnknownValue(path.Key("sex"), "は「男」または「女」です。", "unknown sex");
  }
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> father, OptString(obj, "father", path));
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> mother, OptString(obj, "mother", path));
  KOSEKI_ASSIGN_OR_RETURN(p.zokugara, ReqString(obj, "zokugara", path));
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> yofu, OptString(obj, "yofu", path));
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> yobo, OptString(obj, "yobo", path));
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> yo_zokugara,
                          OptString(obj, "yo_zokugara", path));
  p.father = father.value_or("");
  p.mother = mother.value_or("");
  p.yofu = yofu.value_or("");
  p.yobo = yobo.value_or("");
  p.yo_zokugara = yo_zokugara.value_or("");
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> kubun, OptString(obj, "haigusha_kubun", path));
  if (kubun) {
    if (*kubun == "夫") {
      p.haigusha_kubun = HaigushaKubun::kOtto;
    } else if (*kubun == "妻") {
      p.haigusha_kubun = HaigushaKubun::kTsuma;
    } else {
      return UnknownValue(path.Key("haigusha_kubun"), "は「夫」または「妻」です。",
                          "unknown haigusha kubun");
    }
  }
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> removed_by,
                          OptString(obj, "removed_by", path));
  if (removed_by) {
    p.removed = true;
    p.removal_kind = std::move(*removed_by);
  }
  KOSEKI_ASSIGN_OR_RETURN(p.mibun_jiko, ParseEvents(obj, "mibun_jiko", path));
  return p;
}

Result<Register> ParseRegister(Element j, JsonSource source) {
  const Path root;
  KOSEKI_ASSIGN_OR_RETURN(const Object obj, RequireObject(j, root));
  KOSEKI_RETURN_IF_ERROR(CheckKeys(
      obj,
      {"format", "honseki", "hittosha", "uji", "uji_furigana", "status", "koseki_jiko", "persons"},
      root));
  KOSEKI_ASSIGN_OR_RETURN(const std::optional<Element> format, Member(obj, "format", root, false));
  if (!format || IntegerIn(*format, kRegisterJsonFormat, kRegisterJsonFormat) == std::nullopt) {
    return Bad("KSK-DOMAIN-031", root.Key("format"), "の版に対応していません（1のみ対応）。",
               "missing or unsupported format version");
  }
  Register r;
  KOSEKI_ASSIGN_OR_RETURN(r.honseki, ReqString(obj, "honseki", root));
  KOSEKI_ASSIGN_OR_RETURN(const std::optional<Element> hittosha_json,
                          Member(obj, "hittosha", root, true));
  const Path hittosha_path = root.Key("hittosha");
  KOSEKI_ASSIGN_OR_RETURN(const Object hittosha, RequireObject(*hittosha_json, hittosha_path));
  KOSEKI_RETURN_IF_ERROR(CheckKeys(hittosha, {"uji", "mei"}, hittosha_path));
  KOSEKI_ASSIGN_OR_RETURN(r.hittosha_uji, ReqString(hittosha, "uji", hittosha_path));
  KOSEKI_ASSIGN_OR_RETURN(r.hittosha_mei, ReqString(hittosha, "mei", hittosha_path));
  KOSEKI_ASSIGN_OR_RETURN(r.uji, ReqString(obj, "uji", root));
  KOSEKI_ASSIGN_OR_RETURN(r.uji_furigana, OptString(obj, "uji_furigana", root));
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> status, OptString(obj, "status", root));
  if (status && *status != "現在") {
    if (*status == "除籍") {
      r.status = RegisterStatus::kJoseki;
    } else if (*status == "改製原") {
      r.status = RegisterStatus::kKaiseiGen;
    } else {
      return UnknownValue(root.Key("status"), "は「現在」「除籍」「改製原」のいずれかです。",
                          "unknown register status");
    }
  }
  KOSEKI_ASSIGN_OR_RETURN(r.koseki_jiko, ParseEvents(obj, "koseki_jiko", root));
  KOSEKI_ASSIGN_OR_RETURN(const std::optional<Element> persons_json,
                          Member(obj, "persons", root, true));
  const Path persons_path = root.Key("persons");
  KOSEKI_ASSIGN_OR_RETURN(const simdjson::dom::array persons,
                          RequireArray(*persons_json, persons_path));
  r.persons.reserve(persons.size());
  std::size_t i = 0;
  for (const Element pj : persons) {
    KOSEKI_ASSIGN_OR_RETURN(Person p, ParsePerson(pj, persons_path.At(i++)));
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

Result<Register> RegisterFromJson(std::string_view json, JsonSource source) {
  // simdjson reads up to SIMDJSON_PADDING bytes past the end of its input, so it gets a padded
  // copy, wiped afterwards: it holds the register in the clear.
  simdjson::padded_string padded(json);
  simdjson::dom::parser parser;
  Element root;
  Result<Register> reg = [&]() -> Result<Register> {
    if (const simdjson::error_code parsed = parser.parse(padded).get(root);
        parsed != simdjson::SUCCESS) {
      // simdjson's messages name the kind of fault, never the text.
      return MakeError(ErrorCode::kInvalidArgument, "KSK-DOMAIN-037", "JSON として読めません。",
                       std::string("not JSON: ") + simdjson::error_message(parsed));
    }
    // Barrier: nothing here should throw, but an exception must not cross the module boundary.
    try {
      return ParseRegister(root, source);
    } catch (const std::exception&) {
      // what() is not logged: library messages may quote keys or values.
      return MakeError(ErrorCode::kInternal, "KSK-DOMAIN-039",
                       "登録データの読み込みで内部エラーが発生しました。",
                       "exception while reading register JSON");
    }
  }();
  WipeBytes(std::span(reinterpret_cast<std::uint8_t*>(padded.data()), padded.size()));
  return reg;
}

}  // namespace koseki::domain
