// 養子離縁届, 協議離縁 (民法811–817条, 戸籍法70–73条; DOMAIN.md §1.4, §2.2).
//
// Creative (創設的): the 離縁日 is the day of filing; no filing period. Validations: the adoption
// is recorded between them (【養父】/【養母】 of the adoptee); a minor adopted by a couple is
// released by both (811条の2); under 15 the future legal representative files (811条2項:
// 【届出人】). Not handled (error): an adoptee who is 筆頭者 (the 氏 of the couple's register
// would change), 縁氏続称 (816条2項), 裁判離縁.
// Effect:
//   adoptee  — 【養父】/【養母】 of the dissolved adoption cleared (and 【続柄】養子 when none is
//              left); 養子離縁【離縁日】【養父氏名】【養母氏名】【届出人】. When no adoptive parent
//              is left and the adoptee is in the adopter's register, the adoptee returns to the
//              pre-adoption 氏 (816条) and leaves: 【入籍戸籍】 (復籍) or 【新本籍】 (新戸籍) in
//              the register left (除籍), 【従前戸籍】 where the adoptee is recorded anew — at
//              the end of the pre-adoption register (its old entry stays 除籍), or as 筆頭者 of
//              a new register. An adoptee who is elsewhere (married out) stays, and each
//              side's entry then names the other's register (【養親の戸籍】/【養子の戸籍】);
//   adopters — 養子離縁【離縁日】【養子氏名】.
// 【届出人】 on the adoptee's entry for an adoptee under 15 follows the 養子離縁 template; the
// 記載例 for this case is unconfirmed (DOMAIN.md §1.4a lists 養子離縁 as unconfirmed).
#include "koseki/rules/internal/adopters.h"
#include "koseki/rules/internal/helpers.h"
#include "koseki/rules/internal/notification_rule_base.h"
#include "koseki/rules/internal/rule_set.h"

namespace koseki::rules::internal {
namespace {

constexpr int kAdultAge = 18;

// The 【従前戸籍】 of the adoptee's latest 養子縁組 entry: the pre-adoption register.
std::optional<std::string> PreAdoptionRegister(const domain::Person& adoptee) {
  std::optional<std::string> found;
  for (const domain::Event& e : adoptee.mibun_jiko) {
    if (e.kind != "養子縁組") continue;
    if (std::optional<std::string> r = e.TextOf("従前戸籍")) found = r;
  }
  return found;
}

// The 本籍 part of a register reference "本籍　筆頭者氏名".
std::string HonsekiOf(const std::string& reference) {
  const std::size_t space = reference.find("\u3000");
  return space == std::string::npos ? reference : reference.substr(0, space);
}

struct Plan {
  bool complete = false;  // no adoptive parent is left
  bool moves = false;     // the adoptee leaves the adopter's register
  bool fukuseki = false;  // back to the pre-adoption register (else a new register)
  std::optional<std::string> pre_adoption;  // its reference
  const AttachedRegister* fukuseki_attached = nullptr;
};

// What the checks of a 養子離縁届 establish.
struct Rien {
  AdoptionParties parties;
  Plan plan;
};

FormSpec MakeForm() {
  return FormSpec{NotificationType::kYoshiRien,
                  "養子離縁届",
                  {
                      {"yofu", "養父", FieldType::kPersonRef, false, {}, "例 R1:1"},
                      {"yobo", "養母", FieldType::kPersonRef, false, {}, "例 R1:2"},
                      {"adoptee", "養子", FieldType::kPersonRef, true, {}, "例 R1:6"},
                      {"destination",
                       "離縁後の戸籍",
                       FieldType::kChoice,
                       false,
                       {"復籍", "新戸籍"},
                       "養子が養親の戸籍を出るとき必須"},
                      {"fukuseki_register",
                       "縁組前の戸籍",
                       FieldType::kRegisterRef,
                       false,
                       {},
                       "縁組前の戸籍を添付したとき（例 R2）。同じ市区町村にあれば必須"},
                      {"shin_honseki", "新本籍", FieldType::kHonseki, false, {}, "新戸籍のとき"},
                      {"uji_after",
                       "離縁後の氏",
                       FieldType::kName,
                       false,
                       {},
                       "新戸籍で縁組前の戸籍を添付しないとき"},
                      {"todokedenin",
                       "届出人（養子が15歳未満のとき、離縁後の法定代理人）",
                       FieldType::kText,
                       false,
                       {},
                       "例 親権者父母"},
                  }};
}

class YoshiRienRuleImpl final : public NotificationRuleBase<Rien> {
 public:
  YoshiRienRuleImpl() : NotificationRuleBase(MakeForm()) {}

 private:
  std::optional<Rien> Check(const Entry& entry, const RuleContext& context,
                            std::vector<Finding>& findings) const override {
    std::optional<AdoptionParties> parties = ResolveAdoptionParties(
        entry, context,
        MakeErrorFinding("RULE-YOSHIRIEN-001", "養父または養母を指定してください。", "yofu"),
        "RULE-YOSHIRIEN-020", findings);
    if (!parties) return std::nullopt;
    const Plan plan = CheckRelease(entry, context, parties->adopters, parties->adoptee, findings);
    return Rien{.parties = *std::move(parties), .plan = plan};
  }

  static Plan CheckRelease(const Entry& entry, const RuleContext& context,
                           const std::vector<Adopter>& adopters, const ResolvedPerson& adoptee,
                           std::vector<Finding>& findings) {
    Plan plan;
    const domain::Person& a = *adoptee.person;
    const domain::Register& reg = adoptee.attached->value;
    if (a.removed || reg.status != domain::RegisterStatus::kGenzai) {
      findings.push_back(MakeErrorFinding(
          "RULE-YOSHIRIEN-003",
          "養子はこの戸籍から除籍されています。現在の戸籍を添付してください。", "adoptee"));
      return plan;
    }
    bool releases_father = false;
    bool releases_mother = false;
    for (const Adopter& ad : adopters) {
      const std::string& recorded = ad.father ? a.yofu : a.yobo;
      if (recorded.empty() || recorded != ad.name) {
        findings.push_back(MakeErrorFinding("RULE-YOSHIRIEN-002",
                                            "指定された養親と養子の間に縁組の記録がありません。",
                                            ad.father ? "yofu" : "yobo"));
      }
      (ad.father ? releases_father : releases_mother) = true;
    }
    if (HasError(findings)) return plan;

    const std::optional<int> age = AgeOn(a, context.received_on);
    const bool both_recorded = !a.yofu.empty() && !a.yobo.empty();
    if (age && *age < kAdultAge && both_recorded && adopters.size() == 1) {
      findings.push_back(MakeErrorFinding("RULE-YOSHIRIEN-004",
                                          "養親が夫婦である未成年の養子との離縁は、養父母がともにし"
                                          "なければなりません（民法811条の2）。",
                                          adopters[0].father ? "yobo" : "yofu"));
    }
    if (auto f = RepresentativeError(
            age, entry.Get("todokedenin").has_value(),
            MakeErrorFinding("RULE-YOSHIRIEN-005",
                             "養子が15歳未満のため、離縁後に法定代理人となる者を届出人として記入"
                             "してください（民法811条2項）。",
                             "todokedenin"),
            MakeErrorFinding("RULE-YOSHIRIEN-006", "養子が15歳以上のため、本人が届出人となります。",
                             "todokedenin"))) {
      findings.push_back(std::move(*f));
    }
    if (IsHittosha(reg, a)) {
      findings.push_back(MakeErrorFinding(
          "RULE-YOSHIRIEN-009",
          "筆頭者である養子の離縁（戸籍の氏が変わるもの）はこの届出では扱えません。", "adoptee"));
      return plan;
    }

    plan.complete = (a.yofu.empty() || releases_father) && (a.yobo.empty() || releases_mother);
    bool in_adopters_register = false;
    for (const Adopter& ad : adopters) in_adopters_register |= ad.who.attached == adoptee.attached;
    plan.moves = plan.complete && in_adopters_register;

    const std::optional<std::string> destination = entry.Get("destination");
    const std::optional<std::string> fukuseki_ref = entry.Get("fukuseki_register");
    const std::optional<std::string> shin_honseki = entry.Get("shin_honseki");
    if (!plan.moves) {
      if (destination || fukuseki_ref || shin_honseki || entry.Get("uji_after")) {
        findings.push_back(MakeErrorFinding(
            "RULE-YOSHIRIEN-008",
            "この離縁では養子の戸籍は変わらないため、離縁後の戸籍は記入しません。", "destination"));
      }
      return plan;
    }
    if (!destination) {
      findings.push_back(MakeErrorFinding(
          "RULE-YOSHIRIEN-007",
          "養子は縁組前の氏に復するため、離縁後の戸籍（復籍・新戸籍）を選んでください。",
          "destination"));
      return plan;
    }
    plan.fukuseki = *destination == "復籍";
    plan.pre_adoption = PreAdoptionRegister(a);
    if (fukuseki_ref) {
      plan.fukuseki_attached = context.Find(*fukuseki_ref);
      if (plan.fukuseki_attached == nullptr) {
        findings.push_back(MakeErrorFinding("RULE-REF-001", "指定された戸籍が添付されていません。",
                                            "fukuseki_register"));
        return plan;
      }
      if (!plan.pre_adoption ||
          RegisterReference(plan.fukuseki_attached->value) != *plan.pre_adoption) {
        findings.push_back(MakeErrorFinding("RULE-YOSHIRIEN-010",
                                            "添付された戸籍は養子の縁組前の戸籍ではありません。",
                                            "fukuseki_register"));
      }
    }
    if (plan.fukuseki) {
      if (!plan.pre_adoption) {
        findings.push_back(MakeErrorFinding(
            "RULE-YOSHIRIEN-013",
            "縁組前の戸籍が記録から分からないため復籍できません。新戸籍を選んでください。",
            "destination"));
      } else if (plan.fukuseki_attached == nullptr &&
                 MunicipalityOf(HonsekiOf(*plan.pre_adoption)) == context.municipality) {
        findings.push_back(MakeErrorFinding(
            "RULE-YOSHIRIEN-012",
            "縁組前の戸籍がこの市区町村にあるため、その戸籍を添付して指定してください。",
            "fukuseki_register"));
      } else if (plan.fukuseki_attached != nullptr &&
                 plan.fukuseki_attached->value.status != domain::RegisterStatus::kGenzai) {
        findings.push_back(MakeErrorFinding(
            "RULE-YOSHIRIEN-011",
            "縁組前の戸籍が除籍されているため復籍できません。新戸籍を選んでください。",
            "destination"));
      }
      if (shin_honseki || entry.Get("uji_after")) {
        findings.push_back(MakeErrorFinding("RULE-YOSHIRIEN-016",
                                            "復籍のときは新本籍・離縁後の氏は記入しません。",
                                            "shin_honseki"));
      }
    } else {
      if (!shin_honseki) {
        findings.push_back(MakeErrorFinding("RULE-YOSHIRIEN-014",
                                            "新戸籍の新本籍を記入してください。", "shin_honseki"));
      }
      if (plan.fukuseki_attached == nullptr && !entry.Get("uji_after")) {
        findings.push_back(MakeErrorFinding(
            "RULE-YOSHIRIEN-015", "縁組前の戸籍を添付するか、離縁後の氏を記入してください。",
            "uji_after"));
      }
    }
    return plan;
  }

  ChangeSetOrError Apply(const Entry& entry, const RuleContext& context,
                         const Rien& checked) const override {
    const std::vector<Adopter>& adopters = checked.parties.adopters;
    const ResolvedPerson& adoptee = checked.parties.adoptee;
    const Plan& plan = checked.plan;
    const text::JapaneseDate& today = checked.parties.received_on;
    ChangeSet change_set;
    RegisterEdits edits(context);
    const domain::Register& adoptee_before = adoptee.attached->value;
    const std::string adoptee_name = FullName(adoptee);
    const AdoptiveParentNames names = NamesOf(adopters);
    std::optional<domain::Field> filer;
    if (auto value = entry.Get("todokedenin")) filer = domain::TextField("届出人", *value);

    auto adoptee_event = [&](std::optional<domain::Field> register_field) {
      return AdopteeEvent("養子離縁", "離縁日", today, names, filer, std::move(register_field));
    };
    auto release = [&](domain::Person& p) {
      if (!names.yofu.empty()) p.yofu.clear();
      if (!names.yobo.empty()) p.yobo.clear();
      if (p.yofu.empty() && p.yobo.empty()) p.yo_zokugara.clear();
    };

    const StayingAdopteeRegisters named = RegistersNamedForAStayingAdoptee(adoptee, adopters);
    for (const Adopter& ad : adopters) {
      std::vector<domain::Field> fields = {domain::DateField("離縁日", today),
                                           domain::TextField("養子氏名", adoptee_name)};
      if (!plan.moves && named.on_adopter) fields.push_back(*named.on_adopter);
      FindPerson(edits.Of(*ad.who.attached), ad.who.person->seq)
          ->mibun_jiko.push_back(domain::MakeEvent("養子離縁", std::move(fields)));
    }

    if (!plan.moves) {
      domain::Person& staying = *FindPerson(edits.Of(*adoptee.attached), adoptee.person->seq);
      release(staying);
      staying.mibun_jiko.push_back(adoptee_event(named.on_adoptee));
      edits.EmitInto(change_set);
      AddAdoptionPartyNotices(context, "養子離縁届", adoptee_before, adopters, change_set);
      return change_set;
    }

    // The adoptee as recorded where the adoptee goes: adoptive parents gone, so the 養子縁組
    // entry is not carried over either.
    domain::Person released = *adoptee.person;
    release(released);
    const std::string left_reference = RegisterReference(adoptee_before);
    std::optional<domain::Register> created;
    std::string destination_field;
    std::string destination_value;
    if (plan.fukuseki) {
      destination_field = "入籍戸籍";
      destination_value = *plan.pre_adoption;
      if (plan.fukuseki_attached != nullptr) {
        domain::Register& back = edits.Of(*plan.fukuseki_attached);
        domain::Person returning = Transcribe(released, NextSeq(back));
        returning.mibun_jiko.push_back(
            adoptee_event(domain::TextField("従前戸籍", left_reference)));
        back.persons.push_back(std::move(returning));
      }
    } else {
      const std::string shin_honseki = *entry.Get("shin_honseki");
      const std::string uji = plan.fukuseki_attached != nullptr ? plan.fukuseki_attached->value.uji
                                                                : *entry.Get("uji_after");
      const std::optional<std::string> furigana = plan.fukuseki_attached != nullptr
                                                      ? plan.fukuseki_attached->value.uji_furigana
                                                      : std::nullopt;
      created = NewRegister(shin_honseki, uji, furigana, released.mei, today);
      domain::Person hittosha = Transcribe(released, 1);
      hittosha.mibun_jiko.push_back(adoptee_event(domain::TextField("従前戸籍", left_reference)));
      created->persons.push_back(std::move(hittosha));
      destination_field = "新本籍";
      destination_value = shin_honseki;
    }

    domain::Register& left = edits.Of(*adoptee.attached);
    domain::Person& leaving = *FindPerson(left, adoptee.person->seq);
    release(leaving);  // the 養父母 fields are struck out on the record left too
    leaving.mibun_jiko.push_back(
        adoptee_event(domain::TextField(destination_field, destination_value)));
    MarkRemoved(leaving, "養子離縁");
    CloseIfEmpty(left, today);

    edits.EmitInto(change_set);
    if (created) {
      AddNewRegister(context, "養子離縁による新戸籍", std::move(*created), change_set);
    }
    AddAdoptionPartyNotices(context, "養子離縁届", adoptee_before, adopters, change_set);
    if (plan.fukuseki) {
      AddNoticeIfElsewhere(context, HonsekiOf(destination_value), "養子離縁届（復籍する本籍地）",
                           change_set);
    } else {
      AddNoticeIfElsewhere(context, destination_value, "養子離縁届（新本籍地）", change_set);
    }
    return change_set;
  }
};

}  // namespace

const NotificationRule& YoshiRienRule() {
  static const YoshiRienRuleImpl rule;
  return rule;
}

}  // namespace koseki::rules::internal
