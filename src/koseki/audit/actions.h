// The stable names of audit actions, all in one place so that a reader (and docs/formats.md,
// "Audit actions") sees every kind of entry koseki writes. New names may be added freely (any
// string matching the action grammar of entry.h is accepted); an existing name never changes
// meaning, because logs written years ago are read with it.
#pragma once

#include <string_view>

namespace koseki::audit::actions {

// Installation and tenants (CLI).
inline constexpr std::string_view kCliInit = "cli.init";
inline constexpr std::string_view kCliTenantAdd = "cli.tenant_add";
inline constexpr std::string_view kCliImport = "cli.import";
inline constexpr std::string_view kCliGen = "cli.gen";
inline constexpr std::string_view kCliServe = "cli.serve";
// A CLI command named a user who may not act now (unknown, disabled, locked, pledge or
// training lapsed).
inline constexpr std::string_view kCliUserRefused = "cli.user_refused";
// The installation was opened with a key (context: the command).
inline constexpr std::string_view kAdminKey = "admin.key";
inline constexpr std::string_view kAdminTenantSetting = "admin.tenant_setting";
// The witness file was started anew by the custodian (`koseki audit reset-witness`; context:
// "replaced" if an old file was kept aside, else "missing").
inline constexpr std::string_view kWitnessReset = "admin.witness_reset";
// The rows an installation held when it was first opened by a koseki that commits to rows
// (audit/baseline.h), restated in the system log so that `audit verify` can check them from
// then on; one entry per chunk of rows (context: "chunk/chunks").
inline constexpr std::string_view kRowBaseline = "admin.row_baseline";

// Devices, users and where they may work.
inline constexpr std::string_view kDeviceCa = "admin.device_ca";
inline constexpr std::string_view kDeviceEnroll = "admin.device_enroll";
inline constexpr std::string_view kDeviceList = "admin.device_list";
inline constexpr std::string_view kDeviceRevoke = "admin.device_revoke";
inline constexpr std::string_view kServerCert = "admin.server_cert";
inline constexpr std::string_view kUserAdd = "admin.user_add";
inline constexpr std::string_view kUserList = "admin.user_list";
inline constexpr std::string_view kUserDisable = "admin.user_disable";
inline constexpr std::string_view kUserEnable = "admin.user_enable";
inline constexpr std::string_view kUserReset = "admin.user_reset";
inline constexpr std::string_view kUserSet = "admin.user_set";
inline constexpr std::string_view kWindow = "admin.window";
inline constexpr std::string_view kRoleZones = "admin.role_zones";

// Connections and sign-in on the server.
inline constexpr std::string_view kConnRefused = "conn.refused";
inline constexpr std::string_view kCsrfRefused = "web.csrf_refused";
inline constexpr std::string_view kLogin = "auth.login";
inline constexpr std::string_view kPasswordStep = "auth.password";
inline constexpr std::string_view kPasswordChange = "auth.password_change";
inline constexpr std::string_view kTotpEnrol = "auth.totp_enrol";
// A TOTP secret was made for a user to enrol (the user's record now holds it, pending).
inline constexpr std::string_view kTotpIssue = "auth.totp_issue";
inline constexpr std::string_view kTotpStep = "auth.totp";
inline constexpr std::string_view kLogout = "auth.logout";
inline constexpr std::string_view kSessionEnd = "auth.session_end";
inline constexpr std::string_view kSessionRefused = "auth.session_refused";

// Registers.
inline constexpr std::string_view kRegisterView = "register.view";
// A register stored for the first time (object: register id; context: the command, e.g.
// cli.import), one entry per register beside the command's own entry.
inline constexpr std::string_view kRegisterCreate = "register.create";

// Cases.
inline constexpr std::string_view kCaseReceive = "case.receive";
// The clerk corrected a case's 受付日時 or 送付 details before entry (object: case id).
inline constexpr std::string_view kCaseReceipt = "case.receipt";
inline constexpr std::string_view kCaseAttach = "case.attach";
inline constexpr std::string_view kCaseAssign = "case.assign";
inline constexpr std::string_view kCaseEntry = "case.entry";
inline constexpr std::string_view kCaseSubmit = "case.submit";
inline constexpr std::string_view kCaseReview = "case.review";
inline constexpr std::string_view kCaseExamine = "case.examine";
inline constexpr std::string_view kCaseApprove = "case.approve";
inline constexpr std::string_view kCaseReturn = "case.return";
inline constexpr std::string_view kCaseWithdraw = "case.withdraw";
inline constexpr std::string_view kCaseReject = "case.reject";
// The 送付 outbox: the notices listed (object: empty), a notice marked sent (object: its id).
inline constexpr std::string_view kSofuList = "sofu.list";
inline constexpr std::string_view kSofuSent = "sofu.sent";
// A notice delivered into the hosted tenant it names, in the approval's transaction (object:
// its id); that tenant records the incoming case as case.receive.
inline constexpr std::string_view kSofuDeliver = "sofu.deliver";
// The 職権 recording of 氏名の振り仮名 over a notified list: the run's own checks (object:
// empty), then one action per line (object: the register id, or empty if none was found).
inline constexpr std::string_view kFuriganaShokkenRun = "furigana.shokken_run";
inline constexpr std::string_view kFuriganaShokken = "furigana.shokken";
// An actor was shown a case's registers (object: case id; one register.view per register).
inline constexpr std::string_view kCaseView = "case.view";
// The scanned notification of a case (object: case id): a scan added (context: "scan:N"), the
// list of its scans, a page shown as a picture (context: "scan:N.page:M").
inline constexpr std::string_view kCaseScanAdd = "case.scan_add";
inline constexpr std::string_view kCaseScanList = "case.scan_list";
inline constexpr std::string_view kCaseScanView = "case.scan_view";
// An actor was shown a case (object: case id) or the case list (object: empty).
inline constexpr std::string_view kCaseShow = "case.show";
inline constexpr std::string_view kCaseList = "case.list";

// A certificate was issued (object: register id:version; context: "issue:<発行番号>").
inline constexpr std::string_view kCertIssue = "cert.issue";

}  // namespace koseki::audit::actions
