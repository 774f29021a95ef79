#include "koseki/cli/files.h"

#include <sys/stat.h>

#include <fstream>
#include <iostream>
#include <iterator>

#include "koseki/base/error.h"

namespace koseki::cli {

Result<std::string> ReadInputFile(const std::string& path) {
  if (path.empty() || path == "-") {
    return std::string(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError(ErrorCode::kNotFound, "KSK-CLI-012", "入力ファイルを開けません。",
                     "cannot open input file");
  }
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Result<void> WritePrivateFile(const std::string& path, std::string_view bytes) {
  const mode_t old_mask = ::umask(077);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  ::umask(old_mask);
  if (out) out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (out) out.close();
  if (!out) {
    return MakeError(ErrorCode::kUnavailable, "KSK-CLI-020", "出力ファイルを書き込めません。",
                     "cannot write output file");
  }
  ::chmod(path.c_str(), 0600);
  return Ok();
}

}  // namespace koseki::cli
