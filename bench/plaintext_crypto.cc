#include "bench/plaintext_crypto.h"

#include <utility>

namespace koseki::bench {
namespace {

class PlaintextTenantCipher final : public store::TenantCipher {
 public:
  explicit PlaintextTenantCipher(crypto::BlindIndexer indexer) : indexer_(std::move(indexer)) {}
  const crypto::Aead& aead() const override { return aead_; }
  crypto::Bytes BlindIndex(std::string_view purpose, std::string_view value) const override {
    return indexer_.Compute(purpose, value);
  }

 private:
  IdentityAead aead_;
  crypto::BlindIndexer indexer_;
};

}  // namespace

Result<crypto::Bytes> IdentityAead::Encrypt(crypto::ByteView plaintext,
                                            crypto::ByteView /*associated_data*/) const {
  return crypto::Bytes(plaintext.begin(), plaintext.end());
}

Result<crypto::Bytes> IdentityAead::Decrypt(crypto::ByteView ciphertext,
                                            crypto::ByteView /*associated_data*/) const {
  return crypto::Bytes(ciphertext.begin(), ciphertext.end());
}

Result<std::unique_ptr<PlaintextTenantCrypto>> PlaintextTenantCrypto::Create() {
  KOSEKI_ASSIGN_OR_RETURN(SecretBytes key, crypto::RandomSecret(crypto::BlindIndexer::kKeySize));
  KOSEKI_ASSIGN_OR_RETURN(crypto::BlindIndexer indexer,
                          crypto::BlindIndexer::Create(std::move(key)));
  return std::unique_ptr<PlaintextTenantCrypto>(
      new PlaintextTenantCrypto(std::make_shared<PlaintextTenantCipher>(std::move(indexer))));
}

Result<std::shared_ptr<const store::TenantCipher>> PlaintextTenantCrypto::ForTenant(
    std::string_view /*tenant_code*/) {
  return cipher_;
}

}  // namespace koseki::bench
