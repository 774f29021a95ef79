#include "koseki/cli/serve_command.h"

#include <cstdio>
#include <iostream>
#include <memory>
#include <mutex>

#include "koseki/app/location.h"
#include "koseki/app/passphrase.h"
#include "koseki/app/server_app.h"
#include "koseki/audit/actions.h"
#include "koseki/cli/cli_actor.h"
#include "koseki/cli/store_command.h"

namespace koseki::cli {

ServeCommand::ServeCommand(CLI::App& cli) {
  command_ = cli.add_subcommand("serve", "HTTPS サーバを起動する（相互 TLS、登録端末のみ）");
  command_->add_option("--config", config_, "設定ファイル（TOML）");
  command_->add_option("--listen", listen_, "待ち受けるアドレス（HOST:PORT）");
  command_->add_option("--data", data_, "データディレクトリ（KOSEKI_DATA）");
  command_->add_option("--key-file", key_file_, "封印された鍵ファイル（KOSEKI_KEY_FILE）");
  command_->add_option("--witness", witness_, "監査ログの立会いファイル（KOSEKI_WITNESS）");
  command_->add_option("--tls-cert", tls_cert_, "サーバ証明書（PEM、中間証明書を含む）");
  command_->add_option("--tls-key", tls_key_, "サーバの秘密鍵（PEM）");
  command_->add_option("--passphrase-file", passphrase_file_,
                       "パスフレーズのファイル（systemd の LoadCredentialEncrypted= など）");
}

std::optional<int> ServeCommand::RunIfParsed() {
  if (!command_->parsed()) return std::nullopt;
  return Run();
}

int ServeCommand::Run() {
  app::ServerConfig config;
  if (!config_.empty()) {
    auto loaded = app::LoadServerConfig(config_);
    if (!loaded) return Fail(loaded.error());
    config = std::move(*loaded);
  }
  if (!listen_.empty()) {
    if (auto applied = app::ApplyListen(config, listen_); !applied) return Fail(applied.error());
  }
  if (!tls_cert_.empty()) config.tls_cert_file = tls_cert_;
  if (!tls_key_.empty()) config.tls_key_file = tls_key_;
  if (!passphrase_file_.empty()) config.passphrase_file = passphrase_file_;
  // Paths: flags, then the config file, then the environment (as every other command).
  auto location = app::ResolveLocation(
      !data_.empty() ? data_ : config.data_dir.string(),
      !key_file_.empty() ? key_file_ : config.key_file.string(),
      // A key file named on the command line takes its own default witness, not the one the
      // config file derived from its key file.
      !witness_.empty() ? witness_ : (key_file_.empty() ? config.witness_file.string() : ""));
  if (!location) return Fail(location.error());
  config.data_dir = location->data_dir;
  config.key_file = location->key_file;
  config.witness_file = location->witness_file;

  const access::Actor custodian = OsUserActor(access::Role::kAdmin);
  auto passphrase = config.passphrase_file.empty()
                        ? app::ReadPassphrase(kPassphrasePrompt, false)
                        : app::ReadPassphraseFile(config.passphrase_file);
  if (!passphrase) {
    app::RecordRefusalWithoutKey(*location, custodian, audit::actions::kCliServe,
                                 passphrase.error());
    return Fail(passphrase.error());
  }
  // The access log goes to stdout, one JSON line per request (journald keeps it under systemd).
  auto access_log = [mutex = std::make_shared<std::mutex>()](std::string_view line) {
    std::lock_guard<std::mutex> lock(*mutex);
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
  };
  auto server = app::ServerApp::Create(config, *passphrase, custodian, nullptr, access_log);
  if (!server) {
    app::RecordRefusalWithoutKey(*location, custodian, audit::actions::kCliServe, server.error());
    return Fail(server.error());
  }
  (*server)->StopOnSignals();
  std::cout << "koseki: https://" << config.listen_host << ':' << (*server)->port()
            << "/ で待ち受けています（登録端末のみ。Ctrl-C で停止）。" << std::endl;
  auto closed = (*server)->Run();
  if (!closed) return Fail(closed.error());
  std::cout << "koseki: 停止しました。" << std::endl;
  return 0;
}

}  // namespace koseki::cli
