#include "koseki/crypto/blind_index.h"

#include <cstdlib>
#include <limits>
#include <string>

#include "koseki/crypto/internal/byte_io.h"

namespace koseki::crypto {

Result<BlindIndexer> BlindIndexer::Create(SecretBytes key) {
  KOSEKI_ASSIGN_OR_RETURN(MessageMac mac, MessageMac::Create(std::move(key)));
  return BlindIndexer(std::move(mac));
}

Bytes BlindIndexer::Compute(std::string_view purpose, std::string_view value) const {
  if (purpose.size() > std::numeric_limits<std::uint32_t>::max()) std::abort();
  Bytes prefix;
  internal::AppendU32Be(prefix, static_cast<std::uint32_t>(purpose.size()));
  const auto as_bytes = [](std::string_view text) {
    return ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  };
  // MessageMac stops the process if OpenSSL cannot compute the HMAC at all: an empty or made-up
  // index would silently make rows unfindable.
  const MessageMac::Tag tag = mac_.Compute({prefix, as_bytes(purpose), as_bytes(value)});
  return Bytes(tag.begin(), tag.begin() + kOutputSize);
}

}  // namespace koseki::crypto
