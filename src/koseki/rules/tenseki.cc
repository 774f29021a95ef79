// 転籍届 (戸籍法108条; DOMAIN.md §1.3, §2.2): the 本籍 of a whole register moves.
//
// Creative (創設的): the 転籍日 is the day of filing; no filing period. Filed by the 筆頭者 and
// the spouse while they are in the register (the survivor alone after a death).
//   管内転籍 (new 本籍 in the same municipality): the same register gets its new 本籍 in place
//     and a 戸籍事項 転籍【転籍日】【従前本籍】; 除籍 persons stay visible.
//   管外転籍 (another municipality): the old register gets 転籍【転籍日】【新本籍】 and becomes a
//     除籍; a new register at the new 本籍 keeps the 筆頭者's name (even if the 筆頭者 has left)
//     and holds only the current members, renumbered, with their transcribable entries
//     (戸籍法施行規則37条, 39条: a marriage dissolved by death is not carried over, nor is the
//     配偶者区分 of a widowed spouse); its 戸籍事項 is 転籍【転籍日】【従前本籍】 instead of 編製.
//     That register belongs to the new municipality: it is a RegisterCreation here only when
//     that municipality is hosted on this server (the label names the tenant that must write
//     it), and the new 本籍地 always gets a 送付. The 【送付を受けた日】【受理者】 of the new
//     register's 転籍 entry are the receiving tenant's to add when it records the creation.
#include "koseki/rules/internal/helpers.h"
#include "koseki/rules/internal/notification_rule_base.h"
#include "koseki/rules/internal/rule_set.h"

namespace koseki::rules::internal {
namespace {

// The 筆頭者 while still in the register, or nullptr.
const domain::Person* CurrentHittosha(const domain::Register& reg) {
  if (reg.persons.empty()) return nullptr;
  const domain::Person& first = reg.persons.front();
  return IsHittosha(reg, first) && !first.removed ? &first : nullptr;
}

// The 筆頭者's spouse while in the register and married (a widowed spouse still files).
const domain::Person* CurrentSpouseOfRegister(const domain::Register& reg) {
  for (const domain::Person& p : reg.persons) {
    if (p.removed || IsHittosha(reg, p)) continue;
    if (SpouseSide(p)) return &p;
  }
  return nullptr;
}

// Checks one filer field against the person who must file in that role.
void CheckFiler(const Entry& entry, const RuleContext& context, const AttachedRegister& attached,
                std::string_view field, const domain::Person* expected, const char* wrong_code,
                const char* wrong_message, const char* missing_code, const char* missing_message,
                std::vector<Finding>& findings) {
  std::optional<std::string> value = entry.Get(field);
  if (!value) {
    if (expected != nullptr) {
      findings.push_back(MakeErrorFinding(missing_code, missing_message, std::string(field)));
    }
    return;
  }
  Result<PersonRef> ref = ParsePersonRef(*value);
  std::optional<ResolvedPerson> filer = Resolve(context, *ref, field, findings);
  if (!filer) return;
  if (filer->attached != &attached || expected == nullptr || filer->person->seq != expected->seq) {
    findings.push_back(MakeErrorFinding(wrong_code, wrong_message, std::string(field)));
  }
}

// What the checks of a 転籍届 establish.
struct Tenseki {
  const AttachedRegister* attached = nullptr;  // the register that moves
  std::string shin_honseki;
  text::JapaneseDate received_on;  // the 転籍日
};

FormSpec MakeForm() {
  return FormSpec{
      NotificationType::kTenseki,
      "転籍届",
      {
          {"register", "転籍する戸籍", FieldType::kRegisterRef, true, {}, "添付した戸籍（例 R1）"},
          {"shin_honseki", "新本籍", FieldType::kHonseki, true, {}, "同じ市区町村内なら管内転籍"},
          {"filer_hittosha",
           "届出人（筆頭者）",
           FieldType::kPersonRef,
           false,
           {},
           "筆頭者が在籍していれば必須（例 R1:1）"},
          {"filer_spouse",
           "届出人（配偶者）",
           FieldType::kPersonRef,
           false,
           {},
           "配偶者が在籍していれば必須（例 R1:2）"},
      }};
}

class TensekiRuleImpl final : public NotificationRuleBase<Tenseki> {
 public:
  TensekiRuleImpl() : NotificationRuleBase(MakeForm()) {}

 private:
  std::optional<Tenseki> Check(const Entry& entry, const RuleContext& context,
                               std::vector<Finding>& findings) const override {
    const std::string shin_honseki = *entry.Get("shin_honseki");
    const AttachedRegister* attached = context.Find(*entry.Get("register"));
    if (attached == nullptr) {
      findings.push_back(
          MakeErrorFinding("RULE-REF-001", "指定された戸籍が添付されていません。", "register"));
      return std::nullopt;
    }
    std::optional<text::JapaneseDate> today = ReceivedDate(context, "RULE-TENSEKI-008", findings);
    if (!today) return std::nullopt;
    const domain::Register& reg = attached->value;
    if (reg.status != domain::RegisterStatus::kGenzai) {
      findings.push_back(MakeErrorFinding("RULE-TENSEKI-001",
                                          "除籍または改製原戸籍は転籍できません。", "register"));
      return std::nullopt;
    }
    if (shin_honseki == reg.honseki) {
      findings.push_back(
          MakeErrorFinding("RULE-TENSEKI-002", "新本籍が現在の本籍と同じです。", "shin_honseki"));
    }
    const domain::Person* hittosha = CurrentHittosha(reg);
    const domain::Person* spouse = CurrentSpouseOfRegister(reg);
    if (hittosha == nullptr && spouse == nullptr) {
      findings.push_back(MakeErrorFinding(
          "RULE-TENSEKI-005",
          "筆頭者も配偶者も在籍していないため、この戸籍の転籍届をする者がいません（戸籍法108条）。",
          "register"));
    } else {
      CheckFiler(entry, context, *attached, "filer_hittosha", hittosha, "RULE-TENSEKI-003",
                 "届出人（筆頭者）欄の者は、この戸籍に在籍する筆頭者ではありません。",
                 "RULE-TENSEKI-006", "筆頭者が在籍しているため、筆頭者が届出人となります。",
                 findings);
      CheckFiler(entry, context, *attached, "filer_spouse", spouse, "RULE-TENSEKI-004",
                 "届出人（配偶者）欄の者は、この戸籍に在籍する筆頭者の配偶者ではありません。",
                 "RULE-TENSEKI-007", "配偶者が在籍しているため、配偶者も届出人となります。",
                 findings);
    }
    return Tenseki{.attached = attached, .shin_honseki = shin_honseki, .received_on = *today};
  }

  ChangeSetOrError Apply(const Entry& /*entry*/, const RuleContext& context,
                         const Tenseki& tenseki) const override {
    const AttachedRegister& attached = *tenseki.attached;
    return MunicipalityOf(tenseki.shin_honseki) == MunicipalityOf(attached.value.honseki)
               ? Kannai(context, attached, tenseki.shin_honseki, tenseki.received_on)
               : Kangai(context, attached, tenseki.shin_honseki, tenseki.received_on);
  }

  static ChangeSet Kannai(const RuleContext& context, const AttachedRegister& attached,
                          const std::string& shin_honseki, const text::JapaneseDate& today) {
    ChangeSet change_set;
    domain::Register after = attached.value;
    after.honseki = shin_honseki;
    after.koseki_jiko.push_back(
        domain::MakeEvent("転籍", {domain::DateField("転籍日", today),
                                   domain::TextField("従前本籍", attached.value.honseki)}));
    change_set.updates.push_back(UpdateOf(attached, std::move(after)));
    AddNoticeIfElsewhere(context, shin_honseki, "転籍届（本籍地）", change_set);
    return change_set;
  }

  static ChangeSet Kangai(const RuleContext& context, const AttachedRegister& attached,
                          const std::string& shin_honseki, const text::JapaneseDate& today) {
    ChangeSet change_set;
    const domain::Register& before = attached.value;

    domain::Register old_after = before;
    old_after.koseki_jiko.push_back(domain::MakeEvent(
        "転籍", {domain::DateField("転籍日", today), domain::TextField("新本籍", shin_honseki)}));
    old_after.status = domain::RegisterStatus::kJoseki;

    domain::Register created;
    created.honseki = shin_honseki;
    created.hittosha_uji = before.hittosha_uji;
    created.hittosha_mei = before.hittosha_mei;
    created.uji = before.uji;
    created.uji_furigana = before.uji_furigana;
    created.koseki_jiko.push_back(domain::MakeEvent(
        "転籍",
        {domain::DateField("転籍日", today), domain::TextField("従前本籍", before.honseki)}));
    int seq = 0;
    for (const domain::Person& p : before.persons) {
      if (p.removed) continue;  // 除籍 persons are not carried over
      domain::Person moved = Transcribe(p, ++seq);
      // A survivor recorded before the mark went with the marriage loses it now.
      if (!IsMarried(p)) moved.haigusha_kubun = domain::HaigushaKubun::kNone;
      created.persons.push_back(std::move(moved));
    }

    change_set.updates.push_back(UpdateOf(attached, std::move(old_after)));
    AddNewRegister(context, "転籍による新戸籍", std::move(created), change_set);
    AddNoticeIfElsewhere(context, before.honseki, "転籍届（従前本籍地）", change_set);
    AddNoticeIfElsewhere(context, shin_honseki, "転籍届（新本籍地）", change_set);
    return change_set;
  }
};

}  // namespace

const NotificationRule& TensekiRule() {
  static const TensekiRuleImpl rule;
  return rule;
}

}  // namespace koseki::rules::internal
