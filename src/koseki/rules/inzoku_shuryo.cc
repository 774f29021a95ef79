// 姻族関係終了届 (民法728条2項, 戸籍法96条): after a spouse's death, the survivor ends the
// relationship by marriage with the deceased spouse's relatives. Creative (創設的): it takes
// effect on filing, by the survivor alone, at any time after the death, whether or not the
// survivor has remarried or gone back to the former 氏.
//
// Effect: the survivor gets 姻族関係終了【姻族関係終了日】【死亡配偶者氏名】 (tag names as in
// the computerized 記載例 as remembered; UNVERIFIED). Nothing else changes: the marriage
// already ended with the death, and the survivor stays in the register.
#include <optional>
#include <string>

#include "koseki/rules/internal/helpers.h"
#include "koseki/rules/internal/notification_rule_base.h"
#include "koseki/rules/internal/rule_set.h"

namespace koseki::rules::internal {
namespace {

struct InzokuShuryo {
  ResolvedPerson survivor;
  std::string deceased_spouse;
  text::JapaneseDate filed;
};

FormSpec MakeForm() {
  return FormSpec{NotificationType::kInzokuShuryo,
                  "姻族関係終了届",
                  {
                      {.key = "survivor",
                       .label = "届出人（生存配偶者）",
                       .type = FieldType::kPersonRef,
                       .required = true,
                       .hint = "添付した戸籍の者（例 R1:2）"},
                      {.key = "deceased_spouse_name",
                       .label = "死亡した配偶者の氏名",
                       .type = FieldType::kName,
                       .hint = "戸籍に婚姻の記載がないとき（再婚・復氏の後など）"},
                  }};
}

bool AlreadyEnded(const domain::Person& p, const std::string& spouse) {
  for (const domain::Event& e : p.mibun_jiko) {
    if (e.kind == "姻族関係終了" && e.TextOf("死亡配偶者氏名") == spouse) return true;
  }
  return false;
}

class InzokuShuryoRuleImpl final : public NotificationRuleBase<InzokuShuryo> {
 public:
  InzokuShuryoRuleImpl() : NotificationRuleBase(MakeForm()) {}

 private:
  std::optional<InzokuShuryo> Check(const Entry& entry, const RuleContext& context,
                                    std::vector<Finding>& findings) const override {
    std::optional<ResolvedPerson> survivor =
        Resolve(context, *ParsePersonRef(*entry.Get("survivor")), "survivor", findings);
    std::optional<text::JapaneseDate> filed = ReceivedDate(context, "RULE-INZOKU-005", findings);
    if (!survivor || !filed) return std::nullopt;
    const domain::Person& p = *survivor->person;
    if (p.removed || survivor->attached->value.status != domain::RegisterStatus::kGenzai) {
      findings.push_back(MakeErrorFinding("RULE-INZOKU-001",
                                          "届出人はこの戸籍から除籍されています。", "survivor"));
      return std::nullopt;
    }
    const std::optional<std::string> recorded = LateSpouseOf(p);
    const std::optional<std::string> written = entry.Get("deceased_spouse_name");
    if (recorded && written && *recorded != *written) {
      findings.push_back(MakeErrorFinding("RULE-INZOKU-002",
                                          "死亡した配偶者の氏名が戸籍の婚姻の記載と一致しません。",
                                          "deceased_spouse_name"));
      return std::nullopt;
    }
    if (!recorded && !written) {
      findings.push_back(MakeErrorFinding(
          "RULE-INZOKU-003",
          "戸籍から配偶者の死亡を確認できません（婚姻中の者、離婚した者は届け出られません）。"
          "再婚・復氏などで婚姻の記載がないときは、死亡した配偶者の氏名を記入し、除籍謄本で"
          "死亡を確認してください。",
          "survivor"));
      return std::nullopt;
    }
    const std::string spouse = recorded ? *recorded : *written;
    if (AlreadyEnded(p, spouse)) {
      findings.push_back(MakeErrorFinding(
          "RULE-INZOKU-004", "この配偶者との姻族関係終了は既に記載されています。", "survivor"));
      return std::nullopt;
    }
    if (!recorded) {
      findings.push_back(MakeWarningFinding(
          "RULE-INZOKU-006",
          "配偶者の死亡はこの戸籍に記載がありません。除籍謄本などで死亡を確認し、確認した資料を"
          "理由に記入してください。",
          "deceased_spouse_name"));
    }
    return InzokuShuryo{.survivor = *survivor, .deceased_spouse = spouse, .filed = *filed};
  }

  ChangeSetOrError Apply(const Entry& /*entry*/, const RuleContext& context,
                         const InzokuShuryo& checked) const override {
    const AttachedRegister& attached = *checked.survivor.attached;
    domain::Register after = attached.value;
    FindPerson(after, checked.survivor.person->seq)
        ->mibun_jiko.push_back(domain::MakeEvent(
            "姻族関係終了", {domain::DateField("姻族関係終了日", checked.filed),
                             domain::TextField("死亡配偶者氏名", checked.deceased_spouse)}));
    ChangeSet change_set;
    change_set.updates.push_back(UpdateOf(attached, std::move(after)));
    AddNoticeIfElsewhere(context, attached.value.honseki, "姻族関係終了届（本籍地）", change_set);
    return change_set;
  }
};

}  // namespace

const NotificationRule& InzokuShuryoRule() {
  static const InzokuShuryoRuleImpl rule;
  return rule;
}

}  // namespace koseki::rules::internal
