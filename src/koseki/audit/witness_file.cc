#include "koseki/audit/witness_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <system_error>

namespace koseki::audit {
namespace {

constexpr std::string_view kWitnessIoId = "KSK-AUDIT-040";

Error WitnessIo(std::string_view what) {
  return MakeError(ErrorCode::kUnavailable, std::string(kWitnessIoId),
                   "監査ログの立会いファイル（witness）に書き込めないか、読み込めません。",
                   std::string(what) + ": " + std::strerror(errno));
}

// Writes all of `data` (retrying short writes and EINTR).
bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// fsyncs a directory so that a newly created file's name is durable too.
void SyncDirectory(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

Result<std::optional<std::string>> ReadWholeFile(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (ec) return WitnessIo("stat");
    return std::optional<std::string>();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return WitnessIo("open for reading");
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return WitnessIo("read");
  return std::optional<std::string>(content.str());
}

// Opens `path` for appending, creating it (and its directory) with `mode` if missing.
Result<int> OpenForAppend(const std::filesystem::path& path, mode_t mode) {
  std::error_code ec;
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path(), ec);
  const bool existed = std::filesystem::exists(path, ec);
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) return WitnessIo("open for appending");
  if (!existed) SyncDirectory(path.has_parent_path() ? path.parent_path() : ".");
  return fd;
}

}  // namespace

bool IsWitnessIoError(const Error& error) { return error.id == kWitnessIoId; }

Result<WitnessWriter> WitnessWriter::Lock(const std::filesystem::path& path) {
  KOSEKI_ASSIGN_OR_RETURN(int fd, OpenForAppend(path, 0600));
  WitnessWriter writer(fd);
  while (::flock(fd, LOCK_EX) != 0) {
    if (errno != EINTR) return WitnessIo("lock");
  }
  return writer;
}

WitnessWriter::WitnessWriter(WitnessWriter&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

WitnessWriter::~WitnessWriter() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

Result<void> WitnessWriter::Append(std::string_view note) {
  // One write(2) per record: a process killed meanwhile leaves the whole record or none.
  std::string record(note);
  record += '\n';
  struct stat before {};
  if (::fstat(fd_, &before) != 0) return WitnessIo("stat");
  if (!WriteAll(fd_, record)) {
    // A full disk can let part of the record through. Cut it off again (we hold the lock, so
    // the file ends with our bytes): a torn record would read as a forged checkpoint.
    const int saved = errno;
    if (::ftruncate(fd_, before.st_size) == 0) ::fsync(fd_);
    errno = saved;
    return WitnessIo("append");
  }
  if (::fsync(fd_) != 0) return WitnessIo("fsync");
  return Ok();
}

Result<std::optional<std::vector<std::string>>> ReadWitnessNotes(
    const std::filesystem::path& path) {
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> content, ReadWholeFile(path));
  if (!content) return std::optional<std::vector<std::string>>();

  // A record: text lines up to the first empty line, then signature lines up to the next empty
  // line (or the end). Reassembled exactly as the note was written, so that any change to the
  // file changes a note and fails its signature.
  std::vector<std::string> notes;
  std::string current;
  bool in_signatures = false;
  std::size_t pos = 0;
  const std::string& text = *content;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    const bool has_newline = end != std::string::npos;
    if (!has_newline) end = text.size();
    const std::string_view line(text.data() + pos, end - pos);
    pos = has_newline ? end + 1 : end;
    if (line.empty()) {
      if (current.empty()) continue;  // stray empty line between records
      if (!in_signatures) {
        current += '\n';
        in_signatures = true;
        continue;
      }
      notes.push_back(std::move(current));
      current.clear();
      in_signatures = false;
      continue;
    }
    current.append(line);
    if (has_newline) current += '\n';
  }
  if (!current.empty()) notes.push_back(std::move(current));  // torn or unterminated last record
  return std::optional<std::vector<std::string>>(std::move(notes));
}

std::filesystem::path VerifierKeysPathFor(const std::filesystem::path& witness_file) {
  std::filesystem::path keys = witness_file;
  keys.replace_extension(".pub");
  return keys;
}

Result<void> EnsureVerifierKeyListed(const std::filesystem::path& keys_file,
                                     const VerifierKey& key) {
  const std::string line = key.ToString();
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> content, ReadWholeFile(keys_file));
  if (content) {
    std::istringstream lines(*content);
    for (std::string existing; std::getline(lines, existing);) {
      if (existing == line) return Ok();
    }
  }
  KOSEKI_ASSIGN_OR_RETURN(int fd, OpenForAppend(keys_file, 0644));
  std::string record;
  if (content && !content->empty() && content->back() != '\n') record += '\n';
  record += line + "\n";
  const bool written = WriteAll(fd, record) && ::fsync(fd) == 0;
  ::close(fd);
  if (!written) return WitnessIo("append verifier key");
  return Ok();
}

Result<std::optional<std::vector<VerifierKey>>> ReadVerifierKeys(
    const std::filesystem::path& keys_file) {
  KOSEKI_ASSIGN_OR_RETURN(std::optional<std::string> content, ReadWholeFile(keys_file));
  if (!content) return std::optional<std::vector<VerifierKey>>();
  std::vector<VerifierKey> keys;
  std::istringstream lines(*content);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    KOSEKI_ASSIGN_OR_RETURN(VerifierKey key, VerifierKey::Parse(line));
    keys.push_back(std::move(key));
  }
  return std::optional<std::vector<VerifierKey>>(std::move(keys));
}

}  // namespace koseki::audit
