// CasePictureService: what a case's readers see of it as pictures — the scanned notification
// and the registers attached to it — and never as text or as a file (R4).
//
// The scanned notification: the city's clerk adds the scan — one
// file or several (TIFF, PNG or JPEG, as the office's scanner writes them: a multi-page TIFF,
// or a file per page), whose pages in order make one scan; koseki decodes and checks them
// (render/scan_image.h), and keeps each page — normalised gray PNG — encrypted under the
// tenant's key as a sealed object bound to case, scan and page (store/sealed_objects.h):
//   kind kScanPageKind, id "<case id>.<scan>.<page>"  one page (version 1, never replaced)
//   kind kScanListKind, id "<case id>"                the case's scans (a version per scan)
// so that a page copied to another case, scan or page number no longer opens.
//
// The registers: each attached register version drawn as its certificate's pages are, titled
// as a screen view and without what makes a certificate (domain/certificate.h screen_view).
//
// Whoever may read the case's registers may see these pictures (CheckRegisterRead: the city's
// staff, and the operator assigned to the open case), drawn at the width a screen asks for. A
// picture for anyone outside the city's office carries the viewer's watermark (user, device,
// time, 受付番号), as does every picture when the tenant turns kCityWatermarkSetting on; no
// caller can ask for it to be left off. Every addition, list and view is recorded in the
// tenant's audit log (a register page as register.view, like the registers' text), refusals
// too.
//
// Not thread-safe; create one per request. Every argument object must outlive the service.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "koseki/audit/audit_log.h"
#include "koseki/base/clock.h"
#include "koseki/render/watermark.h"
#include "koseki/store/backend.h"
#include "koseki/store/register_store.h"
#include "koseki/store/sealed_objects.h"
#include "koseki/workflow/case.h"
#include "koseki/workflow/case_records.h"

namespace koseki::workflow {

inline constexpr std::string_view kScanPageKind = "scan_page";
inline constexpr std::string_view kScanListKind = "case_scans";
// "on": pictures shown in the city's office carry the watermark too (default off).
inline constexpr std::string_view kCityWatermarkSetting = "view.watermark_city";

struct ScanRecord {
  int number = 0;  // 1, 2, … within the case
  int pages = 0;
  std::vector<std::string> formats;  // of each file: "tiff", "png" or "jpeg"
  std::vector<std::string> sha256;   // of each file as received, hex (matches it to its origin)
  std::string added_by;              // the clerk's user id
  std::int64_t added_at = 0;         // Unix microseconds
};

class CasePictureService {
 public:
  CasePictureService(store::RegisterStore& registers, CaseRecords& cases, store::Backend& backend,
                     store::SealedObjects& objects, audit::AuditLog& audit, const Clock& clock,
                     std::string tenant_code);

  // Adds the pages of `files`, in order, to the open case as one scan by the clerk `actor`;
  // returns its record. All or nothing: a refusal stores no page. Refusals: a file's own
  // (KSK-SCAN-001…012; the detail names the file's place in the list), KSK-SCAN-022 no file or
  // more pages than one scan may have (render::ScanLimits), KSK-CASE-001 a role other than
  // clerk, KSK-CASE-003 a closed case, KSK-CASE-021 an unknown case.
  Result<ScanRecord> Add(const Actor& actor, std::string_view case_id,
                         std::span<const std::string> files);
  // The case's scans, oldest first (CheckRegisterRead).
  Result<std::vector<ScanRecord>> List(const Actor& actor, std::string_view case_id);
  // Page `page` (1-based) of scan `scan` as a PNG `width_px` wide (render::ScanPagePng's
  // range), watermarked as the header says. NotFound KSK-SCAN-020 if the case has no such
  // scan or page; CheckRegisterRead's refusal otherwise.
  Result<std::string> PagePng(const Actor& actor, std::string_view case_id, int scan, int page,
                              int width_px);

  // The number of pages of the case's `reg`-th attached register (1-based: R1, R2, …) and
  // page `page` of it as a PNG `width_px` wide (render::CertificatePagePng's range),
  // watermarked as the header says. NotFound KSK-SCAN-023 if the case has no such register or
  // the register no such page; CheckRegisterRead's refusal otherwise.
  struct RegisterPage {
    int pages = 0;
    std::string png;
  };
  Result<RegisterPage> RegisterPagePng(const Actor& actor, std::string_view case_id, int reg,
                                       int page, int width_px);

 private:
  Result<std::vector<ScanRecord>> Stored(std::string_view case_id, std::uint64_t* version);
  // The watermark a picture of `c` shown to `actor` now carries, if any.
  Result<std::optional<render::Watermark>> WatermarkFor(const Actor& actor, const Case& c);

  store::RegisterStore& registers_;
  CaseRecords& cases_;
  store::Backend& backend_;
  store::SealedObjects& objects_;
  audit::AuditLog& audit_;
  const Clock& clock_;
  std::string tenant_code_;
};

}  // namespace koseki::workflow
