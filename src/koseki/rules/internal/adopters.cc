#include "koseki/rules/internal/adopters.h"

#include <optional>
#include <string_view>
#include <utility>

namespace koseki::rules::internal {

AdoptiveParentNames NamesOf(const std::vector<Adopter>& adopters) {
  AdoptiveParentNames names;
  for (const Adopter& ad : adopters) (ad.father ? names.yofu : names.yobo) = ad.name;
  return names;
}

domain::Event AdopteeEvent(std::string kind, std::string day_tag, const text::JapaneseDate& day,
                           const AdoptiveParentNames& names, std::optional<domain::Field> filer,
                           std::optional<domain::Field> register_field) {
  std::vector<domain::Field> fields = {domain::DateField(std::move(day_tag), day)};
  if (!names.yofu.empty()) fields.push_back(domain::TextField("養父氏名", names.yofu));
  if (!names.yobo.empty()) fields.push_back(domain::TextField("養母氏名", names.yobo));
  if (filer) fields.push_back(std::move(*filer));
  if (register_field) fields.push_back(std::move(*register_field));
  return domain::MakeEvent(std::move(kind), std::move(fields));
}

StayingAdopteeRegisters RegistersNamedForAStayingAdoptee(const ResolvedPerson& adoptee,
                                                         const std::vector<Adopter>& adopters) {
  if (adopters.empty() || adopters[0].who.attached == adoptee.attached) return {};
  return {domain::TextField("養親の戸籍", RegisterReference(adopters[0].who.attached->value)),
          domain::TextField("養子の戸籍", RegisterReference(adoptee.attached->value))};
}

void AddAdoptionPartyNotices(const RuleContext& context, std::string_view notification,
                             const domain::Register& adoptee_before,
                             const std::vector<Adopter>& adopters, ChangeSet& change_set) {
  const std::string name(notification);
  AddNoticeIfElsewhere(context, adoptee_before.honseki, name + "（養子の本籍地）", change_set);
  for (const Adopter& ad : adopters) {
    AddNoticeIfElsewhere(context, ad.who.attached->value.honseki, name + "（養親の本籍地）",
                         change_set);
  }
}

std::optional<AdoptionParties> ResolveAdoptionParties(const Entry& entry,
                                                      const RuleContext& context,
                                                      Finding no_adopter,
                                                      std::string bad_receipt_code,
                                                      std::vector<Finding>& findings) {
  const std::size_t findings_before = findings.size();
  std::vector<Adopter> adopters;
  for (const char* key : {"yofu", "yobo"}) {
    if (std::optional<std::string> value = entry.Get(key)) {
      if (auto r = Resolve(context, *ParsePersonRef(*value), key, findings)) {
        adopters.push_back(Adopter{*r, FullName(*r), std::string_view(key) == "yofu"});
      }
    }
  }
  if (!entry.Get("yofu") && !entry.Get("yobo")) findings.push_back(std::move(no_adopter));
  std::optional<ResolvedPerson> adoptee =
      Resolve(context, *ParsePersonRef(*entry.Get("adoptee")), "adoptee", findings);
  std::optional<text::JapaneseDate> received_on =
      ReceivedDate(context, std::move(bad_receipt_code), findings);
  // Everything appended above is an error; an adopter that did not resolve shows only there.
  if (findings.size() != findings_before) return std::nullopt;
  return AdoptionParties{
      .adopters = std::move(adopters), .adoptee = *adoptee, .received_on = *received_on};
}

}  // namespace koseki::rules::internal
