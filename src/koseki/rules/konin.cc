// 婚姻届 (marriage; 民法731–750条, 戸籍法16条・74条; DOMAIN.md §2.2, §2.3 rule 4).
//
// The marriage is constitutive: it takes effect on acceptance, so the 婚姻日 is the day of
// receipt and the form has no date of its own. Each party is either a member of an attached
// register ("R1:3") or, when their register is in a municipality whose register is not
// attached, an "外部" description copied from the 戸籍謄本 that accompanies the filing.
//
// Effect (戸籍法16条): if the person whose 氏 the couple chooses is already 筆頭者, the other
// spouse enters that register; otherwise a new register is made at the 新本籍 with that person
// as 筆頭者 and both enter it. Whoever moves is 除籍 from the register they leave, with a 婚姻
// entry there: 【新本籍】【称する氏】 when a new register is made, 【入籍戸籍】 when they join the
// 筆頭者's register (the paper 記載例 "…戸籍に入籍につき除籍" names no 氏). In the marital register
// both get 婚姻 and 配偶者区分; whoever came from elsewhere gets 【従前戸籍】.
//
// A spouse of foreign nationality ("外国人" fields: name as written, 国籍, 生年月日) has no
// register and chooses no 氏 (民法750条 binds Japanese spouses only): the Japanese spouse keeps
// their 氏 and stays in their register if 筆頭者, else gets a new register of their own at the
// 新本籍 (戸籍法16条3項). Their 婚姻 entry adds 【配偶者の国籍】【配偶者の生年月日】 (the date in
// the Western calendar); they get the 配偶者区分 as any married person (UNVERIFIED). The foreign
// spouse's capacity to marry is a matter of their own law (法の適用に関する通則法24条1項): the
// clerk confirms it from the 婚姻要件具備証明書 (a warning), the program does not pretend to know
// it.
#include <algorithm>
#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "koseki/domain/event.h"
#include "koseki/domain/person.h"
#include "koseki/domain/register.h"
#include "koseki/rules/internal/helpers.h"
#include "koseki/rules/internal/notification_rule_base.h"
#include "koseki/rules/internal/rule_set.h"

namespace koseki::rules::internal {
namespace {

using domain::HaigushaKubun;
using domain::Person;
using domain::Register;
using domain::Sex;
using text::JapaneseDate;

constexpr std::string_view kHusbandUji = "夫の氏";
constexpr std::string_view kWifeUji = "妻の氏";
constexpr int kMarriageAge = 18;  // 民法731条 (since 2022-04-01)
constexpr int kWitnessAge = 18;   // 成年 (民法4条)

struct Side {
  std::string_view key;    // "husband"
  std::string_view label;  // 夫
  Sex sex;
  HaigushaKubun kubun;
};
constexpr Side kHusband{"husband", "夫", Sex::kMale, HaigushaKubun::kOtto};
constexpr Side kWife{"wife", "妻", Sex::kFemale, HaigushaKubun::kTsuma};

std::string Key(const Side& side, std::string_view suffix) {
  return std::string(side.key) + "_" + std::string(suffix);
}
std::string Label(const Side& side, std::string_view what) {
  return std::string(side.label) + std::string(what);
}

void AddPartyFields(const Side& s, std::vector<FieldSpec>& fields) {
  const std::string ext = "（外部）";
  const std::string foreign = "（外国人）";
  fields.push_back({Key(s, "ref"),
                    Label(s, "（添付戸籍の者）"),
                    FieldType::kPersonRef,
                    false,
                    {},
                    "添付した戸籍の者は R1:3 の形で指定。他市町村の戸籍の者は下の外部欄に記載"});
  fields.push_back({Key(s, "ext_honseki"), Label(s, ext + "本籍"), FieldType::kHonseki});
  fields.push_back({Key(s, "ext_hittosha"),
                    Label(s, ext + "筆頭者氏名"),
                    FieldType::kName,
                    false,
                    {},
                    "氏と名の間に空白を入れない"});
  fields.push_back({Key(s, "ext_uji"), Label(s, ext + "氏"), FieldType::kName});
  fields.push_back({Key(s, "ext_mei"), Label(s, ext + "名"), FieldType::kName});
  fields.push_back({Key(s, "ext_uji_furigana"), Label(s, ext + "氏の振り仮名"), FieldType::kKana});
  fields.push_back({Key(s, "ext_mei_furigana"), Label(s, ext + "名の振り仮名"), FieldType::kKana});
  fields.push_back({Key(s, "ext_birth_date"), Label(s, ext + "生年月日"), FieldType::kDate});
  fields.push_back({Key(s, "ext_father"), Label(s, ext + "父の氏名"), FieldType::kName});
  fields.push_back({Key(s, "ext_mother"), Label(s, ext + "母の氏名"), FieldType::kName});
  fields.push_back({Key(s, "ext_zokugara"),
                    Label(s, ext + "父母との続柄"),
                    FieldType::kText,
                    false,
                    {},
                    "長男、二女など"});
  // The 出生 entry is transcribed (移記) when the party enters a register kept here.
  fields.push_back({Key(s, "ext_birth_place"),
                    Label(s, ext + "出生地"),
                    FieldType::kText,
                    false,
                    {},
                    "この市で戸籍に入る場合に必要（出生事項の移記）"});
  fields.push_back(
      {Key(s, "ext_birth_filed_on"), Label(s, ext + "出生の届出日"), FieldType::kDate});
  fields.push_back({Key(s, "ext_birth_filer"),
                    Label(s, ext + "出生の届出人"),
                    FieldType::kText,
                    false,
                    {},
                    "父、母など"});
  // A foreign national: no register anywhere, named as on the passport or 婚姻要件具備証明書.
  fields.push_back(
      {Key(s, "foreign_name"),
       Label(s, foreign + "氏名"),
       FieldType::kText,
       false,
       {},
       "外国人の場合のみ。カタカナで氏、名の順に「、」で区切る（例：スミス、ジョン）"});
  fields.push_back({Key(s, "foreign_nationality"),
                    Label(s, foreign + "国籍"),
                    FieldType::kText,
                    false,
                    {},
                    "例：アメリカ合衆国"});
  fields.push_back(
      {Key(s, "foreign_birth_date"), Label(s, foreign + "生年月日"), FieldType::kDate});
}

FormSpec MakeForm() {
  FormSpec form{NotificationType::kKonin, "婚姻届", {}};
  AddPartyFields(kHusband, form.fields);
  AddPartyFields(kWife, form.fields);
  form.fields.push_back({"uji",
                         "婚姻後の夫婦の氏",
                         FieldType::kChoice,
                         false,
                         {std::string(kHusbandUji), std::string(kWifeUji)},
                         "外国人との婚姻では記載しない"});
  form.fields.push_back({"new_honseki",
                         "新本籍",
                         FieldType::kHonseki,
                         false,
                         {},
                         "氏を称する人がすでに筆頭者のときは記載しない"});
  for (const char* n : {"1", "2"}) {
    const std::string w = std::string("witness") + n;
    form.fields.push_back(
        {w + "_name", std::string("証人") + n + "の氏名", FieldType::kName, true});
    form.fields.push_back(
        {w + "_birth_date", std::string("証人") + n + "の生年月日", FieldType::kDate, true});
  }
  return form;
}

// One party of the marriage: a member of an attached register, or an external description.
struct Party {
  const Side* side = nullptr;
  // Attached member.
  const AttachedRegister* attached = nullptr;
  const Person* person = nullptr;
  // External description (when `attached` is null).
  std::string honseki, hittosha, uji, mei, father, mother, zokugara;
  std::optional<std::string> uji_furigana, mei_furigana;
  std::optional<JapaneseDate> birth_date;
  std::optional<std::string> birth_place, birth_filer;
  std::optional<JapaneseDate> birth_filed_on;
  // A foreign national (then `attached` is null and only mei, birth_date and nationality are set;
  // mei holds the whole name as written).
  bool foreign = false;
  std::string nationality;

  // Not a member of an attached register: a Japanese party described from a 戸籍謄本, or a
  // foreign national.
  bool external() const { return attached == nullptr; }
  const Register* reg() const { return attached ? &attached->value : nullptr; }
  std::string FullName() const {
    return attached ? attached->value.FullNameOf(*person) : uji + mei;  // foreign: uji is empty
  }
  std::string Uji() const { return attached ? attached->value.uji : uji; }
  std::string Mei() const { return attached ? person->mei : mei; }
  std::optional<std::string> UjiFurigana() const {
    return attached ? attached->value.uji_furigana : uji_furigana;
  }
  // 筆頭者 of their current register: for an external party, the register's 筆頭者 is them.
  bool Hittosha() const {
    return attached ? IsHittosha(attached->value, *person) : hittosha == uji + mei;
  }
  // The register as written in 【従前戸籍】/【入籍戸籍】: 本籍　筆頭者氏名.
  std::string RegisterRef() const {
    return attached ? RegisterReference(attached->value) : honseki + "\u3000" + hittosha;
  }
  std::string Father() const { return attached ? person->father : father; }
  std::string Mother() const { return attached ? person->mother : mother; }
  std::optional<std::chrono::year_month_day> BirthDay() const {
    if (attached) return person->birth_date.is_exact() ? person->birth_date.day() : std::nullopt;
    if (birth_date && birth_date->is_exact()) return birth_date->day();
    return std::nullopt;
  }
};

JapaneseDate MustDate(std::chrono::year_month_day day) {
  // received_on is a valid day by contract of RuleContext; FromGregorian only refuses days
  // before 1873, which no filing has.
  return *JapaneseDate::FromGregorian(day);
}

std::optional<Party> ParseParty(const Side& side, const Entry& entry, const RuleContext& context,
                                std::vector<Finding>& findings) {
  Party party;
  party.side = &side;
  const std::string ref_key = Key(side, "ref");
  bool any_external = false;
  for (const char* suffix :
       {"ext_honseki", "ext_hittosha", "ext_uji", "ext_mei", "ext_uji_furigana", "ext_mei_furigana",
        "ext_birth_date", "ext_father", "ext_mother", "ext_zokugara", "ext_birth_place",
        "ext_birth_filed_on", "ext_birth_filer"}) {
    any_external = any_external || entry.Get(Key(side, suffix)).has_value();
  }
  bool any_foreign = false;
  for (const char* suffix : {"foreign_name", "foreign_nationality", "foreign_birth_date"}) {
    any_foreign = any_foreign || entry.Get(Key(side, suffix)).has_value();
  }
  const std::optional<std::string> ref = entry.Get(ref_key);
  if (int{ref.has_value()} + int{any_external} + int{any_foreign} > 1) {
    findings.push_back(MakeErrorFinding(
        "RULE-KONIN-001",
        Label(
            side,
            "は添付戸籍の者の指定、外部の記載、外国人の記載のいずれか一つだけを記入してください。"),
        ref_key));
    return std::nullopt;
  }
  if (any_foreign) {
    bool complete = true;
    for (const char* suffix : {"foreign_name", "foreign_nationality", "foreign_birth_date"}) {
      if (!entry.Get(Key(side, suffix))) {
        findings.push_back(MakeErrorFinding(
            "RULE-KONIN-017", Label(side, "（外国人）の氏名、国籍、生年月日は必須です。"),
            Key(side, suffix)));
        complete = false;
      }
    }
    party.foreign = true;
    party.mei = entry.Get(Key(side, "foreign_name")).value_or("");
    party.nationality = entry.Get(Key(side, "foreign_nationality")).value_or("");
    party.birth_date = DateValue(entry, Key(side, "foreign_birth_date"));
    if (!complete || !party.birth_date) return std::nullopt;
    return party;
  }
  if (ref) {
    Result<PersonRef> parsed = ParsePersonRef(*ref);
    if (!parsed) return std::nullopt;  // CheckForm already reported it
    std::optional<ResolvedPerson> resolved = Resolve(context, *parsed, ref_key, findings);
    if (!resolved) return std::nullopt;
    party.attached = resolved->attached;
    party.person = resolved->person;
    return party;
  }
  if (!any_external) {
    findings.push_back(MakeErrorFinding(
        "RULE-KONIN-001",
        Label(side, "を添付戸籍の者の指定、外部の記載または外国人の記載で入力してください。"),
        ref_key));
    return std::nullopt;
  }
  bool complete = true;
  for (const char* suffix :
       {"ext_honseki", "ext_hittosha", "ext_uji", "ext_mei", "ext_birth_date", "ext_zokugara"}) {
    if (!entry.Get(Key(side, suffix))) {
      findings.push_back(MakeErrorFinding(
          "RULE-KONIN-002",
          Label(side, "（外部）の本籍、筆頭者氏名、氏、名、生年月日、続柄は必須です。"),
          Key(side, suffix)));
      complete = false;
    }
  }
  if (!complete) return std::nullopt;
  party.honseki = *entry.Get(Key(side, "ext_honseki"));
  party.hittosha = *entry.Get(Key(side, "ext_hittosha"));
  party.uji = *entry.Get(Key(side, "ext_uji"));
  party.mei = *entry.Get(Key(side, "ext_mei"));
  party.uji_furigana = entry.Get(Key(side, "ext_uji_furigana"));
  party.mei_furigana = entry.Get(Key(side, "ext_mei_furigana"));
  party.birth_date = DateValue(entry, Key(side, "ext_birth_date"));
  party.father = entry.Get(Key(side, "ext_father")).value_or("");
  party.mother = entry.Get(Key(side, "ext_mother")).value_or("");
  party.zokugara = *entry.Get(Key(side, "ext_zokugara"));
  party.birth_place = entry.Get(Key(side, "ext_birth_place"));
  party.birth_filed_on = DateValue(entry, Key(side, "ext_birth_filed_on"));
  party.birth_filer = entry.Get(Key(side, "ext_birth_filer"));
  if (!party.birth_date) return std::nullopt;
  return party;
}

// ---- Close relatives (民法734–736条) as far as the attached registers show them ----------
//
// People are identified across registers by what is transcribed unchanged when they move:
// 名, 生年月日, 父, 母. Within one register a child's 【父】/【母】 naming a member of that
// register (氏+名 as printed) is a parent link; two people whose 父 and 母 are both recorded
// and equal are counted as children of one couple. Marriage partners in one register (both
// holding a spouse's side, SpouseSide) are spouses, for the in-law ban that outlives the
// marriage (735条).
class Kinship {
 public:
  explicit Kinship(const RuleContext& context) {
    for (const AttachedRegister& a : context.registers) {
      const Register& reg = a.value;
      std::vector<const Person*> husbands, wives;
      for (const Person& c : reg.persons) {
        const std::string child = IdOf(c);
        const std::optional<HaigushaKubun> side = SpouseSide(c);
        if (side == HaigushaKubun::kOtto) husbands.push_back(&c);
        if (side == HaigushaKubun::kTsuma) wives.push_back(&c);
        AddCouple(child, c.father, c.mother);
        for (const Person& p : reg.persons) {
          if (&p == &c) continue;
          const std::string name = reg.FullNameOf(p);
          const bool father = p.sex == Sex::kMale && (c.father == name || c.yofu == name);
          const bool mother = p.sex == Sex::kFemale && (c.mother == name || c.yobo == name);
          if (!father && !mother) continue;
          const bool blood = (father && c.father == name) || (mother && c.mother == name);
          (blood ? blood_parents_ : adoptive_parents_)[child].insert(IdOf(p));
        }
      }
      // A register holds at most one marriage at a time, but a 除籍 spouse keeps the mark.
      for (const Person* h : husbands) {
        for (const Person* w : wives) {
          spouses_[IdOf(*h)].insert(IdOf(*w));
          spouses_[IdOf(*w)].insert(IdOf(*h));
          std::set<std::string>& couple =
              couples_[CoupleId(reg.FullNameOf(*h), reg.FullNameOf(*w))];
          couple.insert(IdOf(*h));
          couple.insert(IdOf(*w));
        }
      }
    }
  }

  static std::string IdOf(const Person& p) {
    return IdOf(p.mei, p.birth_date.ToIso(), p.father, p.mother);
  }
  static std::string IdOf(std::string_view mei, std::string_view birth, std::string_view father,
                          std::string_view mother) {
    return "P|" + std::string(mei) + "|" + std::string(birth) + "|" + std::string(father) + "|" +
           std::string(mother);
  }

  // Registers an external party (only its parents' names are known).
  void AddExternal(const std::string& id, const std::string& father, const std::string& mother) {
    AddCouple(id, father, mother);
  }

  bool DirectLine(const std::string& a, const std::string& b) const {
    return Ancestors(a, /*with_adoptive=*/true).contains(b) ||
           Ancestors(b, /*with_adoptive=*/true).contains(a);
  }
  // Collateral blood relatives within the 3rd degree (siblings 2, uncle/aunt–niece/nephew 3).
  bool CloseCollateral(const std::string& a, const std::string& b) const {
    if (DirectLine(a, b)) return false;
    std::map<std::string, int> up_a = Ancestors(a, false);
    std::map<std::string, int> up_b = Ancestors(b, false);
    for (const auto& [node, depth] : up_a) {
      auto it = up_b.find(node);
      if (it != up_b.end() && depth + it->second <= 3) return true;
    }
    return false;
  }
  // Direct-line relatives by marriage: one is a direct ancestor or descendant of the other's
  // spouse, present or former.
  bool DirectInLaw(const std::string& a, const std::string& b) const {
    auto related_through = [&](const std::string& x, const std::string& y) {
      auto it = spouses_.find(x);
      if (it == spouses_.end()) return false;
      return std::any_of(it->second.begin(), it->second.end(),
                         [&](const std::string& s) { return s != y && DirectLine(s, y); });
    };
    return related_through(a, b) || related_through(b, a);
  }

 private:
  static std::string CoupleId(const std::string& father, const std::string& mother) {
    return "C|" + father + "|" + mother;
  }
  void AddCouple(const std::string& child, const std::string& father, const std::string& mother) {
    if (!father.empty() && !mother.empty()) {
      blood_parents_[child].insert(CoupleId(father, mother));
    }
  }

  // Every ancestor with its smallest distance in generations (0-1 BFS: a couple node and
  // the spouses it names are the same generation).
  std::map<std::string, int> Ancestors(const std::string& start, bool with_adoptive) const {
    std::map<std::string, int> depth{{start, 0}};
    std::deque<std::string> queue{start};
    auto relax = [&](const std::string& next, int d, bool front) {
      auto it = depth.find(next);
      if (it != depth.end() && it->second <= d) return;
      depth[next] = d;
      front ? queue.push_front(next) : queue.push_back(next);
    };
    while (!queue.empty()) {
      const std::string node = queue.front();
      queue.pop_front();
      const int d = depth[node];
      if (auto it = couples_.find(node); it != couples_.end()) {
        for (const std::string& spouse : it->second) relax(spouse, d, true);
      }
      for (const auto* edges : {&blood_parents_, with_adoptive ? &adoptive_parents_ : nullptr}) {
        if (edges == nullptr) continue;
        auto it = edges->find(node);
        if (it == edges->end()) continue;
        for (const std::string& parent : it->second) relax(parent, d + 1, false);
      }
    }
    depth.erase(start);
    return depth;
  }

  std::map<std::string, std::set<std::string>> blood_parents_;
  std::map<std::string, std::set<std::string>> adoptive_parents_;
  std::map<std::string, std::set<std::string>> spouses_;
  // "C|父|母" → the husband and wife of one register printed with those names.
  std::map<std::string, std::set<std::string>> couples_;
};

std::string IdOf(const Party& p) {
  if (!p.external()) return Kinship::IdOf(*p.person);
  return Kinship::IdOf(p.mei, p.birth_date->ToIso(), p.father, p.mother);
}

// ---- Validations -----------------------------------------------------------------------

void CheckParty(const Party& p, const RuleContext& context, std::vector<Finding>& findings) {
  if (p.foreign) {
    findings.push_back(MakeWarningFinding(
        "RULE-KONIN-018",
        Label(*p.side,
              "は外国人のため、婚姻の要件（婚姻適齢など）は本国法によります（法の適用に関する通則法"
              "24条1項）。婚姻要件具備証明書などで確認し、確認した書類を理由に記載してください。"),
        Key(*p.side, "foreign_nationality")));
    return;
  }
  const std::string ref_key = Key(*p.side, p.external() ? "ext_birth_date" : "ref");
  if (!p.external()) {
    if (p.person->removed || p.attached->value.status != domain::RegisterStatus::kGenzai) {
      findings.push_back(MakeErrorFinding(
          "RULE-KONIN-003", Label(*p.side, "として指定された者は、その戸籍から除籍されています。"),
          ref_key));
      return;
    }
    if (p.person->sex != p.side->sex) {
      findings.push_back(MakeErrorFinding(
          "RULE-KONIN-004", Label(*p.side, "として指定された者の性別が一致しません。"), ref_key));
    }
    if (IsMarried(*p.person)) {
      findings.push_back(MakeErrorFinding(
          "RULE-KONIN-006", Label(*p.side, "には現在の配偶者がいます（重婚の禁止、民法732条）。"),
          ref_key));
    }
  }
  std::optional<std::chrono::year_month_day> birth = p.BirthDay();
  if (!birth) {
    findings.push_back(MakeWarningFinding(
        "RULE-KONIN-016",
        Label(*p.side, "の生年月日が不詳のため、婚姻適齢（18歳）を確認できません。"), ref_key));
    return;
  }
  const int age = text::AgeOn(*birth, context.received_on);
  if (age < kMarriageAge) {
    findings.push_back(
        MakeErrorFinding("RULE-KONIN-005",
                         Label(*p.side, "は届出日に" + std::to_string(std::max(age, 0)) +
                                            "歳で、婚姻適齢（18歳、民法731条）に達していません。"),
                         ref_key));
  }
}

void CheckRelatives(const Party& husband, const Party& wife, const RuleContext& context,
                    std::vector<Finding>& findings) {
  Kinship kin(context);
  for (const Party* p : {&husband, &wife}) {
    if (p->external()) kin.AddExternal(IdOf(*p), p->father, p->mother);
  }
  const std::string h = IdOf(husband);
  const std::string w = IdOf(wife);
  if (kin.DirectLine(h, w)) {
    findings.push_back(MakeErrorFinding(
        "RULE-KONIN-007",
        "夫と妻は直系血族または養親子関係にあり、婚姻できません（民法734条・736条）。"));
  } else if (kin.CloseCollateral(h, w)) {
    findings.push_back(MakeErrorFinding(
        "RULE-KONIN-008", "夫と妻は三親等内の傍系血族にあり、婚姻できません（民法734条）。"));
  } else if (kin.DirectInLaw(h, w)) {
    findings.push_back(MakeErrorFinding(
        "RULE-KONIN-009", "夫と妻は直系姻族の関係にあり、婚姻できません（民法735条）。"));
  } else {
    // A parent named on one side who is not in the attached registers: only the names show
    // it, so the examiner confirms against the 戸籍謄本.
    for (const auto& [child, other] : {std::pair{&husband, &wife}, std::pair{&wife, &husband}}) {
      const std::string name = other->FullName();
      if (name == child->Father() || name == child->Mother()) {
        findings.push_back(MakeWarningFinding(
            "RULE-KONIN-010",
            Label(*child->side,
                  "の父母欄に相手方と同じ氏名があります。直系血族でないことを戸籍で"
                  "確認してください。")));
      }
    }
  }
}

void CheckWitnesses(const Entry& entry, const RuleContext& context,
                    std::vector<Finding>& findings) {
  for (const char* key : {"witness1_birth_date", "witness2_birth_date"}) {
    std::optional<JapaneseDate> birth = DateValue(entry, key);
    if (!birth || !birth->day()) continue;
    const int age = text::AgeOn(*birth->day(), context.received_on);
    if (age < kWitnessAge) {
      findings.push_back(MakeErrorFinding(
          "RULE-KONIN-011", "証人は成年（18歳以上）でなければなりません（民法739条2項）。", key));
    }
  }
}

// ---- Effect ----------------------------------------------------------------------------

// Returns the person as carried into the marital register: transcribable entries only, and of
// those not a former (dissolved) marriage nor a 親権 that ended at majority.
Person TranscribeForMarriage(const Person& person, int seq) {
  Person moved = Transcribe(person, seq);
  std::erase_if(moved.mibun_jiko,
                [](const domain::Event& e) { return e.kind == "婚姻" || e.kind == "親権"; });
  moved.haigusha_kubun = HaigushaKubun::kNone;
  return moved;
}

// Returns an external party as a person of a register kept here, with the 出生 entry
// transcribed from the 戸籍謄本.
Person ExternalPerson(const Party& p, int seq) {
  Person person{.seq = seq,
                .mei = p.mei,
                .mei_furigana = p.mei_furigana,
                .sex = p.side->sex,
                .birth_date = *p.birth_date,
                .father = p.father,
                .mother = p.mother,
                .zokugara = p.zokugara};
  person.mibun_jiko.push_back(domain::MakeEvent(
      "出生",
      {domain::DateField("出生日", *p.birth_date), domain::TextField("出生地", *p.birth_place),
       domain::DateField("届出日", *p.birth_filed_on), domain::TextField("届出人", *p.birth_filer)},
      domain::EventSource{.kind = domain::SourceKind::kIki}));
  return person;
}

// 【婚姻日】【配偶者氏名】, and for a foreign spouse 【配偶者の国籍】【配偶者の生年月日】.
std::vector<domain::Field> MarriageFields(const JapaneseDate& day, const Party& spouse) {
  std::vector<domain::Field> fields = {domain::DateField("婚姻日", day),
                                       domain::TextField("配偶者氏名", spouse.FullName())};
  if (spouse.foreign) {
    fields.push_back(domain::TextField("配偶者の国籍", spouse.nationality));
    fields.push_back(domain::DateField("配偶者の生年月日", *spouse.birth_date));
  }
  return fields;
}

// What the checks of a 婚姻届 establish.
struct Marriage {
  Party husband;
  Party wife;
  bool husband_uji = true;  // the couple takes the husband's 氏 (or he is the Japanese spouse)
  std::optional<std::string> new_honseki;
  bool new_here = false;  // the new register is kept in this municipality
};

class KoninRuleImpl final : public NotificationRuleBase<Marriage> {
 public:
  KoninRuleImpl() : NotificationRuleBase(MakeForm()) {}

 private:
  std::optional<Marriage> Check(const Entry& entry, const RuleContext& context,
                                std::vector<Finding>& findings) const override {
    std::optional<Party> husband = ParseParty(kHusband, entry, context, findings);
    std::optional<Party> wife = ParseParty(kWife, entry, context, findings);
    if (!husband || !wife) return std::nullopt;
    if (!husband->external() && !wife->external() && husband->person == wife->person) {
      findings.push_back(
          MakeErrorFinding("RULE-KONIN-012", "夫と妻に同じ者が指定されています。", "wife_ref"));
      return std::nullopt;
    }
    if (husband->foreign && wife->foreign) {
      findings.push_back(MakeErrorFinding(
          "RULE-KONIN-019",
          "夫妻とも外国人の婚姻は戸籍に記載しません（一方が日本人である婚姻に限ります）。",
          "wife_foreign_name"));
      return std::nullopt;
    }
    const bool international = husband->foreign || wife->foreign;
    CheckParty(*husband, context, findings);
    CheckParty(*wife, context, findings);
    if (!international) CheckRelatives(*husband, *wife, context, findings);
    CheckWitnesses(entry, context, findings);

    const std::optional<std::string> uji = entry.Get("uji");
    if (international && uji) {
      findings.push_back(MakeErrorFinding(
          "RULE-KONIN-020",
          "外国人との婚姻では夫婦の氏を定めません（日本人配偶者の氏は変わりません）。", "uji"));
    } else if (!international && !uji) {
      findings.push_back(MakeErrorFinding(
          "RULE-KONIN-020", "婚姻後の夫婦の氏（夫の氏・妻の氏）を選んでください。", "uji"));
      return std::nullopt;
    }
    // The register follows the spouse whose 氏 the couple takes, or the Japanese spouse.
    const bool husband_uji = international ? !husband->foreign : *uji == kHusbandUji;
    const Party& chosen = husband_uji ? *husband : *wife;
    const Party& other = husband_uji ? *wife : *husband;
    const std::optional<std::string> new_honseki = entry.Get("new_honseki");
    const bool joins = chosen.Hittosha();
    const std::string who = international ? "日本人配偶者" : "氏を称する人";
    if (joins && new_honseki) {
      findings.push_back(MakeErrorFinding(
          "RULE-KONIN-013",
          who +
              (international ? "がすでに筆頭者のため、その戸籍に婚姻を記載します。"
                             : "がすでに筆頭者のため、相手方はその戸籍に入ります。") +
              "新本籍は記載しません。",
          "new_honseki"));
    } else if (!joins && !new_honseki) {
      findings.push_back(MakeErrorFinding(
          "RULE-KONIN-013",
          who + "が筆頭者でないため新戸籍を編製します。新本籍を記載してください。", "new_honseki"));
    }
    if (joins && !chosen.external() && !other.external() && chosen.attached == other.attached &&
        !other.person->removed) {
      findings.push_back(MakeErrorFinding(
          "RULE-KONIN-014", "相手方はすでに氏を称する筆頭者の戸籍に在籍しています。", "uji"));
    }
    // An external party who enters a register kept here needs its 出生 entry transcribed.
    const bool new_here =
        !joins && new_honseki && MunicipalityOf(*new_honseki) == context.municipality;
    const bool target_here = new_here || (joins && !chosen.external());
    for (const Party* p : {&*husband, &*wife}) {
      if (!target_here || !p->external() || p->foreign) continue;
      for (const char* suffix : {"ext_birth_place", "ext_birth_filed_on", "ext_birth_filer"}) {
        if (!entry.Get(Key(*p->side, suffix))) {
          findings.push_back(MakeErrorFinding(
              "RULE-KONIN-015",
              Label(*p->side,
                    "（外部）はこの市の戸籍に入るため、出生事項（出生地、届出日、届出人）"
                    "の記載が必要です。"),
              Key(*p->side, suffix)));
        }
      }
    }

    return Marriage{.husband = std::move(*husband),
                    .wife = std::move(*wife),
                    .husband_uji = husband_uji,
                    .new_honseki = new_honseki,
                    .new_here = new_here};
  }

  ChangeSetOrError Apply(const Entry& /*entry*/, const RuleContext& context,
                         const Marriage& marriage) const override {
    const Party& husband = marriage.husband;
    const Party& wife = marriage.wife;
    const bool husband_uji = marriage.husband_uji;
    const Party& chosen = husband_uji ? husband : wife;
    const Party& other = husband_uji ? wife : husband;
    const std::optional<std::string>& new_honseki = marriage.new_honseki;
    const bool new_here = marriage.new_here;
    const JapaneseDate day = MustDate(context.received_on);
    const std::string uji_choice(husband_uji ? kHusbandUji : kWifeUji);
    const bool joins = chosen.Hittosha();
    ChangeSet change_set;

    // Working copies of the attached registers that change, in attachment order.
    RegisterEdits edits(context);
    auto work = [&](const Party& p) -> Register& { return edits.Of(*p.attached); };
    auto spouse_of = [&](const Party& p) -> const Party& {
      return &p == &husband ? wife : husband;
    };

    // The register the couple will be in, as written in 【入籍戸籍】.
    const std::string target_ref = joins ? chosen.RegisterRef() : std::string();

    // 1. Whoever moves leaves their register (除籍) with a 婚姻 entry there.
    for (const Party* p : {&husband, &wife}) {
      const bool moves = !(p == &chosen && joins) && !p->foreign;
      if (!moves) continue;
      if (p->external()) {
        AddNoticeIfElsewhere(context, p->honseki,
                             "婚姻届（" + std::string(p->side->label) + "の従前本籍地）",
                             change_set);
        continue;
      }
      Register& reg = work(*p);
      Person* person = FindPerson(reg, p->person->seq);
      std::vector<domain::Field> fields = MarriageFields(day, spouse_of(*p));
      if (joins) {
        fields.push_back(domain::TextField("入籍戸籍", target_ref));
      } else {
        fields.push_back(domain::TextField("新本籍", *new_honseki));
        // With a foreign spouse no 氏 was chosen: the new register keeps the party's own.
        if (!spouse_of(*p).foreign) fields.push_back(domain::TextField("称する氏", uji_choice));
      }
      person->mibun_jiko.push_back(domain::MakeEvent("婚姻", std::move(fields)));
      MarkRemoved(*person, "婚姻");
      CloseIfEmpty(reg, day);
    }

    // 2. The marital register.
    auto entering = [&](const Party& p, int seq) {
      Person person = p.external() ? ExternalPerson(p, seq) : TranscribeForMarriage(*p.person, seq);
      person.haigusha_kubun = p.side->kubun;
      std::vector<domain::Field> fields = MarriageFields(day, spouse_of(p));
      fields.push_back(domain::TextField("従前戸籍", p.RegisterRef()));
      person.mibun_jiko.push_back(domain::MakeEvent("婚姻", std::move(fields)));
      return person;
    };
    if (joins && !chosen.external()) {
      Register& reg = work(chosen);
      Person* hittosha = FindPerson(reg, chosen.person->seq);
      hittosha->haigusha_kubun = chosen.side->kubun;
      hittosha->mibun_jiko.push_back(domain::MakeEvent("婚姻", MarriageFields(day, other)));
      if (!other.foreign) reg.persons.push_back(entering(other, NextSeq(reg)));
    } else if (joins) {
      AddNoticeIfElsewhere(context, chosen.honseki,
                           "婚姻届（" + std::string(chosen.side->label) + "の本籍地）", change_set);
    } else if (new_here) {
      Register reg =
          NewRegister(*new_honseki, chosen.Uji(), chosen.UjiFurigana(), chosen.Mei(), day);
      reg.persons.push_back(entering(chosen, 1));
      if (!other.foreign) reg.persons.push_back(entering(other, 2));
      change_set.creations.push_back({"婚姻による新戸籍", std::move(reg)});
    } else {
      AddNoticeIfElsewhere(context, *new_honseki, "婚姻届（新本籍地）", change_set);
    }

    edits.EmitInto(change_set);
    return change_set;
  }
};

}  // namespace

const NotificationRule& KoninRule() {
  static const KoninRuleImpl rule;
  return rule;
}

}  // namespace koseki::rules::internal
