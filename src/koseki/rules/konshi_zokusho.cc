// 離婚の際に称していた氏を称する届 (婚氏続称; 民法767条2項, 戸籍法77条の2): within three months
// of the divorce, the spouse who went back to the former 氏 takes again the 氏 used in the
// marriage. Creative (創設的): it takes effect on filing; after the three months (counted as a
// 届出期間: the divorce day first, a closed last day extends) only the family court's
// permission can change the 氏 (107条1項), so a late filing is refused, not warned.
//
// Effect (UNVERIFIED tags, as the 氏の変更 entries of DOMAIN.md):
//   alone in a register of their own (the new register made at the divorce) — the register's
//     氏 changes: 戸籍事項 氏の変更【氏変更日】【氏変更の事由】【従前の記録】【氏】;
//   otherwise (back in the parents' register, or with others in theirs) — a new register at
//     the 新本籍 under the marriage's 氏 (戸籍法19条3項): leaving 氏の変更【氏変更日】
//     【氏変更の事由】【新本籍】 and 除籍; arriving
//     氏の変更【氏変更日】【氏変更の事由】【従前戸籍】 with the transcribed entries.
// In law the 氏 taken is a new one that only sounds like the marriage's: a child of that
// marriage who wants it files an 入籍届 with the court's permission.
#include <optional>
#include <string>
#include <string_view>

#include "koseki/domain/furigana.h"
#include "koseki/rules/internal/helpers.h"
#include "koseki/rules/internal/notification_rule_base.h"
#include "koseki/rules/internal/rule_set.h"

namespace koseki::rules::internal {
namespace {

// 【氏変更の事由】 of this filing (UNVERIFIED wording).
constexpr std::string_view kReason = "戸籍法７７条の２の届出";
constexpr FilingPeriod kPeriod{.months = 3};
// The date tags a 離婚 entry records the divorce by (協議, then the court kinds).
constexpr std::string_view kDivorceDayTags[] = {
    "離婚日",           "離婚の調停成立日",   "離婚の審判確定日",
    "離婚の和解成立日", "離婚の請求の認諾日", "離婚の裁判確定日"};

struct KonshiZokusho {
  ResolvedPerson person;
  std::string uji;
  std::optional<std::string> uji_furigana;
  std::optional<std::string> new_honseki;  // set: a new register
  text::JapaneseDate filed;
};

FormSpec MakeForm() {
  return FormSpec{
      NotificationType::kKonshiZokusho,
      "離婚の際に称していた氏を称する届",
      {
          {.key = "person",
           .label = "届出人（離婚により婚姻前の氏にもどった者）",
           .type = FieldType::kPersonRef,
           .required = true,
           .hint = "添付した戸籍の者（例 R1:1）"},
          {.key = "uji",
           .label = "離婚の際に称していた氏",
           .type = FieldType::kName,
           .required = true},
          {.key = "uji_furigana",
           .label = "その氏の振り仮名",
           .type = FieldType::kKana,
           .hint = "令和７年５月２６日以後の届出では必須"},
          {.key = "new_honseki",
           .label = "新本籍",
           .type = FieldType::kHonseki,
           .hint = "届出人が筆頭者で他に在籍者がいないときは空欄（戸籍の氏が変わります）"},
      }};
}

// The day of the person's last divorce, if their last marriage ended by one.
std::optional<std::chrono::year_month_day> DivorceDayOf(const domain::Person& p,
                                                        const domain::Event** entry) {
  std::optional<std::chrono::year_month_day> day;
  for (const domain::Event& e : p.mibun_jiko) {
    if (e.kind == "婚姻") day.reset();
    if (e.kind != "離婚") continue;
    for (std::string_view tag : kDivorceDayTags) {
      if (auto d = e.DateOf(tag); d && d->day()) {
        day = d->day();
        *entry = &e;
      }
    }
  }
  return day;
}

// True if the person has taken the marriage's 氏 since the divorce: by moving (their own
// 婚氏続称 entry) or in their own register (its 氏の変更 for this reason).
bool AlreadyTaken(const domain::Register& reg, const domain::Person& p) {
  bool taken = false;
  for (const domain::Event& e : p.mibun_jiko) {
    if (e.kind == "離婚") taken = false;
    if (e.kind == "婚氏続称") taken = true;
  }
  if (!IsHittosha(reg, p)) return taken;
  for (const domain::Event& e : reg.koseki_jiko) {
    if (e.kind == "氏の変更" && e.TextOf("氏変更の事由") == kReason) taken = true;
  }
  return taken;
}

class KonshiZokushoRuleImpl final : public NotificationRuleBase<KonshiZokusho> {
 public:
  KonshiZokushoRuleImpl() : NotificationRuleBase(MakeForm()) {}

 private:
  std::optional<KonshiZokusho> Check(const Entry& entry, const RuleContext& context,
                                     std::vector<Finding>& findings) const override {
    std::optional<ResolvedPerson> person =
        Resolve(context, *ParsePersonRef(*entry.Get("person")), "person", findings);
    std::optional<text::JapaneseDate> filed = ReceivedDate(context, "RULE-KONSHI-008", findings);
    if (!person || !filed) return std::nullopt;
    const domain::Register& reg = person->attached->value;
    const domain::Person& p = *person->person;
    if (p.removed || reg.status != domain::RegisterStatus::kGenzai) {
      findings.push_back(
          MakeErrorFinding("RULE-KONSHI-001", "届出人はこの戸籍から除籍されています。", "person"));
      return std::nullopt;
    }
    const domain::Event* rikon = nullptr;
    const std::optional<std::chrono::year_month_day> divorced = DivorceDayOf(p, &rikon);
    // Who went back to the former 氏 arrived here with the 離婚 entry naming the marital
    // register (【従前戸籍】); the spouse who kept the 氏 has none.
    if (!divorced || rikon->Find("従前戸籍") == nullptr) {
      findings.push_back(MakeErrorFinding(
          "RULE-KONSHI-002", "離婚により婚姻前の氏にもどった者であることが戸籍から確認できません。",
          "person"));
      return std::nullopt;
    }
    if (AlreadyTaken(reg, p)) {
      findings.push_back(
          MakeErrorFinding("RULE-KONSHI-003",
                           "この離婚について既に離婚の際に称していた氏を称しています。", "person"));
      return std::nullopt;
    }
    if (context.received_on > LastFilingDay(*divorced, kPeriod, *context.calendar)) {
      findings.push_back(MakeErrorFinding(
          "RULE-KONSHI-004",
          "離婚の日から３か月を過ぎています（民法767条2項）。氏の変更には家庭裁判所の許可が"
          "必要です（戸籍法107条1項）。",
          "person"));
    }
    const std::string uji = *entry.Get("uji");
    if (uji == reg.uji) {
      findings.push_back(MakeErrorFinding("RULE-KONSHI-005", "現在の氏と同じ氏です。", "uji"));
    }
    const std::optional<std::string> furigana = entry.Get("uji_furigana");
    if (!furigana && context.received_on >= domain::kFuriganaInForce) {
      findings.push_back(MakeErrorFinding(
          "RULE-KONSHI-006", "令和７年５月２６日以後の届出には氏の振り仮名が必要です。",
          "uji_furigana"));
    }
    // Alone in a register of their own, the register's 氏 changes; else a new register.
    bool alone = IsHittosha(reg, p);
    for (const domain::Person& other : reg.persons) {
      if (other.seq != p.seq && !other.removed) alone = false;
    }
    const std::optional<std::string> new_honseki = entry.Get("new_honseki");
    if (alone && new_honseki) {
      findings.push_back(MakeErrorFinding(
          "RULE-KONSHI-007", "届出人だけの戸籍の氏が変わるため、新本籍は記入しません。",
          "new_honseki"));
    } else if (!alone && !new_honseki) {
      findings.push_back(MakeErrorFinding(
          "RULE-KONSHI-007",
          "届出人について新しい戸籍をつくるため、新本籍を記入してください（戸籍法19条3項）。",
          "new_honseki"));
    }
    return KonshiZokusho{.person = *person,
                         .uji = uji,
                         .uji_furigana = furigana,
                         .new_honseki = alone ? std::nullopt : new_honseki,
                         .filed = *filed};
  }

  ChangeSetOrError Apply(const Entry& /*entry*/, const RuleContext& context,
                         const KonshiZokusho& checked) const override {
    const AttachedRegister& attached = *checked.person.attached;
    const domain::Register& before = attached.value;
    domain::Register after = before;
    ChangeSet change_set;
    const auto entry = [&](domain::Field where) {
      return domain::MakeEvent(
          "婚氏続称", {domain::DateField("氏変更日", checked.filed),
                       domain::TextField("氏変更の事由", std::string(kReason)), std::move(where)});
    };
    if (!checked.new_honseki) {
      after.koseki_jiko.push_back(domain::MakeEvent(
          "氏の変更", {domain::DateField("氏変更日", checked.filed),
                       domain::TextField("氏変更の事由", std::string(kReason)),
                       domain::TextField("従前の記録", ""), domain::TextField("氏", before.uji)}));
      after.uji = checked.uji;
      after.hittosha_uji = checked.uji;
      after.uji_furigana = checked.uji_furigana;
      change_set.updates.push_back(UpdateOf(attached, std::move(after)));
      return change_set;
    }
    domain::Person& leaving = *FindPerson(after, checked.person.person->seq);
    leaving.mibun_jiko.push_back(entry(domain::TextField("新本籍", *checked.new_honseki)));
    MarkRemoved(leaving, "婚氏続称");
    CloseIfEmpty(after, checked.filed);

    domain::Register created = NewRegister(*checked.new_honseki, checked.uji, checked.uji_furigana,
                                           leaving.mei, checked.filed);
    domain::Person arriving = Transcribe(leaving, 1);
    arriving.mibun_jiko.push_back(entry(domain::TextField("従前戸籍", RegisterReference(before))));
    created.persons.push_back(std::move(arriving));

    change_set.updates.push_back(UpdateOf(attached, std::move(after)));
    AddNewRegister(context, "婚氏続称による新戸籍", std::move(created), change_set);
    AddNoticeIfElsewhere(context, before.honseki, "離婚の際に称していた氏を称する届（従前本籍地）",
                         change_set);
    AddNoticeIfElsewhere(context, *checked.new_honseki,
                         "離婚の際に称していた氏を称する届（新本籍地）", change_set);
    return change_set;
  }
};

}  // namespace

const NotificationRule& KonshiZokushoRule() {
  static const KonshiZokushoRuleImpl rule;
  return rule;
}

}  // namespace koseki::rules::internal
