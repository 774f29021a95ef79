#include "koseki/app/passphrase.h"

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>

namespace koseki::app {
namespace {

// RAII: an open /dev/tty with echo switched off until destruction.
class SilentTerminal {
 public:
  SilentTerminal() : fd_(::open("/dev/tty", O_RDWR | O_CLOEXEC)) {
    if (fd_ < 0) return;
    if (::tcgetattr(fd_, &saved_) == 0) {
      termios silent = saved_;
      silent.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      restore_ = ::tcsetattr(fd_, TCSAFLUSH, &silent) == 0;
    }
  }
  ~SilentTerminal() {
    if (restore_) ::tcsetattr(fd_, TCSAFLUSH, &saved_);
    if (fd_ >= 0) ::close(fd_);
  }
  SilentTerminal(const SilentTerminal&) = delete;
  SilentTerminal& operator=(const SilentTerminal&) = delete;

  bool ok() const { return fd_ >= 0; }

  void Write(std::string_view text) const {
    if (::write(fd_, text.data(), text.size()) < 0) return;
  }

  // Reads one line into locked memory; the temporary buffer is wiped.
  SecretBytes ReadLine() const {
    std::string line;
    char c = 0;
    while (::read(fd_, &c, 1) == 1 && c != '\n') line.push_back(c);
    SecretBytes secret = SecretBytes::FromString(line);
    WipeBytes({reinterpret_cast<std::uint8_t*>(line.data()), line.size()});
    Write("\n");
    return secret;
  }

 private:
  int fd_;
  termios saved_{};
  bool restore_ = false;
};

}  // namespace

Result<SecretBytes> ReadPassphrase(std::string_view prompt, bool confirm) {
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read at start-up only.
  if (const char* env = std::getenv("KOSEKI_PASSPHRASE"); env != nullptr) {
    return SecretBytes::FromString(env);
  }
  SilentTerminal terminal;
  if (!terminal.ok()) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-CLI-004",
                     "パスフレーズを入力できません（端末がなく KOSEKI_PASSPHRASE もありません）。",
                     "no tty and no KOSEKI_PASSPHRASE");
  }
  terminal.Write(prompt);
  SecretBytes first = terminal.ReadLine();
  if (!confirm) return first;
  terminal.Write("確認のためもう一度入力してください: ");
  SecretBytes second = terminal.ReadLine();
  if (!first.Equals(second)) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-CLI-005", "パスフレーズが一致しません。",
                     "confirmation mismatch");
  }
  return first;
}

Result<SecretBytes> ReadPassphraseFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kNotFound, "KSK-CLI-030", "パスフレーズのファイルを読めません。",
                     "cannot read passphrase file");
  }
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  SecretBytes secret = SecretBytes::FromString(text);
  std::fill(text.begin(), text.end(), '\0');
  std::size_t size = secret.size();
  if (size > 0 && secret.data()[size - 1] == '\n') --size;
  if (size > 0 && secret.data()[size - 1] == '\r') --size;
  if (size == 0) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-CLI-031", "パスフレーズのファイルが空です。",
                     "empty passphrase file");
  }
  return SecretBytes::FromBytes(secret.span().first(size));
}

}  // namespace koseki::app
