#include "koseki/rules/internal/helpers.h"

#include <algorithm>
#include <charconv>
#include <utility>

#include "koseki/base/error.h"
#include "koseki/domain/event_templates.h"
#include "koseki/text/name.h"
#include "koseki/text/name_chars.h"

namespace koseki::rules::internal {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

// Full-width digits and colon/hyphen (as typed with a Japanese IME) → ASCII.
std::string ToAsciiDigits(std::string_view value) {
  Result<std::u32string> decoded = text::DecodeUtf8(value);
  if (!decoded) return std::string(value);
  std::u32string out;
  for (char32_t c : *decoded) {
    if (c >= U'０' && c <= U'９') {
      out.push_back(U'0' + (c - U'０'));
    } else if (c == U'：') {
      out.push_back(U':');
    } else if (c == U'－') {
      out.push_back(U'-');
    } else {
      out.push_back(c);
    }
  }
  return text::EncodeUtf8(out);
}

// Parses a run of ASCII digits filling `text` exactly.
std::optional<int> ParseInt(std::string_view text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

bool IsBlankReason(std::string_view reason) {
  std::size_t i = 0;
  while (i < reason.size()) {
    if (reason[i] == ' ' || reason[i] == '\t' || reason[i] == '\r' || reason[i] == '\n') {
      ++i;
    } else if (reason.substr(i, 3) == "\u3000") {
      i += 3;
    } else {
      return false;
    }
  }
  return true;
}

bool IsRemovingKindForMarriage(std::string_view kind) {
  return kind == "離婚" || kind == "配偶者の死亡" || kind == "死亡" || kind == "失踪";
}

}  // namespace

// ---- Entry values -------------------------------------------------------------------------

Result<text::JapaneseDate> ParseDateValue(std::string_view value) {
  const std::string ascii = ToAsciiDigits(value);
  if (ascii.size() == 10 && ascii[4] == '-' && ascii[7] == '-') {
    return text::JapaneseDate::FromIso(ascii);
  }
  Result<text::JapaneseDate> wareki = text::JapaneseDate::ParseWareki(value);
  if (wareki) return wareki;
  return MakeError(ErrorCode::kInvalidArgument, "KSK-RULES-010", "日付の形式が正しくありません。",
                   "date value is neither YYYY-MM-DD nor wareki");
}

std::optional<text::JapaneseDate> DateValue(const Entry& entry, std::string_view key) {
  std::optional<std::string> value = entry.Get(key);
  if (!value) return std::nullopt;
  Result<text::JapaneseDate> date = ParseDateValue(*value);
  if (!date) return std::nullopt;
  return *date;
}

Result<TimeValue> ParseTimeValue(std::string_view value) {
  const std::string ascii = ToAsciiDigits(value);
  const std::size_t colon = ascii.find(':');
  Error bad = MakeError(ErrorCode::kInvalidArgument, "KSK-RULES-011",
                        "時刻の形式が正しくありません（例：15:45）。", "time value not HH:MM");
  if (colon == std::string::npos || colon == 0 || colon > 2 || ascii.size() - colon != 3) {
    return bad;
  }
  std::optional<int> hour = ParseInt(std::string_view(ascii).substr(0, colon));
  std::optional<int> minute = ParseInt(std::string_view(ascii).substr(colon + 1));
  if (!hour || !minute || *hour > 23 || *minute > 59) return bad;
  return TimeValue{*hour, *minute};
}

Result<PersonRef> ParsePersonRef(std::string_view value) {
  Error bad = MakeError(ErrorCode::kInvalidArgument, "KSK-RULES-012",
                        "者の指定が正しくありません（例：R1:3）。", "person ref not R<n>:<seq>");
  const std::size_t colon = value.find(':');
  if (colon == std::string_view::npos || colon < 2 || value[0] != 'R' || value[1] == '0') {
    return bad;
  }
  std::optional<int> reg = ParseInt(value.substr(1, colon - 1));
  std::optional<int> seq = ParseInt(value.substr(colon + 1));
  if (!reg || !seq || *reg < 1 || *seq < 1 || value[colon + 1] == '0') return bad;
  return PersonRef{std::string(value.substr(0, colon)), *seq};
}

std::optional<ResolvedPerson> Resolve(const RuleContext& context, const PersonRef& ref,
                                      std::string_view field, std::vector<Finding>& findings) {
  const AttachedRegister* attached = context.Find(ref.ref);
  if (attached == nullptr) {
    findings.push_back(MakeErrorFinding("RULE-REF-001", "指定された戸籍が添付されていません。",
                                        std::string(field)));
    return std::nullopt;
  }
  const domain::Person* person = attached->value.FindPerson(ref.seq);
  if (person == nullptr) {
    findings.push_back(MakeErrorFinding(
        "RULE-REF-001", "指定された者が添付戸籍に記録されていません。", std::string(field)));
    return std::nullopt;
  }
  return ResolvedPerson{attached, person};
}

std::optional<text::JapaneseDate> ReceivedDate(const RuleContext& context, std::string code,
                                               std::vector<Finding>& findings) {
  Result<text::JapaneseDate> date = text::JapaneseDate::FromGregorian(context.received_on);
  if (!date) {
    findings.push_back(MakeErrorFinding(std::move(code), "受付日が正しくありません。"));
    return std::nullopt;
  }
  return *date;
}

// ---- Findings -----------------------------------------------------------------------------

Finding MakeErrorFinding(std::string code, std::string message, std::string field) {
  return Finding{.severity = Severity::kError,
                 .code = std::move(code),
                 .message = std::move(message),
                 .field = std::move(field)};
}

Finding MakeWarningFinding(std::string code, std::string message, std::string field) {
  return Finding{.severity = Severity::kWarning,
                 .code = std::move(code),
                 .message = std::move(message),
                 .field = std::move(field)};
}

bool HasError(const std::vector<Finding>& findings) {
  return std::any_of(findings.begin(), findings.end(),
                     [](const Finding& f) { return f.severity == Severity::kError; });
}

void ApplyAcknowledgements(const Entry& entry, std::vector<Finding>& findings) {
  for (Finding& f : findings) {
    if (f.severity != Severity::kWarning) continue;
    auto it = entry.acknowledgements.find(f.code);
    if (it == entry.acknowledgements.end()) continue;
    // A reason made only of blanks is no reason.
    const bool blank = IsBlankReason(it->second);
    f.acknowledged = !blank;
  }
}

std::optional<Finding> LateFilingWarning(year_month_day event_day, year_month_day filed_on,
                                         FilingPeriod period, const Calendar& calendar,
                                         std::string field) {
  const year_month_day last = LastFilingDay(event_day, period, calendar);
  if (sys_days(filed_on) <= sys_days(last)) return std::nullopt;
  const auto late = (sys_days(filed_on) - sys_days(last)).count();
  std::string length = period.months > 0 ? std::to_string(period.months) + "か月"
                                         : std::to_string(period.days) + "日";
  return MakeWarningFinding(
      "RULE-DEADLINE-001",
      "届出期間（" + length + "）を" + std::to_string(late) +
          "日過ぎています（失期）。受理したうえで簡易裁判所へ失期通知をします。",
      std::move(field));
}

FilingPeriod ReportingPeriod(int days, bool abroad) {
  return abroad ? FilingPeriod{.months = 3} : FilingPeriod{.days = days};
}

std::optional<Finding> EventAfterFilingError(year_month_day event_day, year_month_day filed_on,
                                             std::string field) {
  if (sys_days(event_day) <= sys_days(filed_on)) return std::nullopt;
  return MakeErrorFinding("RULE-DATE-001", "届出日より後の日付は記入できません。",
                          std::move(field));
}

std::optional<Finding> GivenNameCharactersError(std::string_view mei, std::string field) {
  std::optional<std::size_t> bad = text::FirstDisallowedInGivenName(mei);
  if (!bad) return std::nullopt;
  return MakeErrorFinding("RULE-NAME-001",
                          "名の" + std::to_string(*bad + 1) +
                              "文字目は子の名に使えない文字です（常用漢字・人名用漢字・ひらがな・カ"
                              "タカナに限ります）。",
                          std::move(field));
}

std::optional<Finding> KatakanaError(std::string_view reading, std::string field) {
  if (text::IsKatakanaReading(reading)) return std::nullopt;
  return MakeErrorFinding("RULE-KANA-001", "振り仮名はカタカナで記入してください。",
                          std::move(field));
}

std::optional<Finding> RepresentativeError(std::optional<int> age, bool represented,
                                           Finding missing, Finding needless) {
  if (!age) return std::nullopt;
  if (*age < kSelfActingAge && !represented) return missing;
  if (*age >= kSelfActingAge && represented) return needless;
  return std::nullopt;
}

// ---- Registers ----------------------------------------------------------------------------

domain::Person* FindPerson(domain::Register& reg, int seq) {
  for (domain::Person& p : reg.persons) {
    if (p.seq == seq) return &p;
  }
  return nullptr;
}

bool IsHittosha(const domain::Register& reg, const domain::Person& person) {
  return !reg.persons.empty() && reg.persons.front().seq == person.seq &&
         person.mei == reg.hittosha_mei;
}

std::optional<domain::HaigushaKubun> SpouseSide(const domain::Person& person) {
  if (person.haigusha_kubun != domain::HaigushaKubun::kNone) return person.haigusha_kubun;
  if (!LateSpouseOf(person)) return std::nullopt;
  return person.sex == domain::Sex::kMale ? domain::HaigushaKubun::kOtto
                                          : domain::HaigushaKubun::kTsuma;
}

bool IsHittoshaOrSpouse(const domain::Register& reg, const domain::Person& person) {
  return IsHittosha(reg, person) || SpouseSide(person).has_value();
}

bool IsMarried(const domain::Person& person) {
  if (person.haigusha_kubun == domain::HaigushaKubun::kNone) return false;
  bool married = true;  // 配偶者区分 without a recorded 婚姻 (old data) counts as married
  for (const domain::Event& e : person.mibun_jiko) {
    if (e.kind == "婚姻") married = true;
    if (IsRemovingKindForMarriage(e.kind)) married = false;
  }
  return married;
}

const domain::Person* CurrentSpouse(const domain::Register& reg, const domain::Person& person) {
  if (person.removed || !IsMarried(person)) return nullptr;
  for (const domain::Person& p : reg.persons) {
    if (p.seq == person.seq || p.removed) continue;
    if (p.haigusha_kubun != domain::HaigushaKubun::kNone &&
        p.haigusha_kubun != person.haigusha_kubun && IsMarried(p)) {
      return &p;
    }
  }
  return nullptr;
}

std::optional<std::string> LateSpouseOf(const domain::Person& person) {
  std::optional<std::string> spouse;
  bool ended_by_death = false;
  for (const domain::Event& e : person.mibun_jiko) {
    if (e.kind == "婚姻") {
      spouse = e.TextOf("配偶者氏名");
      ended_by_death = false;
    } else if (e.kind == "配偶者の死亡") {
      ended_by_death = true;
    } else if (e.kind == "離婚") {
      spouse.reset();
    }
  }
  return ended_by_death ? spouse : std::nullopt;
}

int NextSeq(const domain::Register& reg) {
  int max_seq = 0;
  for (const domain::Person& p : reg.persons) max_seq = std::max(max_seq, p.seq);
  return max_seq + 1;
}

std::string RegisterReference(const domain::Register& reg) {
  return reg.honseki + "\u3000" + reg.HittoshaFullName();
}

void MarkRemoved(domain::Person& person, std::string_view removal_kind) {
  person.removed = true;
  person.removal_kind = std::string(removal_kind);
}

void CloseIfEmpty(domain::Register& reg, const text::JapaneseDate& on) {
  if (reg.status != domain::RegisterStatus::kGenzai) return;
  const bool anyone_left = std::any_of(reg.persons.begin(), reg.persons.end(),
                                       [](const domain::Person& p) { return !p.removed; });
  if (anyone_left) return;
  reg.status = domain::RegisterStatus::kJoseki;
  reg.koseki_jiko.push_back(
      domain::MakeEvent("戸籍消除", {domain::DateField("消除日", on)},
                        domain::EventSource{.kind = domain::SourceKind::kShokken}));
}

domain::Person Transcribe(const domain::Person& person, int new_seq) {
  domain::Person copy = person;
  copy.seq = new_seq;
  copy.removed = false;
  copy.removal_kind.clear();
  copy.mibun_jiko.clear();

  // Only the current marriage is carried over: the last 婚姻, and only while it lasts.
  const domain::Event* current_marriage = nullptr;
  if (IsMarried(person)) {
    for (const domain::Event& e : person.mibun_jiko) {
      if (e.kind == "婚姻") current_marriage = &e;
    }
  }
  const bool adopted = !person.yofu.empty() || !person.yobo.empty();
  for (const domain::Event& e : person.mibun_jiko) {
    if (!e.transcribable) continue;
    if (e.kind == "婚姻" && &e != current_marriage) continue;
    if (e.kind == "養子縁組" && !adopted) continue;
    domain::Event moved = e;
    moved.source = domain::EventSource{.kind = domain::SourceKind::kIki};
    copy.mibun_jiko.push_back(std::move(moved));
  }
  return copy;
}

domain::Register NewRegister(std::string honseki, std::string uji,
                             std::optional<std::string> uji_furigana, std::string hittosha_mei,
                             const text::JapaneseDate& on) {
  domain::Register reg;
  reg.honseki = std::move(honseki);
  reg.hittosha_uji = uji;
  reg.hittosha_mei = std::move(hittosha_mei);
  reg.uji = std::move(uji);
  reg.uji_furigana = std::move(uji_furigana);
  reg.koseki_jiko.push_back(domain::MakeEvent("戸籍編製", {domain::DateField("編製日", on)}));
  return reg;
}

std::string RecordedPlace(std::string_view place, bool abroad) {
  return abroad ? std::string(place) : MunicipalityOf(place);
}

std::string FilerText(std::string_view qualification, std::string_view name) {
  return std::string(qualification) + "\u3000" + std::string(name);
}

// ---- People -------------------------------------------------------------------------------

std::optional<int> AgeOn(const domain::Person& person, year_month_day on) {
  if (!person.birth_date.is_exact() || !person.birth_date.day()) return std::nullopt;
  return text::AgeOn(*person.birth_date.day(), on);
}

std::string FullName(const AttachedRegister& attached, const domain::Person& person) {
  return attached.value.FullNameOf(person);
}

std::string FullName(const ResolvedPerson& resolved) {
  return FullName(*resolved.attached, *resolved.person);
}

// ---- Change sets --------------------------------------------------------------------------

RegisterUpdate UpdateOf(const AttachedRegister& attached, domain::Register after) {
  return RegisterUpdate{.ref = attached.ref,
                        .register_id = attached.register_id,
                        .base_version = attached.version,
                        .after = std::move(after)};
}

domain::Register& RegisterEdits::Of(const AttachedRegister& attached) {
  auto [it, inserted] = edited_.try_emplace(attached.ref, attached.value);
  return it->second;
}

void RegisterEdits::EmitInto(ChangeSet& change_set) {
  for (const AttachedRegister& a : context_.registers) {
    auto it = edited_.find(a.ref);
    if (it == edited_.end()) continue;
    change_set.updates.push_back(UpdateOf(a, std::move(it->second)));
  }
}

// ---- Notices ------------------------------------------------------------------------------

void AddNoticeIfElsewhere(const RuleContext& context, std::string_view honseki, std::string reason,
                          ChangeSet& change_set) {
  if (context.forwarded) return;
  std::string municipality = MunicipalityOf(honseki);
  if (municipality == context.municipality) return;
  for (const OutgoingNotice& n : change_set.notices) {
    if (n.municipality == municipality) return;  // one 送付 per 本籍地 carries the whole 届書
  }
  std::optional<std::string> tenant;
  if (context.hosted_tenant) tenant = context.hosted_tenant(municipality);
  change_set.notices.push_back(OutgoingNotice{.municipality = std::move(municipality),
                                              .tenant_code = std::move(tenant),
                                              .reason = std::move(reason)});
}

void AddNewRegister(const RuleContext& context, std::string label, domain::Register reg,
                    ChangeSet& change_set) {
  const std::string municipality = MunicipalityOf(reg.honseki);
  if (municipality == context.municipality) {
    change_set.creations.push_back(RegisterCreation{std::move(label), std::move(reg)});
    return;
  }
  if (context.forwarded) return;
  std::optional<std::string> tenant;
  if (context.hosted_tenant) tenant = context.hosted_tenant(municipality);
  if (tenant) {
    change_set.creations.push_back(RegisterCreation{
        label + "（" + municipality + "・テナント" + *tenant + "で編製）", std::move(reg), tenant});
  }
}

void AddForwardingFields(const RuleContext& context, ChangeSet& change_set) {
  if (!context.forwarded) return;
  constexpr std::string_view kArrivedTag = "送付を受けた日";
  constexpr std::string_view kAcceptorTag = "受理者";
  std::vector<const domain::Event*> recorded;
  for (const AttachedRegister& attached : context.registers) {
    for (const domain::Event& e : attached.value.koseki_jiko) recorded.push_back(&e);
    for (const domain::Person& p : attached.value.persons) {
      for (const domain::Event& e : p.mibun_jiko) recorded.push_back(&e);
    }
  }
  // The arrival day was checked as a day that can be recorded when the case was received.
  const text::JapaneseDate arrived =
      *text::JapaneseDate::FromGregorian(context.forwarded->arrived_on);
  const auto add = [&](domain::Event& event) {
    const domain::EventTemplate* tmpl = domain::FindEventTemplate(event.kind);
    if (tmpl == nullptr || domain::FindTag(*tmpl, kArrivedTag) == nullptr) return;
    if (event.Find(kArrivedTag) != nullptr) return;
    if (std::any_of(recorded.begin(), recorded.end(),
                    [&](const domain::Event* r) { return *r == event; })) {
      return;
    }
    event.fields.push_back(domain::DateField(std::string(kArrivedTag), arrived));
    event.fields.push_back(
        domain::TextField(std::string(kAcceptorTag), context.forwarded->accepted_by));
  };
  const auto add_to_register = [&](domain::Register& reg) {
    for (domain::Event& e : reg.koseki_jiko) add(e);
    for (domain::Person& p : reg.persons) {
      for (domain::Event& e : p.mibun_jiko) add(e);
    }
  };
  for (RegisterUpdate& update : change_set.updates) add_to_register(update.after);
  for (RegisterCreation& creation : change_set.creations) add_to_register(creation.value);
}

}  // namespace koseki::rules::internal
