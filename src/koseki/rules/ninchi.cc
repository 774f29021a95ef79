// 認知届, 任意認知 (民法779–783条, 戸籍法60–61条; DOMAIN.md §1.4, §2.2): a father acknowledges a
// child born out of wedlock.
//
// Creative (創設的): the 認知日 is the day of filing; no filing period. Out of scope here:
// 胎児認知 (民法783条1項: filed at the mother's 本籍地 with her consent, recorded when the child
// is born), 認知 of a deceased child (783条2項), and 遺言認知 / 裁判認知 (報告的).
// Validations: the child has no father yet; an adult child consents (782条); the father is a
// man, alive, and not younger than the child.
// Effect (no change of register and of 氏):
//   child  — 【父】 filled; 認知【認知日】【認知者氏名】【認知者の戸籍】. The 続柄 stays: since
//            平成16年 a child born out of wedlock is counted among the mother's such children,
//            acknowledged or not;
//   father — 認知【認知日】【認知した子の氏名】【認知した子の戸籍】 when his register is attached;
//            otherwise (and whenever his 本籍 is in another municipality) his 本籍地 gets a 送付.
#include "koseki/rules/internal/helpers.h"
#include "koseki/rules/internal/notification_rule_base.h"
#include "koseki/rules/internal/rule_set.h"

namespace koseki::rules::internal {
namespace {

constexpr int kAdultAge = 18;

// The acknowledging father, from an attached register or as written on the form.
struct Father {
  std::optional<ResolvedPerson> attached;
  std::string name;                // 高橋悠斗
  std::string register_reference;  // 本籍　筆頭者氏名
  std::string honseki;
  std::optional<std::chrono::year_month_day> birth = {};
};

// What the checks of a 認知届 establish.
struct Ninchi {
  ResolvedPerson child;
  Father father;
  text::JapaneseDate received_on;  // the 認知日
};

FormSpec MakeForm() {
  return FormSpec{NotificationType::kNinchi,
                  "認知届",
                  {
                      {"child",
                       "認知される子",
                       FieldType::kPersonRef,
                       true,
                       {},
                       "添付した戸籍の者（例 R1:2）。胎児認知は扱いません"},
                      {"father",
                       "認知する父",
                       FieldType::kPersonRef,
                       false,
                       {},
                       "父の戸籍を添付したとき（例 R2:1）"},
                      {"father_name",
                       "認知する父の氏名",
                       FieldType::kName,
                       false,
                       {},
                       "父の戸籍を添付しないとき（例 高橋悠斗）"},
                      {"father_birth_date",
                       "認知する父の生年月日",
                       FieldType::kDate,
                       false,
                       {},
                       "父の戸籍を添付しないとき"},
                      {"father_honseki",
                       "認知する父の本籍",
                       FieldType::kHonseki,
                       false,
                       {},
                       "父の戸籍を添付しないとき"},
                      {"father_hittosha",
                       "認知する父の戸籍の筆頭者氏名",
                       FieldType::kName,
                       false,
                       {},
                       "父の戸籍を添付しないとき"},
                      {"child_consent",
                       "成年の子の承諾",
                       FieldType::kChoice,
                       false,
                       {"承諾あり"},
                       "子が成年（18歳以上）のとき必須（民法782条）"},
                  }};
}

class NinchiRuleImpl final : public NotificationRuleBase<Ninchi> {
 public:
  NinchiRuleImpl() : NotificationRuleBase(MakeForm()) {}

 private:
  std::optional<Ninchi> Check(const Entry& entry, const RuleContext& context,
                              std::vector<Finding>& findings) const override {
    std::optional<ResolvedPerson> child =
        Resolve(context, *ParsePersonRef(*entry.Get("child")), "child", findings);
    std::optional<Father> father = ReadFather(entry, context, findings);
    std::optional<text::JapaneseDate> today = ReceivedDate(context, "RULE-NINCHI-010", findings);
    if (!child || !father || !today) return std::nullopt;

    const domain::Person& c = *child->person;
    if (c.removed) {
      findings.push_back(
          c.removal_kind == "死亡"
              ? MakeErrorFinding("RULE-NINCHI-008",
                                 "死亡した子の認知（民法783条2項）はこの届出では扱えません。",
                                 "child")
              : MakeErrorFinding(
                    "RULE-NINCHI-002",
                    "認知される子はこの戸籍から除籍されています。現在の戸籍を添付してください。",
                    "child"));
    }
    if (!c.father.empty()) {
      findings.push_back(
          MakeErrorFinding("RULE-NINCHI-003", "認知される子には既に父の記載があります。", "child"));
    }
    const std::optional<int> age = AgeOn(c, context.received_on);
    if (age && *age >= kAdultAge && !entry.Get("child_consent")) {
      findings.push_back(MakeErrorFinding(
          "RULE-NINCHI-004", "成年の子の認知には、その子の承諾が必要です（民法782条）。",
          "child_consent"));
    }
    if (father->birth && c.birth_date.day() && *father->birth > *c.birth_date.day()) {
      findings.push_back(MakeErrorFinding("RULE-NINCHI-005",
                                          "認知する父の生年月日が子の生年月日より後です。",
                                          father->attached ? "father" : "father_birth_date"));
    }
    if (father->attached) {
      const domain::Person& f = *father->attached->person;
      if (f.sex != domain::Sex::kMale) {
        findings.push_back(MakeErrorFinding("RULE-NINCHI-006",
                                            "認知する者は男性でなければなりません。", "father"));
      }
      if (f.removed) {
        findings.push_back(MakeErrorFinding(
            "RULE-NINCHI-007",
            f.removal_kind == "死亡"
                ? "認知する父が死亡しています（死後の認知は裁判によります）。"
                : "認知する父はこの戸籍から除籍されています。現在の戸籍を添付してください。",
            "father"));
      }
      if (father->attached->attached == child->attached) {
        findings.push_back(MakeErrorFinding(
            "RULE-NINCHI-011", "認知する父と子が同じ戸籍に在籍しています。", "father"));
      }
    }
    return Ninchi{.child = *child, .father = *std::move(father), .received_on = *today};
  }

  static std::optional<Father> ReadFather(const Entry& entry, const RuleContext& context,
                                          std::vector<Finding>& findings) {
    const std::optional<std::string> ref = entry.Get("father");
    const std::optional<std::string> name = entry.Get("father_name");
    const std::optional<std::string> birth = entry.Get("father_birth_date");
    const std::optional<std::string> honseki = entry.Get("father_honseki");
    const std::optional<std::string> hittosha = entry.Get("father_hittosha");
    const bool any_written = name || birth || honseki || hittosha;
    if (ref && any_written) {
      findings.push_back(MakeErrorFinding(
          "RULE-NINCHI-009",
          "父の戸籍を添付したときは、父の氏名・生年月日・本籍・筆頭者を記入しません。", "father"));
      return std::nullopt;
    }
    if (ref) {
      std::optional<ResolvedPerson> resolved =
          Resolve(context, *ParsePersonRef(*ref), "father", findings);
      if (!resolved) return std::nullopt;
      const domain::Register& reg = resolved->attached->value;
      return Father{.attached = resolved,
                    .name = reg.FullNameOf(*resolved->person),
                    .register_reference = RegisterReference(reg),
                    .honseki = reg.honseki,
                    .birth = resolved->person->birth_date.day()};
    }
    if (!name || !birth || !honseki || !hittosha) {
      findings.push_back(MakeErrorFinding("RULE-NINCHI-001",
                                          "認知する父の戸籍を添付するか、父の氏名・生年月日・本籍・"
                                          "筆頭者氏名をすべて記入してください。",
                                          "father"));
      return std::nullopt;
    }
    if (MunicipalityOf(*honseki) == context.municipality) {
      // His register is kept here and must get its 認知 entry in the same approval.
      findings.push_back(MakeErrorFinding(
          "RULE-NINCHI-012",
          "認知する父の本籍がこの市区町村にあるため、父の戸籍を添付して指定してください。",
          "father_honseki"));
      return std::nullopt;
    }
    return Father{.attached = std::nullopt,
                  .name = *name,
                  .register_reference = *honseki + "\u3000" + *hittosha,
                  .honseki = *honseki,
                  .birth = ParseDateValue(*birth)->day()};
  }

  ChangeSetOrError Apply(const Entry& /*entry*/, const RuleContext& context,
                         const Ninchi& ninchi) const override {
    const ResolvedPerson& child = ninchi.child;
    const Father& father = ninchi.father;
    const text::JapaneseDate& today = ninchi.received_on;
    ChangeSet change_set;
    const domain::Register& child_before = child.attached->value;

    domain::Register child_after = child_before;
    domain::Person& c = *FindPerson(child_after, child.person->seq);
    c.father = father.name;
    c.mibun_jiko.push_back(domain::MakeEvent(
        "認知", {domain::DateField("認知日", today), domain::TextField("認知者氏名", father.name),
                 domain::TextField("認知者の戸籍", father.register_reference)}));
    change_set.updates.push_back(UpdateOf(*child.attached, std::move(child_after)));

    if (father.attached) {
      domain::Register father_after = father.attached->attached->value;
      domain::Person& f = *FindPerson(father_after, father.attached->person->seq);
      f.mibun_jiko.push_back(domain::MakeEvent(
          "認知", {domain::DateField("認知日", today),
                   domain::TextField("認知した子の氏名", child_before.FullNameOf(*child.person)),
                   domain::TextField("認知した子の戸籍", RegisterReference(child_before))}));
      change_set.updates.push_back(UpdateOf(*father.attached->attached, std::move(father_after)));
    }
    AddNoticeIfElsewhere(context, child_before.honseki, "認知届（子の本籍地）", change_set);
    AddNoticeIfElsewhere(context, father.honseki, "認知届（父の本籍地）", change_set);
    return change_set;
  }
};

}  // namespace

const NotificationRule& NinchiRule() {
  static const NinchiRuleImpl rule;
  return rule;
}

}  // namespace koseki::rules::internal
