// 離婚届 (divorce; 民法763–771条, 戸籍法76–77条; DOMAIN.md §2.2).
//
// 協議離婚 is constitutive: it takes effect on acceptance, so the 離婚日 is the day of receipt
// and two adult witnesses sign. 調停・審判・和解・認諾・判決 divorces are reported: the divorce
// happened at the court's 成立/確定 date, and the filing is due within 10 days of it (戸籍法77条
// → 63条; first day counted, closed days extend) — later is 失期, a warning.
//
// Effect: both spouses get a 離婚 entry; the 筆頭者 stays and loses the 配偶者区分; the other
// spouse (who took the 筆頭者's 氏 at marriage) is 除籍 with 【入籍戸籍】 when returning to the
// register they came from (復籍) or 【新本籍】 when a new register is made, and is entered there
// with the transcribed entries (the dissolved marriage is not transcribed). Children stay in
// the 筆頭者's register; each minor child of the couple gets a 親権 entry naming the 親権者
// (民法819条; from 2026-04-01 both parents may keep it jointly, 令和6年法律第33号).
#include <algorithm>
#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "koseki/domain/event.h"
#include "koseki/domain/person.h"
#include "koseki/domain/register.h"
#include "koseki/rules/internal/former_surname.h"
#include "koseki/rules/internal/helpers.h"
#include "koseki/rules/internal/notification_rule_base.h"
#include "koseki/rules/internal/rule_set.h"

namespace koseki::rules::internal {
namespace {

using domain::HaigushaKubun;
using domain::Person;
using domain::Register;
using domain::Sex;
using text::JapaneseDate;

constexpr std::string_view kKyogi = "協議";
constexpr int kAdultAge = 18;  // 民法4条
constexpr FilingPeriod kCourtPeriod{.days = 10};
// Joint custody after divorce (改正民法819条) is in force from this day.
constexpr std::chrono::year_month_day kJointCustodyFrom{std::chrono::year{2026}, std::chrono::April,
                                                        std::chrono::day{1}};

// A court-based kind and the date tag of its 離婚 entry.
struct CourtKind {
  std::string_view kind;
  std::string_view tag;
};
constexpr CourtKind kCourtKinds[] = {{"調停", "離婚の調停成立日"},
                                     {"審判", "離婚の審判確定日"},
                                     {"和解", "離婚の和解成立日"},
                                     {"認諾", "離婚の請求の認諾日"},
                                     {"判決", "離婚の裁判確定日"}};

const CourtKind* FindCourtKind(std::string_view kind) {
  for (const CourtKind& k : kCourtKinds) {
    if (k.kind == kind) return &k;
  }
  return nullptr;
}

FormSpec MakeForm() {
  FormSpec form{NotificationType::kRikon, "離婚届", {}};
  auto& f = form.fields;
  f.push_back({"husband_ref", "夫", FieldType::kPersonRef, true, {}, "例：R1:1"});
  f.push_back({"wife_ref", "妻", FieldType::kPersonRef, true, {}, "例：R1:2"});
  std::vector<std::string> kinds{std::string(kKyogi)};
  for (const CourtKind& k : kCourtKinds) kinds.emplace_back(k.kind);
  f.push_back({"kind", "離婚の種別", FieldType::kChoice, true, kinds});
  f.push_back({"court_date",
               "調停成立・審判確定などの日",
               FieldType::kDate,
               false,
               {},
               "裁判離婚のとき記入（協議離婚は届出日が離婚日）"});
  f.push_back({"filer", "届出人（裁判離婚）", FieldType::kChoice, false, {"夫", "妻"}});
  for (FieldSpec& field : FormerSurnameFields()) f.push_back(std::move(field));
  const std::string list_hint = "未成年の子を R1:3,R1:4 の形で列挙";
  f.push_back({"custody_father", "夫が親権を行う子", FieldType::kText, false, {}, list_hint});
  f.push_back({"custody_mother", "妻が親権を行う子", FieldType::kText, false, {}, list_hint});
  f.push_back({"custody_joint",
               "父母双方が親権を行う子",
               FieldType::kText,
               false,
               {},
               list_hint + "（令和８年４月１日以後の離婚に限る）"});
  for (const char* n : {"1", "2"}) {
    const std::string w = std::string("witness") + n;
    f.push_back({w + "_name", std::string("証人") + n + "の氏名（協議離婚）", FieldType::kName});
    f.push_back(
        {w + "_birth_date", std::string("証人") + n + "の生年月日（協議離婚）", FieldType::kDate});
  }
  return form;
}

// Splits "R1:3,R1:4" (also 、 and spaces) into its references.
std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> items;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) items.push_back(std::move(current));
    current.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == ',' || text[i] == ' ') {
      flush();
      ++i;
    } else if (text.substr(i, 3) == "、" || text.substr(i, 3) == "，" ||
               text.substr(i, 3) == "\u3000") {
      flush();
      i += 3;
    } else {
      current.push_back(text[i]);
      ++i;
    }
  }
  flush();
  return items;
}

// True if `child` is recorded as a child (by birth or adoption) of both spouses.
bool IsChildOfBoth(const Register& reg, const Person& child, const Person& husband,
                   const Person& wife) {
  const std::string h = reg.FullNameOf(husband);
  const std::string w = reg.FullNameOf(wife);
  return (child.father == h || child.yofu == h) && (child.mother == w || child.yobo == w);
}

struct Custody {
  int seq = 0;
  std::string holder;  // 父 / 母 / 父母
};

struct Divorce {
  const RuleContext& context;
  const AttachedRegister& attached;
  const Person& husband;
  const Person& wife;
  bool husband_heads;
  const CourtKind* court;
  std::optional<JapaneseDate> court_date;
  std::string filer;
  FormerSurnameDestination destination;
  std::vector<Custody> custody;

  // The 離婚 entry as written on a spouse, without the destination tags.
  domain::Event RikonEvent(const std::string& spouse_name, const JapaneseDate& filed) const {
    std::vector<domain::Field> fields;
    if (court == nullptr) {
      fields.push_back(domain::DateField("離婚日", filed));
      fields.push_back(domain::TextField("配偶者氏名", spouse_name));
    } else {
      fields.push_back(domain::DateField(std::string(court->tag), *court_date));
      fields.push_back(domain::TextField("配偶者氏名", spouse_name));
      fields.push_back(domain::DateField("届出日", filed));
      fields.push_back(domain::TextField("届出人", filer));
    }
    return domain::MakeEvent("離婚", std::move(fields));
  }

  ChangeSet Apply() const {
    const JapaneseDate filed = *JapaneseDate::FromGregorian(context.received_on);
    const Register& before = attached.value;
    Register reg = before;
    Person& stay = *FindPerson(reg, (husband_heads ? husband : wife).seq);
    Person& leave = *FindPerson(reg, (husband_heads ? wife : husband).seq);
    const std::string stay_name = before.FullNameOf(stay);
    const std::string leave_name = before.FullNameOf(leave);
    ChangeSet change_set;

    // The 筆頭者 stays; the marriage mark goes.
    stay.mibun_jiko.push_back(RikonEvent(leave_name, filed));
    stay.haigusha_kubun = HaigushaKubun::kNone;

    // The other spouse leaves (除籍), with where they went.
    domain::Event leaving_entry = RikonEvent(stay_name, filed);
    leaving_entry.fields.push_back(DepartureField(destination));
    leave.mibun_jiko.push_back(std::move(leaving_entry));
    MarkRemoved(leave, "離婚");

    // Each minor child: 親権.
    for (const Custody& c : custody) {
      Person& child = *FindPerson(reg, c.seq);
      std::vector<domain::Field> fields;
      if (court == nullptr) {
        fields.push_back(domain::DateField("親権者を定めた日", filed));
        fields.push_back(domain::TextField("親権者", c.holder));
        fields.push_back(domain::TextField("届出人", "父母"));
      } else {
        fields.push_back(domain::DateField("親権者を定められた日", *court_date));
        fields.push_back(domain::TextField("親権者", c.holder));
      }
      child.mibun_jiko.push_back(domain::MakeEvent("親権", std::move(fields)));
    }

    // Where the leaving spouse goes, arriving with the 離婚 entry (the marriage just dissolved
    // is not carried over).
    change_set.updates.push_back(UpdateOf(attached, reg));
    AddFormerSurnameArrival(context, destination, leave, before, RikonEvent(stay_name, filed),
                            filed, "離婚による新戸籍", "離婚届（新本籍地）",
                            "離婚届（復籍する戸籍の本籍地）", change_set);
    return change_set;
  }
};

class RikonRuleImpl final : public NotificationRuleBase<Divorce> {
 public:
  RikonRuleImpl() : NotificationRuleBase(MakeForm()) {}

 private:
  std::optional<Divorce> Check(const Entry& entry, const RuleContext& context,
                               std::vector<Finding>& findings) const override {
    std::optional<ResolvedPerson> husband = Resolved(entry, "husband_ref", context, findings);
    std::optional<ResolvedPerson> wife = Resolved(entry, "wife_ref", context, findings);
    if (!husband || !wife) return std::nullopt;
    if (husband->attached != wife->attached) {
      findings.push_back(
          MakeErrorFinding("RULE-RIKON-001",
                           "夫と妻は同じ戸籍（婚姻中の戸籍）の者を指定してください。", "wife_ref"));
      return std::nullopt;
    }
    const AttachedRegister& attached = *husband->attached;
    const Register& reg = attached.value;
    const Person& h = *husband->person;
    const Person& w = *wife->person;
    if (h.sex != Sex::kMale || w.sex != Sex::kFemale || h.removed || w.removed ||
        CurrentSpouse(reg, h) != &w || CurrentSpouse(reg, w) != &h) {
      findings.push_back(MakeErrorFinding(
          "RULE-RIKON-002", "指定された夫と妻は、現在互いに婚姻中の夫婦として記録されていません。",
          "husband_ref"));
      return std::nullopt;
    }
    const bool husband_heads = IsHittosha(reg, h);
    if (!husband_heads && !IsHittosha(reg, w)) {
      findings.push_back(MakeErrorFinding(
          "RULE-RIKON-010",
          "夫婦のどちらも戸籍の筆頭者ではありません。戸籍の記録を確認してください。",
          "husband_ref"));
      return std::nullopt;
    }

    // The kind, and the day the divorce took effect.
    const std::string kind = *entry.Get("kind");
    const CourtKind* court = FindCourtKind(kind);
    std::optional<JapaneseDate> court_date = DateValue(entry, "court_date");
    if (court == nullptr && court_date) {
      findings.push_back(MakeErrorFinding(
          "RULE-RIKON-003", "協議離婚は届出日が離婚日です。調停成立などの日は記入しません。",
          "court_date"));
    }
    if (court != nullptr) {
      if (!court_date) {
        findings.push_back(MakeErrorFinding(
            "RULE-RIKON-003", "裁判離婚は調停成立・審判確定などの日を記入してください。",
            "court_date"));
        return std::nullopt;
      }
      if (!entry.Get("filer")) {
        findings.push_back(MakeErrorFinding(
            "RULE-RIKON-011", "裁判離婚は届出人（夫または妻）を記入してください。", "filer"));
      }
      if (auto f = EventAfterFilingError(*court_date->day(), context.received_on, "court_date")) {
        findings.push_back(*f);
        return std::nullopt;
      }
      if (auto f = LateFilingWarning(*court_date->day(), context.received_on, kCourtPeriod,
                                     *context.calendar, "court_date")) {
        findings.push_back(*f);
      }
    }
    const std::chrono::year_month_day divorce_day =
        court != nullptr ? *court_date->day() : context.received_on;

    if (court == nullptr) CheckWitnesses(entry, context, findings);
    std::vector<Custody> custody =
        CheckCustody(entry, attached, h, w, divorce_day, court == nullptr, findings);
    const Person& leaving = husband_heads ? w : h;
    std::optional<FormerSurnameDestination> destination = CheckFormerSurnameDestination(
        entry, context, reg, leaving, {"RULE-RIKON-008", "RULE-RIKON-009"}, findings);

    if (!destination) return std::nullopt;
    return Divorce{.context = context,
                   .attached = attached,
                   .husband = h,
                   .wife = w,
                   .husband_heads = husband_heads,
                   .court = court,
                   .court_date = court_date,
                   .filer = entry.Get("filer").value_or(""),
                   .destination = *destination,
                   .custody = custody};
  }

  ChangeSetOrError Apply(const Entry& /*entry*/, const RuleContext& /*context*/,
                         const Divorce& divorce) const override {
    return divorce.Apply();
  }

  static std::optional<ResolvedPerson> Resolved(const Entry& entry, const std::string& key,
                                                const RuleContext& context,
                                                std::vector<Finding>& findings) {
    Result<PersonRef> ref = ParsePersonRef(*entry.Get(key));
    if (!ref) return std::nullopt;  // CheckForm already reported it
    return Resolve(context, *ref, key, findings);
  }

  static void CheckWitnesses(const Entry& entry, const RuleContext& context,
                             std::vector<Finding>& findings) {
    for (const char* n : {"1", "2"}) {
      const std::string name_key = std::string("witness") + n + "_name";
      const std::string birth_key = std::string("witness") + n + "_birth_date";
      std::optional<JapaneseDate> birth = DateValue(entry, birth_key);
      if (!entry.Get(name_key) || !birth) {
        findings.push_back(MakeErrorFinding(
            "RULE-RIKON-004", "協議離婚には成年の証人二人の氏名と生年月日が必要です（民法764条）。",
            entry.Get(name_key) ? birth_key : name_key));
        continue;
      }
      if (birth->day() && text::AgeOn(*birth->day(), context.received_on) < kAdultAge) {
        findings.push_back(MakeErrorFinding(
            "RULE-RIKON-004", "証人は成年（18歳以上）でなければなりません（民法764条・739条2項）。",
            birth_key));
      }
    }
  }

  // Checks the 親権者 lists against the couple's minor children; returns one entry per child.
  static std::vector<Custody> CheckCustody(const Entry& entry, const AttachedRegister& attached,
                                           const Person& husband, const Person& wife,
                                           std::chrono::year_month_day divorce_day, bool kyogi,
                                           std::vector<Finding>& findings) {
    const Register& reg = attached.value;
    std::map<int, Custody> named;
    for (const auto& [key, holder] :
         {std::pair{"custody_father", "父"}, std::pair{"custody_mother", "母"},
          std::pair{"custody_joint", "父母"}}) {
      std::optional<std::string> list = entry.Get(key);
      if (!list) continue;
      if (std::string_view(key) == "custody_joint" &&
          std::chrono::sys_days(divorce_day) < std::chrono::sys_days(kJointCustodyFrom)) {
        findings.push_back(MakeErrorFinding(
            "RULE-RIKON-007",
            "父母双方を親権者とする定めは令和８年４月１日以後の離婚に限られます。", key));
        continue;
      }
      for (const std::string& item : SplitList(*list)) {
        Result<PersonRef> ref = ParsePersonRef(item);
        const Person* child = ref && ref->ref == attached.ref ? reg.FindPerson(ref->seq) : nullptr;
        std::optional<int> age =
            child != nullptr ? AgeOn(*child, divorce_day) : std::optional<int>();
        if (child == nullptr || child->removed || !IsChildOfBoth(reg, *child, husband, wife) ||
            (age && *age >= kAdultAge)) {
          findings.push_back(MakeErrorFinding(
              "RULE-RIKON-006",
              "親権者の欄には、夫婦の戸籍に在籍する二人の未成年の子だけを指定してください。", key));
          continue;
        }
        if (!named.try_emplace(child->seq, Custody{child->seq, holder}).second) {
          findings.push_back(MakeErrorFinding("RULE-RIKON-006",
                                              "同じ子について親権者が二つ指定されています。", key));
        }
      }
    }
    for (const Person& p : reg.persons) {
      if (p.removed || p.seq == husband.seq || p.seq == wife.seq) continue;
      if (!IsChildOfBoth(reg, p, husband, wife)) continue;
      std::optional<int> age = AgeOn(p, divorce_day);
      if (!age || *age >= kAdultAge || named.contains(p.seq)) continue;
      findings.push_back(MakeErrorFinding(
          "RULE-RIKON-005",
          kyogi
              ? "未成年の子の親権者が定められていません（協議離婚、民法819条1項）。"
              : "未成年の子の親権者（裁判で定められたもの）が記入されていません（民法819条2項）。",
          "custody_mother"));
    }
    std::vector<Custody> out;
    for (auto& [seq, c] : named) out.push_back(c);
    return out;
  }
};

}  // namespace

const NotificationRule& RikonRule() {
  static const RikonRuleImpl rule;
  return rule;
}

}  // namespace koseki::rules::internal
