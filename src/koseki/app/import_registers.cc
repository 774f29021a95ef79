#include "koseki/app/import_registers.h"

#include <map>
#include <memory>
#include <utility>

#include "koseki/audit/actions.h"
#include "koseki/domain/register_json.h"
#include "koseki/store/backend.h"
#include "koseki/text/name.h"
#include "koseki/workflow/policy.h"
#include "koseki/workflow/recorded.h"

namespace koseki::app {
namespace {

Error DuplicateInFile(std::size_t first_line) {
  return MakeError(ErrorCode::kAlreadyExists, "KSK-IMPORT-002",
                   "同じ本籍・筆頭者の戸籍がファイル内で重複しています（" +
                       std::to_string(first_line) + "行目と同じ）。",
                   "duplicate register in file");
}

// Parses and checks every line; bad lines go to result.errors. Returns the good registers.
Result<std::vector<domain::Register>> ReadRegisters(Koseki& koseki, std::string_view tenant,
                                                    std::istream& input, ImportResult& result) {
  std::vector<domain::Register> registers;
  std::map<std::string, std::size_t> seen;  // search key of (本籍, 筆頭者) → line
  std::string line;
  for (std::size_t number = 1; std::getline(input, line); ++number) {
    // The format is UTF-8 without a byte order mark (docs/formats.md); the JSON parser would
    // skip one silently, so it is refused here, on whichever line it appears.
    if (line.starts_with("\xEF\xBB\xBF")) {
      result.errors.push_back({number, MakeError(ErrorCode::kInvalidArgument, "KSK-IMPORT-007",
                                                 "行頭にバイト順マーク（BOM）があります。BOM "
                                                 "なしの UTF-8 で保存してください。",
                                                 "byte order mark")});
      continue;
    }
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto reg = domain::RegisterFromJson(line);
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
  return registers;
}

}  // namespace

Error NothingImported(std::size_t bad_lines) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-IMPORT-006",
                   std::to_string(bad_lines) + "行に誤りがあるため、何も取り込みませんでした。",
                   std::to_string(bad_lines) + " bad lines");
}

Result<ImportResult> ImportRegisters(Koseki& koseki, const access::Actor& actor,
                                     std::string_view tenant, std::istream& input) {
  ImportResult result;
  const std::string log = koseki.LogFor(tenant);
  audit::Event event = workflow::EventOf(actor, audit::actions::kCliImport);
  if (audit::IsOpaqueId(tenant)) event.object_id = std::string(tenant);
  // Parsed before the transaction, so that the write lock is not held while reading the file.
  Result<std::vector<domain::Register>> registers = std::vector<domain::Register>();
  if (koseki.Tenant(tenant)) registers = ReadRegisters(koseki, tenant, input, result);
  const auto import = [&](audit::Event& recorded) -> Result<void> {
    KOSEKI_RETURN_IF_ERROR(workflow::CheckAdministration(actor));
    KOSEKI_RETURN_IF_ERROR(koseki.Tenant(tenant));
    if (!registers) return registers.error();
    if (!result.errors.empty()) {
      return NothingImported(result.errors.size());
    }
    KOSEKI_ASSIGN_OR_RETURN(
        std::vector<std::string> ids,
        koseki.registers().CreateMany(
            tenant, *registers, RecordCreated(koseki, actor, log, audit::actions::kCliImport)));
    result.imported = ids.size();
    recorded.context_id = "registers:" + std::to_string(ids.size());
    return Ok();
  };
  // All registers in one transaction, so that a failed import leaves nothing: written as a
  // bulk load, whose disk use stays near the database's own size (store/backend.h).
  KOSEKI_ASSIGN_OR_RETURN(const std::unique_ptr<store::BulkLoad> bulk,
                          koseki.installation().backend().BeginBulkLoad());
  if (auto recorded = koseki.audit().Record(log, event, import); !recorded) {
    if (!result.errors.empty()) return result;  // bad lines: reported line by line
    return std::move(recorded).error();
  }
  return result;
}

store::RegisterStore::CreatedFn RecordCreated(Koseki& koseki, const access::Actor& actor,
                                              std::string_view log, std::string_view command) {
  audit::Event event = workflow::EventOf(actor, audit::actions::kRegisterCreate);
  event.context_id = std::string(command);
  return [&koseki, log = std::string(log), event](const std::string& id) mutable -> Result<void> {
    event.object_id = id;
    KOSEKI_RETURN_IF_ERROR(koseki.audit().Append(log, event));
    return Ok();
  };
}

}  // namespace koseki::app
