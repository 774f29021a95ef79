#include "koseki/app/import_registers.h"

#include <map>
#include <nlohmann/json.hpp>
#include <utility>

#include "koseki/domain/register_json.h"
#include "koseki/text/name.h"

namespace koseki::app {
namespace {

Error DuplicateInFile(std::size_t first_line) {
  return MakeError(ErrorCode::kAlreadyExists, "KSK-IMPORT-002",
                   "同じ本籍・筆頭者の戸籍がファイル内で重複しています（" +
                       std::to_string(first_line) + "行目と同じ）。",
                   "duplicate register in file");
}

}  // namespace

Result<ImportResult> ImportRegisters(Koseki& koseki, std::string_view tenant, std::istream& input) {
  KOSEKI_RETURN_IF_ERROR(koseki.Tenant(tenant));
  ImportResult result;
  std::vector<domain::Register> registers;
  std::map<std::string, std::size_t> seen;  // search key of (本籍, 筆頭者) → line
  std::string line;
  for (std::size_t number = 1; std::getline(input, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const nlohmann::json json = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) {
      result.errors.push_back({number, MakeError(ErrorCode::kInvalidArgument, "KSK-IMPORT-001",
                                                 "JSON として読めません。", "json parse error")});
      continue;
    }
    auto reg = domain::RegisterFromJson(json);
    if (!reg) {
      result.errors.push_back({number, std::move(reg).error()});
      continue;
    }
    const std::string key =
        text::SearchKey(reg->honseki) + '\x1f' + text::SearchKey(reg->HittoshaFullName());
    if (auto [it, inserted] = seen.emplace(key, number); !inserted) {
      result.errors.push_back({number, DuplicateInFile(it->second)});
      continue;
    }
    KOSEKI_ASSIGN_OR_RETURN(
        std::vector<std::string> existing,
        koseki.registers().FindByHonsekiAndHittosha(tenant, reg->honseki, reg->HittoshaFullName()));
    if (!existing.empty()) {
      result.errors.push_back({number, MakeError(ErrorCode::kAlreadyExists, "KSK-IMPORT-003",
                                                 "同じ本籍・筆頭者の戸籍が既に登録されています。",
                                                 "register already stored")});
      continue;
    }
    registers.push_back(*std::move(reg));
  }
  if (input.bad()) {
    return MakeError(ErrorCode::kUnavailable, "KSK-IMPORT-004", "ファイルを読み込めません。",
                     "read error");
  }
  if (!result.errors.empty()) return result;
  KOSEKI_ASSIGN_OR_RETURN(std::vector<std::string> ids,
                          koseki.registers().CreateMany(tenant, registers));
  result.imported = ids.size();
  return result;
}

}  // namespace koseki::app
