// WipedString: text that may hold personal data (a serialized register, say), overwritten with
// zeros when it is destroyed or replaced, so that no copy of it lingers in freed memory.
//
// Move-only; a move leaves nothing of the text in the source. Unlike SecretBytes the memory is not
// locked: personal data is too large and too plentiful for RLIMIT_MEMLOCK, and the database file
// holds it only as ciphertext anyway.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <utility>

#include "koseki/base/secret_bytes.h"

namespace koseki {

class WipedString {
 public:
  WipedString() = default;
  explicit WipedString(std::string text) : text_(std::move(text)) {}
  WipedString(WipedString&& other) noexcept : text_(std::move(other.text_)) { other.WipeMoved(); }
  WipedString& operator=(WipedString&& other) noexcept {
    if (this != &other) {
      Wipe();
      text_ = std::move(other.text_);
      other.WipeMoved();
    }
    return *this;
  }
  WipedString(const WipedString&) = delete;
  WipedString& operator=(const WipedString&) = delete;
  ~WipedString() { Wipe(); }

  const std::string& text() const { return text_; }
  std::span<const std::uint8_t> bytes() const {
    return {reinterpret_cast<const std::uint8_t*>(text_.data()), text_.size()};
  }

 private:
  void Wipe() { WipeBytes({reinterpret_cast<std::uint8_t*>(text_.data()), text_.size()}); }
  // A moved-from std::string is empty, but a short text (kept in the string object itself,
  // not on the heap) was copied out, and its bytes are still there: wipe all the storage.
  // Growing to the capacity allocates nothing.
  void WipeMoved() noexcept {
    text_.resize(text_.capacity());
    Wipe();
    text_.clear();
  }

  std::string text_;
};

}  // namespace koseki
