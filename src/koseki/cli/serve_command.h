// `koseki serve`: the HTTPS server (app/server_app.h). Configuration from one TOML file
// (--config, docs/koseki.example.toml), overridden by flags and then by the environment
// variables the other commands use (KOSEKI_DATA, KOSEKI_KEY_FILE, KOSEKI_WITNESS). The master
// passphrase comes from --passphrase-file, else KOSEKI_PASSPHRASE, else the terminal.
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace koseki::cli {

class ServeCommand {
 public:
  explicit ServeCommand(CLI::App& cli);
  std::optional<int> RunIfParsed();

 private:
  int Run();

  CLI::App* command_ = nullptr;
  std::string config_;
  std::string listen_;
  std::string data_;
  std::string key_file_;
  std::string witness_;
  std::string tls_cert_;
  std::string tls_key_;
  std::string passphrase_file_;
};

}  // namespace koseki::cli
