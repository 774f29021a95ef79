#include "koseki/app/location.h"

#include <charconv>
#include <cstdlib>
#include <system_error>

#include "koseki/audit/witness_file.h"

namespace koseki::app {
namespace {

std::string FlagOrEnv(const std::string& flag, const char* env) {
  if (!flag.empty()) return flag;
  const char* value = std::getenv(env);  // NOLINT(concurrency-mt-unsafe): read at start-up only.
  return value == nullptr ? std::string() : std::string(value);
}

bool IsWithin(const std::filesystem::path& inner, const std::filesystem::path& outer) {
  auto in = inner.begin();
  for (auto out = outer.begin(); out != outer.end(); ++out, ++in) {
    if (out->empty()) continue;  // trailing separator
    if (in == inner.end() || *in != *out) return false;
  }
  return true;
}

// Returns InvalidArgument (KSK-CLI-001): the command needs the data directory and, if
// `key_file_too`, the key file, and one of them was not given.
Error LocationNotGiven(bool key_file_too) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-CLI-001",
                   key_file_too ? "データディレクトリ（--data または KOSEKI_DATA）と鍵ファイル"
                                  "（--key-file または KOSEKI_KEY_FILE）を指定してください。"
                                : "データディレクトリ（--data または KOSEKI_DATA）を指定して"
                                  "ください。",
                   key_file_too ? "data dir or key file not given" : "data dir not given");
}

}  // namespace

std::filesystem::path WitnessFor(const std::string& witness_flag,
                                 const std::filesystem::path& key_file) {
  std::filesystem::path witness = FlagOrEnv(witness_flag, "KOSEKI_WITNESS");
  if (witness.empty() && !key_file.empty()) {
    witness = key_file.parent_path() / audit::kDefaultWitnessFileName;
  }
  return witness;
}

Result<audit::CheckpointPolicy> ResolveCheckpointPolicy() {
  audit::CheckpointPolicy policy;
  const auto positive = [](const char* name) -> Result<std::optional<std::uint64_t>> {
    const std::string text = FlagOrEnv({}, name);
    if (text.empty()) return std::optional<std::uint64_t>();
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value == 0) {
      return MakeError(ErrorCode::kInvalidArgument, "KSK-CLI-013",
                       "チェックポイントの間隔は正の整数で指定してください。",
                       std::string("bad ") + name);
    }
    return std::optional<std::uint64_t>(value);
  };
  KOSEKI_ASSIGN_OR_RETURN(auto entries, positive("KOSEKI_CHECKPOINT_ENTRIES"));
  KOSEKI_ASSIGN_OR_RETURN(auto seconds, positive("KOSEKI_CHECKPOINT_SECONDS"));
  if (entries) policy.every_entries = *entries;
  if (seconds) policy.every = std::chrono::seconds(*seconds);
  return policy;
}

Result<Location> ResolveLocation(const std::string& data_flag, const std::string& key_file_flag,
                                 const std::string& witness_flag) {
  Location location{
      FlagOrEnv(data_flag, "KOSEKI_DATA"), FlagOrEnv(key_file_flag, "KOSEKI_KEY_FILE"), {}};
  if (location.data_dir.empty() || location.key_file.empty()) {
    return LocationNotGiven(/*key_file_too=*/true);
  }
  location.witness_file = WitnessFor(witness_flag, location.key_file);
  return location;
}

Result<Location> ResolveAuditLocation(const std::string& data_flag,
                                      const std::string& key_file_flag,
                                      const std::string& witness_flag, bool need_data) {
  Location location{FlagOrEnv(data_flag, "KOSEKI_DATA"), {}, {}};
  if (need_data && location.data_dir.empty()) {
    return LocationNotGiven(/*key_file_too=*/false);
  }
  location.witness_file = WitnessFor(witness_flag, FlagOrEnv(key_file_flag, "KOSEKI_KEY_FILE"));
  if (location.witness_file.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-CLI-006",
                     "監査ログの立会いファイル（--witness または KOSEKI_WITNESS）か、鍵ファイル"
                     "（--key-file または KOSEKI_KEY_FILE）を指定してください。",
                     "witness file location unknown");
  }
  return location;
}

Result<void> CheckKeyFileOutsideDataDir(const Location& location) {
  std::error_code ec;
  const auto data = std::filesystem::weakly_canonical(location.data_dir, ec);
  const auto key = std::filesystem::weakly_canonical(location.key_file, ec);
  if (ec) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-CLI-003", "パスを解決できません。",
                     ec.message());
  }
  if (IsWithin(key, data)) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-CLI-002",
                     "鍵ファイルはデータディレクトリの外に置いてください。",
                     "key file inside data dir");
  }
  return Ok();
}

}  // namespace koseki::app
