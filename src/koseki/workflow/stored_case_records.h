// StoredCaseRecords: CaseRecords over the store's raw rows (store::Backend), so cases live in
// the same database — and the same transactions — as the registers they change. Each action's
// payload (entries, reasons, attachments) is encrypted with the tenant's AEAD, bound to
// (tenant, "case_actions", case id, action number) and to the row's plaintext columns — kind,
// user id, role, time, and for the receipt the case row (受付番号, type, time) — which stay
// readable (SECURITY.md: ids, states, roles and times may) but cannot be rewritten unnoticed:
// separation of duties is computed from them. A row that does not authenticate is DataLoss
// (KSK-CASE-023).
#pragma once

#include "koseki/store/backend.h"
#include "koseki/store/tenant_crypto.h"
#include "koseki/workflow/case_records.h"

namespace koseki::workflow {

class StoredCaseRecords final : public CaseRecords {
 public:
  // Both must outlive this object.
  StoredCaseRecords(store::Backend& backend, store::TenantCrypto& crypto)
      : backend_(backend), crypto_(crypto) {}

  Result<void> Create(const Case& c) override;
  Result<Case> Load(std::string_view tenant, std::string_view case_id) override;
  Result<void> Append(std::string_view tenant, std::string_view case_id,
                      std::size_t expected_actions, const CaseAction& action) override;
  Result<CaseListPage> List(std::string_view tenant, const std::optional<CaseCursor>& after,
                            std::size_t limit) override;
  Result<std::int64_t> NextReceiptNumber(std::string_view tenant, int year) override;

 private:
  Result<store::CaseActionRow> Seal(std::string_view tenant, std::string_view case_id,
                                    std::size_t seq, const CaseAction& action,
                                    const store::CaseRow* case_row);
  // `case_row` is the case's own row for the receipt (seq 0), null for later actions.
  Result<CaseAction> Open(std::string_view tenant, std::string_view case_id,
                          const store::CaseActionRow& row, const store::CaseRow* case_row);

  store::Backend& backend_;
  store::TenantCrypto& crypto_;
};

}  // namespace koseki::workflow
