// TenantDesk: the use cases of one tenant (workflow/case_service.h, workflow/case_pictures.h,
// workflow/certificates.h,
// workflow/sofu_service.h, workflow/furigana_shokken.h) wired over an open installation — what
// `koseki case …`, `koseki sofu …`, `koseki furigana …` and `koseki cert` call, and what a web
// handler will call. The actor is an argument of every use case; the use cases decide what it
// may do and see (workflow/policy.h) and record it.
#pragma once

#include <memory>
#include <string_view>

#include "koseki/app/koseki.h"
#include "koseki/workflow/case_pictures.h"
#include "koseki/workflow/case_service.h"
#include "koseki/workflow/certificates.h"
#include "koseki/workflow/furigana_shokken.h"
#include "koseki/workflow/sofu_service.h"
#include "koseki/workflow/stored_case_records.h"

namespace koseki::app {

class TenantDesk {
 public:
  // Opens the desk of `tenant`. An unknown tenant (NotFound, KSK-STORE-013) is a refusal of
  // `action` by `actor`, recorded in the system log.
  static Result<std::unique_ptr<TenantDesk>> Open(Koseki& koseki, const access::Actor& actor,
                                                  std::string_view tenant, std::string_view action);
  workflow::CaseService& cases() { return cases_; }
  workflow::CasePictureService& pictures() { return pictures_; }
  workflow::CertificateService& certificates() { return certificates_; }
  workflow::SofuService& sofu() { return sofu_; }
  workflow::FuriganaShokkenService& furigana_shokken() { return furigana_shokken_; }

 private:
  TenantDesk(Koseki& koseki, workflow::TenantInfo tenant);
  workflow::StoredCaseRecords records_;
  workflow::SofuOutbox outbox_;
  workflow::CaseService cases_;
  workflow::CasePictureService pictures_;
  workflow::CertificateService certificates_;
  workflow::SofuService sofu_;
  workflow::FuriganaShokkenService furigana_shokken_;
};

}  // namespace koseki::app
