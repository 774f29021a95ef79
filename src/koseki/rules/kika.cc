// 帰化届 (naturalization; 国籍法4–10条, 戸籍法102条の2; DOMAIN.md §2.2). A reporting
// notification: the 帰化 takes effect on its publication in the 官報 (告示), and the person files
// within one month of that day. The new Japanese national has no register yet; the form gives
// everything the register will say: the 氏 and 名 chosen (in the characters a 名 may use, 戸籍法
// 50条, and — from 2025-05-26 — with their readings), the birth, the parents as named, the
// 続柄, the former nationality and the former name.
//
// Where the person is entered:
//   * a register of their own at the 新本籍 (the usual case), the person its 筆頭者;
//   * the register of their Japanese spouse, who is its 筆頭者, when they take the spouse's 氏:
//     the marriage was recorded there with the person as a foreign spouse.
// Entries (from memory, UNVERIFIED; tags in domain/event_templates.cc): 出生【出生日】【出生地】
// (no 届出日: the birth was never filed in Japan) and 帰化【帰化日】【届出日】【帰化の際の国籍】
// 【従前の氏名】; entering the spouse's register also 婚姻【婚姻日】【配偶者氏名】 between them, as
// the spouse's entry records it, and the 配偶者区分.
#include <optional>
#include <string>

#include "koseki/domain/furigana.h"
#include "koseki/domain/zokugara.h"
#include "koseki/rules/internal/helpers.h"
#include "koseki/rules/internal/notification_rule_base.h"
#include "koseki/rules/internal/rule_set.h"

namespace koseki::rules::internal {
namespace {

using std::chrono::year_month_day;

constexpr std::string_view kNewRegister = "新戸籍";
constexpr std::string_view kSpouseRegister = "配偶者の戸籍";
constexpr FilingPeriod kPeriod{.months = 1};  // 戸籍法102条の2

FormSpec MakeForm() {
  return FormSpec{
      NotificationType::kKika,
      "帰化届",
      {
          {.key = "uji", .label = "帰化後の氏", .type = FieldType::kName, .required = true},
          {.key = "mei",
           .label = "帰化後の名",
           .type = FieldType::kGivenName,
           .required = true,
           .hint = "常用漢字・人名用漢字・ひらがな・カタカナ"},
          {.key = "uji_furigana",
           .label = "氏の振り仮名",
           .type = FieldType::kKana,
           .hint = "カタカナ（令和７年５月２６日以後の届出では必須）"},
          {.key = "mei_furigana",
           .label = "名の振り仮名",
           .type = FieldType::kKana,
           .hint = "カタカナ（令和７年５月２６日以後の届出では必須）"},
          {.key = "sex",
           .label = "男女の別",
           .type = FieldType::kChoice,
           .required = true,
           .choices = {"男", "女"}},
          {.key = "birth_date", .label = "生年月日", .type = FieldType::kDate, .required = true},
          {.key = "birth_place",
           .label = "出生地",
           .type = FieldType::kText,
           .required = true,
           .hint = "国名から（例：中国遼寧省大連市）"},
          {.key = "father_name",
           .label = "父の氏名",
           .type = FieldType::kText,
           .hint = "帰化許可申請のとおり（例：ワン、ウェイ）"},
          {.key = "mother_name", .label = "母の氏名", .type = FieldType::kText},
          {.key = "zokugara",
           .label = "父母との続き柄",
           .type = FieldType::kText,
           .required = true,
           .hint = "長男、二女など"},
          {.key = "kika_date",
           .label = "帰化の告示の日",
           .type = FieldType::kDate,
           .required = true,
           .hint = "官報に告示された日（届出期間は１か月）"},
          {.key = "former_nationality",
           .label = "帰化の際の国籍",
           .type = FieldType::kText,
           .required = true},
          {.key = "former_name",
           .label = "従前の氏名",
           .type = FieldType::kText,
           .required = true,
           .hint = "カタカナで氏、名の順に「、」で区切る（例：ワン、メイ）"},
          {.key = "destination",
           .label = "入る戸籍",
           .type = FieldType::kChoice,
           .required = true,
           .choices = {std::string(kNewRegister), std::string(kSpouseRegister)}},
          {.key = "new_honseki",
           .label = "新本籍",
           .type = FieldType::kHonseki,
           .hint = "新戸籍のとき"},
          {.key = "spouse",
           .label = "日本人配偶者（筆頭者）",
           .type = FieldType::kPersonRef,
           .hint = "配偶者の戸籍に入るとき（例：R1:1）"},
      }};
}

struct Kika {
  domain::Person person;  // as entered, seq and 配偶者区分 still to be set
  std::string uji;
  std::optional<std::string> uji_furigana;
  std::optional<std::string> new_honseki;  // set: a register of their own
  std::optional<ResolvedPerson> spouse;    // set: the spouse's register
  text::JapaneseDate filed;
};

// The 婚姻 entry of `spouse` that names a foreign spouse, the last one, if any.
const domain::Event* ForeignMarriageOf(const domain::Person& spouse) {
  const domain::Event* found = nullptr;
  for (const domain::Event& e : spouse.mibun_jiko) {
    if (e.kind == "婚姻" && e.TextOf("配偶者の国籍")) found = &e;
  }
  return found;
}

class KikaRuleImpl final : public NotificationRuleBase<Kika> {
 public:
  KikaRuleImpl() : NotificationRuleBase(MakeForm()) {}

 private:
  std::optional<Kika> Check(const Entry& entry, const RuleContext& context,
                            std::vector<Finding>& findings) const override {
    std::optional<text::JapaneseDate> filed = ReceivedDate(context, "RULE-KIKA-001", findings);
    const std::optional<text::JapaneseDate> kika = DateValue(entry, "kika_date");
    const std::optional<text::JapaneseDate> birth = DateValue(entry, "birth_date");
    if (!filed || !kika || !kika->day() || !birth) return std::nullopt;

    const std::string uji = *entry.Get("uji");
    if (auto e = GivenNameCharactersError(uji, "uji")) findings.push_back(*e);
    for (const char* key : {"uji_furigana", "mei_furigana"}) {
      if (!entry.Get(key) && context.received_on >= domain::kFuriganaInForce) {
        findings.push_back(MakeErrorFinding(
            "RULE-KIKA-002", "令和７年５月２６日以後の帰化届には氏名の振り仮名が必要です。", key));
      }
    }
    if (auto d = birth->day(); d && *d > *kika->day()) {
      findings.push_back(MakeErrorFinding(
          "RULE-KIKA-003", "帰化の告示の日が生年月日より前になっています。", "kika_date"));
    }
    if (auto e = EventAfterFilingError(*kika->day(), context.received_on, "kika_date")) {
      findings.push_back(*e);
    } else if (auto w = LateFilingWarning(*kika->day(), context.received_on, kPeriod,
                                          *context.calendar, "kika_date")) {
      findings.push_back(*w);
    }

    domain::Person person{
        .mei = *entry.Get("mei"),
        .mei_furigana = entry.Get("mei_furigana"),
        .sex = entry.Get("sex") == "女" ? domain::Sex::kFemale : domain::Sex::kMale,
        .birth_date = *birth,
        .father = entry.Get("father_name").value_or(""),
        .mother = entry.Get("mother_name").value_or(""),
        .zokugara = *entry.Get("zokugara")};
    person.mibun_jiko.push_back(domain::MakeEvent(
        "出生", {domain::DateField("出生日", *birth),
                 domain::TextField("出生地", RecordedPlace(*entry.Get("birth_place"), true))}));
    person.mibun_jiko.push_back(domain::MakeEvent(
        "帰化", {domain::DateField("帰化日", *kika), domain::DateField("届出日", *filed),
                 domain::TextField("帰化の際の国籍", *entry.Get("former_nationality")),
                 domain::TextField("従前の氏名", *entry.Get("former_name"))}));
    Kika k{.person = std::move(person),
           .uji = uji,
           .uji_furigana = entry.Get("uji_furigana"),
           .new_honseki = std::nullopt,
           .spouse = std::nullopt,
           .filed = *filed};

    const bool to_spouse = entry.Get("destination") == kSpouseRegister;
    const std::optional<std::string> new_honseki = entry.Get("new_honseki");
    const std::optional<std::string> spouse_ref = entry.Get("spouse");
    if (to_spouse != spouse_ref.has_value() || to_spouse == new_honseki.has_value()) {
      findings.push_back(MakeErrorFinding("RULE-KIKA-004",
                                          "新戸籍のときは新本籍だけを、配偶者の戸籍に入るときは日本"
                                          "人配偶者だけを記入してください。",
                                          to_spouse ? "spouse" : "new_honseki"));
      return std::nullopt;
    }
    if (!to_spouse) {
      k.new_honseki = new_honseki;
      return k;
    }
    k.spouse = Resolve(context, *ParsePersonRef(*spouse_ref), "spouse", findings);
    if (!k.spouse) return std::nullopt;
    const domain::Register& reg = k.spouse->attached->value;
    const domain::Person& s = *k.spouse->person;
    // The spouse heads the register, is married to a foreign national and has no spouse in it;
    // the person takes the spouse's 氏.
    const domain::Event* marriage = ForeignMarriageOf(s);
    if (!IsHittosha(reg, s) || s.removed || !IsMarried(s) || CurrentSpouse(reg, s) != nullptr ||
        marriage == nullptr || s.sex == k.person.sex) {
      findings.push_back(MakeErrorFinding("RULE-KIKA-005",
                                          "指定された者は外国人と婚姻中の筆頭者ではありません"
                                          "（帰化者が入る戸籍の筆頭者を指定してください）。",
                                          "spouse"));
      return std::nullopt;
    }
    if (uji != reg.uji) {
      findings.push_back(MakeErrorFinding(
          "RULE-KIKA-006", "配偶者の戸籍に入るときは、帰化後の氏は配偶者の氏と同じです。", "uji"));
    }
    // Before the 帰化 entry, in the order the events happened.
    k.person.mibun_jiko.insert(
        k.person.mibun_jiko.end() - 1,
        domain::MakeEvent("婚姻", {domain::DateField("婚姻日", *marriage->DateOf("婚姻日")),
                                   domain::TextField("配偶者氏名", reg.FullNameOf(s))}));
    k.person.haigusha_kubun = k.person.sex == domain::Sex::kFemale ? domain::HaigushaKubun::kTsuma
                                                                   : domain::HaigushaKubun::kOtto;
    return k;
  }

  ChangeSetOrError Apply(const Entry& /*entry*/, const RuleContext& context,
                         const Kika& k) const override {
    ChangeSet cs;
    domain::Person person = k.person;
    if (k.spouse) {
      const AttachedRegister& attached = *k.spouse->attached;
      domain::Register reg = attached.value;
      person.seq = NextSeq(reg);
      reg.persons.push_back(std::move(person));
      cs.updates.push_back(UpdateOf(attached, std::move(reg)));
      return cs;
    }
    domain::Register reg = NewRegister(*k.new_honseki, k.uji, k.uji_furigana, person.mei, k.filed);
    person.seq = 1;
    reg.persons.push_back(std::move(person));
    AddNewRegister(context, "帰化による新戸籍", std::move(reg), cs);
    AddNoticeIfElsewhere(context, *k.new_honseki, "帰化届（新本籍地）", cs);
    return cs;
  }
};

}  // namespace

const NotificationRule& KikaRule() {
  static const KikaRuleImpl rule;
  return rule;
}

}  // namespace koseki::rules::internal
