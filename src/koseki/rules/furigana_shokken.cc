#include "koseki/rules/furigana_shokken.h"

#include <string_view>

#include "koseki/base/error.h"
#include "koseki/domain/event.h"
#include "koseki/domain/furigana.h"
#include "koseki/text/japanese_date.h"
#include "koseki/text/name.h"

namespace koseki::rules {
namespace {

const domain::EventSource kShokken{.kind = domain::SourceKind::kShokken};

Result<void> CheckNotifiedReading(std::string_view reading, std::string_view item) {
  if (!text::IsKatakanaReading(reading) ||
      text::CountCharacters(reading) > domain::kMaxFuriganaCharacters) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-FURIGANA-002",
                     "通知した振り仮名がカタカナでないか長すぎます（" + std::string(item) + "）。",
                     "notified reading malformed: " + std::string(item));
  }
  return Ok();
}

}  // namespace

Result<void> CheckShokkenDay(std::chrono::year_month_day on) {
  if (on < domain::kFuriganaShokkenFrom) {
    return MakeError(ErrorCode::kFailedPrecondition, "KSK-FURIGANA-001",
                     "振り仮名の職権記載は令和８年５月２６日以後に行います。",
                     "ex officio recording before 2026-05-26");
  }
  return Ok();
}

Result<ShokkenRecording> RecordNotifiedReadings(const domain::Register& reg,
                                                const NotifiedReadings& notified,
                                                std::chrono::year_month_day on) {
  KOSEKI_RETURN_IF_ERROR(CheckShokkenDay(on));
  if (reg.status != domain::RegisterStatus::kGenzai) {
    return MakeError(ErrorCode::kFailedPrecondition, "KSK-FURIGANA-004",
                     "除籍・改製原戸籍には振り仮名を記載しません。", "register closed");
  }
  KOSEKI_ASSIGN_OR_RETURN(text::JapaneseDate recorded_on, text::JapaneseDate::FromGregorian(on));
  ShokkenRecording out{.after = reg};
  domain::Register& after = out.after;
  if (notified.uji) {
    KOSEKI_RETURN_IF_ERROR(CheckNotifiedReading(*notified.uji, "氏"));
    if (after.uji_furigana) {
      ++out.kept;
    } else {
      after.uji_furigana = *notified.uji;
      after.koseki_jiko.push_back(
          domain::MakeEvent("氏の振り仮名",
                            {domain::TextField("氏の振り仮名", *notified.uji),
                             domain::DateField("記録日", recorded_on)},
                            kShokken));
      ++out.recorded;
    }
  }
  for (std::size_t i = 0; i < notified.mei.size(); ++i) {
    const auto& [mei, reading] = notified.mei[i];
    const std::string item = "名 " + std::to_string(i + 1) + "人目";
    KOSEKI_RETURN_IF_ERROR(CheckNotifiedReading(reading, item));
    domain::Person* person = nullptr;
    for (domain::Person& p : after.persons) {
      if (!p.removed && p.mei == mei) person = &p;
    }
    if (person == nullptr) {
      return MakeError(ErrorCode::kNotFound, "KSK-FURIGANA-003",
                       "通知した名の者がこの戸籍に在籍していません（" + item + "）。",
                       "notified person not present: " + item);
    }
    if (person->mei_furigana) {
      ++out.kept;
      continue;
    }
    person->mei_furigana = reading;
    person->mibun_jiko.push_back(domain::MakeEvent(
        "名の振り仮名",
        {domain::TextField("名の振り仮名", reading), domain::DateField("記録日", recorded_on)},
        kShokken));
    ++out.recorded;
  }
  return out;
}

}  // namespace koseki::rules
