#include "koseki/app/server_config.h"

#include <arpa/inet.h>
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <system_error>

#include "koseki/audit/witness_file.h"

namespace koseki::app {
namespace {

// A configuration file is a few hundred bytes; anything this large is not one.
constexpr std::uintmax_t kMaxFileBytes = 1024 * 1024;

// The error builders: each id is built here and nowhere else.
Error Unreadable(const std::filesystem::path& file, std::string_view why) {
  return MakeError(ErrorCode::kUnavailable, "KSK-CONFIG-001",
                   "設定ファイル " + file.string() + " を読み込めません。",
                   "config file " + file.string() + ": " + std::string(why));
}

Error NotToml(std::size_t line, std::size_t column, std::string_view why) {
  const std::string where = std::to_string(line) + " 行 " + std::to_string(column) + " 列";
  return MakeError(ErrorCode::kInvalidArgument, "KSK-CONFIG-002",
                   "設定ファイルの書式が正しくありません（" + where + "）。",
                   "toml parse error at " + std::to_string(line) + ":" + std::to_string(column) +
                       ": " + std::string(why));
}

Error UnknownKey(std::string_view key) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-CONFIG-003",
                   "設定ファイルに不明な項目 " + std::string(key) + " があります。",
                   "unknown config key " + std::string(key));
}

enum class Kind { kTable, kString, kInteger };

Error WrongType(std::string_view key, Kind expected) {
  std::string_view japanese = "表（[セクション]）";
  std::string_view english = "table";
  if (expected == Kind::kString) {
    japanese = "文字列";
    english = "string";
  } else if (expected == Kind::kInteger) {
    japanese = "整数";
    english = "integer";
  }
  return MakeError(
      ErrorCode::kInvalidArgument, "KSK-CONFIG-004",
      "設定項目 " + std::string(key) + " は" + std::string(japanese) + "で指定してください。",
      "config key " + std::string(key) + ": expected " + std::string(english));
}

Error OutOfRange(std::string_view key, std::int64_t low, std::int64_t high, std::int64_t value) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-CONFIG-005",
                   "設定項目 " + std::string(key) + " は " + std::to_string(low) + " 以上 " +
                       std::to_string(high) + " 以下で指定してください。",
                   "config key " + std::string(key) + ": " + std::to_string(value) + " not in [" +
                       std::to_string(low) + ", " + std::to_string(high) + "]");
}

Error BadListen(std::string_view host_port) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-CONFIG-006",
                   "待ち受けアドレス「" + std::string(host_port) +
                       "」が正しくありません（ホスト:ポート、IPv6 は [::1]:8443 の形式）。",
                   "bad listen address '" + std::string(host_port) + "'");
}

Error Missing(std::string_view key) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-CONFIG-007",
                   "設定項目 " + std::string(key) + " を指定してください。",
                   "config key " + std::string(key) + " missing");
}

// One [section] of the file: checks that it holds only known keys and reads them by name.
class Section {
 public:
  // Returns the section `name` of `root` (nullptr if absent) after checking that every key
  // in it is one of `known`.
  static Result<Section> Open(const toml::table& root, std::string_view name,
                              std::initializer_list<std::string_view> known) {
    const toml::node* node = root.get(name);
    if (node == nullptr) return Section(name, nullptr);
    const toml::table* table = node->as_table();
    if (table == nullptr) return WrongType(name, Kind::kTable);
    for (const auto& [key, value] : *table) {
      if (std::find(known.begin(), known.end(), key.str()) == known.end()) {
        return UnknownKey(std::string(name) + "." + std::string(key.str()));
      }
    }
    return Section(name, table);
  }

  // Returns the string at `key`, or nullopt if the key is absent.
  Result<std::optional<std::string>> String(std::string_view key) const {
    const toml::node* node = Find(key);
    if (node == nullptr) return std::optional<std::string>();
    const auto* value = node->as_string();
    if (value == nullptr) return WrongType(Name(key), Kind::kString);
    return std::optional<std::string>(value->get());
  }

  // Returns the integer at `key` if it lies in [low, high], or nullopt if the key is absent.
  Result<std::optional<std::int64_t>> Integer(std::string_view key, std::int64_t low,
                                              std::int64_t high) const {
    const toml::node* node = Find(key);
    if (node == nullptr) return std::optional<std::int64_t>();
    const auto* value = node->as_integer();
    if (value == nullptr) return WrongType(Name(key), Kind::kInteger);
    if (value->get() < low || value->get() > high) {
      return OutOfRange(Name(key), low, high, value->get());
    }
    return std::optional<std::int64_t>(value->get());
  }

 private:
  Section(std::string_view name, const toml::table* table) : name_(name), table_(table) {}

  const toml::node* Find(std::string_view key) const {
    return table_ == nullptr ? nullptr : table_->get(key);
  }
  std::string Name(std::string_view key) const {
    return std::string(name_) + "." + std::string(key);
  }

  std::string_view name_;
  const toml::table* table_;
};

// Sets `*target` from an integer key if present.
template <typename T, typename Convert>
Result<void> ReadInteger(const Section& section, std::string_view key, std::int64_t low,
                         std::int64_t high, T& target, Convert convert) {
  KOSEKI_ASSIGN_OR_RETURN(const std::optional<std::int64_t> value, section.Integer(key, low, high));
  if (value) target = convert(*value);
  return Ok();
}

// Sets `*target` from a path key if present: "" leaves it unset, a relative path resolves
// against `base_dir`.
Result<void> ReadPath(const Section& section, std::string_view key,
                      const std::filesystem::path& base_dir, std::filesystem::path& target) {
  KOSEKI_ASSIGN_OR_RETURN(const std::optional<std::string> value, section.String(key));
  if (!value) return Ok();
  if (value->empty()) {
    target.clear();
    return Ok();
  }
  const std::filesystem::path path(*value);
  target = path.is_absolute() ? path.lexically_normal() : (base_dir / path).lexically_normal();
  return Ok();
}

constexpr std::int64_t kMiB = 1024 * 1024;

Result<void> ReadSections(const toml::table& root, const std::filesystem::path& base_dir,
                          ServerConfig& config) {
  constexpr std::array<std::string_view, 5> kSections = {"server", "paths", "limits", "timeouts",
                                                         "sessions"};
  for (const auto& [key, value] : root) {
    if (std::find(kSections.begin(), kSections.end(), key.str()) == kSections.end()) {
      return UnknownKey(key.str());
    }
  }
  const auto size = [](std::int64_t v) { return static_cast<std::size_t>(v); };
  const auto millis = [](std::int64_t v) { return std::chrono::milliseconds(v); };
  const auto secs = [](std::int64_t v) { return std::chrono::seconds(v); };

  KOSEKI_ASSIGN_OR_RETURN(
      const Section server,
      Section::Open(root, "server", {"listen", "io_threads", "request_threads"}));
  KOSEKI_ASSIGN_OR_RETURN(const std::optional<std::string> listen, server.String("listen"));
  if (listen) KOSEKI_RETURN_IF_ERROR(ApplyListen(config, *listen));
  KOSEKI_RETURN_IF_ERROR(ReadInteger(server, "io_threads", 0, 1024, config.io_threads,
                                     [](std::int64_t v) { return static_cast<int>(v); }));
  KOSEKI_RETURN_IF_ERROR(ReadInteger(server, "request_threads", 1, 1024, config.request_threads,
                                     [](std::int64_t v) { return static_cast<int>(v); }));

  KOSEKI_ASSIGN_OR_RETURN(
      const Section paths,
      Section::Open(root, "paths",
                    {"data", "key_file", "witness", "tls_cert", "tls_key", "passphrase_file"}));
  KOSEKI_RETURN_IF_ERROR(ReadPath(paths, "data", base_dir, config.data_dir));
  KOSEKI_RETURN_IF_ERROR(ReadPath(paths, "key_file", base_dir, config.key_file));
  KOSEKI_RETURN_IF_ERROR(ReadPath(paths, "witness", base_dir, config.witness_file));
  KOSEKI_RETURN_IF_ERROR(ReadPath(paths, "tls_cert", base_dir, config.tls_cert_file));
  KOSEKI_RETURN_IF_ERROR(ReadPath(paths, "tls_key", base_dir, config.tls_key_file));
  KOSEKI_RETURN_IF_ERROR(ReadPath(paths, "passphrase_file", base_dir, config.passphrase_file));
  // The same default as the CLI (location.h): outside the data directory, beside the key.
  if (config.witness_file.empty() && !config.key_file.empty()) {
    config.witness_file = config.key_file.parent_path() / audit::kDefaultWitnessFileName;
  }

  KOSEKI_ASSIGN_OR_RETURN(
      const Section limits,
      Section::Open(root, "limits",
                    {"header_bytes", "form_body_bytes", "upload_body_bytes", "max_connections"}));
  KOSEKI_RETURN_IF_ERROR(
      ReadInteger(limits, "header_bytes", 1024, kMiB, config.header_limit, size));
  KOSEKI_RETURN_IF_ERROR(
      ReadInteger(limits, "form_body_bytes", 1024, 16 * kMiB, config.body_limit_form, size));
  KOSEKI_RETURN_IF_ERROR(
      ReadInteger(limits, "upload_body_bytes", 1024, 1024 * kMiB, config.body_limit_upload, size));
  KOSEKI_RETURN_IF_ERROR(
      ReadInteger(limits, "max_connections", 1, 100000, config.max_connections, size));

  // Timeouts from a tenth of a second (less is a misprint) to an hour.
  constexpr std::int64_t kMinMs = 100;
  constexpr std::int64_t kMaxMs = 3600 * 1000;
  KOSEKI_ASSIGN_OR_RETURN(
      const Section timeouts,
      Section::Open(root, "timeouts", {"read_ms", "write_ms", "handshake_ms", "keep_alive_ms"}));
  KOSEKI_RETURN_IF_ERROR(
      ReadInteger(timeouts, "read_ms", kMinMs, kMaxMs, config.read_timeout, millis));
  KOSEKI_RETURN_IF_ERROR(
      ReadInteger(timeouts, "write_ms", kMinMs, kMaxMs, config.write_timeout, millis));
  KOSEKI_RETURN_IF_ERROR(
      ReadInteger(timeouts, "handshake_ms", kMinMs, kMaxMs, config.handshake_timeout, millis));
  KOSEKI_RETURN_IF_ERROR(
      ReadInteger(timeouts, "keep_alive_ms", kMinMs, kMaxMs, config.keep_alive_idle, millis));

  KOSEKI_ASSIGN_OR_RETURN(
      const Section sessions,
      Section::Open(root, "sessions",
                    {"idle_city_seconds", "idle_vendor_seconds", "lifetime_seconds"}));
  KOSEKI_RETURN_IF_ERROR(
      ReadInteger(sessions, "idle_city_seconds", 60, 86400, config.idle_city, secs));
  KOSEKI_RETURN_IF_ERROR(
      ReadInteger(sessions, "idle_vendor_seconds", 60, 86400, config.idle_vendor, secs));
  KOSEKI_RETURN_IF_ERROR(
      ReadInteger(sessions, "lifetime_seconds", 300, 7 * 86400, config.session_lifetime, secs));
  return Ok();
}

bool IsHostNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-';
}

}  // namespace

Result<ServerConfig> ParseServerConfig(std::string_view toml_text,
                                       const std::filesystem::path& base_dir) {
  ServerConfig config;
  try {
    const toml::table root = toml::parse(toml_text);
    KOSEKI_RETURN_IF_ERROR(ReadSections(root, base_dir, config));
  } catch (const toml::parse_error& e) {
    // The only exception toml++ throws besides std::bad_alloc, which koseki treats as fatal
    // everywhere.
    return NotToml(e.source().begin.line, e.source().begin.column, e.description());
  }
  return config;
}

Result<ServerConfig> LoadServerConfig(const std::filesystem::path& file) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(file, ec);
  if (ec) return Unreadable(file, ec.message());
  if (size > kMaxFileBytes) return Unreadable(file, "larger than 1 MiB");
  std::ifstream in(file, std::ios::binary);
  if (!in) return Unreadable(file, "cannot open");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Unreadable(file, "read error");
  std::filesystem::path base_dir = std::filesystem::absolute(file, ec).parent_path();
  if (ec) base_dir = file.parent_path();
  return ParseServerConfig(text, base_dir);
}

Result<void> ApplyListen(ServerConfig& config, std::string_view host_port) {
  const std::size_t colon = host_port.rfind(':');
  if (colon == std::string_view::npos) return BadListen(host_port);
  std::string_view host = host_port.substr(0, colon);
  const std::string_view port_text = host_port.substr(colon + 1);

  unsigned port = 0;
  const auto [end, ec] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc() || end != port_text.data() + port_text.size() ||
      port > 65535) {
    return BadListen(host_port);
  }

  const std::string host_string(host.size() >= 2 && host.front() == '[' && host.back() == ']'
                                    ? host.substr(1, host.size() - 2)
                                    : host);
  if (host_string.empty()) return BadListen(host_port);
  if (host.front() == '[') {
    in6_addr address{};
    if (::inet_pton(AF_INET6, host_string.c_str(), &address) != 1) return BadListen(host_port);
  } else {
    // A name or an IPv4 address; an IPv6 address must be in brackets so that its last group
    // cannot be mistaken for the port.
    if (!std::all_of(host_string.begin(), host_string.end(), IsHostNameChar)) {
      return BadListen(host_port);
    }
    const bool numeric = std::all_of(host_string.begin(), host_string.end(),
                                     [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
    in_addr address{};
    if (numeric && ::inet_pton(AF_INET, host_string.c_str(), &address) != 1) {
      return BadListen(host_port);
    }
  }
  config.listen_host = host_string;
  config.port = static_cast<std::uint16_t>(port);
  return Ok();
}

Result<void> CheckServerConfigComplete(const ServerConfig& config) {
  if (config.data_dir.empty()) return Missing("paths.data");
  if (config.key_file.empty()) return Missing("paths.key_file");
  if (config.witness_file.empty()) return Missing("paths.witness");
  if (config.tls_cert_file.empty()) return Missing("paths.tls_cert");
  if (config.tls_key_file.empty()) return Missing("paths.tls_key");
  return Ok();
}

}  // namespace koseki::app
