#include "koseki/workflow/certificates.h"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "koseki/audit/actions.h"
#include "koseki/domain/certificate.h"
#include "koseki/render/certificate_print.h"
#include "koseki/text/japanese_date.h"
#include "koseki/text/name.h"
#include "koseki/workflow/policy.h"
#include "koseki/workflow/recorded.h"

namespace koseki::workflow {
namespace {

Error RegisterNotFound() {
  return MakeError(ErrorCode::kNotFound, "KSK-APP-010",
                   "指定された本籍・筆頭者の戸籍は見つかりません。", "no register for lookup key");
}

// Returns the seqs of the named persons: a name matches a person's 名 or 氏名 after folding.
Result<std::vector<int>> SelectPersons(const domain::Register& reg,
                                       const std::vector<std::string>& names) {
  std::vector<int> seqs;
  for (const std::string& name : names) {
    const std::string key = text::SearchKey(name);
    auto it = std::find_if(reg.persons.begin(), reg.persons.end(), [&](const domain::Person& p) {
      return text::SearchKey(p.mei) == key || text::SearchKey(reg.FullNameOf(p)) == key;
    });
    if (it == reg.persons.end()) {
      return MakeError(ErrorCode::kNotFound, "KSK-APP-011",
                       "指定された者はこの戸籍に記録されていません。", "person not in register");
    }
    seqs.push_back(it->seq);
  }
  return seqs;
}

// The associated data's "table": the place of the sealed detail, a cert.issue entry.
constexpr std::string_view kDetailPlace = "cert.issue";
constexpr int kDetailFormat = 1;
constexpr std::string_view kIssueContextPrefix = "issue:";

bool IsSpace(char32_t c) { return c == U' ' || c == U'\u3000'; }

bool IsControl(char32_t c) {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029;
}

// Returns whether `text` may stand as a 請求の事由 or 請求者: UTF-8, not blank, no control
// characters (a line break would let it pose as two), at most kMaxRequestTextChars.
bool IsRequestText(std::string_view text) {
  Result<std::u32string> decoded = text::DecodeUtf8(text);
  if (!decoded || std::all_of(decoded->begin(), decoded->end(), IsSpace)) return false;
  if (std::any_of(decoded->begin(), decoded->end(), IsControl)) return false;
  return text::CountCharacters(text) <= kMaxRequestTextChars;
}

// The two refusals name the field, never its value.
Result<void> CheckRequest(const CertificateRequest& request) {
  if (!IsRequestText(request.purpose)) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-CERT-002",
                     "請求の事由を指定してください（200 文字以内、改行なし）。",
                     "purpose missing, blank, too long or with control characters");
  }
  if (!IsRequestText(request.requester)) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-CERT-003",
                     "請求者を指定してください（200 文字以内、改行なし）。",
                     "requester missing, blank, too long or with control characters");
  }
  return Ok();
}

Error DetailUnreadable(std::string detail) {
  return MakeError(ErrorCode::kDataLoss, "KSK-CERT-004", "証明書の交付請求の記録を読み取れません。",
                   std::move(detail));
}

// Binds a sealed detail to its entry: the tenant, the register version issued from (the
// entry's object) and the 発行番号, so that it cannot be moved to another entry unnoticed.
crypto::Bytes DetailAssociatedData(std::string_view tenant, std::string_view object_id,
                                   std::uint64_t issue_number) {
  return crypto::MakeAssociatedData(tenant, kDetailPlace, object_id, issue_number);
}

Result<std::vector<std::uint8_t>> SealRequestDetail(const crypto::Aead& aead,
                                                    std::string_view tenant,
                                                    std::string_view object_id,
                                                    std::uint64_t issue_number,
                                                    const CertificateRequest& request) {
  const std::string plain = nlohmann::json{
      {"format", kDetailFormat},
      {"purpose", request.purpose},
      {"requester",
       request.requester}}.dump();
  return aead.Encrypt({reinterpret_cast<const std::uint8_t*>(plain.data()), plain.size()},
                      DetailAssociatedData(tenant, object_id, issue_number));
}

}  // namespace

Result<CertificateRequestDetail> OpenRequestDetail(const crypto::Aead& aead,
                                                   const audit::Entry& entry) {
  const audit::Event& event = entry.event();
  std::string_view context = event.context_id;
  std::uint64_t issue_number = 0;
  if (event.action != audit::actions::kCertIssue || event.encrypted_detail.empty() ||
      !context.starts_with(kIssueContextPrefix)) {
    return DetailUnreadable("not a cert.issue entry with a request detail");
  }
  context.remove_prefix(kIssueContextPrefix.size());
  const auto [end, parsed] =
      std::from_chars(context.data(), context.data() + context.size(), issue_number);
  if (parsed != std::errc() || end != context.data() + context.size()) {
    return DetailUnreadable("cert.issue context is not issue:<number>");
  }
  auto plain = aead.Decrypt(event.encrypted_detail,
                            DetailAssociatedData(entry.tenant(), event.object_id, issue_number));
  if (!plain) return DetailUnreadable("request detail does not authenticate");
  const nlohmann::json json = nlohmann::json::parse(plain->begin(), plain->end(), nullptr, false);
  const auto has = [&json](const char* key, auto is_type) {
    const auto it = json.find(key);
    return it != json.end() && is_type(*it);
  };
  const bool well_formed =
      json.is_object() && json.size() == 3 &&
      has("format", [](const nlohmann::json& v) { return v == kDetailFormat; }) &&
      has("purpose", [](const nlohmann::json& v) { return v.is_string(); }) &&
      has("requester", [](const nlohmann::json& v) { return v.is_string(); });
  if (!well_formed) return DetailUnreadable("request detail is not a format 1 object");
  return CertificateRequestDetail{json.at("purpose").get<std::string>(),
                                  json.at("requester").get<std::string>()};
}

CertificateService::CertificateService(store::RegisterStore& registers, store::Backend& backend,
                                       store::TenantCrypto& crypto, store::SealedObjects& objects,
                                       audit::AuditLog& audit, const Clock& clock,
                                       std::string tenant_code, std::string municipality)
    : registers_(registers),
      backend_(backend),
      crypto_(crypto),
      objects_(objects),
      audit_(audit),
      clock_(clock),
      tenant_code_(std::move(tenant_code)),
      municipality_(std::move(municipality)) {}

namespace {

// "<municipality>長　　<mayor's name>", or without the name if the tenant has not set one.
Result<std::string> MayorLine(store::Backend& backend, const std::string& tenant_code,
                              const std::string& municipality) {
  KOSEKI_ASSIGN_OR_RETURN(auto settings, backend.GetTenantSettings(tenant_code));
  std::string line = municipality + "長";
  if (auto it = settings.find(std::string(kMayorNameSetting));
      it != settings.end() && !it->second.empty()) {
    line += "　　" + it->second;
  }
  return line;
}

Result<render::CertificateArt> ArtOf(store::SealedObjects& objects,
                                     const std::string& tenant_code) {
  KOSEKI_ASSIGN_OR_RETURN(std::optional<store::OpenedObject> seal,
                          objects.Get(tenant_code, kSealObjectKind, kSealObjectId));
  render::CertificateArt art;
  if (seal) art.seal_png.assign(seal->plaintext.begin(), seal->plaintext.end());
  return art;
}

}  // namespace

Result<IssuedCertificate> CertificateService::Issue(const Actor& actor,
                                                    const CertificateRequest& request) {
  IssuedCertificate issued;
  // Recorded with ids only: register id and version as the object, the 発行番号 as the
  // context. Never the 本籍 or names searched for; the request's purpose and requester only
  // sealed, as the detail.
  const auto issue = [&](audit::Event& recorded) -> Result<bool> {
    KOSEKI_RETURN_IF_ERROR(CheckCertificateIssue(actor));
    KOSEKI_RETURN_IF_ERROR(CheckRequest(request));
    KOSEKI_ASSIGN_OR_RETURN(std::shared_ptr<const store::TenantCipher> cipher,
                            crypto_.ForTenant(tenant_code_));
    KOSEKI_ASSIGN_OR_RETURN(
        std::vector<std::string> ids,
        registers_.FindByHonsekiAndHittosha(tenant_code_, request.honseki, request.head));
    if (ids.empty()) return RegisterNotFound();
    KOSEKI_ASSIGN_OR_RETURN(store::StoredRegister stored,
                            registers_.Load(tenant_code_, ids.front(), request.version));
    recorded.object_id = stored.register_id + ":" + std::to_string(stored.version);

    // The seal is checked before a 発行番号 is drawn, so that a refusal names no number.
    render::CertificateArt art;
    if (request.pdf) {
      KOSEKI_ASSIGN_OR_RETURN(art, ArtOf(objects_, tenant_code_));
      KOSEKI_RETURN_IF_ERROR(render::CheckSeal(art.seal_png));
    }
    KOSEKI_ASSIGN_OR_RETURN(text::JapaneseDate today,
                            text::JapaneseDate::FromGregorian(JapanDayOf(clock_.Now())));
    domain::CertificateOptions options{.issue_date = today};
    if (!request.persons.empty()) {
      options.kind = domain::CertificateKind::kKojin;
      KOSEKI_ASSIGN_OR_RETURN(options.selected_seqs, SelectPersons(stored.value, request.persons));
    }
    KOSEKI_ASSIGN_OR_RETURN(options.mayor_line, MayorLine(backend_, tenant_code_, municipality_));
    if (request.lines_per_page > 0) options.lines_per_page = request.lines_per_page;
    KOSEKI_ASSIGN_OR_RETURN(
        std::int64_t issue_number,
        backend_.RecordCertificateIssue(tenant_code_, stored.register_id, stored.version,
                                        UnixMicros(clock_.Now())));
    options.issue_number = static_cast<int>(issue_number);
    recorded.context_id = std::string(kIssueContextPrefix) + std::to_string(issue_number);

    issued.register_id = stored.register_id;
    issued.version = stored.version;
    issued.issue_number = options.issue_number;
    KOSEKI_ASSIGN_OR_RETURN(std::vector<std::string> pages,
                            domain::RenderCertificatePages(stored.value, options));
    for (const std::string& page : pages) {
      if (!issued.text.empty()) issued.text += domain::kPageSeparator;
      issued.text += page;
    }
    if (request.pdf) {
      KOSEKI_ASSIGN_OR_RETURN(issued.pdf, render::CertificatePdf(pages, art));
    }
    // Last, so that only an issued certificate's entry carries the request.
    KOSEKI_ASSIGN_OR_RETURN(recorded.encrypted_detail,
                            SealRequestDetail(cipher->aead(), tenant_code_, recorded.object_id,
                                              static_cast<std::uint64_t>(issue_number), request));
    return true;
  };
  KOSEKI_RETURN_IF_ERROR(Recorded<bool>(
      audit_, tenant_code_, EventOf(actor, audit::actions::kCertIssue), issue, &issued.receipt));
  return issued;
}

}  // namespace koseki::workflow
