// 入籍届 (戸籍法98–99条, 民法791条; DOMAIN.md §2.2, §2.3 rule 2): a child whose 氏 differs from a
// parent's takes that parent's 氏 and moves into the parent's register.
//
// Creative (創設的): recorded on the day of filing (the date tag is 【届出日】, §1.4a); no filing
// period. Reasons (入籍事由) and the court permission (子の氏の変更許可, 民法791条1項):
//   父の氏を称する入籍 / 母の氏を称する入籍 — permission required;
//   父母の氏を称する入籍 — without permission when the parents are married to each other and
//     both are in the destination register (791条2項); this rule requires that;
//   従前の氏を称する入籍 — within one year of coming of age (791条4項): 18 on the filing day.
// A child under 15 files through the legal representative (791条3項): 【届出人】.
// Effect:
//   old register — 入籍【届出日】【除籍事由】【届出人】【入籍戸籍】 and 除籍; closed if empty;
//   destination  — the child at the end with the transcribable entries and
//                  入籍【届出日】【入籍事由】【届出人】【従前戸籍】.
// The 続柄 is kept: it counts the children of the same parents (or, for a child born out of
//   wedlock, the mother's such children) wherever they are registered, so moving does not
//   change it.
// 三代戸籍の禁止 (戸籍法17条): when the parent is not 筆頭者 or spouse, a new register is first
//   made for the parent at the parent's 新本籍, and the child enters that one. The parent gets
//   入籍【除籍事由】子の入籍届出【新本籍】 in the register left (a new register is named by its
//   本籍 alone, as 婚姻 and 分籍 name one) and 入籍【入籍事由】子の入籍届出【従前戸籍】 in the new
//   one (wording: helpers.h kArticle17ReasonNyuseki).
#include "koseki/rules/internal/helpers.h"
#include "koseki/rules/internal/notification_rule_base.h"
#include "koseki/rules/internal/rule_set.h"

namespace koseki::rules::internal {
namespace {

constexpr std::string_view kChichi = "父の氏を称する入籍";
constexpr std::string_view kHaha = "母の氏を称する入籍";
constexpr std::string_view kFubo = "父母の氏を称する入籍";
constexpr std::string_view kJuzen = "従前の氏を称する入籍";
constexpr int kAdultAge = 18;

// An 入籍 event: `jiyu_tag` is 除籍事由 (register left) or 入籍事由 (register entered),
// `register_tag` 入籍戸籍, 従前戸籍 or (a register made under 17条) 新本籍.
domain::Event NyusekiEvent(const text::JapaneseDate& today, std::string_view jiyu_tag,
                           std::string jiyu, const std::optional<std::string>& filer,
                           std::string_view register_tag, std::string reference) {
  std::vector<domain::Field> fields = {domain::DateField("届出日", today),
                                       domain::TextField(std::string(jiyu_tag), std::move(jiyu))};
  if (filer) fields.push_back(domain::TextField("届出人", *filer));
  fields.push_back(domain::TextField(std::string(register_tag), std::move(reference)));
  return domain::MakeEvent("入籍", std::move(fields));
}

// What the checks of an 入籍届 establish.
struct Nyuseki {
  ResolvedPerson child;
  ResolvedPerson parent;
  std::string jiyu;                  // 入籍事由
  std::optional<std::string> filer;  // the legal representative of a child under 15
  // The parent's 新本籍 when the parent first gets a new register (戸籍法17条).
  std::optional<std::string> parent_shin_honseki;
  text::JapaneseDate received_on;
};

FormSpec MakeForm() {
  return FormSpec{
      NotificationType::kNyuseki,
      "入籍届",
      {
          {"child", "入籍する者", FieldType::kPersonRef, true, {}, "添付した戸籍の者（例 R1:2）"},
          {"parent",
           "入籍先の父または母",
           FieldType::kPersonRef,
           true,
           {},
           "入籍する戸籍にいる父または母（例 R2:1）"},
          {"nyuseki_jiyu",
           "入籍事由",
           FieldType::kChoice,
           true,
           {std::string(kChichi), std::string(kHaha), std::string(kFubo), std::string(kJuzen)}},
          {"permission_date",
           "子の氏の変更許可の審判確定日",
           FieldType::kDate,
           false,
           {},
           "父の氏・母の氏を称する入籍のとき（民法791条1項）"},
          {"parent_shin_honseki",
           "父または母の新本籍",
           FieldType::kHonseki,
           false,
           {},
           "父または母が筆頭者・配偶者でないとき（戸籍法17条）"},
          {"todokedenin",
           "届出人（15歳未満の子の法定代理人）",
           FieldType::kText,
           false,
           {},
           "例 親権者母"},
      }};
}

class NyusekiRuleImpl final : public NotificationRuleBase<Nyuseki> {
 public:
  NyusekiRuleImpl() : NotificationRuleBase(MakeForm()) {}

 private:
  std::optional<Nyuseki> Check(const Entry& entry, const RuleContext& context,
                               std::vector<Finding>& findings) const override {
    std::optional<ResolvedPerson> child =
        Resolve(context, *ParsePersonRef(*entry.Get("child")), "child", findings);
    std::optional<ResolvedPerson> parent =
        Resolve(context, *ParsePersonRef(*entry.Get("parent")), "parent", findings);
    std::optional<text::JapaneseDate> today = ReceivedDate(context, "RULE-NYUSEKI-012", findings);
    if (!child || !parent || !today) return std::nullopt;

    const std::string jiyu = *entry.Get("nyuseki_jiyu");
    const domain::Person& c = *child->person;
    const domain::Person& p = *parent->person;
    const domain::Register& child_reg = child->attached->value;
    const domain::Register& parent_reg = parent->attached->value;
    const std::string parent_name = parent_reg.FullNameOf(p);

    if (c.removed || child_reg.status != domain::RegisterStatus::kGenzai) {
      findings.push_back(MakeErrorFinding(
          "RULE-NYUSEKI-001", "入籍する者はこの戸籍から既に除籍されています。", "child"));
    }
    if (p.removed || parent_reg.status != domain::RegisterStatus::kGenzai) {
      findings.push_back(MakeErrorFinding(
          "RULE-NYUSEKI-002", "入籍先の父または母はこの戸籍から既に除籍されています。", "parent"));
    }
    if (IsHittoshaOrSpouse(child_reg, c)) {
      findings.push_back(MakeErrorFinding(
          "RULE-NYUSEKI-011",
          "筆頭者またはその配偶者は入籍届により父母の戸籍に入ることはできません。", "child"));
    }
    const bool is_father = parent_name == c.father || parent_name == c.yofu;
    const bool is_mother = parent_name == c.mother || parent_name == c.yobo;
    if (!is_father && !is_mother) {
      findings.push_back(
          MakeErrorFinding("RULE-NYUSEKI-003",
                           "入籍先の者は、入籍する者の父母として記録されていません。", "parent"));
    } else if ((jiyu == kChichi && !is_father) || (jiyu == kHaha && !is_mother)) {
      findings.push_back(MakeErrorFinding(
          "RULE-NYUSEKI-013", "入籍事由と入籍先の父または母が一致しません。", "nyuseki_jiyu"));
    }
    if (child->attached == parent->attached) {
      findings.push_back(MakeErrorFinding(
          "RULE-NYUSEKI-004", "入籍する者は既に入籍先の戸籍に在籍しています。", "child"));
    }

    bool permission_needed = jiyu == kChichi || jiyu == kHaha;
    if (jiyu == kFubo) {
      // 791条2項: the parents, married to each other, are both in the destination register.
      const domain::Person* spouse = CurrentSpouse(parent_reg, p);
      const std::string other = is_father ? c.mother : c.father;
      if (spouse == nullptr || parent_reg.FullNameOf(*spouse) != other) {
        findings.push_back(MakeErrorFinding(
            "RULE-NYUSEKI-014",
            "父母の氏を称する入籍は、婚姻中の父母がともに入籍先の戸籍に在籍する場合に限ります。",
            "nyuseki_jiyu"));
      }
    }
    std::optional<int> age = AgeOn(c, context.received_on);
    if (jiyu == kJuzen && (!age || *age < kAdultAge || *age >= kAdultAge + 1)) {
      findings.push_back(MakeErrorFinding(
          "RULE-NYUSEKI-007",
          "従前の氏を称する入籍は、成年に達した時から1年以内に限ります（民法791条4項）。",
          "nyuseki_jiyu"));
    }
    if (std::optional<std::string> permission = entry.Get("permission_date")) {
      const text::JapaneseDate date = *ParseDateValue(*permission);
      if (date.day()) {
        if (auto f = EventAfterFilingError(*date.day(), context.received_on, "permission_date")) {
          findings.push_back(std::move(*f));
        }
      }
    } else if (permission_needed) {
      findings.push_back(MakeErrorFinding("RULE-NYUSEKI-005",
                                          "父または母の氏を称する入籍には、家庭裁判所の子の氏の変更"
                                          "許可（民法791条1項）の審判確定日が必要です。",
                                          "permission_date"));
    }

    const std::optional<std::string> filer = entry.Get("todokedenin");
    if (auto f = RepresentativeError(
            age, filer.has_value(),
            MakeErrorFinding("RULE-NYUSEKI-008",
                             "入籍する者が15歳未満のため、法定代理人を届出人として記入してください"
                             "（民法791条3項）。",
                             "todokedenin"),
            MakeErrorFinding("RULE-NYUSEKI-010",
                             "入籍する者が15歳以上のため、本人が届出人となります。",
                             "todokedenin"))) {
      findings.push_back(std::move(*f));
    }

    const bool sandai = !IsHittoshaOrSpouse(parent_reg, p);
    const std::optional<std::string> shin_honseki = entry.Get("parent_shin_honseki");
    if (sandai && !shin_honseki) {
      findings.push_back(MakeErrorFinding("RULE-NYUSEKI-006",
                                          "入籍先の父または母が筆頭者・配偶者でないため、父または母"
                                          "の新戸籍（戸籍法17条）の新本籍を記入してください。",
                                          "parent_shin_honseki"));
    } else if (!sandai && shin_honseki) {
      findings.push_back(MakeErrorFinding(
          "RULE-NYUSEKI-009", "入籍先の父または母は筆頭者・配偶者のため、新本籍は記入しません。",
          "parent_shin_honseki"));
    }
    return Nyuseki{.child = *child,
                   .parent = *parent,
                   .jiyu = jiyu,
                   .filer = filer,
                   .parent_shin_honseki = sandai ? shin_honseki : std::nullopt,
                   .received_on = *today};
  }

  ChangeSetOrError Apply(const Entry& /*entry*/, const RuleContext& context,
                         const Nyuseki& nyuseki) const override {
    const ResolvedPerson& child = nyuseki.child;
    const ResolvedPerson& parent = nyuseki.parent;
    const std::string& jiyu = nyuseki.jiyu;
    const std::optional<std::string>& filer = nyuseki.filer;
    const std::optional<std::string>& parent_shin_honseki = nyuseki.parent_shin_honseki;
    const text::JapaneseDate& today = nyuseki.received_on;
    ChangeSet change_set;
    const domain::Register& child_before = child.attached->value;
    const domain::Register& parent_before = parent.attached->value;

    // The destination: the parent's register, or the parent's new 17条 register.
    domain::Register destination;
    std::optional<domain::Register> parent_old_after;
    if (parent_shin_honseki) {
      destination = NewRegister(*parent_shin_honseki, parent_before.uji, parent_before.uji_furigana,
                                parent.person->mei, today);
      domain::Person moved = Transcribe(*parent.person, 1);
      moved.mibun_jiko.push_back(NyusekiEvent(today, "入籍事由",
                                              std::string(kArticle17ReasonNyuseki), std::nullopt,
                                              "従前戸籍", RegisterReference(parent_before)));
      destination.persons.push_back(std::move(moved));

      parent_old_after = parent_before;
      domain::Person& leaving = *FindPerson(*parent_old_after, parent.person->seq);
      leaving.mibun_jiko.push_back(NyusekiEvent(today, "除籍事由",
                                                std::string(kArticle17ReasonNyuseki), std::nullopt,
                                                "新本籍", destination.honseki));
      MarkRemoved(leaving, "入籍");
      CloseIfEmpty(*parent_old_after, today);
    } else {
      destination = parent_before;
    }

    domain::Register child_after = child_before;
    domain::Person& leaving_child = *FindPerson(child_after, child.person->seq);
    leaving_child.mibun_jiko.push_back(
        NyusekiEvent(today, "除籍事由", jiyu, filer, "入籍戸籍", RegisterReference(destination)));
    MarkRemoved(leaving_child, "入籍");
    CloseIfEmpty(child_after, today);

    domain::Person entering = Transcribe(*child.person, NextSeq(destination));
    entering.mibun_jiko.push_back(
        NyusekiEvent(today, "入籍事由", jiyu, filer, "従前戸籍", RegisterReference(child_before)));
    destination.persons.push_back(std::move(entering));

    change_set.updates.push_back(UpdateOf(*child.attached, std::move(child_after)));
    if (parent_old_after) {
      change_set.updates.push_back(UpdateOf(*parent.attached, std::move(*parent_old_after)));
      AddNewRegister(context, "戸籍法17条による新戸籍（入籍）", std::move(destination), change_set);
    } else {
      change_set.updates.push_back(UpdateOf(*parent.attached, std::move(destination)));
    }
    AddNoticeIfElsewhere(context, child_before.honseki, "入籍届（入籍する者の従前本籍地）",
                         change_set);
    AddNoticeIfElsewhere(context, parent_before.honseki, "入籍届（入籍先の本籍地）", change_set);
    if (parent_shin_honseki) {
      AddNoticeIfElsewhere(context, *parent_shin_honseki, "入籍届（父または母の新本籍地）",
                           change_set);
    }
    return change_set;
  }
};

}  // namespace

const NotificationRule& NyusekiRule() {
  static const NyusekiRuleImpl rule;
  return rule;
}

}  // namespace koseki::rules::internal
