// The HTTPS server's configuration: one TOML file (docs/koseki.example.toml documents every
// key) with the listening address, the installation's paths (data directory, sealed key file,
// audit witness file, TLS certificate and key, optional passphrase file), connection limits,
// timeouts and session lengths. Service hours are not here: they are per tenant and zone, in the
// store (access/service_window.h, `koseki window set`).
//
// The loader is strict so that a typo cannot silently fall back to a default: an unknown key,
// a value of the wrong type and a value out of range are each an error that names the key
// ("server.listne"). Keys left out keep the defaults below. Relative paths are resolved against
// the directory of the file. Plain values and functions; no exception leaves this interface
// (toml++ throws inside and is caught here).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "koseki/base/result.h"

namespace koseki::app {

struct ServerConfig {
  std::string listen_host = "127.0.0.1";  // IPv6 without brackets ("::1")
  std::uint16_t port = 8443;
  std::filesystem::path data_dir;      // [paths] data
  std::filesystem::path key_file;      // [paths] key_file
  std::filesystem::path witness_file;  // [paths] witness; default: beside the key file
  std::filesystem::path tls_cert_file;
  std::filesystem::path tls_key_file;
  std::filesystem::path passphrase_file;  // empty: KOSEKI_PASSPHRASE or the terminal
  int io_threads = 0;                     // 0 = number of cores
  int request_threads = 64;               // web::ServerOptions::request_threads
  std::chrono::seconds idle_city{600};
  std::chrono::seconds idle_vendor{300};
  std::chrono::seconds session_lifetime{12 * 3600};
  std::chrono::milliseconds read_timeout{10000};
  std::chrono::milliseconds write_timeout{10000};
  std::chrono::milliseconds handshake_timeout{10000};
  std::chrono::milliseconds keep_alive_idle{30000};
  std::size_t header_limit = 16384;
  std::size_t body_limit_form = 64 * 1024;
  std::size_t body_limit_upload = 32 * 1024 * 1024;
  std::size_t max_connections = 1024;
};

// Reads and parses `file` (relative paths in it resolve against the file's directory).
// Unavailable KSK-CONFIG-001 if it cannot be read; otherwise as ParseServerConfig.
Result<ServerConfig> LoadServerConfig(const std::filesystem::path& file);

// Parses the TOML text of a configuration; relative paths resolve against `base_dir`.
// InvalidArgument: KSK-CONFIG-002 (not TOML: line and column), KSK-CONFIG-003 (unknown key),
// KSK-CONFIG-004 (wrong type: key and expected type), KSK-CONFIG-005 (out of range: key and
// range), KSK-CONFIG-006 (server.listen not HOST:PORT).
Result<ServerConfig> ParseServerConfig(std::string_view toml_text,
                                       const std::filesystem::path& base_dir);

// Sets listen_host and port from "HOST:PORT" ("127.0.0.1:8443", "[::1]:8443", "localhost:8443"),
// as given by a flag or the environment; `config` is unchanged on error. InvalidArgument
// KSK-CONFIG-006 for a missing or bad host or port (0–65535; 0 asks for a free port, which
// the server prints when it starts), or IPv6 without brackets.
Result<void> ApplyListen(ServerConfig& config, std::string_view host_port);

// Checks that the paths the server cannot start without are set (data, key_file, tls_cert,
// tls_key; the witness defaults from key_file). Call it after flags have been applied.
// InvalidArgument KSK-CONFIG-007 naming the first missing key.
Result<void> CheckServerConfigComplete(const ServerConfig& config);

}  // namespace koseki::app
