// The `koseki` command line. Each subcommand parses its flags, calls one use case in app/ and
// prints the outcome; errors print one line "[KSK-…] 日本語の説明" on stderr and map to an exit
// code in exactly one place (exit_codes.h). This file is the exception barrier of the process.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "koseki/app/certificate.h"
#include "koseki/app/generate_registers.h"
#include "koseki/app/import_registers.h"
#include "koseki/app/koseki.h"
#include "koseki/app/location.h"
#include "koseki/app/municipality_code.h"
#include "koseki/app/passphrase.h"
#include "koseki/cli/exit_codes.h"

namespace koseki::cli {
namespace {

constexpr std::string_view kPassphrasePrompt = "パスフレーズ: ";

struct StoreFlags {
  std::string data;
  std::string key_file;
};

void AddStoreFlags(CLI::App* command, StoreFlags& flags) {
  command->add_option("--data", flags.data, "データディレクトリ（KOSEKI_DATA）");
  command->add_option("--key-file", flags.key_file, "封印された鍵ファイル（KOSEKI_KEY_FILE）");
}

int Fail(const Error& error) {
  std::cerr << "エラー: " << error.UserLine() << '\n';
  return ExitCodeFor(error.code);
}

Result<std::unique_ptr<app::Koseki>> OpenStore(const StoreFlags& flags) {
  KOSEKI_ASSIGN_OR_RETURN(app::Location location, app::ResolveLocation(flags.data, flags.key_file));
  KOSEKI_ASSIGN_OR_RETURN(SecretBytes passphrase, app::ReadPassphrase(kPassphrasePrompt, false));
  return app::Koseki::Open(location, passphrase);
}

int RunInit(const StoreFlags& flags) {
  auto location = app::ResolveLocation(flags.data, flags.key_file);
  if (!location) return Fail(location.error());
  auto passphrase = app::ReadPassphrase(kPassphrasePrompt, true);
  if (!passphrase) return Fail(passphrase.error());
  if (auto done = app::Koseki::Init(*location, *passphrase); !done) return Fail(done.error());
  std::cout << "インストールを作成しました。鍵ファイルとパスフレーズは別々に保管してください。\n";
  return 0;
}

int RunTenantAdd(const StoreFlags& flags, const std::string& code, const std::string& name) {
  auto valid = app::ValidateMunicipalityCode(code);
  if (!valid) return Fail(valid.error());
  auto koseki = OpenStore(flags);
  if (!koseki) return Fail(koseki.error());
  if (auto done = (*koseki)->installation().CreateTenant(code, name); !done) {
    return Fail(done.error());
  }
  std::cout << "自治体 " << code << " を登録しました。\n";
  return 0;
}

int RunImport(const StoreFlags& flags, const std::string& tenant, const std::string& file) {
  std::ifstream input(file, std::ios::binary);
  if (!input) {
    return Fail(MakeError(ErrorCode::kNotFound, "KSK-IMPORT-005", "入力ファイルを開けません。",
                          "cannot open input"));
  }
  auto koseki = OpenStore(flags);
  if (!koseki) return Fail(koseki.error());
  auto result = app::ImportRegisters(**koseki, tenant, input);
  if (!result) return Fail(result.error());
  if (!result->errors.empty()) {
    for (const auto& bad : result->errors) {
      std::cerr << bad.line << "行目: " << bad.error.UserLine() << '\n';
    }
    std::cerr << "エラー: [KSK-IMPORT-006] " << result->errors.size()
              << "行に誤りがあるため、何も取り込みませんでした。\n";
    return ExitCodeFor(ErrorCode::kInvalidArgument);
  }
  std::cout << result->imported << "件の戸籍を取り込みました。\n";
  return 0;
}

// Draws a progress bar on stderr when it is a terminal; silent otherwise (logs, pipes, CI).
void ShowProgress(std::size_t done, std::size_t total) {
  static const bool terminal = ::isatty(STDERR_FILENO) == 1;
  if (!terminal || total == 0) return;
  if (done != total && done % 97 != 0) return;
  constexpr std::size_t kWidth = 30;
  const std::size_t filled = done * kWidth / total;
  std::fprintf(stderr, "\r生成中 [%s%s] %zu/%zu", std::string(filled, '#').c_str(),
               std::string(kWidth - filled, '.').c_str(), done, total);
  if (done == total) std::fputc('\n', stderr);
}

int RunGen(const StoreFlags& flags, const std::string& tenant, app::GenerateRequest request) {
  auto koseki = OpenStore(flags);
  if (!koseki) return Fail(koseki.error());
  request.progress = ShowProgress;
  auto stored = app::GenerateRegisters(**koseki, tenant, request);
  if (!stored) return Fail(stored.error());
  std::cout << *stored << "件の戸籍を生成しました。\n";
  return 0;
}

int RunCert(const StoreFlags& flags, const app::CertificateRequest& request) {
  auto koseki = OpenStore(flags);
  if (!koseki) return Fail(koseki.error());
  auto issued = app::IssueCertificate(**koseki, request);
  if (!issued) return Fail(issued.error());
  std::cout << issued->text;
  return 0;
}

int Main(int argc, char** argv) {
  CLI::App cli{"koseki — 戸籍データ作成支援サーバ"};
  cli.require_subcommand(1);
  StoreFlags flags;

  CLI::App* init = cli.add_subcommand("init", "新しいインストールを作成する");
  AddStoreFlags(init, flags);

  CLI::App* tenant = cli.add_subcommand("tenant", "自治体（テナント）の管理");
  tenant->require_subcommand(1);
  CLI::App* tenant_add = tenant->add_subcommand("add", "自治体を登録する");
  AddStoreFlags(tenant_add, flags);
  std::string code, name;
  tenant_add->add_option("--code", code, "地方公共団体コード（６桁、検査数字付き）")->required();
  tenant_add->add_option("--name", name, "自治体名（例: 青葉県みなと市）")->required();

  std::string tenant_code;
  CLI::App* import = cli.add_subcommand("import", "JSON Lines の戸籍を取り込む");
  AddStoreFlags(import, flags);
  std::string import_file;
  import->add_option("--tenant", tenant_code, "地方公共団体コード")->required();
  import->add_option("file", import_file, "JSON Lines ファイル")->required();

  CLI::App* gen = cli.add_subcommand("gen", "架空の戸籍を生成する");
  AddStoreFlags(gen, flags);
  app::GenerateRequest gen_request;
  std::string manifest;
  gen->add_option("--tenant", tenant_code, "地方公共団体コード")->required();
  gen->add_option("--registers", gen_request.count, "生成する戸籍の数")
      ->required()
      ->check(CLI::Range(1, 10'000'000));
  gen->add_option("--seed", gen_request.seed, "乱数の種")->required();
  gen->add_option("--manifest", manifest, "生成した戸籍の検索キーを書き出す JSON Lines ファイル");

  CLI::App* cert = cli.add_subcommand("cert", "証明書（全部事項証明・個人事項証明）を出力する");
  AddStoreFlags(cert, flags);
  app::CertificateRequest cert_request;
  std::uint64_t version = 0;
  cert->add_option("--tenant", cert_request.tenant, "地方公共団体コード")->required();
  cert->add_option("--honseki", cert_request.honseki, "本籍")->required();
  cert->add_option("--head", cert_request.head, "筆頭者氏名")->required();
  cert->add_option("--person", cert_request.persons, "個人事項証明の対象者（名）");
  cert->add_option("--version", version, "戸籍の版（省略時は現在の版）")
      ->check(CLI::PositiveNumber);
  cert->add_option("--mayor", cert_request.mayor_name, "市区町村長の氏名");
  cert->add_option("--lines-per-page", cert_request.lines_per_page, "１ページの行数");

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = cli.exit(e);
    return rc == 0 ? 0 : ExitCodeFor(ErrorCode::kInvalidArgument);
  }

  if (init->parsed()) return RunInit(flags);
  if (tenant_add->parsed()) return RunTenantAdd(flags, code, name);
  if (import->parsed()) return RunImport(flags, tenant_code, import_file);
  if (gen->parsed()) {
    gen_request.manifest = manifest;
    return RunGen(flags, tenant_code, gen_request);
  }
  if (cert->parsed()) {
    if (version > 0) cert_request.version = version;
    return RunCert(flags, cert_request);
  }
  return ExitCodeFor(ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace koseki::cli

int main(int argc, char** argv) {
  try {
    return koseki::cli::Main(argc, argv);
  } catch (const std::exception&) {
    std::cerr << "エラー: [KSK-CLI-999] 内部エラーが発生しました。\n";
    return 1;
  } catch (...) {
    std::cerr << "エラー: [KSK-CLI-999] 内部エラーが発生しました。\n";
    return 1;
  }
}
