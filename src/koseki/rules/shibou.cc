// 死亡届 (DOMAIN.md §2.2; 戸籍法86–93条). A reporting notification: 7 days counted from the day
// the filer learned of the death (3 months for a death abroad).
//
// Effect: the deceased gets 死亡 【死亡日】【死亡時分】【死亡地】【届出日】【届出人】 and is 除籍,
// keeping 配偶者区分 (DOMAIN.md §1.4a); a surviving spouse gets 配偶者の死亡 【配偶者の死亡日】
// (recorded ex officio) and loses 配偶者区分 (domain/marriage_end.h); a register whose last
// member died is closed (戸籍消除).
#include <algorithm>
#include <string>

#include "koseki/domain/marriage_end.h"
#include "koseki/rules/internal/helpers.h"
#include "koseki/rules/internal/notification_rule_base.h"
#include "koseki/rules/internal/rule_set.h"

namespace koseki::rules::internal {
namespace {

using std::chrono::sys_days;
using std::chrono::year_month_day;

constexpr std::string_view kYes = "はい";

// 届出人の資格 as chosen on the form → as written before the name in 【届出人】.
struct FilerKind {
  std::string_view choice;
  std::string_view written;
};
constexpr FilerKind kFilers[] = {
    {"同居の親族", "親族"},
    {"同居していない親族", "親族"},
    {"同居者", "同居者"},
    {"家主", "家主"},
    {"地主", "地主"},
    {"家屋管理人", "家屋管理人"},
    {"土地管理人", "土地管理人"},
    {"後見人", "後見人"},
    {"保佐人", "保佐人"},
    {"補助人", "補助人"},
    {"任意後見人", "任意後見人"},
    {"任意後見受任者", "任意後見受任者"},
    {"公設所の長", "公設所長"},
};

FormSpec MakeForm() {
  std::vector<std::string> filer_choices;
  for (const FilerKind& k : kFilers) filer_choices.emplace_back(k.choice);
  return FormSpec{NotificationType::kShibou,
                  "死亡届",
                  {
                      {.key = "deceased",
                       .label = "死亡した人",
                       .type = FieldType::kPersonRef,
                       .required = true,
                       .hint = "添付戸籍の者（例：R1:1）"},
                      {.key = "death_date",
                       .label = "死亡した年月日",
                       .type = FieldType::kDate,
                       .required = true},
                      {.key = "death_time",
                       .label = "死亡した時刻",
                       .type = FieldType::kTime,
                       .hint = "死亡診断書のとおり（例：15:45）"},
                      {.key = "death_time_text",
                       .label = "死亡した時刻（推定・不詳の場合の記載）",
                       .type = FieldType::kText,
                       .hint = "例：推定午後３時"},
                      {.key = "death_place",
                       .label = "死亡したところ",
                       .type = FieldType::kText,
                       .required = true,
                       .hint = "市区町村まで記録されます（例：青葉県みなと市）。国外は国名から"},
                      {.key = "died_abroad",
                       .label = "国外での死亡",
                       .type = FieldType::kChoice,
                       .choices = {"はい", "いいえ"},
                       .hint = "はい：届出期間は３か月"},
                      {.key = "known_on",
                       .label = "死亡を知った日",
                       .type = FieldType::kDate,
                       .hint = "死亡の日と異なる場合（届出期間はこの日から数えます）"},
                      {.key = "todokedenin_shikaku",
                       .label = "届出人の資格",
                       .type = FieldType::kChoice,
                       .required = true,
                       .choices = std::move(filer_choices)},
                      {.key = "todokedenin_name",
                       .label = "届出人の氏名",
                       .type = FieldType::kName,
                       .required = true},
                  }};
}

struct Typed {
  std::optional<ResolvedPerson> deceased;
  year_month_day death{};
  text::JapaneseDate death_date = text::JapaneseDate::Inexact("");
  std::optional<TimeValue> time;
  std::optional<std::string> time_text;
  std::string place;
  bool abroad = false;
  std::optional<year_month_day> known_on;
  std::string filer;  // as written in 【届出人】
};

class ShibouRuleImpl final : public NotificationRuleBase<Typed> {
 public:
  ShibouRuleImpl() : NotificationRuleBase(MakeForm()) {}

 private:
  std::optional<Typed> Check(const Entry& entry, const RuleContext& context,
                             std::vector<Finding>& findings) const override {
    Typed t = Type(entry, context, findings);
    if (!t.deceased) return std::nullopt;
    Validate(t, context, findings);
    return t;
  }

  static Typed Type(const Entry& entry, const RuleContext& context,
                    std::vector<Finding>& findings) {
    Typed t;
    t.deceased = Resolve(context, *ParsePersonRef(*entry.Get("deceased")), "deceased", findings);
    t.death_date = *ParseDateValue(*entry.Get("death_date"));
    t.death = *t.death_date.day();
    if (auto time = entry.Get("death_time")) t.time = *ParseTimeValue(*time);
    t.time_text = entry.Get("death_time_text");
    t.place = *entry.Get("death_place");
    t.abroad = entry.Get("died_abroad") == kYes;
    if (auto known = entry.Get("known_on")) t.known_on = *ParseDateValue(*known)->day();
    const std::string shikaku = *entry.Get("todokedenin_shikaku");
    std::string_view written;
    for (const FilerKind& k : kFilers) {
      if (k.choice == shikaku) written = k.written;
    }
    t.filer = FilerText(written, *entry.Get("todokedenin_name"));
    return t;
  }

  static void Validate(const Typed& t, const RuleContext& context, std::vector<Finding>& findings) {
    const domain::Person& person = *t.deceased->person;
    if (person.removed || t.deceased->attached->value.status != domain::RegisterStatus::kGenzai) {
      findings.push_back(MakeErrorFinding(
          "RULE-SHIBOU-001",
          "死亡した人はこの戸籍から既に除籍されています（現在の戸籍を添付してください）。",
          "deceased"));
    }
    if (auto birth = person.birth_date.day(); birth && sys_days{t.death} < sys_days{*birth}) {
      findings.push_back(MakeErrorFinding(
          "RULE-SHIBOU-002", "死亡の日が出生の日より前になっています。", "death_date"));
    }
    if (t.time && t.time_text) {
      findings.push_back(MakeErrorFinding(
          "RULE-SHIBOU-003", "死亡した時刻は、時刻か推定・不詳の記載のどちらか一方にしてください。",
          "death_time_text"));
    }
    if (auto e = EventAfterFilingError(t.death, context.received_on, "death_date")) {
      findings.push_back(*e);
      return;
    }
    year_month_day from = t.death;
    if (t.known_on) {
      if (sys_days{*t.known_on} < sys_days{t.death}) {
        findings.push_back(MakeErrorFinding(
            "RULE-SHIBOU-004", "死亡を知った日が死亡の日より前になっています。", "known_on"));
        return;
      }
      if (auto e = EventAfterFilingError(*t.known_on, context.received_on, "known_on")) {
        findings.push_back(*e);
        return;
      }
      from = *t.known_on;
    }
    if (auto w = LateFilingWarning(from, context.received_on, ReportingPeriod(7, t.abroad),
                                   *context.calendar, "death_date")) {
      findings.push_back(*w);
    }
  }

  ChangeSetOrError Apply(const Entry& /*entry*/, const RuleContext& context,
                         const Typed& t) const override {
    const text::JapaneseDate filed = *text::JapaneseDate::FromGregorian(context.received_on);
    const AttachedRegister& attached = *t.deceased->attached;
    domain::Register reg = attached.value;

    // The spouse is found before the death is recorded (a dead person is no longer married).
    const domain::Person* spouse_before = CurrentSpouse(reg, *t.deceased->person);
    const int spouse_seq = spouse_before != nullptr ? spouse_before->seq : 0;

    domain::Person& deceased = *FindPerson(reg, t.deceased->person->seq);
    std::vector<domain::Field> fields = {domain::DateField("死亡日", t.death_date)};
    if (t.time) fields.push_back(domain::TimeField("死亡時分", t.time->hour, t.time->minute));
    if (t.time_text) fields.push_back(domain::TextField("死亡時分", *t.time_text));
    fields.push_back(domain::TextField("死亡地", RecordedPlace(t.place, t.abroad)));
    fields.push_back(domain::DateField("届出日", filed));
    fields.push_back(domain::TextField("届出人", t.filer));
    deceased.mibun_jiko.push_back(domain::MakeEvent("死亡", std::move(fields)));
    MarkRemoved(deceased, "死亡");

    if (domain::Person* spouse = FindPerson(reg, spouse_seq)) {
      domain::RecordSpouseDeath(*spouse, t.death_date);
    }
    CloseIfEmpty(reg, filed);

    ChangeSet cs;
    cs.updates.push_back(UpdateOf(attached, std::move(reg)));
    AddNoticeIfElsewhere(context, attached.value.honseki, "死亡届（死亡者の本籍地）", cs);
    return cs;
  }
};

}  // namespace

const NotificationRule& ShibouRule() {
  static const ShibouRuleImpl rule;
  return rule;
}

}  // namespace koseki::rules::internal
