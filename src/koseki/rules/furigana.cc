// 氏名の振り仮名の届 (戸籍法13条 as amended by 令和5年法律第48号, 107条の3, 107条の4, 附則;
// DOMAIN.md §1.6): the readings of one register's 氏 and of its members' 名, on one form, so
// that a household is entered on one screen.
//
// A reading not yet recorded is filed in the one-year window (2025-05-26 – 2026-05-25): the 氏
// by the 筆頭者 (if 除籍, the spouse; if also 除籍, a child), each 名 by its bearer (under 15,
// by the 親権者 or guardian). After the window the mayor records the notified readings ex
// officio (the 職権 batch, workflow/furigana_shokken.h), and a 届 can only change a recorded
// reading: once without permission for a reading recorded 職権 (附則), otherwise with the
// family court's permission (氏: やむを得ない事由, filed by the 筆頭者 or spouse; 名: 正当な事由).
//
// Effect:
//   first filing — 氏: the register's 氏の振り仮名 and a 戸籍事項 氏の振り仮名【氏の振り仮名】
//                  【届出日】【届出人】; 名: the person's 名の振り仮名 and a 身分事項
//                  名の振り仮名【名の振り仮名】【届出日】【届出人】;
//   change       — 氏の振り仮名の変更【氏の振り仮名の変更日】【従前の記録】【氏の振り仮名】, and
//                  likewise for a 名 (the reading replaced is kept under 従前の記録).
// Whether a reading is "generally accepted" for its characters is the clerk's judgement, not a
// dictionary's: the program only compares a name written in kana with its reading, and lets
// the operator flag any reading for the clerk (a warning that needs the evidence as reason).
#include "koseki/domain/furigana.h"

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "koseki/rules/internal/helpers.h"
#include "koseki/rules/internal/notification_rule_base.h"
#include "koseki/rules/internal/rule_set.h"
#include "koseki/text/name.h"

namespace koseki::rules::internal {
namespace {

// 【届出人】 of a first 氏の振り仮名, by who filed it (UNVERIFIED wording).
constexpr std::string_view kUjiFilerHittosha = "筆頭者";
constexpr std::string_view kUjiFilerSpouse = "配偶者";
constexpr std::string_view kUjiFilerChild = "子";
// 【届出人】 of a 名の振り仮名 filed by its bearer; the others are the form's choices as written.
constexpr std::string_view kMeiFilerSelf = "本人";
constexpr std::string_view kDoubtMarked = "要確認";
// The entries that record a reading; the tag holding it has the same name.
constexpr std::string_view kUjiKind = "氏の振り仮名";
constexpr std::string_view kMeiKind = "名の振り仮名";

// How the reading now recorded came to be, as far as this register shows.
enum class Origin {
  kNone,     // no reading yet
  kFiled,    // filed (or given with the 出生届): a change needs permission
  kShokken,  // recorded ex officio and not changed since: one change without permission
  kChanged,  // changed since: a further change needs permission
  kUnknown,  // recorded, but this register holds no entry saying how (moved here by 移記)
};

// The kind of the entry that changes a reading recorded by an entry of `kind`.
std::string ChangeKindOf(std::string_view kind) { return std::string(kind) + "の変更"; }

// `kind` is the entry that records the reading: 氏の振り仮名 or 名の振り仮名.
Origin OriginOf(const std::optional<std::string>& reading, std::span<const domain::Event> events,
                std::string_view kind) {
  if (!reading) return Origin::kNone;
  const std::string change_kind = ChangeKindOf(kind);
  Origin origin = Origin::kUnknown;
  for (const domain::Event& e : events) {
    if (e.kind == change_kind) return Origin::kChanged;
    if (e.kind == kind) {
      origin = e.source.kind == domain::SourceKind::kShokken ? Origin::kShokken : Origin::kFiled;
    }
  }
  return origin;
}

// One reading the entry records.
struct Reading {
  std::string furigana;
  std::optional<std::string> previous = {};  // the reading it replaces, for a change
  std::string filer = {};                    // 【届出人】 of a first filing
};

// What the checks of a 振り仮名の届 establish.
struct Furigana {
  const AttachedRegister* attached = nullptr;
  std::optional<Reading> uji = {};
  std::map<int, Reading> mei = {};  // by seq
  text::JapaneseDate filed;
};

FormSpec MakeForm() {
  return FormSpec{NotificationType::kFurigana,
                  "氏名の振り仮名の届",
                  {
                      {.key = "register",
                       .label = "振り仮名を記載する戸籍",
                       .type = FieldType::kRegisterRef,
                       .required = true,
                       .hint = "添付した戸籍（例 R1）"},
                      {.key = "uji_furigana",
                       .label = "氏の振り仮名",
                       .type = FieldType::kKana,
                       .hint = "カタカナ。小さい文字（ャュョッ）は届書のとおりに"},
                      {.key = "uji_filer",
                       .label = "氏の振り仮名の届出人",
                       .type = FieldType::kPersonRef,
                       .hint = "筆頭者（除籍されているときは配偶者、配偶者もいないときは子）"},
                      {.key = "uji_kyoka_date",
                       .label = "氏の振り仮名の変更の許可の審判確定日",
                       .type = FieldType::kDate,
                       .hint = "記載済みの振り仮名を家庭裁判所の許可を得て変更するとき"},
                      {.key = "uji_doubt",
                       .label = "氏の読み方の確認",
                       .type = FieldType::kChoice,
                       .choices = {std::string(kDoubtMarked)},
                       .hint = "一般に認められた読み方か市区町村の確認が要るとき"},
                      {.key = "mei_furigana",
                       .label = "名の振り仮名",
                       .type = FieldType::kKana,
                       .hint = "カタカナ。小さい文字（ャュョッ）は届書のとおりに",
                       .per_person = true},
                      {.key = "mei_filer",
                       .label = "名の振り仮名の届出人",
                       .type = FieldType::kChoice,
                       .choices = {std::string(kMeiFilerSelf), "親権者父母", "親権者父", "親権者母",
                                   "未成年後見人"},
                       .hint = "15歳以上は本人、15歳未満は親権者又は未成年後見人",
                       .per_person = true},
                      {.key = "mei_kyoka_date",
                       .label = "名の振り仮名の変更の許可の審判確定日",
                       .type = FieldType::kDate,
                       .per_person = true},
                      {.key = "mei_doubt",
                       .label = "名の読み方の確認",
                       .type = FieldType::kChoice,
                       .choices = {std::string(kDoubtMarked)},
                       .per_person = true},
                  }};
}

std::string PersonKey(std::string_view field, int seq) {
  return std::string(field) + "." + std::to_string(seq);
}

class FuriganaRuleImpl final : public NotificationRuleBase<Furigana> {
 public:
  FuriganaRuleImpl() : NotificationRuleBase(MakeForm()) {}

 private:
  std::optional<Furigana> Check(const Entry& entry, const RuleContext& context,
                                std::vector<Finding>& findings) const override {
    std::optional<text::JapaneseDate> filed = ReceivedDate(context, "RULE-FURIGANA-020", findings);
    if (!filed) return std::nullopt;
    if (context.received_on < domain::kFuriganaInForce) {
      findings.push_back(MakeErrorFinding(
          "RULE-FURIGANA-002", "氏名の振り仮名の届出は令和７年５月２６日から受け付けます。"));
      return std::nullopt;
    }
    const AttachedRegister* attached = context.Find(*entry.Get("register"));
    if (attached == nullptr) {
      findings.push_back(
          MakeErrorFinding("RULE-REF-001", "指定された戸籍が添付されていません。", "register"));
      return std::nullopt;
    }
    const domain::Register& reg = attached->value;
    if (reg.status != domain::RegisterStatus::kGenzai) {
      findings.push_back(MakeErrorFinding(
          "RULE-FURIGANA-019", "除籍・改製原戸籍には振り仮名を記載できません。", "register"));
      return std::nullopt;
    }

    Furigana checked{.attached = attached, .uji = {}, .mei = {}, .filed = *filed};
    checked.uji = CheckUji(entry, context, reg, findings);
    CheckMei(entry, context, reg, checked.mei, findings);
    if (!entry.Get("uji_furigana") && !HasAnyMei(entry)) {
      findings.push_back(
          MakeErrorFinding("RULE-FURIGANA-001", "記載する振り仮名が入力されていません。"));
    }
    return checked;
  }

  static bool HasAnyMei(const Entry& entry) {
    for (const auto& [key, value] : entry.values) {
      if (key.starts_with("mei_furigana.") && entry.Get(key)) return true;
    }
    return false;
  }

  // The checks common to a 氏 and a 名 reading (`field`, its permission date `kyoka_field`):
  // length, a change that changes nothing, the window of first filings, the permission a
  // change needs, and the warnings that leave the reading's acceptance to the clerk.
  static void CheckReading(const Entry& entry, const std::string& furigana,
                           const std::optional<std::string>& current, Origin origin, bool doubt,
                           const std::optional<std::string>& kana_name, const RuleContext& context,
                           const std::string& field, const std::string& kyoka_field,
                           std::vector<Finding>& findings) {
    if (text::CountCharacters(furigana) > domain::kMaxFuriganaCharacters) {
      findings.push_back(MakeErrorFinding(
          "RULE-FURIGANA-010",
          "振り仮名が長すぎます（" + std::to_string(domain::kMaxFuriganaCharacters) + "字以内）。",
          field));
    }
    if (current && *current == furigana) {
      findings.push_back(MakeErrorFinding(
          "RULE-FURIGANA-007", "戸籍に記載済みの振り仮名と同じです（変更がありません）。", field));
    }
    const std::optional<text::JapaneseDate> kyoka = DateValue(entry, kyoka_field);
    if (kyoka && kyoka->day() && *kyoka->day() > context.received_on) {
      findings.push_back(MakeErrorFinding(
          "RULE-FURIGANA-009", "許可の審判確定日が届出日より後になっています。", kyoka_field));
    }
    if (origin == Origin::kNone) {
      if (kyoka) {
        findings.push_back(MakeErrorFinding(
            "RULE-FURIGANA-018",
            "振り仮名が記載されていない者の届出には許可の審判確定日は記入しません。", kyoka_field));
      }
      if (context.received_on > domain::kFuriganaLastFilingDay) {
        findings.push_back(MakeErrorFinding(
            "RULE-FURIGANA-005",
            "振り仮名の届出期間（令和８年５月２５日まで）を過ぎています。通知した振り仮名を職権"
            "で記載した後、一度に限り許可なく変更の届出ができます。",
            field));
      }
    } else if (!kyoka) {
      if (origin == Origin::kFiled || origin == Origin::kChanged) {
        findings.push_back(MakeErrorFinding(
            "RULE-FURIGANA-006",
            "記載済みの振り仮名の変更には家庭裁判所の許可が必要です（許可なく変更できるのは職権"
            "で記載された振り仮名の一度だけです）。許可の審判確定日を記入してください。",
            kyoka_field));
      } else if (origin == Origin::kUnknown) {
        findings.push_back(MakeWarningFinding(
            "RULE-FURIGANA-008",
            "この戸籍には振り仮名を記載した経緯の記録がありません（移記）。従前の戸籍で職権記載"
            "の後に変更がないことを確認し、確認した戸籍を理由に記入してください。",
            field));
      }
    }
    if (kana_name && *kana_name != furigana) {
      findings.push_back(MakeWarningFinding(
          "RULE-FURIGANA-011",
          "仮名だけで書かれた名と振り仮名が一致しません。一般に認められた読み方であることの根拠"
          "を理由に記入してください。",
          field));
    }
    if (doubt) {
      findings.push_back(MakeWarningFinding(
          "RULE-FURIGANA-012",
          "一般に認められた読み方であるか確認が必要とされています。確認した資料（辞書など）を"
          "理由に記入してください。",
          field));
    }
  }

  static std::optional<Reading> CheckUji(const Entry& entry, const RuleContext& context,
                                         const domain::Register& reg,
                                         std::vector<Finding>& findings) {
    const std::optional<std::string> furigana = entry.Get("uji_furigana");
    const std::optional<std::string> filer_ref = entry.Get("uji_filer");
    const std::optional<std::string> kyoka = entry.Get("uji_kyoka_date");
    if (!furigana) {
      if (filer_ref || kyoka || entry.Get("uji_doubt")) {
        findings.push_back(MakeErrorFinding(
            "RULE-FURIGANA-013", "氏の振り仮名が入力されていない届出人・許可・確認があります。",
            "uji_furigana"));
      }
      return std::nullopt;
    }
    const Origin origin = OriginOf(reg.uji_furigana, reg.koseki_jiko, kUjiKind);
    CheckReading(entry, *furigana, reg.uji_furigana, origin, entry.Get("uji_doubt").has_value(),
                 std::nullopt, context, "uji_furigana", "uji_kyoka_date", findings);
    if (!filer_ref) {
      findings.push_back(MakeErrorFinding("RULE-FURIGANA-003",
                                          "氏の振り仮名の届出人を記入してください。", "uji_filer"));
      return std::nullopt;
    }
    std::optional<ResolvedPerson> filer =
        Resolve(context, *ParsePersonRef(*filer_ref), "uji_filer", findings);
    if (!filer) return std::nullopt;
    if (&filer->attached->value != &reg || filer->person->removed) {
      findings.push_back(MakeErrorFinding("RULE-FURIGANA-004",
                                          "氏の振り仮名の届出人はこの戸籍に在籍する者に限ります。",
                                          "uji_filer"));
      return std::nullopt;
    }
    const domain::Person& person = *filer->person;
    const domain::Person& hittosha = reg.persons.front();
    const bool spouse_of_absent_hittosha = hittosha.removed && SpouseSide(person).has_value();
    Reading reading{.furigana = *furigana};
    if (origin != Origin::kNone) {
      // A change is the 筆頭者's and the spouse's (107条の3).
      if (!IsHittoshaOrSpouse(reg, person)) {
        findings.push_back(MakeErrorFinding(
            "RULE-FURIGANA-004", "氏の振り仮名の変更は筆頭者又はその配偶者が届け出ます。",
            "uji_filer"));
      }
      reading.previous = reg.uji_furigana;
      return reading;
    }
    // The first filing: the 筆頭者; if 除籍, the spouse; if none, a child (DOMAIN.md §1.6).
    const bool spouse_present = std::any_of(reg.persons.begin(), reg.persons.end(), [](auto& p) {
      return !p.removed && SpouseSide(p).has_value();
    });
    if (IsHittosha(reg, person)) {
      reading.filer = kUjiFilerHittosha;
    } else if (!hittosha.removed) {
      findings.push_back(MakeErrorFinding(
          "RULE-FURIGANA-004", "筆頭者が在籍するときは、氏の振り仮名は筆頭者が届け出ます。",
          "uji_filer"));
    } else if (spouse_of_absent_hittosha) {
      reading.filer = kUjiFilerSpouse;
    } else if (spouse_present) {
      findings.push_back(MakeErrorFinding(
          "RULE-FURIGANA-004", "筆頭者が除籍されているときは、配偶者が氏の振り仮名を届け出ます。",
          "uji_filer"));
    } else {
      reading.filer = kUjiFilerChild;
    }
    return reading;
  }

  void CheckMei(const Entry& entry, const RuleContext& context, const domain::Register& reg,
                std::map<int, Reading>& readings, std::vector<Finding>& findings) const {
    const FormSpec& form = Form();
    // Every per-person value must belong to a reading of a present member.
    for (const auto& [key, value] : entry.values) {
      const FieldSpec* field = form.Find(key);
      if (field == nullptr || !field->per_person || !entry.Get(key)) continue;
      const int seq = *PerPersonSeq(*field, key);
      const domain::Person* person = nullptr;
      for (const domain::Person& p : reg.persons) {
        if (p.seq == seq) person = &p;
      }
      if (person == nullptr) {
        findings.push_back(
            MakeErrorFinding("RULE-REF-001", "指定された者が添付戸籍に記録されていません。", key));
      } else if (person->removed) {
        findings.push_back(
            MakeErrorFinding("RULE-FURIGANA-014", "除籍された者の振り仮名は記載できません。", key));
      } else if (field->key != "mei_furigana" && !entry.Get(PersonKey("mei_furigana", seq))) {
        findings.push_back(
            MakeErrorFinding("RULE-FURIGANA-013",
                             "名の振り仮名が入力されていない届出人・許可・確認があります。", key));
      }
    }
    for (const domain::Person& person : reg.persons) {
      const std::string key = PersonKey("mei_furigana", person.seq);
      const std::optional<std::string> furigana = entry.Get(key);
      if (!furigana || person.removed) continue;
      Origin origin = OriginOf(person.mei_furigana, person.mibun_jiko, kMeiKind);
      // Born under the new law: the reading came with the 出生届.
      if (origin == Origin::kUnknown && person.birth_date.day() &&
          *person.birth_date.day() >= domain::kFuriganaInForce) {
        origin = Origin::kFiled;
      }
      const std::string kyoka_key = PersonKey("mei_kyoka_date", person.seq);
      CheckReading(entry, *furigana, person.mei_furigana, origin,
                   entry.Get(PersonKey("mei_doubt", person.seq)).has_value(),
                   text::KanaOnlyReading(person.mei), context, key, kyoka_key, findings);

      Reading reading{.furigana = *furigana};
      if (origin != Origin::kNone) reading.previous = person.mei_furigana;
      const std::string filer_key = PersonKey("mei_filer", person.seq);
      const std::optional<std::string> filer = entry.Get(filer_key);
      if (!filer) {
        findings.push_back(MakeErrorFinding("RULE-FURIGANA-015",
                                            "名の振り仮名の届出人を記入してください。", filer_key));
        continue;
      }
      const bool represented = *filer != kMeiFilerSelf;
      if (auto f = RepresentativeError(
              AgeOn(person, context.received_on), represented,
              MakeErrorFinding("RULE-FURIGANA-016",
                               "15歳未満の者の名の振り仮名は親権者又は未成年後見人が届け出ます。",
                               filer_key),
              MakeErrorFinding("RULE-FURIGANA-017",
                               "15歳以上の者の名の振り仮名は本人が届け出ます。", filer_key))) {
        findings.push_back(std::move(*f));
      }
      reading.filer = *filer;
      readings.emplace(person.seq, std::move(reading));
    }
  }

  // The entry recording `r`: a first filing (`kind`【…振り仮名】【届出日】【届出人】) or a change
  // (`kind`の変更【…振り仮名の変更日】【従前の記録】【…振り仮名】 the reading replaced).
  static domain::Event ReadingEvent(std::string_view kind, const Reading& r,
                                    const text::JapaneseDate& filed) {
    const std::string tag(kind);
    if (r.previous) {
      return domain::MakeEvent(
          ChangeKindOf(kind),
          {domain::DateField(ChangeKindOf(kind) + "日", filed), domain::TextField("従前の記録", ""),
           domain::TextField(tag, *r.previous)});
    }
    return domain::MakeEvent(
        tag, {domain::TextField(tag, r.furigana), domain::DateField("届出日", filed),
              domain::TextField("届出人", r.filer)});
  }

  ChangeSetOrError Apply(const Entry& /*entry*/, const RuleContext& /*context*/,
                         const Furigana& checked) const override {
    domain::Register after = checked.attached->value;
    if (checked.uji) {
      after.uji_furigana = checked.uji->furigana;
      after.koseki_jiko.push_back(ReadingEvent(kUjiKind, *checked.uji, checked.filed));
    }
    for (const auto& [seq, r] : checked.mei) {
      domain::Person& person = *FindPerson(after, seq);
      person.mei_furigana = r.furigana;
      person.mibun_jiko.push_back(ReadingEvent(kMeiKind, r, checked.filed));
    }
    ChangeSet change_set;
    change_set.updates.push_back(UpdateOf(*checked.attached, std::move(after)));
    return change_set;
  }
};

}  // namespace

const NotificationRule& FuriganaRule() {
  static const FuriganaRuleImpl rule;
  return rule;
}

}  // namespace koseki::rules::internal
