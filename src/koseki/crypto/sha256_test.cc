// Known answers for SHA-256 from FIPS 180-2 Appendix B ("abc", the two-block message and one
// million 'a') and the hash of the empty string.
#include "koseki/crypto/sha256.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "koseki/crypto/testing/test_util.h"

namespace koseki::crypto {
namespace {

using ::koseki::crypto::testing::FromHex;
using ::koseki::crypto::testing::ToBytes;
using ::testing::ElementsAreArray;

TEST(Sha256Test, HashesAbcToTheFipsVector) {
  EXPECT_THAT(Sha256({ToBytes("abc")}),
              ElementsAreArray(
                  FromHex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")));
}

TEST(Sha256Test, HashesTheTwoBlockMessageToTheFipsVector) {
  EXPECT_THAT(Sha256({ToBytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")}),
              ElementsAreArray(
                  FromHex("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")));
}

TEST(Sha256Test, HashesOneMillionAsToTheFipsVector) {
  const Bytes million(1'000'000, 'a');
  EXPECT_THAT(Sha256({million}),
              ElementsAreArray(
                  FromHex("cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")));
}

TEST(Sha256Test, HashesNoPartsAndEmptyPartsAsTheEmptyString) {
  const Bytes expected =
      FromHex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_THAT(Sha256({}), ElementsAreArray(expected));
  EXPECT_THAT(Sha256({Bytes{}, Bytes{}}), ElementsAreArray(expected));
}

TEST(Sha256Test, HashesPartsAsTheirConcatenation) {
  EXPECT_EQ(Sha256({ToBytes("a"), Bytes{}, ToBytes("bc")}), Sha256({ToBytes("abc")}));
}

TEST(Sha256Test, GivesTheSameDigestOnEveryThread) {
  const Sha256Digest expected = Sha256({ToBytes("abc")});
  std::vector<Sha256Digest> digests(4);
  std::vector<std::thread> threads;
  for (auto& digest : digests) {
    threads.emplace_back([&digest] {
      for (int i = 0; i < 1000; ++i) digest = Sha256({ToBytes("abc")});
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& digest : digests) EXPECT_EQ(digest, expected);
}

}  // namespace
}  // namespace koseki::crypto
