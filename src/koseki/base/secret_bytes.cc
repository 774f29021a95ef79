#include "koseki/base/secret_bytes.h"

#include <string.h>  // explicit_bzero
#include <sys/mman.h>

#include <cstring>
#include <new>
#include <utility>

namespace koseki {

SecretBytes::SecretBytes(std::size_t size) : size_(size) {
  if (size == 0) return;
  data_ = new std::uint8_t[size]();
  locked_ = ::mlock(data_, size) == 0;
}

SecretBytes SecretBytes::FromBytes(std::span<const std::uint8_t> bytes) {
  SecretBytes secret(bytes.size());
  if (!bytes.empty()) std::memcpy(secret.data_, bytes.data(), bytes.size());
  return secret;
}

SecretBytes SecretBytes::FromString(std::string_view text) {
  return FromBytes({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
}

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      locked_(std::exchange(other.locked_, false)) {}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Release();
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
    locked_ = std::exchange(other.locked_, false);
  }
  return *this;
}

SecretBytes::~SecretBytes() { Release(); }

SecretBytes SecretBytes::Copy() const { return FromBytes(span()); }

bool SecretBytes::Equals(const SecretBytes& other) const {
  return ConstantTimeEquals(span(), other.span());
}

void SecretBytes::Release() {
  if (data_ == nullptr) return;
  WipeBytes({data_, size_});
  if (locked_) ::munlock(data_, size_);
  delete[] data_;
  data_ = nullptr;
  size_ = 0;
  locked_ = false;
}

bool ConstantTimeEquals(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  if (a.size() != b.size()) return false;
  volatile std::uint8_t diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff = diff | (a[i] ^ b[i]);
  return diff == 0;
}

void WipeBytes(std::span<std::uint8_t> bytes) {
  if (!bytes.empty()) ::explicit_bzero(bytes.data(), bytes.size());
}

}  // namespace koseki
