// 養子縁組届, 普通養子 (民法792–817条, 戸籍法18条3項, 66条; DOMAIN.md §1.4, §1.4a, §2.2, §2.3).
//
// Creative (創設的): the 縁組日 is the day of filing; no filing period.
// Validations: adopters 20+ (792条); the adoptee not older than an adopter nor the adopter's
// 尊属 (793条; 尊属 is detected through the names of the adopter's parents); family-court
// permission for a minor adoptee unless a lineal descendant of the adopter or the spouse (798条);
// a married adopter of a minor adopts with the spouse unless the adoptee is the spouse's child
// (795条); a married adopter adopting alone needs the spouse's consent (796条: a warning to
// confirm); a 代諾者 for an adoptee under 15 (797条) and only then; a joint adoption is by a
// married couple. Not handled (error): an adoptee who already has adoptive parents (転縁組),
// and an adoptee who is 筆頭者 with a spouse (戸籍法20条: the couple's new register).
// Effect:
//   adoptee  — 【養父】【養母】【続柄】養子/養女 set; 養子縁組【縁組日】【養父氏名】【養母氏名】
//              【代諾者】 and, when moving, 【入籍戸籍】 in the register left (除籍) and
//              【従前戸籍】 in the adopter's register, where the adoptee is added with the
//              transcribable entries. An adoptee who changed 氏 at marriage keeps 氏 and
//              register (810条但書), as does one already in the adopter's register; when the
//              registers differ each side's entry names the other's (【養親の戸籍】 /
//              【養子の戸籍】, RegistersNamedForAStayingAdoptee);
//   adopters — 養子縁組【縁組日】【共同縁組者】【養子氏名】 (never transcribed later);
//   三代戸籍 — an adopter who is not 筆頭者 or spouse first gets a new register at the 新本籍
//              (戸籍法17条): 【新本籍】 on the adopter's entry in the old register, 【従前戸籍】 in
//              the new one.
#include "koseki/domain/zokugara.h"
#include "koseki/rules/internal/adopters.h"
#include "koseki/rules/internal/helpers.h"
#include "koseki/rules/internal/notification_rule_base.h"
#include "koseki/rules/internal/rule_set.h"

namespace koseki::rules::internal {
namespace {

constexpr int kAdopterAge = 20;
constexpr int kAdultAge = 18;

// Where the adoptee goes.
struct Plan {
  bool moves = false;         // the adoptee changes register
  bool new_register = false;  // 戸籍法17条 for the adopter
};

// What the checks of a 養子縁組届 establish.
struct Engumi {
  AdoptionParties parties;
  Plan plan;
};

FormSpec MakeForm() {
  return FormSpec{NotificationType::kYoshiEngumi,
                  "養子縁組届",
                  {
                      {"yofu", "養父となる者", FieldType::kPersonRef, false, {}, "例 R1:1"},
                      {"yobo", "養母となる者", FieldType::kPersonRef, false, {}, "例 R1:2"},
                      {"adoptee", "養子となる者", FieldType::kPersonRef, true, {}, "例 R2:3"},
                      {"daidakusha",
                       "代諾者",
                       FieldType::kText,
                       false,
                       {},
                       "養子が15歳未満のとき（例 親権者父母）"},
                      {"permission_date",
                       "家庭裁判所の縁組許可の審判確定日",
                       FieldType::kDate,
                       false,
                       {},
                       "未成年者を養子とするとき（自己又は配偶者の直系卑属を除く）"},
                      {"shin_honseki",
                       "養親の新本籍",
                       FieldType::kHonseki,
                       false,
                       {},
                       "養親が筆頭者・配偶者でないとき（戸籍法17条）"},
                  }};
}

class YoshiEngumiRuleImpl final : public NotificationRuleBase<Engumi> {
 public:
  YoshiEngumiRuleImpl() : NotificationRuleBase(MakeForm()) {}

 private:
  std::optional<Engumi> Check(const Entry& entry, const RuleContext& context,
                              std::vector<Finding>& findings) const override {
    std::optional<AdoptionParties> parties = ResolveAdoptionParties(
        entry, context,
        MakeErrorFinding("RULE-YOSHIENGUMI-001", "養父または養母となる者を指定してください。",
                         "yofu"),
        "RULE-YOSHIENGUMI-020", findings);
    if (!parties) return std::nullopt;
    const Plan plan = CheckAdoption(entry, context, parties->adopters, parties->adoptee, findings);
    return Engumi{.parties = *std::move(parties), .plan = plan};
  }

  static Plan CheckAdoption(const Entry& entry, const RuleContext& context,
                            const std::vector<Adopter>& adopters, const ResolvedPerson& adoptee,
                            std::vector<Finding>& findings) {
    const domain::Person& a = *adoptee.person;
    const domain::Register& adoptee_reg = adoptee.attached->value;
    const std::string adoptee_name = FullName(adoptee);
    const std::optional<int> adoptee_age = AgeOn(a, context.received_on);

    if (a.removed || adoptee_reg.status != domain::RegisterStatus::kGenzai) {
      findings.push_back(MakeErrorFinding(
          "RULE-YOSHIENGUMI-005", "養子となる者はこの戸籍から除籍されています。", "adoptee"));
    }
    if (!a.yofu.empty() || !a.yobo.empty()) {
      findings.push_back(MakeErrorFinding(
          "RULE-YOSHIENGUMI-019", "既に養親のある者の縁組（転縁組）はこの届出では扱えません。",
          "adoptee"));
    }
    if (IsHittosha(adoptee_reg, a) && CurrentSpouse(adoptee_reg, a) != nullptr) {
      findings.push_back(MakeErrorFinding(
          "RULE-YOSHIENGUMI-018",
          "配偶者のある筆頭者の縁組（戸籍法20条による夫婦の新戸籍）はこの届出では扱えません。",
          "adoptee"));
    }

    // The adopters: sex of the role, capacity, age, 尊属.
    for (const Adopter& ad : adopters) {
      const domain::Person& p = *ad.who.person;
      const std::string field = ad.father ? "yofu" : "yobo";
      if (p.sex != (ad.father ? domain::Sex::kMale : domain::Sex::kFemale)) {
        findings.push_back(MakeErrorFinding("RULE-YOSHIENGUMI-002",
                                            ad.father ? "養父となる者は男性でなければなりません。"
                                                      : "養母となる者は女性でなければなりません。",
                                            field));
      }
      if (p.removed || ad.who.attached->value.status != domain::RegisterStatus::kGenzai) {
        findings.push_back(MakeErrorFinding("RULE-YOSHIENGUMI-004",
                                            "養親となる者はこの戸籍から除籍されています。", field));
      }
      if (ad.who.attached == adoptee.attached && p.seq == a.seq) {
        findings.push_back(
            MakeErrorFinding("RULE-YOSHIENGUMI-016", "養親と養子が同じ者です。", "adoptee"));
        continue;
      }
      if (std::optional<int> age = AgeOn(p, context.received_on); age && *age < kAdopterAge) {
        findings.push_back(MakeErrorFinding("RULE-YOSHIENGUMI-006",
                                            "養親となる者は20歳以上でなければなりません（届出日に" +
                                                std::to_string(*age) + "歳。民法792条）。",
                                            field));
      }
      if (a.birth_date.day() && p.birth_date.day() && *a.birth_date.day() < *p.birth_date.day()) {
        findings.push_back(MakeErrorFinding(
            "RULE-YOSHIENGUMI-007", "養親となる者より年長の者は養子にできません（民法793条）。",
            "adoptee"));
      }
      if (adoptee_name == p.father || adoptee_name == p.mother || adoptee_name == p.yofu ||
          adoptee_name == p.yobo) {
        findings.push_back(MakeErrorFinding("RULE-YOSHIENGUMI-008",
                                            "養親となる者の尊属は養子にできません（民法793条）。",
                                            "adoptee"));
      }
    }
    const domain::Person* spouse = nullptr;  // the current spouse of a sole adopter
    if (adopters.size() == 2) {
      const domain::Person* s =
          CurrentSpouse(adopters[0].who.attached->value, *adopters[0].who.person);
      if (adopters[0].who.attached != adopters[1].who.attached || s == nullptr ||
          s->seq != adopters[1].who.person->seq) {
        findings.push_back(MakeErrorFinding(
            "RULE-YOSHIENGUMI-003", "養父と養母は婚姻中の夫婦でなければなりません。", "yobo"));
      }
    } else if (adopters.size() == 1) {
      spouse = CurrentSpouse(adopters[0].who.attached->value, *adopters[0].who.person);
    }
    const std::string spouse_name =
        spouse != nullptr ? adopters[0].who.attached->value.FullNameOf(*spouse) : "";
    const bool spouses_child =
        spouse != nullptr && (a.father == spouse_name || a.mother == spouse_name);

    // 798条: a minor needs permission unless a lineal descendant of an adopter or the spouse.
    const bool minor = adoptee_age && *adoptee_age < kAdultAge;
    if (minor && !entry.Get("permission_date") && !IsLinealDescendant(adopters, spouse_name, a)) {
      findings.push_back(MakeErrorFinding("RULE-YOSHIENGUMI-009",
                                          "未成年者を養子とするには家庭裁判所の許可が必要です（民法"
                                          "798条）。審判確定日を記入してください。",
                                          "permission_date"));
    }
    if (std::optional<std::string> permission = entry.Get("permission_date")) {
      if (auto day = ParseDateValue(*permission)->day()) {
        if (auto f = EventAfterFilingError(*day, context.received_on, "permission_date")) {
          findings.push_back(std::move(*f));
        }
      }
    }
    if (spouse != nullptr && minor && !spouses_child) {
      findings.push_back(MakeErrorFinding("RULE-YOSHIENGUMI-012",
                                          "配偶者のある者が未成年者を養子とするには、配偶者とともに"
                                          "縁組をしなければなりません（民法795条）。",
                                          adopters[0].father ? "yobo" : "yofu"));
    }
    if (spouse != nullptr) {
      findings.push_back(MakeWarningFinding("RULE-YOSHIENGUMI-013",
                                            "配偶者のある者が単独で縁組をするには配偶者の同意が必要"
                                            "です（民法796条）。同意を確認してください。",
                                            adopters[0].father ? "yofu" : "yobo"));
    }

    // 797条: 代諾 under 15 only.
    if (auto f = RepresentativeError(
            adoptee_age, entry.Get("daidakusha").has_value(),
            MakeErrorFinding(
                "RULE-YOSHIENGUMI-010",
                "養子となる者が15歳未満のため、法定代理人の代諾者を記入してください（民法797条）。",
                "daidakusha"),
            MakeErrorFinding("RULE-YOSHIENGUMI-011",
                             "養子となる者が15歳以上のため、代諾者は記入しません。",
                             "daidakusha"))) {
      findings.push_back(std::move(*f));
    }

    // Where the adoptee goes.
    Plan plan;
    if (adopters.empty()) return plan;
    const bool married_out = !IsHittosha(adoptee_reg, a) &&
                             a.haigusha_kubun != domain::HaigushaKubun::kNone && IsMarried(a);
    const bool already_there = adopters[0].who.attached == adoptee.attached;
    plan.moves = !married_out && !already_there;
    const std::optional<std::string> shin_honseki = entry.Get("shin_honseki");
    const bool adopter_heads =
        IsHittoshaOrSpouse(adopters[0].who.attached->value, *adopters[0].who.person);
    plan.new_register = plan.moves && !adopter_heads;
    if (plan.new_register && !shin_honseki) {
      findings.push_back(MakeErrorFinding("RULE-YOSHIENGUMI-014",
                                          "養親となる者が筆頭者・配偶者でないため、養親の新戸籍（戸"
                                          "籍法17条）の新本籍を記入してください。",
                                          "shin_honseki"));
    } else if (!plan.new_register && shin_honseki) {
      findings.push_back(MakeErrorFinding(
          "RULE-YOSHIENGUMI-017",
          "この縁組では養親の新戸籍は編製しないため、新本籍は記入しません。", "shin_honseki"));
    }
    return plan;
  }

  // A child of an adopter or the spouse, or a grandchild whose parent is recorded as their child
  // in the adopter's register.
  static bool IsLinealDescendant(const std::vector<Adopter>& adopters,
                                 const std::string& spouse_name, const domain::Person& a) {
    std::vector<std::string> ancestors;
    for (const Adopter& ad : adopters) ancestors.push_back(ad.name);
    if (!spouse_name.empty()) ancestors.push_back(spouse_name);
    auto is_ancestor = [&](const std::string& name) {
      return !name.empty() &&
             std::find(ancestors.begin(), ancestors.end(), name) != ancestors.end();
    };
    if (is_ancestor(a.father) || is_ancestor(a.mother)) return true;
    for (const Adopter& ad : adopters) {
      const domain::Register& reg = ad.who.attached->value;
      for (const domain::Person& p : reg.persons) {
        const std::string name = reg.FullNameOf(p);
        if ((name == a.father || name == a.mother) &&
            (is_ancestor(p.father) || is_ancestor(p.mother))) {
          return true;
        }
      }
    }
    return false;
  }

  ChangeSetOrError Apply(const Entry& entry, const RuleContext& context,
                         const Engumi& checked) const override {
    const std::vector<Adopter>& adopters = checked.parties.adopters;
    const ResolvedPerson& adoptee = checked.parties.adoptee;
    const Plan& plan = checked.plan;
    const text::JapaneseDate& today = checked.parties.received_on;
    ChangeSet change_set;
    RegisterEdits edits(context);
    const domain::Register& adoptee_before = adoptee.attached->value;
    const std::string adoptee_name = FullName(adoptee);
    const AdoptiveParentNames names = NamesOf(adopters);
    std::optional<domain::Field> daidakusha;
    if (auto value = entry.Get("daidakusha")) daidakusha = domain::TextField("代諾者", *value);

    auto adoptee_event = [&](std::optional<domain::Field> register_field) {
      return AdopteeEvent("養子縁組", "縁組日", today, names, daidakusha,
                          std::move(register_field));
    };
    auto adopter_event = [&](const Adopter& ad, std::optional<domain::Field> register_field) {
      std::vector<domain::Field> fields = {domain::DateField("縁組日", today)};
      if (adopters.size() == 2) {
        fields.push_back(domain::TextField("共同縁組者", ad.father ? "妻" : "夫"));
      }
      fields.push_back(domain::TextField("養子氏名", adoptee_name));
      if (register_field) fields.push_back(std::move(*register_field));
      return domain::MakeEvent("養子縁組", std::move(fields));
    };
    auto set_adoptive_parents = [&](domain::Person& p) {
      p.yofu = names.yofu;
      p.yobo = names.yobo;
      p.yo_zokugara = std::string(domain::YoZokugaraFor(p.sex));
    };

    const StayingAdopteeRegisters named = RegistersNamedForAStayingAdoptee(adoptee, adopters);

    // The register the adoptee ends up in (when moving), and the adopters' entries.
    const AttachedRegister& adopter_attached = *adopters[0].who.attached;
    std::optional<domain::Register> created;
    domain::Register* destination = nullptr;
    if (plan.new_register) {
      const Adopter& ad = adopters[0];
      const std::string shin_honseki = *entry.Get("shin_honseki");
      created = NewRegister(shin_honseki, adopter_attached.value.uji,
                            adopter_attached.value.uji_furigana, ad.who.person->mei, today);
      domain::Person moved = Transcribe(*ad.who.person, 1);
      moved.mibun_jiko.push_back(adopter_event(
          ad, domain::TextField("従前戸籍", RegisterReference(adopter_attached.value))));
      created->persons.push_back(std::move(moved));

      domain::Person& leaving = *FindPerson(edits.Of(adopter_attached), ad.who.person->seq);
      leaving.mibun_jiko.push_back(adopter_event(ad, domain::TextField("新本籍", shin_honseki)));
      MarkRemoved(leaving, "養子縁組");
      CloseIfEmpty(edits.Of(adopter_attached), today);
      destination = &*created;
    } else {
      for (const Adopter& ad : adopters) {
        FindPerson(edits.Of(*ad.who.attached), ad.who.person->seq)
            ->mibun_jiko.push_back(adopter_event(ad, plan.moves ? std::nullopt : named.on_adopter));
      }
      destination = &edits.Of(adopter_attached);
    }

    if (plan.moves) {
      domain::Person entering = Transcribe(*adoptee.person, NextSeq(*destination));
      set_adoptive_parents(entering);
      entering.mibun_jiko.push_back(
          adoptee_event(domain::TextField("従前戸籍", RegisterReference(adoptee_before))));
      const std::string destination_reference = RegisterReference(*destination);
      destination->persons.push_back(std::move(entering));

      domain::Register& left = edits.Of(*adoptee.attached);
      domain::Person& leaving = *FindPerson(left, adoptee.person->seq);
      leaving.mibun_jiko.push_back(
          adoptee_event(domain::TextField("入籍戸籍", destination_reference)));
      MarkRemoved(leaving, "養子縁組");
      CloseIfEmpty(left, today);
    } else {
      domain::Person& staying = *FindPerson(edits.Of(*adoptee.attached), adoptee.person->seq);
      set_adoptive_parents(staying);
      staying.mibun_jiko.push_back(adoptee_event(named.on_adoptee));
    }

    edits.EmitInto(change_set);
    if (created) {
      AddNewRegister(context, "戸籍法17条による新戸籍（養子縁組）", std::move(*created),
                     change_set);
      AddNoticeIfElsewhere(context, *entry.Get("shin_honseki"), "養子縁組届（養親の新本籍地）",
                           change_set);
    }
    AddAdoptionPartyNotices(context, "養子縁組届", adoptee_before, adopters, change_set);
    return change_set;
  }
};

}  // namespace

const NotificationRule& YoshiEngumiRule() {
  static const YoshiEngumiRuleImpl rule;
  return rule;
}

}  // namespace koseki::rules::internal
