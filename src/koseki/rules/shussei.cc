// 出生届 (DOMAIN.md §2.2; 戸籍法49–59条, 17条; 民法790条). A reporting notification: 14 days
// (3 months for a birth abroad) counted from the day of birth.
//
// Where the child is entered:
//   * 嫡出子: the register of the parents' marriage (the Japanese parent's register when the
//     other parent is a foreign national, who is named only);
//   * 嫡出でない子: the mother's register — unless the mother is a child member of her own
//     parents' register, when a new register is made for her first (三代戸籍の禁止, 17条): she
//     is removed from her parents' register, becomes 筆頭者 of the new one (at the 新本籍 of
//     the form, or by default at her present 本籍, 戸籍法30条3項), and the child follows.
//
// Wording of the mother's entries in the 17条 case: the event table has no 除籍 kind, so the
// mother's move is recorded as 入籍 with 【届出日】【除籍事由】子の出生届出【入籍戸籍】 in the old
// register and 【届出日】【入籍事由】子の出生届出【従前戸籍】 in the new one (UNVERIFIED wording;
// confirm against the 記載例).
#include <algorithm>
#include <set>
#include <string>
#include <tuple>

#include "koseki/domain/furigana.h"
#include "koseki/domain/zokugara.h"
#include "koseki/rules/internal/helpers.h"
#include "koseki/rules/internal/notification_rule_base.h"
#include "koseki/rules/internal/rule_set.h"

namespace koseki::rules::internal {
namespace {

using std::chrono::year_month_day;

constexpr std::string_view kChakushutsu = "嫡出子";
constexpr std::string_view kHichakushutsu = "嫡出でない子";
constexpr std::string_view kYes = "はい";

FormSpec MakeForm() {
  return FormSpec{NotificationType::kShussei,
                  "出生届",
                  {
                      {.key = "child_mei",
                       .label = "子の名",
                       .type = FieldType::kGivenName,
                       .required = true,
                       .hint = "常用漢字・人名用漢字・ひらがな・カタカナ"},
                      {.key = "child_mei_furigana",
                       .label = "子の名の振り仮名",
                       .type = FieldType::kKana,
                       .hint = "カタカナ（令和７年５月２６日以後の届出では必須）"},
                      {.key = "child_sex",
                       .label = "男女の別",
                       .type = FieldType::kChoice,
                       .required = true,
                       .choices = {"男", "女"}},
                      {.key = "chakushutsu",
                       .label = "父母との続き柄",
                       .type = FieldType::kChoice,
                       .required = true,
                       .choices = {std::string(kChakushutsu), std::string(kHichakushutsu)}},
                      {.key = "birth_date",
                       .label = "生まれた年月日",
                       .type = FieldType::kDate,
                       .required = true},
                      {.key = "birth_time",
                       .label = "生まれた時刻",
                       .type = FieldType::kTime,
                       .hint = "例：9:05"},
                      {.key = "tatai_count",
                       .label = "多胎の数（出生証明書の「多胎（N子中第n子）」のN）",
                       .type = FieldType::kChoice,
                       .choices = {"2", "3", "4", "5"},
                       .hint = "双子は2。単胎なら空欄"},
                      {.key = "tatai_order",
                       .label = "多胎の出生順（第n子）",
                       .type = FieldType::kChoice,
                       .choices = {"1", "2", "3", "4", "5"},
                       .hint = "出生証明書の「第n子」"},
                      {.key = "birth_place",
                       .label = "生まれたところ",
                       .type = FieldType::kText,
                       .required = true,
                       .hint = "市区町村まで記録されます（例：青葉県みなと市）。国外は国名から"},
                      {.key = "born_abroad",
                       .label = "国外での出生",
                       .type = FieldType::kChoice,
                       .choices = {"はい", "いいえ"},
                       .hint = "はい：届出期間は３か月"},
                      {.key = "kokuseki_ryuho",
                       .label = "国籍留保の届出",
                       .type = FieldType::kChoice,
                       .choices = {"する", "しない"},
                       .hint = "国外で生まれ外国籍も取得した子（国籍法12条）"},
                      {.key = "father",
                       .label = "父（添付戸籍の者）",
                       .type = FieldType::kPersonRef,
                       .hint = "例：R1:1"},
                      {.key = "father_name",
                       .label = "父の氏名（添付戸籍にない場合）",
                       .type = FieldType::kName,
                       .hint = "外国人の父など"},
                      {.key = "mother",
                       .label = "母（添付戸籍の者）",
                       .type = FieldType::kPersonRef,
                       .hint = "例：R1:2"},
                      {.key = "mother_name",
                       .label = "母の氏名（添付戸籍にない場合）",
                       .type = FieldType::kName,
                       .hint = "外国人の母など"},
                      {.key = "new_honseki",
                       .label = "母の新本籍（母について新戸籍を編製する場合）",
                       .type = FieldType::kHonseki,
                       .hint = "空欄なら母の従前の本籍と同じ場所（戸籍法30条3項）"},
                      {.key = "todokedenin_shikaku",
                       .label = "届出人の資格",
                       .type = FieldType::kChoice,
                       .required = true,
                       .choices = {"父", "母", "同居者", "医師", "助産師", "その他の立会者",
                                   "法定代理人", "公設所の長"}},
                      {.key = "todokedenin_name",
                       .label = "届出人の氏名",
                       .type = FieldType::kName,
                       .hint = "父・母以外が届け出る場合"},
                  }};
}

// The values of one entry, typed.
struct Typed {
  std::string mei;
  std::optional<std::string> furigana;
  domain::Sex sex = domain::Sex::kMale;
  bool chakushutsu = true;
  text::JapaneseDate birth = text::JapaneseDate::Inexact("");
  std::string place;
  bool abroad = false;
  bool ryuho = false;
  std::optional<ResolvedPerson> father;
  std::optional<std::string> father_name;
  std::optional<ResolvedPerson> mother;
  std::optional<std::string> mother_name;
  std::optional<std::string> new_honseki;
  std::string shikaku;
  std::optional<std::string> filer_name;
  // 多胎 (出生証明書 "N子中第n子"): N and n, when the entry gives them.
  std::optional<int> tatai_count;
  std::optional<int> tatai_order;
};

bool HasAcknowledgingEntry(const domain::Person& p) {
  return std::any_of(p.mibun_jiko.begin(), p.mibun_jiko.end(), [](const domain::Event& e) {
    return e.kind == "認知" && e.Find("認知者氏名") != nullptr;
  });
}

// Every person of the attached registers as a possible sibling, once each (a person moved to
// another attached register appears in both).
std::vector<domain::ChildOfParents> Siblings(const RuleContext& context) {
  std::vector<domain::ChildOfParents> siblings;
  std::set<std::tuple<std::string, std::string, std::string, std::string>> seen;
  for (const AttachedRegister& a : context.registers) {
    for (const domain::Person& p : a.value.persons) {
      if (p.mother.empty()) continue;
      if (!seen.insert({p.mei, p.birth_date.ToIso(), p.father, p.mother}).second) continue;
      siblings.push_back(
          domain::ChildOfParents{.sex = p.sex,
                                 .birth_date = p.birth_date,
                                 .father = p.father,
                                 .mother = p.mother,
                                 .chakushutsu = !p.father.empty() && !HasAcknowledgingEntry(p)});
    }
  }
  return siblings;
}

class ShusseiRuleImpl final : public NotificationRuleBase<Typed> {
 public:
  ShusseiRuleImpl() : NotificationRuleBase(MakeForm()) {}

 private:
  std::optional<Typed> Check(const Entry& entry, const RuleContext& context,
                             std::vector<Finding>& findings) const override {
    Typed t = Type(entry, context, findings);
    Validate(t, context, findings);
    return t;
  }

  static Typed Type(const Entry& entry, const RuleContext& context,
                    std::vector<Finding>& findings) {
    Typed t;
    t.mei = *entry.Get("child_mei");
    t.furigana = entry.Get("child_mei_furigana");
    t.sex = *entry.Get("child_sex") == "男" ? domain::Sex::kMale : domain::Sex::kFemale;
    t.chakushutsu = *entry.Get("chakushutsu") == kChakushutsu;
    t.birth = *ParseDateValue(*entry.Get("birth_date"));
    t.place = *entry.Get("birth_place");
    t.abroad = entry.Get("born_abroad") == kYes;
    t.ryuho = entry.Get("kokuseki_ryuho") == "する";
    if (auto ref = entry.Get("father")) {
      t.father = Resolve(context, *ParsePersonRef(*ref), "father", findings);
    }
    t.father_name = entry.Get("father_name");
    if (auto ref = entry.Get("mother")) {
      t.mother = Resolve(context, *ParsePersonRef(*ref), "mother", findings);
    }
    t.mother_name = entry.Get("mother_name");
    t.new_honseki = entry.Get("new_honseki");
    t.shikaku = *entry.Get("todokedenin_shikaku");
    t.filer_name = entry.Get("todokedenin_name");
    if (auto n = entry.Get("tatai_count")) t.tatai_count = std::stoi(*n);
    if (auto n = entry.Get("tatai_order")) t.tatai_order = std::stoi(*n);
    return t;
  }

  // The child as ComputeZokugara counts it, its parents named as the registers print them.
  static domain::ChildOfParents AsSibling(const Typed& t) {
    domain::ChildOfParents child{.sex = t.sex, .birth_date = t.birth, .chakushutsu = t.chakushutsu};
    if (t.chakushutsu) {
      if (t.father) child.father = t.father->attached->value.FullNameOf(*t.father->person);
      if (t.father_name) child.father = *t.father_name;
    }
    if (t.mother) child.mother = t.mother->attached->value.FullNameOf(*t.mother->person);
    if (t.mother_name) child.mother = *t.mother_name;
    return child;
  }

  // The 続柄 of a child of a multiple birth follows the order of birth, not of filing. The
  // same-sex children of that birth already recorded all count as elder (ComputeZokugara), so
  // one born later than this child would hold a 続柄 that is now wrong: that needs a 戸籍訂正
  // of the recorded child first (戸籍法24条), which this entry cannot make.
  static void ValidateMultipleBirth(const Typed& t, const RuleContext& context,
                                    std::vector<Finding>& findings) {
    if (t.tatai_count.has_value() != t.tatai_order.has_value()) {
      findings.push_back(MakeErrorFinding(
          "RULE-SHUSSEI-013", "多胎の数と出生順は両方記入してください。", "tatai_order"));
      return;
    }
    if (t.tatai_order && *t.tatai_order > *t.tatai_count) {
      findings.push_back(MakeErrorFinding("RULE-SHUSSEI-013",
                                          "多胎の出生順が多胎の数を超えています。", "tatai_order"));
      return;
    }
    if ((t.chakushutsu && !t.father && !t.father_name) || (!t.mother && !t.mother_name)) return;
    const int recorded = domain::CountSameDaySiblings(AsSibling(t), Siblings(context));
    if (recorded == 0) return;
    if (!t.tatai_order) {
      findings.push_back(MakeErrorFinding(
          "RULE-SHUSSEI-014",
          "同じ日に生まれた同性の兄弟姉妹が戸籍に記載されています。出生証明書の多胎の別"
          "（N子中第n子）を記入してください（続柄は出生の順によります）。",
          "tatai_order"));
      return;
    }
    if (recorded > *t.tatai_order - 1) {
      findings.push_back(MakeErrorFinding(
          "RULE-SHUSSEI-015",
          "この子より後に生まれた多胎の子が先に記載されており、その続柄が出生の順と合いません。"
          "先に記載された子の続柄の訂正（戸籍法24条）をしてから記載してください。",
          "tatai_order"));
    } else if (*t.tatai_count > 2) {
      // Of three or more, the register does not show which of them came first.
      findings.push_back(MakeWarningFinding(
          "RULE-SHUSSEI-016",
          "先に記載された多胎の子がこの子より先に生まれたことを、出生証明書で確認してください。",
          "tatai_order"));
    }
  }

  static void Validate(const Typed& t, const RuleContext& context, std::vector<Finding>& findings) {
    const year_month_day birth = *t.birth.day();
    if (!t.furigana && context.received_on >= domain::kFuriganaInForce) {
      findings.push_back(MakeErrorFinding(
          "RULE-SHUSSEI-001", "令和７年５月２６日以後の出生届には子の名の振り仮名が必要です。",
          "child_mei_furigana"));
    }
    if (auto e = EventAfterFilingError(birth, context.received_on, "birth_date")) {
      findings.push_back(*e);
    } else if (auto w = LateFilingWarning(birth, context.received_on, ReportingPeriod(14, t.abroad),
                                          *context.calendar, "birth_date")) {
      findings.push_back(*w);
    }
    if (t.ryuho && !t.abroad) {
      findings.push_back(MakeErrorFinding("RULE-SHUSSEI-002",
                                          "国籍留保の届出は国外で出生した子についてのみできます。",
                                          "kokuseki_ryuho"));
    }
    if (t.father && t.father_name) {
      findings.push_back(MakeErrorFinding(
          "RULE-SHUSSEI-003", "父は添付戸籍の者か氏名のどちらか一方で記入してください。",
          "father_name"));
    }
    if (t.mother && t.mother_name) {
      findings.push_back(MakeErrorFinding(
          "RULE-SHUSSEI-003", "母は添付戸籍の者か氏名のどちらか一方で記入してください。",
          "mother_name"));
    }
    if (!t.mother && !t.mother_name) {
      findings.push_back(MakeErrorFinding("RULE-SHUSSEI-004", "母を記入してください。", "mother"));
    }
    // Consistency of the parents with the registers.
    if (t.chakushutsu) {
      ValidateMarriedParents(t, findings);
    } else {
      ValidateUnmarriedMother(t, findings);
    }
    // The parents were born before the child.
    for (const auto& [parent, field] : {std::pair{&t.father, "father"}, {&t.mother, "mother"}}) {
      if (!*parent || !(*parent)->person->birth_date.day()) continue;
      if (*(*parent)->person->birth_date.day() >= birth) {
        findings.push_back(MakeErrorFinding(
            "RULE-SHUSSEI-008", "父母の生年月日が子の出生日より後（または同日）になっています。",
            field));
      }
    }
    ValidateFiler(t, findings);
    ValidateMultipleBirth(t, context, findings);
  }

  static void ValidateMarriedParents(const Typed& t, std::vector<Finding>& findings) {
    if (!t.father && !t.mother) {
      if (t.father_name || t.mother_name) {
        findings.push_back(
            MakeErrorFinding("RULE-SHUSSEI-005",
                             "子が入る戸籍の父または母を添付戸籍から指定してください。", "father"));
      }
      return;
    }
    if (!t.father && !t.father_name) {
      findings.push_back(
          MakeErrorFinding("RULE-SHUSSEI-005", "嫡出子の出生届には父の記入が必要です。", "father"));
      return;
    }
    if (t.father && t.mother) {
      const domain::Register& reg = t.father->attached->value;
      const domain::Person* spouse = CurrentSpouse(reg, *t.father->person);
      const bool same_register = t.father->attached == t.mother->attached;
      // A child born after the father's death is still entered in the marital register: the
      // widow holds the wife's side there without the 配偶者区分.
      const bool couple = same_register &&
                          SpouseSide(*t.father->person) == domain::HaigushaKubun::kOtto &&
                          SpouseSide(*t.mother->person) == domain::HaigushaKubun::kTsuma;
      if (!couple || (spouse != nullptr && spouse->seq != t.mother->person->seq)) {
        findings.push_back(MakeErrorFinding(
            "RULE-SHUSSEI-005",
            "父母が同じ戸籍に記録された夫婦ではありません（嫡出子の父母として指定できません）。",
            "mother"));
        return;
      }
    }
    // The register the child enters must be the parent's own (筆頭者 or spouse).
    const ResolvedPerson& parent = t.father ? *t.father : *t.mother;
    if (!IsHittoshaOrSpouse(parent.attached->value, *parent.person)) {
      findings.push_back(
          MakeErrorFinding("RULE-SHUSSEI-005",
                           "指定された父母は婚姻による戸籍の筆頭者またはその配偶者ではありません。",
                           t.father ? "father" : "mother"));
    }
    CheckRegisterOpen(parent, t.father ? "father" : "mother", findings);
  }

  static void ValidateUnmarriedMother(const Typed& t, std::vector<Finding>& findings) {
    if (t.father || t.father_name) {
      findings.push_back(MakeErrorFinding(
          "RULE-SHUSSEI-006",
          "嫡出でない子の出生届には父を記入できません（父の記載は認知届によります）。", "father"));
    }
    if (!t.mother) {
      if (t.mother_name) {
        findings.push_back(MakeErrorFinding(
            "RULE-SHUSSEI-006",
            "嫡出でない子は母の戸籍に入るため、母を添付戸籍から指定してください。", "mother"));
      }
      return;
    }
    if (IsMarried(*t.mother->person)) {
      findings.push_back(MakeErrorFinding(
          "RULE-SHUSSEI-006",
          "母に婚姻中の配偶者があるため、嫡出でない子として届け出ることはできません（民法772条）。",
          "chakushutsu"));
    }
    CheckRegisterOpen(*t.mother, "mother", findings);
  }

  static void CheckRegisterOpen(const ResolvedPerson& parent, const char* field,
                                std::vector<Finding>& findings) {
    if (parent.attached->value.status != domain::RegisterStatus::kGenzai) {
      findings.push_back(MakeErrorFinding(
          "RULE-SHUSSEI-007", "子が入るべき戸籍は除籍されています（法務局への照会が必要です）。",
          field));
      return;
    }
    if (parent.person->removed && parent.person->removal_kind != "死亡") {
      findings.push_back(MakeErrorFinding("RULE-SHUSSEI-007",
                                          "指定された父母はその戸籍から除籍されています。", field));
    }
  }

  static void ValidateFiler(const Typed& t, std::vector<Finding>& findings) {
    if (t.shikaku == "父" && (!t.chakushutsu || (!t.father && !t.father_name))) {
      findings.push_back(MakeErrorFinding(
          "RULE-SHUSSEI-009", "嫡出でない子の出生は父が届出人になれません（戸籍法52条2項）。",
          "todokedenin_shikaku"));
    }
    if (t.shikaku == "父" && t.father && t.father->person->removed) {
      findings.push_back(MakeErrorFinding("RULE-SHUSSEI-009", "死亡した父は届出人になれません。",
                                          "todokedenin_shikaku"));
    }
    if (t.shikaku == "母" && t.mother && t.mother->person->removed) {
      findings.push_back(MakeErrorFinding("RULE-SHUSSEI-009", "死亡した母は届出人になれません。",
                                          "todokedenin_shikaku"));
    }
    if (t.shikaku != "父" && t.shikaku != "母" && !t.filer_name) {
      findings.push_back(MakeErrorFinding(
          "RULE-SHUSSEI-010", "父母以外が届け出る場合は届出人の氏名を記入してください。",
          "todokedenin_name"));
    }
  }

  static std::string WrittenFiler(const Typed& t) {
    if (t.shikaku == "父" || t.shikaku == "母") return t.shikaku;
    return FilerText(t.shikaku, *t.filer_name);
  }

  ChangeSetOrError Apply(const Entry& /*entry*/, const RuleContext& context,
                         const Typed& t) const override {
    const text::JapaneseDate filed = *text::JapaneseDate::FromGregorian(context.received_on);
    // The register the child enters (before any 17条 move).
    const ResolvedPerson& parent = t.chakushutsu && t.father ? *t.father : *t.mother;
    const AttachedRegister& attached = *parent.attached;
    domain::Register reg = attached.value;

    domain::Person child{.seq = 0, .birth_date = t.birth};
    child.mei = t.mei;
    child.mei_furigana = t.furigana;
    child.sex = t.sex;
    const domain::ChildOfParents as_sibling = AsSibling(t);
    child.father = as_sibling.father;
    child.mother = as_sibling.mother;

    // 続柄 among the same parents' (嫡出子) or the mother's other (嫡出でない子) children.
    Result<std::string> zokugara = domain::ComputeZokugara(as_sibling, Siblings(context));
    if (!zokugara) {
      return MakeErrorFinding(
          "RULE-SHUSSEI-011",
          "兄弟姉妹の出生日が不明のため続柄を定められません（法務局への照会が必要です）。",
          "chakushutsu");
    }
    child.zokugara = *zokugara;

    domain::Event birth = domain::MakeEvent(
        "出生", {domain::DateField("出生日", t.birth),
                 domain::TextField("出生地", RecordedPlace(t.place, t.abroad)),
                 domain::DateField("届出日", filed), domain::TextField("届出人", WrittenFiler(t))});
    if (t.ryuho) birth.fields.push_back(domain::DateField("国籍留保の届出日", filed));
    child.mibun_jiko.push_back(std::move(birth));

    ChangeSet cs;
    const bool article17 = !t.chakushutsu && !IsHittoshaOrSpouse(reg, *t.mother->person);
    if (!article17) {
      if (HasNamesake(reg, child.mei)) {
        return SameNameError();
      }
      child.seq = NextSeq(reg);
      reg.persons.push_back(std::move(child));
      cs.updates.push_back(UpdateOf(attached, std::move(reg)));
      AddNoticeIfElsewhere(context, attached.value.honseki, "出生届（子の本籍地）", cs);
      return cs;
    }

    // 戸籍法17条: a new register for the mother, then the child enters it.
    domain::Person& mother_old = *FindPerson(reg, t.mother->person->seq);
    const std::string honseki = t.new_honseki ? *t.new_honseki : reg.honseki;
    domain::Register created =
        NewRegister(honseki, reg.uji, reg.uji_furigana, mother_old.mei, filed);

    domain::Person mother_new = Transcribe(mother_old, 1);
    mother_new.mibun_jiko.push_back(domain::MakeEvent(
        "入籍", {domain::DateField("届出日", filed),
                 domain::TextField("入籍事由", std::string(kArticle17ReasonBirth)),
                 domain::TextField("従前戸籍", RegisterReference(reg))}));
    created.persons.push_back(std::move(mother_new));

    // The register she leaves names the new one by its 本籍 alone (【新本籍】).
    mother_old.mibun_jiko.push_back(domain::MakeEvent(
        "入籍", {domain::DateField("届出日", filed),
                 domain::TextField("除籍事由", std::string(kArticle17ReasonBirth)),
                 domain::TextField("新本籍", created.honseki)}));
    MarkRemoved(mother_old, "入籍");
    CloseIfEmpty(reg, filed);

    if (HasNamesake(created, child.mei)) {
      return SameNameError();
    }
    child.seq = NextSeq(created);
    created.persons.push_back(std::move(child));

    cs.updates.push_back(UpdateOf(attached, std::move(reg)));
    cs.creations.push_back(
        RegisterCreation{.label = "戸籍法17条による新戸籍（母）", .value = std::move(created)});
    AddNoticeIfElsewhere(context, attached.value.honseki, "出生届（母の従前本籍地）", cs);
    AddNoticeIfElsewhere(context, honseki, "出生届（母の新本籍地）", cs);
    return cs;
  }

  // 同籍者と同じ名は付けられない (the same 名 as a current member of the register).
  static bool HasNamesake(const domain::Register& reg, const std::string& mei) {
    return std::any_of(reg.persons.begin(), reg.persons.end(),
                       [&](const domain::Person& p) { return !p.removed && p.mei == mei; });
  }

  static Finding SameNameError() {
    return MakeErrorFinding("RULE-SHUSSEI-012",
                            "子が入る戸籍に同じ名の者が在籍しているため、この名は付けられません。",
                            "child_mei");
  }
};

}  // namespace

const NotificationRule& ShusseiRule() {
  static const ShusseiRuleImpl rule;
  return rule;
}

}  // namespace koseki::rules::internal
