#include "koseki/crypto/internal/key_file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

namespace koseki::crypto::internal {
namespace {

// Owns a file descriptor; Close() reports the error that the destructor would swallow.
class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  // Returns 0 or the errno of close().
  int Close() {
    const int result = ::close(std::exchange(fd_, -1));
    return result == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

Error IoError(int error_number, std::string_view operation) {
  const ErrorCode code = (error_number == EACCES || error_number == EPERM)
                             ? ErrorCode::kPermissionDenied
                             : ErrorCode::kUnavailable;
  // The path is an operator-chosen location, not personal data, but the detail stays generic.
  return MakeError(code, "KSK-CRYPTO-015", "鍵ファイルを読み書きできません。",
                   std::string(operation) + ": " + std::strerror(error_number));
}

Result<void> WriteAll(int fd, ByteView bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t written = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (written < 0) {
      if (errno == EINTR) continue;
      return IoError(errno, "write");
    }
    done += static_cast<std::size_t>(written);
  }
  return Ok();
}

Result<void> WriteAndSync(const std::filesystem::path& path, UniqueFd& fd, ByteView bytes) {
  // The mode given to open() is reduced by the umask; fchmod makes it exactly 0600.
  if (::fchmod(fd.get(), S_IRUSR | S_IWUSR) != 0) return IoError(errno, "fchmod");
  KOSEKI_RETURN_IF_ERROR(WriteAll(fd.get(), bytes));
  if (::fsync(fd.get()) != 0) return IoError(errno, "fsync");
  if (const int error_number = fd.Close(); error_number != 0) {
    return IoError(error_number, "close");
  }
  // The new directory entry must be durable too, or a crash could lose the only copy of the
  // master key while data encrypted under it survives.
  const std::filesystem::path parent =
      path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  UniqueFd dir(::open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!dir.valid()) return IoError(errno, "open directory");
  if (::fsync(dir.get()) != 0) return IoError(errno, "fsync directory");
  return Ok();
}

}  // namespace

Result<void> WriteNewPrivateFile(const std::filesystem::path& path, ByteView bytes) {
  // O_EXCL also refuses a symlink at `path`, even a dangling one.
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, S_IRUSR | S_IWUSR));
  if (!fd.valid()) {
    if (errno == EEXIST) {
      return MakeError(ErrorCode::kAlreadyExists, "KSK-CRYPTO-013",
                       "鍵ファイルが既に存在します。既存の鍵ファイルは上書きしません。",
                       "key file exists");
    }
    return IoError(errno, "create");
  }
  Result<void> written = WriteAndSync(path, fd, bytes);
  if (!written) ::unlink(path.c_str());  // We created it; a partial key file is worse than none.
  return written;
}

Error KeyFileMalformed(std::string detail) {
  return MakeError(ErrorCode::kDataLoss, "KSK-CRYPTO-014", "鍵ファイルの形式が正しくありません。",
                   "key file: " + std::move(detail));
}

Result<FileContents> ReadSmallFile(const std::filesystem::path& path, std::size_t max_size) {
  // O_NONBLOCK: a FIFO put where the key file belongs must be refused (not a regular file,
  // below), not waited on for a writer; on a regular file the flag changes nothing.
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (!fd.valid()) {
    if (errno == ENOENT || errno == ENOTDIR) {
      return MakeError(ErrorCode::kNotFound, "KSK-CRYPTO-012", "鍵ファイルが見つかりません。",
                       "key file missing");
    }
    return IoError(errno, "open");
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return IoError(errno, "fstat");
  if (!S_ISREG(info.st_mode) || static_cast<std::uint64_t>(info.st_size) > max_size) {
    return KeyFileMalformed("not a regular file of at most " + std::to_string(max_size) + " bytes");
  }
  FileContents contents;
  contents.mode = static_cast<unsigned>(info.st_mode) & 07777U;
  // Read one byte more than allowed so that a file growing after fstat is still caught.
  contents.bytes.resize(max_size + 1);
  std::size_t done = 0;
  while (done < contents.bytes.size()) {
    const ssize_t got =
        ::read(fd.get(), contents.bytes.data() + done, contents.bytes.size() - done);
    if (got < 0) {
      if (errno == EINTR) continue;
      return IoError(errno, "read");
    }
    if (got == 0) break;
    done += static_cast<std::size_t>(got);
  }
  if (done > max_size) {
    return KeyFileMalformed("larger than " + std::to_string(max_size) + " bytes");
  }
  contents.bytes.resize(done);
  return contents;
}

}  // namespace koseki::crypto::internal
