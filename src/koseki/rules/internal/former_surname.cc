#include "koseki/rules/internal/former_surname.h"

#include <algorithm>

#include "koseki/rules/internal/helpers.h"

namespace koseki::rules::internal {
namespace {

constexpr std::string_view kReturn = "復籍";
constexpr std::string_view kNewRegister = "新戸籍";

}  // namespace

std::vector<FieldSpec> FormerSurnameFields() {
  return {
      {"destination",
       "婚姻前の氏にもどる者の本籍",
       FieldType::kChoice,
       true,
       {std::string(kReturn), std::string(kNewRegister)},
       "もとの戸籍にもどる（復籍）か、新しい戸籍をつくるか"},
      {"return_register",
       "復籍する戸籍（添付）",
       FieldType::kRegisterRef,
       false,
       {},
       "例：R2。添付していない他市町村の戸籍は下の欄に記入"},
      {"return_ext_honseki", "復籍する戸籍の本籍（外部）", FieldType::kHonseki},
      {"return_ext_hittosha", "復籍する戸籍の筆頭者氏名（外部）", FieldType::kName},
      {"new_honseki", "新本籍", FieldType::kHonseki},
      {"former_uji", "婚姻前の氏（新戸籍の氏）", FieldType::kName},
      {"former_uji_furigana", "婚姻前の氏の振り仮名", FieldType::kKana},
  };
}

std::optional<FormerSurnameDestination> CheckFormerSurnameDestination(
    const Entry& entry, const RuleContext& context, const domain::Register& marital,
    const domain::Person& leaving, const FormerSurnameCodes& codes,
    std::vector<Finding>& findings) {
  FormerSurnameDestination d;
  const std::optional<std::string> ret = entry.Get("return_register");
  const std::optional<std::string> ext_honseki = entry.Get("return_ext_honseki");
  const std::optional<std::string> ext_hittosha = entry.Get("return_ext_hittosha");
  const std::optional<std::string> new_honseki = entry.Get("new_honseki");
  const std::optional<std::string> former_uji = entry.Get("former_uji");
  auto error = [&](std::string message,
                   std::string field) -> std::optional<FormerSurnameDestination> {
    findings.push_back(
        MakeErrorFinding(std::string(codes.error), std::move(message), std::move(field)));
    return std::nullopt;
  };
  if (*entry.Get("destination") == kNewRegister) {
    if (ret || ext_honseki || ext_hittosha) {
      return error("新戸籍をつくる場合は復籍する戸籍を記入しません。", "return_register");
    }
    if (!new_honseki || !former_uji) {
      return error("新戸籍をつくる場合は新本籍と婚姻前の氏を記入してください。",
                   new_honseki ? "former_uji" : "new_honseki");
    }
    d.new_register = true;
    d.honseki = *new_honseki;
    d.uji = *former_uji;
    d.uji_furigana = entry.Get("former_uji_furigana");
    return d;
  }
  if (new_honseki || former_uji) {
    return error("復籍する場合は新本籍・婚姻前の氏を記入しません。", "new_honseki");
  }
  if (ret && (ext_honseki || ext_hittosha)) {
    return error("復籍する戸籍は添付戸籍か外部の記載の一方だけを記入してください。",
                 "return_register");
  }
  if (ret) {
    const AttachedRegister* parents = context.Find(*ret);
    if (parents == nullptr) return error("復籍する戸籍が添付されていません。", "return_register");
    if (&parents->value == &marital) {
      return error("復籍する戸籍に婚姻中の戸籍は指定できません。", "return_register");
    }
    if (parents->value.status != domain::RegisterStatus::kGenzai) {
      // 戸籍法19条1項但書: the register no longer exists, so a new one is made.
      return error("復籍する戸籍は除籍されているため、新戸籍をつくる必要があります。",
                   "return_register");
    }
    // The pre-marriage record is looked up by what is transcribed unchanged; after a 改製 it
    // may be gone, so its absence is only a warning for the examiner.
    const bool found = std::any_of(
        parents->value.persons.begin(), parents->value.persons.end(), [&](const domain::Person& p) {
          return p.removed && p.mei == leaving.mei && p.birth_date == leaving.birth_date &&
                 p.father == leaving.father && p.mother == leaving.mother;
        });
    if (!found) {
      findings.push_back(MakeWarningFinding(std::string(codes.missing_original),
                                            "復籍する戸籍に婚姻前の記録が見当たりません。婚姻前の"
                                            "戸籍であることを確認してください。",
                                            "return_register"));
    }
    d.parents = parents;
    d.reference = RegisterReference(parents->value);
    d.honseki = parents->value.honseki;
    return d;
  }
  if (!ext_honseki || !ext_hittosha) {
    return error("復籍する戸籍（添付戸籍、または外部の本籍と筆頭者氏名）を記入してください。",
                 "return_register");
  }
  d.reference = *ext_honseki + "\u3000" + *ext_hittosha;
  d.honseki = *ext_honseki;
  return d;
}

domain::Field DepartureField(const FormerSurnameDestination& destination) {
  return destination.new_register ? domain::TextField("新本籍", destination.honseki)
                                  : domain::TextField("入籍戸籍", destination.reference);
}

domain::Person ArrivingFormerSurname(const domain::Person& leaving, int seq,
                                     const domain::Register& marital, domain::Event arriving) {
  domain::Person p = Transcribe(leaving, seq);
  std::erase_if(p.mibun_jiko,
                [](const domain::Event& e) { return e.kind == "婚姻" || e.kind == "親権"; });
  p.haigusha_kubun = domain::HaigushaKubun::kNone;
  // Where the spouse comes from: the marital register (【従前戸籍】, 記載例).
  arriving.fields.push_back(domain::TextField("従前戸籍", RegisterReference(marital)));
  p.mibun_jiko.push_back(std::move(arriving));
  return p;
}

void AddFormerSurnameArrival(const RuleContext& context,
                             const FormerSurnameDestination& destination,
                             const domain::Person& leaving, const domain::Register& marital,
                             const domain::Event& arriving, const text::JapaneseDate& on,
                             std::string new_label, std::string notice_reason_new,
                             std::string notice_reason_return, ChangeSet& change_set) {
  if (destination.parents != nullptr) {
    domain::Register parents = destination.parents->value;
    parents.persons.push_back(ArrivingFormerSurname(leaving, NextSeq(parents), marital, arriving));
    change_set.updates.push_back(UpdateOf(*destination.parents, std::move(parents)));
  } else if (destination.new_register &&
             MunicipalityOf(destination.honseki) == context.municipality) {
    domain::Register created = NewRegister(destination.honseki, destination.uji,
                                           destination.uji_furigana, leaving.mei, on);
    created.persons.push_back(ArrivingFormerSurname(leaving, 1, marital, arriving));
    change_set.creations.push_back({std::move(new_label), std::move(created)});
  } else {
    AddNoticeIfElsewhere(
        context, destination.honseki,
        destination.new_register ? std::move(notice_reason_new) : std::move(notice_reason_return),
        change_set);
  }
}

}  // namespace koseki::rules::internal
