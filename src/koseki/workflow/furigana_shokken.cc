#include "koseki/workflow/furigana_shokken.h"

#include <nlohmann/json.hpp>

#include "koseki/audit/actions.h"
#include "koseki/workflow/policy.h"
#include "koseki/workflow/recorded.h"

namespace koseki::workflow {
namespace {

Error MalformedLine(std::size_t line, std::string_view why) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-FURIGANA-005",
                   "通知した振り仮名の一覧の " + std::to_string(line) +
                       " 行目が正しくありません（本籍・筆頭者・氏・名の形式）。",
                   "notified list line " + std::to_string(line) + ": " + std::string(why));
}

Result<rules::NotifiedReadings> ParseLine(const std::string& text, std::size_t line) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return MalformedLine(line, "not a JSON object");
  rules::NotifiedReadings out;
  for (const auto& [key, value] : j.items()) {
    if (key == "honseki" || key == "hittosha" || key == "uji") {
      if (!value.is_string()) return MalformedLine(line, key + " not a string");
      const std::string s = value.get<std::string>();
      if (key == "honseki") out.honseki = s;
      if (key == "hittosha") out.hittosha = s;
      if (key == "uji") out.uji = s;
    } else if (key == "mei") {
      if (!value.is_object()) return MalformedLine(line, "mei not an object");
      for (const auto& [mei, reading] : value.items()) {
        if (!reading.is_string()) return MalformedLine(line, "a reading not a string");
        out.mei.emplace_back(mei, reading.get<std::string>());
      }
    } else {
      return MalformedLine(line, "unknown key");
    }
  }
  if (out.honseki.empty() || out.hittosha.empty()) {
    return MalformedLine(line, "honseki or hittosha missing");
  }
  return out;
}

}  // namespace

Result<std::vector<rules::NotifiedReadings>> ReadNotifiedList(std::istream& in) {
  std::vector<rules::NotifiedReadings> list;
  std::string text;
  for (std::size_t line = 1; std::getline(in, text); ++line) {
    if (text.find_first_not_of(" \t\r") == std::string::npos) continue;
    KOSEKI_ASSIGN_OR_RETURN(rules::NotifiedReadings notified, ParseLine(text, line));
    list.push_back(std::move(notified));
  }
  return list;
}

Result<ShokkenReport> FuriganaShokkenService::Record(const Actor& approver,
                                                     std::span<const rules::NotifiedReadings> list,
                                                     std::chrono::year_month_day on) {
  // The batch's own checks, recorded as one action (a refusal stops it before any line).
  KOSEKI_RETURN_IF_ERROR(audit_.Record(
      tenant_, EventOf(approver, audit::actions::kFuriganaShokkenRun),
      [&](audit::Event&) -> Result<void> {
        KOSEKI_RETURN_IF_ERROR(CheckFuriganaShokken(approver));
        KOSEKI_RETURN_IF_ERROR(rules::CheckShokkenDay(on));
        if (on > JapanDayOfMicros(UnixMicros(clock_.Now()))) {
          return MakeError(ErrorCode::kInvalidArgument, "KSK-FURIGANA-006",
                           "記録日に未来の日付は指定できません。", "record day in the future");
        }
        return Ok();
      }));
  ShokkenReport report;
  for (std::size_t i = 0; i < list.size(); ++i) {
    ShokkenLine line = RecordLine(approver, list[i], i + 1, on);
    if (line.refusal) {
      ++report.refused;
    } else {
      report.readings_recorded += line.recorded;
      report.readings_kept += line.kept;
      if (line.recorded > 0) ++report.registers_written;
    }
    report.lines.push_back(std::move(line));
  }
  return report;
}

ShokkenLine FuriganaShokkenService::RecordLine(const Actor& approver,
                                               const rules::NotifiedReadings& notified,
                                               std::size_t line, std::chrono::year_month_day on) {
  ShokkenLine out{.line = line};
  auto recorded = audit_.Record(
      tenant_, EventOf(approver, audit::actions::kFuriganaShokken),
      [&](audit::Event& event) -> Result<void> {
        KOSEKI_ASSIGN_OR_RETURN(
            std::vector<std::string> ids,
            registers_.FindByHonsekiAndHittosha(tenant_, notified.honseki, notified.hittosha));
        if (ids.empty()) {
          return MakeError(ErrorCode::kNotFound, "KSK-FURIGANA-008",
                           "通知した本籍・筆頭者の戸籍が見つかりません。",
                           "no register for notified line " + std::to_string(line));
        }
        out.register_id = ids.front();
        event.object_id = out.register_id;
        KOSEKI_ASSIGN_OR_RETURN(store::StoredRegister head,
                                registers_.Load(tenant_, out.register_id));
        KOSEKI_ASSIGN_OR_RETURN(rules::ShokkenRecording recording,
                                rules::RecordNotifiedReadings(head.value, notified, on));
        out.recorded = recording.recorded;
        out.kept = recording.kept;
        if (recording.recorded > 0) {
          KOSEKI_RETURN_IF_ERROR(
              registers_.AppendVersion(tenant_, out.register_id, head.version, recording.after));
        }
        return Ok();
      });
  if (!recorded) {
    out.refusal = recorded.error();
    out.recorded = 0;
    out.kept = 0;
  }
  return out;
}

}  // namespace koseki::workflow
