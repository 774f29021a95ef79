// 分籍届 (戸籍法21条, 100–101条; DOMAIN.md §2.2): an adult who is neither 筆頭者 nor spouse
// leaves the register and becomes 筆頭者 of a new single-person register at the 新本籍.
//
// Creative (創設的): the 分籍日 is the day of filing, and there is no filing period.
// Effect:
//   old register — the person gets 分籍【分籍日】【新本籍】 and is 除籍; the register is closed if
//                  nobody is left;
//   new register — 戸籍事項 戸籍編製【編製日】, the person (seq 1) with the transcribable entries
//                  (出生, …) and 分籍【分籍日】【従前戸籍】.
// A new 本籍 in another municipality makes the new register that municipality's: it is then a
// RegisterCreation only when the municipality is hosted on this server (the label names its
// tenant, so that approval writes it there), and in every case a 送付 notice.
#include "koseki/rules/internal/helpers.h"
#include "koseki/rules/internal/notification_rule_base.h"
#include "koseki/rules/internal/rule_set.h"

namespace koseki::rules::internal {
namespace {

constexpr int kAdultAge = 18;  // 民法4条 (since 2022-04-01)

// What the checks of a 分籍届 establish.
struct Bunseki {
  ResolvedPerson person;
  std::string shin_honseki;
  text::JapaneseDate received_on;  // the 分籍日
};

FormSpec MakeForm() {
  return FormSpec{
      NotificationType::kBunseki,
      "分籍届",
      {
          {"person", "分籍する者", FieldType::kPersonRef, true, {}, "添付した戸籍の者（例 R1:3）"},
          {"shin_honseki",
           "新本籍",
           FieldType::kHonseki,
           true,
           {},
           "例 青葉県みなと市緑町一丁目８番地"},
      }};
}

class BunsekiRuleImpl final : public NotificationRuleBase<Bunseki> {
 public:
  BunsekiRuleImpl() : NotificationRuleBase(MakeForm()) {}

 private:
  std::optional<Bunseki> Check(const Entry& entry, const RuleContext& context,
                               std::vector<Finding>& findings) const override {
    const std::string shin_honseki = *entry.Get("shin_honseki");
    Result<PersonRef> ref = ParsePersonRef(*entry.Get("person"));
    std::optional<ResolvedPerson> resolved = Resolve(context, *ref, "person", findings);
    std::optional<text::JapaneseDate> today = ReceivedDate(context, "RULE-BUNSEKI-007", findings);
    if (!resolved || !today) return std::nullopt;

    const domain::Register& old_reg = resolved->attached->value;
    const domain::Person& person = *resolved->person;
    if (old_reg.status != domain::RegisterStatus::kGenzai || person.removed) {
      findings.push_back(MakeErrorFinding(
          "RULE-BUNSEKI-004", "分籍する者はこの戸籍から既に除籍されています。", "person"));
    }
    if (IsHittosha(old_reg, person)) {
      findings.push_back(MakeErrorFinding(
          "RULE-BUNSEKI-002", "戸籍の筆頭者は分籍できません（戸籍法21条）。", "person"));
    } else if (SpouseSide(person)) {
      findings.push_back(MakeErrorFinding(
          "RULE-BUNSEKI-003", "筆頭者の配偶者は分籍できません（戸籍法21条）。", "person"));
    }
    if (std::optional<int> age = AgeOn(person, context.received_on)) {
      if (*age < kAdultAge) {
        findings.push_back(MakeErrorFinding("RULE-BUNSEKI-001",
                                            "未成年者は分籍できません（届出日に" +
                                                std::to_string(*age) +
                                                "歳。分籍は18歳以上に限ります。戸籍法21条）。",
                                            "person"));
      }
    } else {
      findings.push_back(MakeWarningFinding(
          "RULE-BUNSEKI-005", "生年月日が不詳のため、18歳以上であることを戸籍から確認できません。",
          "person"));
    }
    if (shin_honseki == old_reg.honseki) {
      findings.push_back(
          MakeErrorFinding("RULE-BUNSEKI-006", "新本籍が従前の本籍と同じです。", "shin_honseki"));
    }
    return Bunseki{.person = *resolved, .shin_honseki = shin_honseki, .received_on = *today};
  }

  ChangeSetOrError Apply(const Entry& /*entry*/, const RuleContext& context,
                         const Bunseki& bunseki) const override {
    const ResolvedPerson& resolved = bunseki.person;
    const std::string& shin_honseki = bunseki.shin_honseki;
    const text::JapaneseDate& today = bunseki.received_on;
    ChangeSet change_set;
    const AttachedRegister& attached = *resolved.attached;

    domain::Register old_after = attached.value;
    domain::Person& leaving = *FindPerson(old_after, resolved.person->seq);
    leaving.mibun_jiko.push_back(domain::MakeEvent(
        "分籍", {domain::DateField("分籍日", today), domain::TextField("新本籍", shin_honseki)}));
    MarkRemoved(leaving, "分籍");
    CloseIfEmpty(old_after, today);

    domain::Register created = NewRegister(shin_honseki, attached.value.uji,
                                           attached.value.uji_furigana, leaving.mei, today);
    domain::Person hittosha = Transcribe(*resolved.person, 1);
    hittosha.mibun_jiko.push_back(domain::MakeEvent(
        "分籍", {domain::DateField("分籍日", today),
                 domain::TextField("従前戸籍", RegisterReference(attached.value))}));
    created.persons.push_back(std::move(hittosha));

    change_set.updates.push_back(UpdateOf(attached, std::move(old_after)));
    AddNewRegister(context, "分籍による新戸籍", std::move(created), change_set);
    AddNoticeIfElsewhere(context, attached.value.honseki, "分籍届（従前本籍地）", change_set);
    AddNoticeIfElsewhere(context, shin_honseki, "分籍届（新本籍地）", change_set);
    return change_set;
  }
};

}  // namespace

const NotificationRule& BunsekiRule() {
  static const BunsekiRuleImpl rule;
  return rule;
}

}  // namespace koseki::rules::internal
