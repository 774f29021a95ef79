#include "koseki/app/server_config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "koseki/base/testing/matchers.h"
#include "koseki/base/testing/temp_dir.h"

namespace koseki::app {
namespace {

using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::IsOk;
using ::testing::HasSubstr;

const std::filesystem::path kBase = "/srv/koseki";

TEST(ServerConfigTest, ExampleFileParsesWithItsDocumentedValues) {
  const Result<ServerConfig> config = LoadServerConfig(KOSEKI_EXAMPLE_CONFIG);
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->listen_host, "127.0.0.1");
  EXPECT_EQ(config->port, 8443);
  EXPECT_EQ(config->io_threads, 0);
  EXPECT_EQ(config->data_dir, "/var/lib/koseki/data");
  EXPECT_EQ(config->key_file, "/etc/koseki/master.key");
  EXPECT_EQ(config->witness_file, "/var/lib/koseki/witness/witness.log");
  EXPECT_EQ(config->tls_cert_file, "/etc/koseki/tls/server.pem");
  EXPECT_EQ(config->tls_key_file, "/etc/koseki/tls/server.key");
  EXPECT_TRUE(config->passphrase_file.empty());
  EXPECT_EQ(config->header_limit, 16384U);
  EXPECT_EQ(config->body_limit_form, 65536U);
  EXPECT_EQ(config->body_limit_upload, 33554432U);
  EXPECT_EQ(config->max_connections, 1024U);
  EXPECT_EQ(config->read_timeout, std::chrono::milliseconds(10000));
  EXPECT_EQ(config->keep_alive_idle, std::chrono::milliseconds(30000));
  EXPECT_EQ(config->idle_city, std::chrono::seconds(600));
  EXPECT_EQ(config->idle_vendor, std::chrono::seconds(300));
  EXPECT_EQ(config->session_lifetime, std::chrono::seconds(43200));
  EXPECT_THAT(CheckServerConfigComplete(*config), IsOk());
}

TEST(ServerConfigTest, ExampleFileStatesTheDefaults) {
  // Every value the example shows is the default, so an empty file gives the same settings.
  const Result<ServerConfig> example = LoadServerConfig(KOSEKI_EXAMPLE_CONFIG);
  const Result<ServerConfig> empty = ParseServerConfig("", kBase);
  ASSERT_THAT(example, IsOk());
  ASSERT_THAT(empty, IsOk());
  EXPECT_EQ(empty->listen_host, example->listen_host);
  EXPECT_EQ(empty->port, example->port);
  EXPECT_EQ(empty->io_threads, example->io_threads);
  EXPECT_EQ(empty->header_limit, example->header_limit);
  EXPECT_EQ(empty->body_limit_form, example->body_limit_form);
  EXPECT_EQ(empty->body_limit_upload, example->body_limit_upload);
  EXPECT_EQ(empty->max_connections, example->max_connections);
  EXPECT_EQ(empty->read_timeout, example->read_timeout);
  EXPECT_EQ(empty->write_timeout, example->write_timeout);
  EXPECT_EQ(empty->handshake_timeout, example->handshake_timeout);
  EXPECT_EQ(empty->keep_alive_idle, example->keep_alive_idle);
  EXPECT_EQ(empty->idle_city, example->idle_city);
  EXPECT_EQ(empty->idle_vendor, example->idle_vendor);
  EXPECT_EQ(empty->session_lifetime, example->session_lifetime);
  EXPECT_EQ(empty->request_threads, example->request_threads);
}

TEST(ServerConfigTest, ReadsEverySection) {
  const Result<ServerConfig> config = ParseServerConfig(R"(
[server]
listen = "[::1]:9443"
io_threads = 4
request_threads = 16
[limits]
header_bytes = 8192
form_body_bytes = 4096
upload_body_bytes = 1048576
max_connections = 10
[timeouts]
read_ms = 500
write_ms = 600
handshake_ms = 700
keep_alive_ms = 800
[sessions]
idle_city_seconds = 900
idle_vendor_seconds = 120
lifetime_seconds = 3600
)",
                                                        kBase);
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->listen_host, "::1");
  EXPECT_EQ(config->port, 9443);
  EXPECT_EQ(config->io_threads, 4);
  EXPECT_EQ(config->request_threads, 16);
  EXPECT_EQ(config->header_limit, 8192U);
  EXPECT_EQ(config->body_limit_form, 4096U);
  EXPECT_EQ(config->body_limit_upload, 1048576U);
  EXPECT_EQ(config->max_connections, 10U);
  EXPECT_EQ(config->read_timeout, std::chrono::milliseconds(500));
  EXPECT_EQ(config->write_timeout, std::chrono::milliseconds(600));
  EXPECT_EQ(config->handshake_timeout, std::chrono::milliseconds(700));
  EXPECT_EQ(config->keep_alive_idle, std::chrono::milliseconds(800));
  EXPECT_EQ(config->idle_city, std::chrono::seconds(900));
  EXPECT_EQ(config->idle_vendor, std::chrono::seconds(120));
  EXPECT_EQ(config->session_lifetime, std::chrono::seconds(3600));
}

TEST(ServerConfigTest, ResolvesRelativePathsAgainstTheBaseDirectory) {
  const Result<ServerConfig> config = ParseServerConfig(R"(
[paths]
data = "data"
key_file = "../keys/master.key"
tls_cert = "/etc/tls/server.pem"
tls_key = "./tls/server.key"
passphrase_file = "secret/passphrase"
)",
                                                        kBase);
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->data_dir, "/srv/koseki/data");
  EXPECT_EQ(config->key_file, "/srv/keys/master.key");
  EXPECT_EQ(config->tls_cert_file, "/etc/tls/server.pem");
  EXPECT_EQ(config->tls_key_file, "/srv/koseki/tls/server.key");
  EXPECT_EQ(config->passphrase_file, "/srv/koseki/secret/passphrase");
}

TEST(ServerConfigTest, LoadResolvesRelativePathsAgainstTheFilesDirectory) {
  koseki::testing::TempDir dir;
  const std::filesystem::path file = dir.path() / "koseki.toml";
  std::ofstream(file) << "[paths]\ndata = \"data\"\n";
  const Result<ServerConfig> config = LoadServerConfig(file);
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->data_dir, dir.path() / "data");
}

TEST(ServerConfigTest, WitnessDefaultsToBesideTheKeyFile) {
  const Result<ServerConfig> config =
      ParseServerConfig("[paths]\nkey_file = \"/etc/koseki/master.key\"\n", kBase);
  ASSERT_THAT(config, IsOk());
  EXPECT_EQ(config->witness_file, "/etc/koseki/koseki-witness.log");
}

TEST(ServerConfigTest, UnknownKeyIsNamed) {
  const Result<ServerConfig> config = ParseServerConfig("[server]\nlistne = \"x:1\"\n", kBase);
  EXPECT_THAT(config, ErrorIdIs("KSK-CONFIG-003"));
  EXPECT_THAT(config.error().public_message, HasSubstr("server.listne"));
}

TEST(ServerConfigTest, UnknownSectionIsNamed) {
  const Result<ServerConfig> section = ParseServerConfig("[servre]\nio_threads = 1\n", kBase);
  EXPECT_THAT(section, ErrorIdIs("KSK-CONFIG-003"));
  EXPECT_THAT(section.error().public_message, HasSubstr("servre"));
  const Result<ServerConfig> nested = ParseServerConfig("[server.tls]\ncert = \"x\"\n", kBase);
  EXPECT_THAT(nested, ErrorIdIs("KSK-CONFIG-003"));
  EXPECT_THAT(nested.error().public_message, HasSubstr("server.tls"));
  const Result<ServerConfig> top = ParseServerConfig("port = 8443\n", kBase);
  EXPECT_THAT(top, ErrorIdIs("KSK-CONFIG-003"));
  EXPECT_THAT(top.error().public_message, HasSubstr("port"));
}

TEST(ServerConfigTest, WrongTypeNamesKeyAndExpectedType) {
  const Result<ServerConfig> integer = ParseServerConfig("[server]\nio_threads = \"4\"\n", kBase);
  EXPECT_THAT(integer, ErrorIdIs("KSK-CONFIG-004"));
  EXPECT_THAT(integer.error().public_message, HasSubstr("server.io_threads"));
  EXPECT_THAT(integer.error().public_message, HasSubstr("整数"));
  const Result<ServerConfig> string = ParseServerConfig("[paths]\ndata = 1\n", kBase);
  EXPECT_THAT(string, ErrorIdIs("KSK-CONFIG-004"));
  EXPECT_THAT(string.error().public_message, HasSubstr("paths.data"));
  EXPECT_THAT(string.error().public_message, HasSubstr("文字列"));
  const Result<ServerConfig> table = ParseServerConfig("limits = 5\n", kBase);
  EXPECT_THAT(table, ErrorIdIs("KSK-CONFIG-004"));
  EXPECT_THAT(table.error().public_message, HasSubstr("limits"));
  EXPECT_THAT(ParseServerConfig("[timeouts]\nread_ms = 1.5\n", kBase), ErrorIdIs("KSK-CONFIG-004"));
}

TEST(ServerConfigTest, OutOfRangeNamesKeyAndRange) {
  const Result<ServerConfig> config = ParseServerConfig("[limits]\nmax_connections = 0\n", kBase);
  EXPECT_THAT(config, ErrorIdIs("KSK-CONFIG-005"));
  EXPECT_THAT(config.error().public_message, HasSubstr("limits.max_connections"));
  EXPECT_THAT(config.error().public_message, HasSubstr("1 以上 100000 以下"));
  EXPECT_THAT(ParseServerConfig("[server]\nio_threads = -1\n", kBase), ErrorIdIs("KSK-CONFIG-005"));
  EXPECT_THAT(ParseServerConfig("[sessions]\nlifetime_seconds = 9999999999\n", kBase),
              ErrorIdIs("KSK-CONFIG-005"));
}

TEST(ServerConfigTest, SyntaxErrorGivesTheLine) {
  const Result<ServerConfig> config = ParseServerConfig("[server]\nlisten = \n", kBase);
  EXPECT_THAT(config, ErrorIdIs("KSK-CONFIG-002"));
  EXPECT_THAT(config.error().public_message, HasSubstr("2 行"));
  EXPECT_THAT(ParseServerConfig("[server]\nio_threads = 1\nio_threads = 2\n", kBase),
              ErrorIdIs("KSK-CONFIG-002"));
}

TEST(ServerConfigTest, BadListenInTheFileIsRefused) {
  EXPECT_THAT(ParseServerConfig("[server]\nlisten = \"127.0.0.1\"\n", kBase),
              ErrorIdIs("KSK-CONFIG-006"));
}

TEST(ServerConfigTest, MissingFileIsUnavailable) {
  koseki::testing::TempDir dir;
  const Result<ServerConfig> config = LoadServerConfig(dir.path() / "absent.toml");
  EXPECT_THAT(config, ErrorIdIs("KSK-CONFIG-001"));
  EXPECT_EQ(config.error().code, ErrorCode::kUnavailable);
}

TEST(ServerConfigTest, CompletenessCheckNamesTheFirstMissingPath) {
  ServerConfig config;
  const Result<void> missing = CheckServerConfigComplete(config);
  EXPECT_THAT(missing, ErrorIdIs("KSK-CONFIG-007"));
  EXPECT_THAT(missing.error().public_message, HasSubstr("paths.data"));
  config.data_dir = "/d";
  config.key_file = "/k/master.key";
  config.witness_file = "/k/witness.log";
  config.tls_cert_file = "/t/c.pem";
  const Result<void> no_tls_key = CheckServerConfigComplete(config);
  EXPECT_THAT(no_tls_key.error().public_message, HasSubstr("paths.tls_key"));
  config.tls_key_file = "/t/k.pem";
  EXPECT_THAT(CheckServerConfigComplete(config), IsOk());
}

TEST(ApplyListenTest, TakesIpv4HostAndPort) {
  ServerConfig config;
  ASSERT_THAT(ApplyListen(config, "0.0.0.0:443"), IsOk());
  EXPECT_EQ(config.listen_host, "0.0.0.0");
  EXPECT_EQ(config.port, 443);
}

TEST(ApplyListenTest, TakesIpv6InBracketsAndStoresItWithout) {
  ServerConfig config;
  ASSERT_THAT(ApplyListen(config, "[::1]:8443"), IsOk());
  EXPECT_EQ(config.listen_host, "::1");
  EXPECT_EQ(config.port, 8443);
  ASSERT_THAT(ApplyListen(config, "[2001:db8::10]:65535"), IsOk());
  EXPECT_EQ(config.listen_host, "2001:db8::10");
  EXPECT_EQ(config.port, 65535);
}

TEST(ApplyListenTest, PortZeroAsksForAFreePort) {
  ServerConfig config;
  ASSERT_THAT(ApplyListen(config, "127.0.0.1:0"), IsOk());
  EXPECT_EQ(config.port, 0);
}

TEST(ApplyListenTest, TakesAHostName) {
  ServerConfig config;
  ASSERT_THAT(ApplyListen(config, "localhost:8080"), IsOk());
  EXPECT_EQ(config.listen_host, "localhost");
}

TEST(ApplyListenTest, RefusesBadPortsAndLeavesTheConfigUnchanged) {
  ServerConfig config;
  for (std::string_view bad :
       {"127.0.0.1:65536", "127.0.0.1:http", "127.0.0.1:+80", "127.0.0.1:80 ", "[::1]:99999"}) {
    EXPECT_THAT(ApplyListen(config, bad), ErrorIdIs("KSK-CONFIG-006")) << bad;
  }
  EXPECT_EQ(config.listen_host, "127.0.0.1");
  EXPECT_EQ(config.port, 8443);
}

TEST(ApplyListenTest, RefusesAMissingPortOrHost) {
  ServerConfig config;
  for (std::string_view bad :
       {"127.0.0.1", "127.0.0.1:", "[::1]", ":8443", "", "[]:8443", "[::1]8443"}) {
    EXPECT_THAT(ApplyListen(config, bad), ErrorIdIs("KSK-CONFIG-006")) << bad;
  }
}

TEST(ApplyListenTest, RefusesBadHosts) {
  ServerConfig config;
  for (std::string_view bad : {"::1:8443", "[::g]:8443", "[127.0.0.1:8443", "256.1.1.1:8443",
                               "host name:8443", "1.2.3:8443"}) {
    const Result<void> result = ApplyListen(config, bad);
    EXPECT_THAT(result, ErrorIdIs("KSK-CONFIG-006")) << bad;
  }
  const Result<void> named = ApplyListen(config, "::1:8443");
  EXPECT_THAT(named.error().public_message, HasSubstr("::1:8443"));
}

}  // namespace
}  // namespace koseki::app
