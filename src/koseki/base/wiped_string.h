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
  // Takes `text`, leaving nothing of it in the caller's string.
  explicit WipedString(std::string&& text) noexcept : text_(std::move(text)) { WipeAll(text); }
  WipedString(WipedString&& other) noexcept : WipedString(std::move(other.text_)) {}
  WipedString& operator=(WipedString&& other) noexcept {
    if (this != &other) {
      WipeAll(text_);
      text_ = std::move(other.text_);
      WipeAll(other.text_);
    }
    return *this;
  }
  WipedString(const WipedString&) = delete;
  WipedString& operator=(const WipedString&) = delete;
  ~WipedString() { WipeAll(text_); }

  const std::string& text() const { return text_; }
  std::span<const std::uint8_t> bytes() const {
    return {reinterpret_cast<const std::uint8_t*>(text_.data()), text_.size()};
  }

 private:
  // Zeroes all of `s`'s storage and empties it. All, not just its size: a moved-from string is
  // empty, but a short text (kept in the string object itself, not on the heap) was copied
  // out and its bytes are still there. Growing to the capacity allocates nothing.
  static void WipeAll(std::string& s) noexcept {
    s.resize(s.capacity());
    WipeBytes({reinterpret_cast<std::uint8_t*>(s.data()), s.size()});
    s.clear();
  }

  std::string text_;
};

}  // namespace koseki
