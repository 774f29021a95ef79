#include "koseki/workflow/case_pictures.h"

#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "koseki/audit/actions.h"
#include "koseki/base/hex.h"
#include "koseki/crypto/sha256.h"
#include "koseki/domain/certificate.h"
#include "koseki/render/certificate_print.h"
#include "koseki/render/scan_image.h"
#include "koseki/render/scan_view.h"
#include "koseki/text/japanese_date.h"
#include "koseki/workflow/policy.h"
#include "koseki/workflow/recorded.h"

namespace koseki::workflow {
namespace {

std::string PageId(std::string_view case_id, int scan, int page) {
  return std::string(case_id) + "." + std::to_string(scan) + "." + std::to_string(page);
}

std::string ScanContext(int scan) { return "scan:" + std::to_string(scan); }

Error NoSuchPage() {
  return MakeError(ErrorCode::kNotFound, "KSK-SCAN-020",
                   "指定されたスキャン画像（またはそのページ）はこの事件にありません。",
                   "no such scan or page");
}

Error NoSuchRegisterPage() {
  return MakeError(ErrorCode::kNotFound, "KSK-SCAN-023",
                   "指定された戸籍（またはそのページ）はこの事件に添付されていません。",
                   "no such attached register or page");
}

Error Unreadable(std::string_view why) {
  return MakeError(ErrorCode::kDataLoss, "KSK-SCAN-021",
                   "保存されているスキャン画像を読み取れません。管理者に連絡してください。",
                   std::string(why));
}

Error TooManyPages(int max_pages, std::string detail) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-SCAN-022",
                   "スキャン画像のファイルがないか、ページ数が多すぎます（１回に " +
                       std::to_string(max_pages) + " ページまで）。",
                   std::move(detail));
}

crypto::ByteView BytesOf(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// "YYYY-MM-DD HH:MM" in Japan: when a watermarked picture was drawn.
std::string JapanMinute(std::chrono::system_clock::time_point t) {
  const auto local = std::chrono::floor<std::chrono::minutes>(t + kJapanUtcOffset);
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss hms(local - day);
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u %02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()));
  return text;
}

}  // namespace

CasePictureService::CasePictureService(store::RegisterStore& registers, CaseRecords& cases,
                                       store::Backend& backend, store::SealedObjects& objects,
                                       audit::AuditLog& audit, const Clock& clock,
                                       std::string tenant_code)
    : registers_(registers),
      cases_(cases),
      backend_(backend),
      objects_(objects),
      audit_(audit),
      clock_(clock),
      tenant_code_(std::move(tenant_code)) {}

Result<std::optional<render::Watermark>> CasePictureService::WatermarkFor(const Actor& actor,
                                                                          const Case& c) {
  KOSEKI_ASSIGN_OR_RETURN(auto settings, backend_.GetTenantSettings(tenant_code_));
  const auto city = settings.find(std::string(kCityWatermarkSetting));
  if (!MustWatermark(actor, city != settings.end() && city->second == "on")) return std::nullopt;
  // The device as people know it; its id if it has no name; the server's own terminal (CLI).
  std::string device = !actor.device_name.empty() ? actor.device_name : actor.device_id;
  if (device.empty()) device = "server";
  return render::Watermark{actor.user_id, std::move(device), JapanMinute(clock_.Now()),
                           c.uketsuke_bango};
}

Result<std::vector<ScanRecord>> CasePictureService::Stored(std::string_view case_id,
                                                           std::uint64_t* version) {
  KOSEKI_ASSIGN_OR_RETURN(std::optional<store::OpenedObject> list,
                          objects_.Get(tenant_code_, kScanListKind, case_id));
  std::vector<ScanRecord> scans;
  if (version != nullptr) *version = list ? list->version : 0;
  if (!list) return scans;
  const auto json = nlohmann::json::parse(list->plaintext.begin(), list->plaintext.end(), nullptr,
                                          /*allow_exceptions=*/false);
  if (!json.is_array()) return Unreadable("not a JSON array");
  try {
    for (const auto& s : json) {
      scans.push_back(ScanRecord{s.at("n").get<int>(), s.at("pages").get<int>(),
                                 s.at("formats").get<std::vector<std::string>>(),
                                 s.at("sha256").get<std::vector<std::string>>(),
                                 s.at("by").get<std::string>(), s.at("at").get<std::int64_t>()});
    }
  } catch (const nlohmann::json::exception& e) {
    return Unreadable(e.what());
  }
  return scans;
}

namespace {

struct PreparedScan {
  std::vector<std::string> pages;  // gray PNGs, as stored
  std::vector<std::string> formats;
  std::vector<std::string> sha256;
};

// Decodes every file and encodes its pages as they are stored: the work for this thread only,
// done before the audited transaction so that no writer waits for it.
Result<PreparedScan> Prepare(std::span<const std::string> files) {
  const render::ScanLimits limits;
  if (files.empty()) return TooManyPages(limits.max_pages, "no file");
  PreparedScan scan;
  for (std::size_t i = 0; i < files.size(); ++i) {
    const std::span<const std::uint8_t> bytes(
        reinterpret_cast<const std::uint8_t*>(files[i].data()), files[i].size());
    Result<render::DecodedScan> decoded = render::DecodeScan(bytes, limits);
    if (!decoded) {
      Error error = decoded.error();
      error.internal_detail = "file " + std::to_string(i + 1) + ": " + error.internal_detail;
      return error;
    }
    if (scan.pages.size() + decoded->pages.size() > static_cast<std::size_t>(limits.max_pages)) {
      return TooManyPages(limits.max_pages,
                          "more than " + std::to_string(limits.max_pages) + " pages in all");
    }
    for (const render::GrayPage& page : decoded->pages) {
      KOSEKI_ASSIGN_OR_RETURN(std::string png, render::EncodeGrayPng(page));
      scan.pages.push_back(std::move(png));
    }
    scan.formats.emplace_back(render::ScanFormatName(decoded->format));
    scan.sha256.push_back(HexEncode(crypto::Sha256({bytes})));
  }
  return scan;
}

nlohmann::json ToJson(const ScanRecord& s) {
  return {{"n", s.number},      {"pages", s.pages}, {"formats", s.formats},
          {"sha256", s.sha256}, {"by", s.added_by}, {"at", s.added_at}};
}

}  // namespace

Result<ScanRecord> CasePictureService::Add(const Actor& actor, std::string_view case_id,
                                           std::span<const std::string> files) {
  Result<PreparedScan> prepared = Prepare(files);
  return Recorded<ScanRecord>(
      audit_, tenant_code_, EventOf(actor, audit::actions::kCaseScanAdd, case_id),
      [&](audit::Event& event) -> Result<ScanRecord> {
        KOSEKI_ASSIGN_OR_RETURN(Case c, cases_.Load(tenant_code_, case_id));
        KOSEKI_RETURN_IF_ERROR(CheckScanAdd(c, actor));
        if (!prepared) return prepared.error();
        std::uint64_t version = 0;
        KOSEKI_ASSIGN_OR_RETURN(std::vector<ScanRecord> scans, Stored(case_id, &version));
        ScanRecord added{static_cast<int>(scans.size()) + 1,
                         static_cast<int>(prepared->pages.size()),
                         prepared->formats,
                         prepared->sha256,
                         actor.user_id,
                         UnixMicros(clock_.Now())};
        event.context_id = ScanContext(added.number);
        for (std::size_t i = 0; i < prepared->pages.size(); ++i) {
          KOSEKI_RETURN_IF_ERROR(objects_.Put(tenant_code_, kScanPageKind,
                                              PageId(case_id, added.number, int(i) + 1), 0,
                                              BytesOf(prepared->pages[i])));
        }
        scans.push_back(added);
        nlohmann::json list = nlohmann::json::array();
        for (const ScanRecord& s : scans) list.push_back(ToJson(s));
        KOSEKI_RETURN_IF_ERROR(
            objects_.Put(tenant_code_, kScanListKind, case_id, version, BytesOf(list.dump())));
        return added;
      });
}

Result<std::vector<ScanRecord>> CasePictureService::List(const Actor& actor,
                                                         std::string_view case_id) {
  using Scans = std::vector<ScanRecord>;
  return Recorded<Scans>(audit_, tenant_code_,
                         EventOf(actor, audit::actions::kCaseScanList, case_id),
                         [&](audit::Event&) -> Result<Scans> {
                           KOSEKI_ASSIGN_OR_RETURN(Case c, cases_.Load(tenant_code_, case_id));
                           KOSEKI_RETURN_IF_ERROR(CheckRegisterRead(c, actor));
                           return Stored(case_id, nullptr);
                         });
}

Result<std::string> CasePictureService::PagePng(const Actor& actor, std::string_view case_id,
                                                int scan, int page, int width_px) {
  // What the audited view hands out: the stored page and the watermark it is drawn with. The
  // drawing itself happens after, outside the store's transaction.
  struct Shown {
    store::Bytes png;
    std::optional<render::Watermark> mark;
  };
  KOSEKI_ASSIGN_OR_RETURN(
      Shown shown,
      Recorded<Shown>(audit_, tenant_code_, EventOf(actor, audit::actions::kCaseScanView, case_id),
                      [&](audit::Event& event) -> Result<Shown> {
                        KOSEKI_ASSIGN_OR_RETURN(Case c, cases_.Load(tenant_code_, case_id));
                        KOSEKI_RETURN_IF_ERROR(CheckRegisterRead(c, actor));
                        KOSEKI_RETURN_IF_ERROR(render::CheckScanViewWidth(width_px));
                        if (scan < 1 || page < 1) return NoSuchPage();
                        event.context_id = ScanContext(scan) + ".page:" + std::to_string(page);
                        KOSEKI_ASSIGN_OR_RETURN(
                            std::optional<store::OpenedObject> stored,
                            objects_.Get(tenant_code_, kScanPageKind, PageId(case_id, scan, page)));
                        if (!stored) return NoSuchPage();
                        KOSEKI_ASSIGN_OR_RETURN(std::optional<render::Watermark> mark,
                                                WatermarkFor(actor, c));
                        return Shown{std::move(stored->plaintext), std::move(mark)};
                      }));
  KOSEKI_ASSIGN_OR_RETURN(render::DecodedScan decoded, render::DecodeScan(shown.png));
  if (decoded.pages.size() != 1) return Unreadable("a stored page is not one page");
  return render::ScanPagePng(decoded.pages.front(), width_px, shown.mark ? &*shown.mark : nullptr);
}

Result<CasePictureService::RegisterPage> CasePictureService::RegisterPagePng(
    const Actor& actor, std::string_view case_id, int reg, int page, int width_px) {
  // The page's text and its watermark come from the audited read; the drawing happens after,
  // outside the store's transaction.
  struct Shown {
    std::vector<std::string> pages;
    std::optional<render::Watermark> mark;
  };
  KOSEKI_ASSIGN_OR_RETURN(
      Shown shown,
      Recorded<Shown>(
          audit_, tenant_code_, EventOf(actor, audit::actions::kRegisterView),
          [&](audit::Event& event) -> Result<Shown> {
            event.context_id = std::string(case_id);
            KOSEKI_ASSIGN_OR_RETURN(Case c, cases_.Load(tenant_code_, case_id));
            KOSEKI_RETURN_IF_ERROR(CheckRegisterRead(c, actor));
            KOSEKI_RETURN_IF_ERROR(render::CheckPagePngWidth(width_px));
            const std::vector<AttachedRegisterRef> attached = c.Attached();
            if (reg < 1 || static_cast<std::size_t>(reg) > attached.size()) {
              return NoSuchRegisterPage();
            }
            const AttachedRegisterRef& ref = attached[static_cast<std::size_t>(reg) - 1];
            event.object_id = ref.register_id + ":" + std::to_string(ref.version);
            KOSEKI_ASSIGN_OR_RETURN(store::StoredRegister stored,
                                    registers_.Load(tenant_code_, ref.register_id, ref.version));
            KOSEKI_ASSIGN_OR_RETURN(text::JapaneseDate today,
                                    text::JapaneseDate::FromGregorian(JapanDayOf(clock_.Now())));
            domain::CertificateOptions options{.issue_date = today, .screen_view = true};
            KOSEKI_ASSIGN_OR_RETURN(std::vector<std::string> pages,
                                    domain::RenderCertificatePages(stored.value, options));
            if (page < 1 || static_cast<std::size_t>(page) > pages.size()) {
              return NoSuchRegisterPage();
            }
            KOSEKI_ASSIGN_OR_RETURN(std::optional<render::Watermark> mark, WatermarkFor(actor, c));
            return Shown{std::move(pages), std::move(mark)};
          }));
  RegisterPage out{static_cast<int>(shown.pages.size()), {}};
  KOSEKI_ASSIGN_OR_RETURN(
      out.png, render::CertificatePagePng(shown.pages[static_cast<std::size_t>(page) - 1], width_px,
                                          {}, shown.mark ? &*shown.mark : nullptr));
  return out;
}

}  // namespace koseki::workflow
