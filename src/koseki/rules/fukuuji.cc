// 復氏届 (民法751条1項, 戸籍法95条): after a spouse's death, the survivor who took the
// spouse's 氏 at marriage goes back to the 氏 before it. Creative (創設的): it takes effect on
// filing, by the survivor alone, at any time after the death.
//
// Effect (as a divorce moves the spouse who changed 氏; rules/internal/former_surname.h): the
// survivor gets 復氏【復氏日】 with 【入籍戸籍】 (back to the register they came from) or
// 【新本籍】 (a new register under the former 氏) and is 除籍 from the marital register; where they
// go they arrive with 復氏【復氏日】【従前戸籍】 and the transcribed entries, without the marriage
// that ended. The children stay (they follow only by an 入籍届). The 姻族関係 is not ended by this:
// that is the 姻族関係終了届 (96条). Tags UNVERIFIED, as the 離婚 entries they mirror.
#include <optional>
#include <string>

#include "koseki/rules/internal/former_surname.h"
#include "koseki/rules/internal/helpers.h"
#include "koseki/rules/internal/notification_rule_base.h"
#include "koseki/rules/internal/rule_set.h"

namespace koseki::rules::internal {
namespace {

struct Fukuuji {
  ResolvedPerson survivor;
  FormerSurnameDestination destination;
  text::JapaneseDate filed;
};

FormSpec MakeForm() {
  FormSpec form{NotificationType::kFukuuji,
                "復氏届",
                {{.key = "survivor",
                  .label = "届出人（婚姻前の氏にもどる生存配偶者）",
                  .type = FieldType::kPersonRef,
                  .required = true,
                  .hint = "添付した戸籍の者（例 R1:2）"}}};
  for (FieldSpec& field : FormerSurnameFields()) form.fields.push_back(std::move(field));
  return form;
}

class FukuujiRuleImpl final : public NotificationRuleBase<Fukuuji> {
 public:
  FukuujiRuleImpl() : NotificationRuleBase(MakeForm()) {}

 private:
  std::optional<Fukuuji> Check(const Entry& entry, const RuleContext& context,
                               std::vector<Finding>& findings) const override {
    std::optional<ResolvedPerson> survivor =
        Resolve(context, *ParsePersonRef(*entry.Get("survivor")), "survivor", findings);
    std::optional<text::JapaneseDate> filed = ReceivedDate(context, "RULE-FUKUUJI-005", findings);
    if (!survivor || !filed) return std::nullopt;
    const domain::Register& marital = survivor->attached->value;
    const domain::Person& p = *survivor->person;
    if (p.removed || marital.status != domain::RegisterStatus::kGenzai) {
      findings.push_back(MakeErrorFinding("RULE-FUKUUJI-001",
                                          "届出人はこの戸籍から除籍されています。", "survivor"));
      return std::nullopt;
    }
    if (!LateSpouseOf(p)) {
      findings.push_back(MakeErrorFinding(
          "RULE-FUKUUJI-002",
          "配偶者の死亡により婚姻が解消した者に限り復氏できます（離婚した者は離婚届によります）。",
          "survivor"));
      return std::nullopt;
    }
    if (IsHittosha(marital, p) || !SpouseSide(p)) {
      findings.push_back(MakeErrorFinding(
          "RULE-FUKUUJI-003",
          "婚姻の際に氏を改めた者（筆頭者の配偶者）に限り復氏できます（民法751条1項）。",
          "survivor"));
      return std::nullopt;
    }
    std::optional<FormerSurnameDestination> destination = CheckFormerSurnameDestination(
        entry, context, marital, p, {"RULE-FUKUUJI-004", "RULE-FUKUUJI-006"}, findings);
    if (!destination) return std::nullopt;
    return Fukuuji{.survivor = *survivor, .destination = *destination, .filed = *filed};
  }

  ChangeSetOrError Apply(const Entry& /*entry*/, const RuleContext& context,
                         const Fukuuji& checked) const override {
    const AttachedRegister& attached = *checked.survivor.attached;
    const domain::Register& before = attached.value;
    domain::Register after = before;
    domain::Person& leaving = *FindPerson(after, checked.survivor.person->seq);
    leaving.mibun_jiko.push_back(domain::MakeEvent(
        "復氏", {domain::DateField("復氏日", checked.filed), DepartureField(checked.destination)}));
    MarkRemoved(leaving, "復氏");
    CloseIfEmpty(after, checked.filed);

    ChangeSet change_set;
    change_set.updates.push_back(UpdateOf(attached, after));
    AddFormerSurnameArrival(context, checked.destination, leaving, before,
                            domain::MakeEvent("復氏", {domain::DateField("復氏日", checked.filed)}),
                            checked.filed, "復氏による新戸籍", "復氏届（新本籍地）",
                            "復氏届（復籍する戸籍の本籍地）", change_set);
    AddNoticeIfElsewhere(context, before.honseki, "復氏届（従前本籍地）", change_set);
    return change_set;
  }
};

}  // namespace

const NotificationRule& FukuujiRule() {
  static const FukuujiRuleImpl rule;
  return rule;
}

}  // namespace koseki::rules::internal
