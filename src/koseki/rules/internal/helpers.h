// Building blocks shared by the per-notification rules (rules/<type>.cc). Pure functions over
// domain values; each rule composes these instead of re-implementing register surgery.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/base/result.h"
#include "koseki/domain/event.h"
#include "koseki/domain/register.h"
#include "koseki/rules/calendar.h"
#include "koseki/rules/change_set.h"
#include "koseki/rules/context.h"
#include "koseki/rules/finding.h"
#include "koseki/rules/notification.h"
#include "koseki/text/japanese_date.h"

namespace koseki::rules::internal {

// ---- Entry values -------------------------------------------------------------------------

// Parses "YYYY-MM-DD" or a 和暦 date ("令和６年１１月２０日", half- or full-width digits).
Result<text::JapaneseDate> ParseDateValue(std::string_view value);
// Returns the date value of `key`, or nullopt if the entry has none or it does not parse
// (CheckForm reports a malformed date).
std::optional<text::JapaneseDate> DateValue(const Entry& entry, std::string_view key);

// "HH:MM" → (hour, minute).
struct TimeValue {
  int hour = 0;
  int minute = 0;
};
Result<TimeValue> ParseTimeValue(std::string_view value);

// "R1:3" → {"R1", 3}.
struct PersonRef {
  std::string ref;
  int seq = 0;
};
Result<PersonRef> ParsePersonRef(std::string_view value);

// A person of an attached register.
struct ResolvedPerson {
  const AttachedRegister* attached = nullptr;
  const domain::Person* person = nullptr;
};
// Resolves a reference; an error Finding (RULE-REF-001) if the register is not attached or
// the person is not in it.
std::optional<ResolvedPerson> Resolve(const RuleContext& context, const PersonRef& ref,
                                      std::string_view field, std::vector<Finding>& findings);

// Returns the day of receipt as a JapaneseDate; nullopt and an error Finding `code` if it cannot
// be one (FromGregorian refuses days before 1873).
std::optional<text::JapaneseDate> ReceivedDate(const RuleContext& context, std::string code,
                                               std::vector<Finding>& findings);

// ---- Findings -----------------------------------------------------------------------------

Finding MakeErrorFinding(std::string code, std::string message, std::string field = {});
Finding MakeWarningFinding(std::string code, std::string message, std::string field = {});
// True if any finding is an error (a warning, acknowledged or not, does not stop a rule from
// computing its change set).
bool HasError(const std::vector<Finding>& findings);
// Marks each warning whose code the entry acknowledges (with a non-blank reason).
void ApplyAcknowledgements(const Entry& entry, std::vector<Finding>& findings);

// A 失期 warning (RULE-DEADLINE-001) if `filed_on` is after the last filing day of `period`
// counted from `event_day` (初日算入, closed days extend).
std::optional<Finding> LateFilingWarning(std::chrono::year_month_day event_day,
                                         std::chrono::year_month_day filed_on, FilingPeriod period,
                                         const Calendar& calendar, std::string field);
// Returns the filing period of a 出生届 or 死亡届: `days` for an event in Japan, 3 months for
// one abroad (戸籍法49条1項, 86条1項).
FilingPeriod ReportingPeriod(int days, bool abroad);
// An error (RULE-DATE-001) if `event_day` is after `filed_on` (an event after its filing).
std::optional<Finding> EventAfterFilingError(std::chrono::year_month_day event_day,
                                             std::chrono::year_month_day filed_on,
                                             std::string field);
// An error (RULE-NAME-001) naming the first character of a child's 名 outside 常用漢字 +
// 人名用漢字 + かな + ー々ゝゞヽヾ (by position, never by quoting the name).
std::optional<Finding> GivenNameCharactersError(std::string_view mei, std::string field);
// An error (RULE-KANA-001) if a 振り仮名 is not katakana.
std::optional<Finding> KatakanaError(std::string_view reading, std::string field);

// From this age a person acts on their own behalf in the matters of 氏 and 養子縁組: below it
// the legal representative files or consents for them (民法791条3項, 797条, 811条2項).
inline constexpr int kSelfActingAge = 15;
// Checks the field of the legal representative against the person's age on the filing day:
// returns `missing` when the person is under kSelfActingAge and nobody represents them,
// `needless` when the person is at least that age and someone does, nothing otherwise
// (including an unknown age).
std::optional<Finding> RepresentativeError(std::optional<int> age, bool represented,
                                           Finding missing, Finding needless);

// ---- Registers ----------------------------------------------------------------------------

// Returns the person with this seq (mutable), or nullptr.
domain::Person* FindPerson(domain::Register& reg, int seq);
// True if the person is the register's 筆頭者 (the first person, whose 名 is the 筆頭者's).
bool IsHittosha(const domain::Register& reg, const domain::Person& person);
// The side a person holds as spouse in their register: the 配偶者区分 while the marriage lasts,
// and after the spouse's death the widowed side — the mark is gone then (domain::
// RecordSpouseDeath), but the survivor still holds the spouse's place in the register:
// cannot 分籍 from it, files for it. nullopt for everyone else (a divorced 筆頭者 included).
std::optional<domain::HaigushaKubun> SpouseSide(const domain::Person& person);
// True if the person is the 筆頭者 or holds the spouse's place (SpouseSide).
bool IsHittoshaOrSpouse(const domain::Register& reg, const domain::Person& person);
// Returns the current (not removed, married) spouse of `person` in the same register, if any.
const domain::Person* CurrentSpouse(const domain::Register& reg, const domain::Person& person);
// True if the person is currently married: 配偶者区分 set and no later 離婚 / 配偶者の死亡.
bool IsMarried(const domain::Person& person);
// Returns the spouse's name (配偶者氏名) of the person's last marriage when that marriage ended by
// the spouse's death (配偶者の死亡) and no divorce or marriage came after; nullopt otherwise.
std::optional<std::string> LateSpouseOf(const domain::Person& person);
// Returns the next free seq of a register.
int NextSeq(const domain::Register& reg);
// Returns the 筆頭者 reference as written in 【従前戸籍】/【入籍戸籍】: "本籍　山川健一".
std::string RegisterReference(const domain::Register& reg);
// Marks the person 除籍 by an event of `removal_kind` (the event must already be appended).
void MarkRemoved(domain::Person& person, std::string_view removal_kind);
// If no current member is left, closes the register: status 除籍 with a 戸籍消除 event.
void CloseIfEmpty(domain::Register& reg, const text::JapaneseDate& on);
// Returns a copy of `person` for a new register (移記): seq `new_seq`, only transcribable
// events (DOMAIN.md §1.4a), not removed.
domain::Person Transcribe(const domain::Person& person, int new_seq);
// Returns a new register whose 筆頭者 is `uji` + `hittosha_mei`, with a 戸籍編製 event
// (【編製日】 `on`); 氏 and 氏の振り仮名 from `uji`/`uji_furigana`. It has no persons yet: the
// caller adds the 筆頭者 first, as seq 1 (e.g. Transcribe(person, 1)), then the others.
domain::Register NewRegister(std::string honseki, std::string uji,
                             std::optional<std::string> uji_furigana, std::string hittosha_mei,
                             const text::JapaneseDate& on);
// Returns a 【出生地】/【死亡地】 as recorded: up to the municipality for a place in Japan
// (MunicipalityOf), as written for a place abroad (from the country's name).
std::string RecordedPlace(std::string_view place, bool abroad);
// Returns a 【届出人】 as recorded when it names the filer: the qualification, an ideographic
// space, the name (親族　山川美咲).
std::string FilerText(std::string_view qualification, std::string_view name);

// ---- People -------------------------------------------------------------------------------

// Age in completed years on `on` (年齢計算ニ関スル法律); nullopt for an inexact birth date.
std::optional<int> AgeOn(const domain::Person& person, std::chrono::year_month_day on);
// Returns the full name (氏+名) of a person of an attached register.
std::string FullName(const AttachedRegister& attached, const domain::Person& person);
std::string FullName(const ResolvedPerson& resolved);

// ---- Change sets --------------------------------------------------------------------------

// Returns the update of an attached register to `after`, based on the version attached.
RegisterUpdate UpdateOf(const AttachedRegister& attached, domain::Register after);

// Working copies of the attached registers a rule changes. Of() copies a register on first use
// and returns the same copy afterwards; EmitInto(), called once at the end, moves each changed
// register into an update, in attachment order. Keeps a reference to `context`, which must
// outlive it.
class RegisterEdits {
 public:
  explicit RegisterEdits(const RuleContext& context) : context_(context) {}

  domain::Register& Of(const AttachedRegister& attached);
  void EmitInto(ChangeSet& change_set);

 private:
  const RuleContext& context_;
  std::map<std::string, domain::Register> edited_;  // by ref
};

// ---- Notices ------------------------------------------------------------------------------

// The 除籍事由 / 入籍事由 of a parent who moves to a new register under 戸籍法17条 because of a
// child's notification, by the notification. (UNVERIFIED) Derived from the paper-era wording
// "子の出生届出により新戸籍編製につき除籍" / "子の入籍届出により…"; correct them here if the
// 記載例 says otherwise.
inline constexpr std::string_view kArticle17ReasonBirth = "子の出生届出";
inline constexpr std::string_view kArticle17ReasonNyuseki = "子の入籍届出";

// Adds a new register: created here when its 本籍 is in this municipality; carried for the
// hosted tenant that owns it (RegisterCreation::tenant_code); otherwise left to the other
// municipality, which learns of it by the 送付 — ours, or for a notification that came by
// 送付, the accepting office's.
void AddNewRegister(const RuleContext& context, std::string label, domain::Register reg,
                    ChangeSet& change_set);

// Adds a 送付 notice for the municipality of `honseki` unless it is this municipality, or the
// notification itself came by 送付 (the office that accepted it sends to every 本籍地).
void AddNoticeIfElsewhere(const RuleContext& context, std::string_view honseki, std::string reason,
                          ChangeSet& change_set);

// For a notification that came by 送付 (context.forwarded): appends 【送付を受けた日】【受理者】 to
// every event it writes into a register of this municipality whose template has them
// (domain/event_templates.cc decides which kinds record a filing, and where the fields
// print). Events already in an attached register — a transcription (移記) copies them — are
// not this notification's and are left as they are.
void AddForwardingFields(const RuleContext& context, ChangeSet& change_set);

}  // namespace koseki::rules::internal
