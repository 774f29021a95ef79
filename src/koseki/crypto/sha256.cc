#include "koseki/crypto/sha256.h"

#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>

#include "koseki/crypto/internal/openssl_handles.h"

namespace koseki::crypto {
namespace {

using internal::MdCtxPtr;

[[noreturn]] void Die(const char* what) {
  std::fputs("koseki crypto: SHA-256 unavailable: ", stderr);
  std::fputs(what, stderr);
  std::fputs("\n", stderr);
  std::abort();
}

const EVP_MD* FetchedSha256() {
  // Fetched once and kept for the life of the process (never freed on purpose: freeing it from
  // a static destructor could run after OpenSSL's own atexit cleanup).
  static const EVP_MD* const md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (fetched == nullptr) Die("EVP_MD_fetch");
    return fetched;
  }();
  return md;
}

EVP_MD_CTX* ThreadContext() {
  thread_local MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) Die("EVP_MD_CTX_new");
  return ctx.get();
}

}  // namespace

Sha256Digest Sha256(std::initializer_list<std::span<const std::uint8_t>> parts) {
  EVP_MD_CTX* ctx = ThreadContext();
  if (EVP_DigestInit_ex2(ctx, FetchedSha256(), nullptr) != 1) Die("EVP_DigestInit_ex2");
  for (const auto& part : parts) {
    if (!part.empty() && EVP_DigestUpdate(ctx, part.data(), part.size()) != 1) {
      Die("EVP_DigestUpdate");
    }
  }
  Sha256Digest out{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(ctx, out.data(), &length) != 1 || length != out.size()) {
    Die("EVP_DigestFinal_ex");
  }
  return out;
}

}  // namespace koseki::crypto
