// POSIX file access for the master key file: exclusive, private, durable creation, and a
// bounded read. Errors carry the key-file error ids (KSK-CRYPTO-012, -013, -015).
#pragma once

#include <cstddef>
#include <filesystem>

#include "koseki/base/result.h"
#include "koseki/crypto/internal/primitives.h"

namespace koseki::crypto::internal {

// Creates `path` with O_CREAT|O_EXCL and mode 0600, writes `bytes`, fsyncs the file and its
// directory. Never replaces an existing file or follows a symlink at `path` (AlreadyExists).
// If anything fails after creation, the partial file is removed.
Result<void> WriteNewPrivateFile(const std::filesystem::path& path, ByteView bytes);

struct FileContents {
  Bytes bytes;
  unsigned mode = 0;  // permission bits (st_mode & 07777)
};

// Reads a regular file of at most `max_size` bytes. A larger file or a non-regular file gives
// DataLoss (KSK-CRYPTO-014) without being read.
Result<FileContents> ReadSmallFile(const std::filesystem::path& path, std::size_t max_size);

// The DataLoss error (KSK-CRYPTO-014) of a key file that is not in the key-file format.
Error KeyFileMalformed(std::string detail);

}  // namespace koseki::crypto::internal
