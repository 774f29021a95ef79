// SecretBytes: key material held in locked memory and wiped when freed.
//
// Move-only; never copied implicitly (Copy() is explicit). The buffer is mlock()ed so that it
// is not written to swap (best effort: a failing mlock, e.g. over RLIMIT_MEMLOCK, is tolerated
// and reported by IsLocked()). There is deliberately no operator<< or formatter, so a key cannot
// end up in a log line by accident. Not thread-safe; like any value, share it by const&.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace koseki {

class SecretBytes {
 public:
  SecretBytes() = default;
  // Allocates `size` zero bytes.
  explicit SecretBytes(std::size_t size);
  // Copies `bytes` into locked memory. The caller wipes its own copy.
  static SecretBytes FromBytes(std::span<const std::uint8_t> bytes);
  static SecretBytes FromString(std::string_view text);

  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes();

  // Returns an independent copy in its own locked buffer.
  SecretBytes Copy() const;

  std::uint8_t* data() { return data_; }
  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  std::span<const std::uint8_t> span() const { return {data_, size_}; }
  std::span<std::uint8_t> mutable_span() { return {data_, size_}; }
  bool IsLocked() const { return locked_; }

  // Compares in time independent of the contents (sizes are not secret).
  bool Equals(const SecretBytes& other) const;

 private:
  void Release();

  std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
  bool locked_ = false;
};

// Compares two byte ranges in time independent of their contents.
bool ConstantTimeEquals(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

// Overwrites `bytes` with zeros in a way the optimizer cannot remove.
void WipeBytes(std::span<std::uint8_t> bytes);

}  // namespace koseki
