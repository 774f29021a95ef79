#include "koseki/app/generate_registers.h"

#include <fstream>
#include <memory>
#include <vector>

#include "koseki/app/import_registers.h"
#include "koseki/audit/actions.h"
#include "koseki/store/backend.h"
#include "koseki/synth/generator.h"
#include "koseki/synth/manifest.h"
#include "koseki/workflow/policy.h"
#include "koseki/workflow/recorded.h"

namespace koseki::app {
namespace {

// Registers are stored in batches inside the one outer transaction, to bound memory.
constexpr std::size_t kBatchSize = 1000;

Error ManifestError() {
  return MakeError(ErrorCode::kUnavailable, "KSK-GEN-001", "マニフェストファイルを書き込めません。",
                   "manifest write failed");
}

// Generates and stores the registers and their register.create entries.
Result<std::size_t> Generate(Koseki& koseki, const access::Actor& actor, std::string_view tenant,
                             std::string_view log, const GenerateRequest& request) {
  KOSEKI_ASSIGN_OR_RETURN(store::TenantRow row, koseki.Tenant(tenant));
  synth::GeneratorOptions options;
  options.municipality = row.name;
  KOSEKI_ASSIGN_OR_RETURN(synth::Generator generator, synth::Generator::Create(options));

  const std::filesystem::path partial =
      request.manifest.empty() ? std::filesystem::path()
                               : std::filesystem::path(request.manifest.string() + ".partial");
  std::ofstream manifest;
  if (!partial.empty()) {
    manifest.open(partial, std::ios::binary | std::ios::trunc);
    if (!manifest) return ManifestError();
  }

  const store::RegisterStore::CreatedFn record_created =
      RecordCreated(koseki, actor, log, audit::actions::kCliGen);
  std::vector<domain::Register> batch;
  batch.reserve(kBatchSize);
  std::size_t stored = 0;
  auto flush = [&]() -> Result<void> {
    KOSEKI_RETURN_IF_ERROR(koseki.registers().CreateMany(tenant, batch, record_created));
    stored += batch.size();
    batch.clear();
    return Ok();
  };
  Result<void> done = koseki.registers().WithTransaction([&]() -> Result<void> {
    KOSEKI_RETURN_IF_ERROR(generator.Generate(
        request.seed, request.count,
        [&](const domain::Register& reg) -> Result<void> {
          if (manifest.is_open()) manifest << synth::ManifestLine(reg).dump() << '\n';
          batch.push_back(reg);
          if (batch.size() == kBatchSize) return flush();
          return Ok();
        },
        request.progress));
    if (!batch.empty()) return flush();
    return Ok();
  });

  std::error_code ec;
  if (!done) {
    if (!partial.empty()) std::filesystem::remove(partial, ec);
    return std::move(done).error();
  }
  if (manifest.is_open()) {
    manifest.close();
    if (!manifest) return ManifestError();
    std::filesystem::rename(partial, request.manifest, ec);
    if (ec) return ManifestError();
  }
  return stored;
}

}  // namespace

Result<std::size_t> GenerateRegisters(Koseki& koseki, const access::Actor& actor,
                                      std::string_view tenant, const GenerateRequest& request) {
  const std::string log = koseki.LogFor(tenant);
  audit::Event event = workflow::EventOf(actor, audit::actions::kCliGen);
  if (audit::IsOpaqueId(tenant)) event.object_id = std::string(tenant);
  event.context_id = "seed:" + std::to_string(request.seed);
  std::size_t stored = 0;
  const auto generate = [&](audit::Event&) -> Result<void> {
    KOSEKI_RETURN_IF_ERROR(workflow::CheckAdministration(actor));
    KOSEKI_ASSIGN_OR_RETURN(stored, Generate(koseki, actor, tenant, log, request));
    return Ok();
  };
  // One transaction, written as a bulk load (store/backend.h): without it a million registers
  // needed a WAL as large as the database.
  KOSEKI_ASSIGN_OR_RETURN(const std::unique_ptr<store::BulkLoad> bulk,
                          koseki.installation().backend().BeginBulkLoad());
  KOSEKI_RETURN_IF_ERROR(koseki.audit().Record(log, event, generate));
  return stored;
}

}  // namespace koseki::app
