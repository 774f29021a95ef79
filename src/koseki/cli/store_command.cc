#include "koseki/cli/store_command.h"

#include <iostream>

#include "koseki/app/passphrase.h"
#include "koseki/base/log.h"
#include "koseki/cli/exit_codes.h"

namespace koseki::cli {

void AddStoreFlags(CLI::App* command, StoreFlags& flags) {
  command->add_option("--data", flags.data, "データディレクトリ（KOSEKI_DATA）");
  command->add_option("--key-file", flags.key_file, "封印された鍵ファイル（KOSEKI_KEY_FILE）");
  command->add_option("--witness", flags.witness,
                      "監査ログの立会いファイル（KOSEKI_WITNESS。既定: 鍵ファイルと同じ場所の "
                      "koseki-witness.log）");
}

int Fail(const Error& error) {
  std::cerr << "エラー: " << error.UserLine() << '\n';
  return ExitCodeFor(error.code);
}

Result<std::unique_ptr<app::Koseki>> OpenStore(const StoreFlags& flags, const access::Actor& actor,
                                               std::string_view action, std::string_view object,
                                               app::Koseki::WitnessCheck witness_check) {
  KOSEKI_ASSIGN_OR_RETURN(app::Location location,
                          app::ResolveLocation(flags.data, flags.key_file, flags.witness));
  KOSEKI_ASSIGN_OR_RETURN(audit::CheckpointPolicy policy, app::ResolveCheckpointPolicy());
  auto passphrase = app::ReadPassphrase(kPassphrasePrompt, false);
  if (!passphrase) {
    app::RecordRefusalWithoutKey(location, actor, action, passphrase.error(), object);
    return std::move(passphrase).error();
  }
  auto koseki = app::Koseki::Open(location, actor, *passphrase, policy, nullptr, witness_check);
  if (!koseki) app::RecordRefusalWithoutKey(location, actor, action, koseki.error(), object);
  return koseki;
}

int Finish(app::Koseki& koseki, int rc) {
  auto closed = koseki.Close();
  if (closed) return rc;
  if (rc == 0) return Fail(closed.error());
  log::Error("audit_close_failed", {{"error_id", closed.error().id}});
  return rc;
}

}  // namespace koseki::cli
