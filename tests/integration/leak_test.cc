// The leak test, because personal data must never be stored in plaintext: generate 1,000
// registers through the CLI and issue a few certificates (whose 交付請求 — purpose and
// requester — is personal data too), then search every byte of the database files (main, -wal,
// -shm) for every name, 本籍, place and printed date in the manifest and every request's text.
// There must be no hit at all.
//
// Strings shorter than kMinBytes are skipped: a 3-byte UTF-8 character (a one-kanji 名) occurs by
// chance in megabytes of ciphertext (≈ size / 2^24 times), so a hit would say nothing. Six bytes
// or more (two kanji, an ISO date) make a chance hit in a few MB about 10^-8 likely.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "tests/integration/cli_fixture.h"

namespace koseki::testing {
namespace {

constexpr std::size_t kMinBytes = 6;
constexpr int kRegisters = 1000;

void CollectStrings(const nlohmann::json& value, std::set<std::string>& out) {
  if (value.is_string()) {
    const std::string s = value.get<std::string>();
    if (s.size() >= kMinBytes) out.insert(s);
  } else if (value.is_array() || value.is_object()) {
    for (const auto& item : value) CollectStrings(item, out);
  }
}

class LeakTest : public CliFixture {};

TEST_F(LeakTest, DatabaseFilesHoldNoNameAddressOrDateOfAGeneratedRegister) {
  InitWithTenant();
  const auto manifest = work() / "manifest.jsonl";
  CliRun gen = Run({"gen", "--tenant", kTenant, "--registers", std::to_string(kRegisters), "--seed",
                    "2026", "--manifest", manifest.string()});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;

  std::set<std::string> secrets;
  std::vector<nlohmann::json> lines;
  std::ifstream in(manifest);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(nlohmann::json::parse(line));
    for (const char* field :
         {"honseki", "hittosha", "hittosha_full", "names", "dates", "places", "readings"}) {
      if (lines.back().contains(field)) CollectStrings(lines.back()[field], secrets);
    }
  }
  // The municipality's own name is public (it names the tenant), not personal data.
  secrets.erase(kTenantName);
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kRegisters));
  ASSERT_GT(secrets.size(), 1000U);

  // The registers are really there: look a few up by 本籍 + 筆頭者 through the CLI, each for a
  // request of its own.
  AddUser("clerk-1", "clerk");
  for (std::size_t i = 0; i < lines.size(); i += 199) {
    const std::string purpose = "架空の請求事由その" + std::to_string(i);
    const std::string requester = "架空の請求者その" + std::to_string(i);
    secrets.insert(purpose);
    secrets.insert(requester);
    CliRun cert =
        Run({"cert", "--tenant", kTenant, "--user", "clerk-1", "--purpose", purpose, "--requester",
             requester, "--honseki", lines[i]["honseki"].get<std::string>(), "--head",
             lines[i]["hittosha"].get<std::string>()});
    EXPECT_EQ(cert.exit_code, 0) << cert.err;
    EXPECT_THAT(cert.out, ::testing::HasSubstr(lines[i]["honseki"].get<std::string>()));
  }

  const auto files = ReadAllFiles(data_dir());
  std::set<std::string> names;
  for (const auto& [path, bytes] : files) names.insert(path.filename().string());
  EXPECT_TRUE(names.count("koseki.db"));

  std::size_t hits = 0;
  for (const auto& [path, bytes] : files) {
    for (const std::string& secret : secrets) {
      if (bytes.find(secret) != std::string::npos) {
        ++hits;
        ADD_FAILURE() << "a manifest string of " << secret.size() << " bytes occurs in "
                      << path.filename();
      }
    }
  }
  EXPECT_EQ(hits, 0U);
}

}  // namespace
}  // namespace koseki::testing
