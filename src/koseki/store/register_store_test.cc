#include "koseki/store/register_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <latch>
#include <thread>

#include "koseki/base/testing/matchers.h"
#include "koseki/crypto/aead.h"
#include "koseki/domain/event.h"
#include "koseki/domain/register_json.h"
#include "koseki/domain/testing/example_register.h"
#include "koseki/store/installation.h"
#include "koseki/store/testing/store_test_util.h"

namespace koseki::store {
namespace {

using ::koseki::domain::testing::Day;
using ::koseki::domain::testing::ExampleRegister;
using ::koseki::store::testing::HoldsValue;
using ::koseki::testing::ErrorIdIs;
using ::koseki::testing::ErrorIs;
using ::koseki::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::Property;
using ::testing::SizeIs;

constexpr std::string_view kTenantA = "990001";
constexpr std::string_view kTenantB = "990002";

// 葛 followed by the variation selector VS17 (U+E0100): an ideographic variation sequence.
constexpr std::string_view kKuzuWithIvs = "葛\xF3\xA0\x84\x80";
// 𠮟 (U+20B9F), outside the BMP.
constexpr std::string_view kShikaru = "\xF0\xA0\xAE\x9F";

// A one-person register: 本籍 青葉県みなと市緑町三丁目７番地, 筆頭者 `uji` `mei`.
domain::Register SmallRegister(std::string uji, std::string mei, std::string_view birth_iso) {
  domain::Register r;
  r.honseki = "青葉県みなと市緑町三丁目７番地";
  r.hittosha_uji = uji;
  r.hittosha_mei = mei;
  r.uji = uji;
  r.koseki_jiko = {domain::MakeEvent("戸籍編製", {domain::DateField("編製日", Day("2015-04-01"))})};
  r.persons.push_back(domain::Person{
      .seq = 1,
      .mei = std::move(mei),
      .sex = domain::Sex::kMale,
      .birth_date = Day(birth_iso),
      .father = "架空太郎",
      .mother = "架空花子",
      .zokugara = "長男",
      .mibun_jiko = {domain::MakeEvent("出生", {domain::DateField("出生日", Day(birth_iso)),
                                                domain::TextField("出生地", "青葉県みなと市"),
                                                domain::DateField("届出日", Day(birth_iso)),
                                                domain::TextField("届出人", "父")})}});
  return r;
}

class RegisterStoreTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    auto installation = testing::OpenSqliteInstallation(db_file(), NewMasterKey(), clock_);
    ASSERT_THAT(installation, IsOk());
    installation_ = std::move(installation).value();
    ASSERT_THAT(installation_->CreateTenant(kTenantA, "青葉県みなと市"), IsOk());
    ASSERT_THAT(installation_->CreateTenant(kTenantB, "青葉県やまびこ町"), IsOk());
    store_ = std::make_unique<RegisterStore>(installation_->backend(), *installation_, clock_);
  }

  std::string CreateOrDie(std::string_view tenant, const domain::Register& reg) {
    auto id = store_->Create(tenant, reg);
    EXPECT_THAT(id, IsOk());
    return id ? *id : std::string();
  }

  std::unique_ptr<Installation> installation_;
  std::unique_ptr<RegisterStore> store_;
};

TEST_F(RegisterStoreTest, ACreatedRegisterLoadsBackUnchangedAsVersionOne) {
  const std::string id = CreateOrDie(kTenantA, ExampleRegister());

  auto loaded = store_->Load(kTenantA, id);

  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->register_id, id);
  EXPECT_EQ(loaded->version, 1u);
  EXPECT_EQ(loaded->value, ExampleRegister());
}

TEST_F(RegisterStoreTest, EveryVersionOfTheHistoryStaysReadableAndTheHeadIsTheLast) {
  const domain::Register v1 = ExampleRegister();
  domain::Register v2 = v1;
  v2.persons.pop_back();
  domain::Register v3 = v2;
  v3.status = domain::RegisterStatus::kJoseki;
  const std::string id = CreateOrDie(kTenantA, v1);
  ASSERT_THAT(store_->AppendVersion(kTenantA, id, 1, v2), HoldsValue(2u));
  ASSERT_THAT(store_->AppendVersion(kTenantA, id, 2, v3), HoldsValue(3u));

  EXPECT_THAT(store_->Load(kTenantA, id, 1), HoldsValue(Field(&StoredRegister::value, v1)));
  EXPECT_THAT(store_->Load(kTenantA, id, 2), HoldsValue(Field(&StoredRegister::value, v2)));
  EXPECT_THAT(store_->Load(kTenantA, id, 3), HoldsValue(Field(&StoredRegister::value, v3)));
  auto head = store_->Load(kTenantA, id);
  ASSERT_THAT(head, IsOk());
  EXPECT_EQ(head->version, 3u);
  EXPECT_EQ(head->value, v3);
  EXPECT_THAT(store_->ListVersions(kTenantA, id), HoldsValue(SizeIs(3)));
}

TEST_F(RegisterStoreTest, AVersionPreparedBeforeItsTransactionIsWrittenAndFoundAsItself) {
  const domain::Register v1 = ExampleRegister();
  domain::Register v2 = v1;
  v2.persons.pop_back();
  const std::string id = CreateOrDie(kTenantA, v1);
  auto prepared = store_->Prepare(kTenantA, id, 1, v2);
  ASSERT_THAT(prepared, IsOk());

  ASSERT_THAT(store_->AppendVersion(*prepared), HoldsValue(2u));

  EXPECT_THAT(store_->Load(kTenantA, id), HoldsValue(Field(&StoredRegister::value, v2)));
  // Indexed under the new version's keys: found by 本籍 and 筆頭者 as the register itself.
  EXPECT_THAT(store_->FindByHonsekiAndHittosha(kTenantA, v2.honseki, v2.HittoshaFullName()),
              HoldsValue(std::vector<std::string>{id}));
}

TEST_F(RegisterStoreTest, AVersionPreparedOnItsBaseWritesOnlyTheLookupKeysItAdds) {
  const domain::Register v1 = SmallRegister("架空", "一郎", "1990-04-01");
  const std::string id = CreateOrDie(kTenantA, v1);
  const auto index_rows = [&] {
    return testing::RawQueryInt(db_file(), "SELECT count(*) FROM register_index");
  };
  const std::int64_t rows_of_v1 = index_rows();  // 本籍+筆頭者, and 一郎's name and birth
  ASSERT_EQ(rows_of_v1, 2);
  // A change to no key (the father's name corrected): nothing is written to the index.
  domain::Register v2 = v1;
  v2.persons[0].father = "架空次郎";
  EXPECT_THAT(store_->Prepare(kTenantA, id, 1, v2),
              HoldsValue(Property(&PreparedRegister::index_writes, 2u)));
  auto prepared = store_->Prepare(kTenantA, id, 1, v2, &v1);
  ASSERT_THAT(prepared, IsOk());
  EXPECT_EQ(prepared->index_writes(), 0u);
  ASSERT_THAT(store_->AppendVersion(*prepared), HoldsValue(2u));
  EXPECT_EQ(index_rows(), rows_of_v1);
  // A birth adds the child's key, and only that one.
  domain::Register v3 = v2;
  v3.persons.push_back(domain::Person{
      .seq = 2,
      .mei = "二郎",
      .sex = domain::Sex::kMale,
      .birth_date = Day("2020-06-01"),
      .father = "架空一郎",
      .zokugara = "長男",
      .mibun_jiko = {domain::MakeEvent("出生", {domain::DateField("出生日", Day("2020-06-01")),
                                                domain::TextField("出生地", "青葉県みなと市"),
                                                domain::DateField("届出日", Day("2020-06-05")),
                                                domain::TextField("届出人", "父")})}});
  prepared = store_->Prepare(kTenantA, id, 2, v3, &v2);
  ASSERT_THAT(prepared, IsOk());
  EXPECT_EQ(prepared->index_writes(), 1u);
  ASSERT_THAT(store_->AppendVersion(*prepared), HoldsValue(3u));
  EXPECT_EQ(index_rows(), rows_of_v1 + 1);
  // Every key of the head still finds the register, the old ones included.
  EXPECT_THAT(store_->FindByHonsekiAndHittosha(kTenantA, v3.honseki, v3.HittoshaFullName()),
              HoldsValue(std::vector<std::string>{id}));
  EXPECT_THAT(store_->FindByNameAndBirthDate(kTenantA, "架空一郎", "1990-04-01"),
              HoldsValue(std::vector<std::string>{id}));
  EXPECT_THAT(store_->FindByNameAndBirthDate(kTenantA, "架空二郎", "2020-06-01"),
              HoldsValue(std::vector<std::string>{id}));
}

TEST_F(RegisterStoreTest, AnInvalidVersionIsRefusedWhenPrepared) {
  const std::string id = CreateOrDie(kTenantA, ExampleRegister());
  domain::Register invalid = ExampleRegister();
  invalid.honseki.clear();
  EXPECT_THAT(store_->Prepare(kTenantA, id, 1, invalid), ErrorIs(ErrorCode::kInvalidArgument));
}

TEST_F(RegisterStoreTest, APreparedVersionTakingAnotherRegistersPairIsRefused) {
  CreateOrDie(kTenantA, ExampleRegister());
  const std::string other = CreateOrDie(kTenantA, SmallRegister("山川", "健一", "1955-05-10"));
  domain::Register moved = SmallRegister("山川", "健一", "1955-05-10");
  moved.honseki = ExampleRegister().honseki;
  auto prepared = store_->Prepare(kTenantA, other, 1, moved);
  ASSERT_THAT(prepared, IsOk());

  EXPECT_THAT(store_->AppendVersion(*prepared), ErrorIdIs("KSK-STORE-029"));
  EXPECT_THAT(store_->ListVersions(kTenantA, other), HoldsValue(SizeIs(1)));
}

// A version prepared (sealed) for the version after 1 cannot be written once another writer
// has appended version 2: Aborted, and the other writer's version stays the head.
TEST_F(RegisterStoreTest, AVersionPreparedBeforeAnotherWriterAppendedIsAborted) {
  const domain::Register v1 = ExampleRegister();
  domain::Register mine = v1;
  mine.persons.pop_back();
  const std::string id = CreateOrDie(kTenantA, v1);
  auto prepared = store_->Prepare(kTenantA, id, 1, mine);
  ASSERT_THAT(prepared, IsOk());
  ASSERT_THAT(store_->AppendVersion(kTenantA, id, 1, v1), HoldsValue(2u));

  EXPECT_THAT(store_->AppendVersion(*prepared), ErrorIdIs("KSK-STORE-010"));
  EXPECT_THAT(store_->Load(kTenantA, id), HoldsValue(Field(&StoredRegister::value, v1)));
  EXPECT_THAT(store_->ListVersions(kTenantA, id), HoldsValue(SizeIs(2)));
}

TEST_F(RegisterStoreTest, AStaleExpectedVersionIsAbortedAndNothingIsWritten) {
  const domain::Register v1 = ExampleRegister();
  domain::Register clerk1 = v1;
  clerk1.persons.pop_back();
  domain::Register clerk2 = v1;
  clerk2.status = domain::RegisterStatus::kJoseki;
  const std::string id = CreateOrDie(kTenantA, v1);
  ASSERT_THAT(store_->AppendVersion(kTenantA, id, 1, clerk1), IsOk());

  auto stale = store_->AppendVersion(kTenantA, id, 1, clerk2);

  EXPECT_THAT(stale, ErrorIs(ErrorCode::kAborted));
  EXPECT_THAT(stale, ErrorIdIs("KSK-STORE-010"));
  EXPECT_THAT(store_->ListVersions(kTenantA, id), HoldsValue(SizeIs(2)));
  EXPECT_THAT(store_->Load(kTenantA, id), HoldsValue(Field(&StoredRegister::value, clerk1)));
}

TEST_F(RegisterStoreTest, AnInvalidRegisterIsRefusedAndNothingIsWritten) {
  domain::Register invalid = ExampleRegister();
  invalid.honseki.clear();

  EXPECT_THAT(store_->Create(kTenantA, invalid), ErrorIs(ErrorCode::kInvalidArgument));
  EXPECT_EQ(testing::RawQueryInt(db_file(), "SELECT count(*) FROM registers"), 0);
}

TEST_F(RegisterStoreTest, ACiphertextCopiedIntoAnotherRegisterFailsToLoadWithDataLoss) {
  const std::string a = CreateOrDie(kTenantA, ExampleRegister());
  const std::string b = CreateOrDie(kTenantA, SmallRegister("架空", "一郎", "1990-04-01"));
  const testing::RawResult copied = testing::RawExec(
      db_file(), "INSERT INTO register_versions SELECT tenant_code, '" + b +
                     "', 2, ciphertext, created_at FROM register_versions WHERE register_id = '" +
                     a + "'; UPDATE registers SET head_version = 2 WHERE register_id = '" + b +
                     "';");
  ASSERT_EQ(copied.rc, SQLITE_OK) << copied.message;

  auto loaded = store_->Load(kTenantA, b);

  EXPECT_THAT(loaded, ErrorIs(ErrorCode::kDataLoss));
  EXPECT_THAT(loaded, ErrorIdIs("KSK-STORE-016"));
  EXPECT_THAT(store_->Load(kTenantA, b, 1), IsOk());
}

TEST_F(RegisterStoreTest, ARegisterOfOneTenantCannotBeLoadedOrFoundAsAnother) {
  const std::string id = CreateOrDie(kTenantA, ExampleRegister());

  EXPECT_THAT(store_->Load(kTenantB, id), ErrorIs(ErrorCode::kNotFound));
  EXPECT_THAT(store_->Load(kTenantB, id, 1), ErrorIs(ErrorCode::kNotFound));
  EXPECT_THAT(store_->ListVersions(kTenantB, id), ErrorIs(ErrorCode::kNotFound));
  EXPECT_THAT(store_->AppendVersion(kTenantB, id, 1, ExampleRegister()),
              ErrorIs(ErrorCode::kNotFound));
  EXPECT_THAT(
      store_->FindByHonsekiAndHittosha(kTenantB, "青葉県みなと市桜町二丁目１５番地", "山川健一"),
      HoldsValue(IsEmpty()));
  EXPECT_THAT(store_->FindByNameAndBirthDate(kTenantB, "山川美咲", "1958-01-25"),
              HoldsValue(IsEmpty()));
}

TEST_F(RegisterStoreTest, AnUnknownTenantIsRefused) {
  EXPECT_THAT(store_->Create("990099", ExampleRegister()), ErrorIdIs("KSK-STORE-013"));
  EXPECT_THAT(store_->FindByNameAndBirthDate("990099", "山川美咲", "1958-01-25"),
              ErrorIs(ErrorCode::kNotFound));
}

TEST_F(RegisterStoreTest, FindsARegisterByHonsekiAndHittoshaWrittenWithASpace) {
  const std::string id = CreateOrDie(kTenantA, ExampleRegister());
  CreateOrDie(kTenantA, SmallRegister("架空", "一郎", "1990-04-01"));

  EXPECT_THAT(
      store_->FindByHonsekiAndHittosha(kTenantA, "青葉県みなと市桜町二丁目１５番地", "山川　健一"),
      HoldsValue(ElementsAre(id)));
  EXPECT_THAT(
      store_->FindByHonsekiAndHittosha(kTenantA, "青葉県みなと市桜町二丁目１６番地", "山川健一"),
      HoldsValue(IsEmpty()));
}

TEST_F(RegisterStoreTest, FindsARegisterByTheNameAndBirthDateOfAnyPerson) {
  const std::string id = CreateOrDie(kTenantA, ExampleRegister());

  EXPECT_THAT(store_->FindByNameAndBirthDate(kTenantA, "山川美咲", "1958-01-25"),
              HoldsValue(ElementsAre(id)));
  EXPECT_THAT(store_->FindByNameAndBirthDate(kTenantA, "山川 拓也", "1987-12-01"),
              HoldsValue(ElementsAre(id)));
  EXPECT_THAT(store_->FindByNameAndBirthDate(kTenantA, "山川美咲", "1958-01-26"),
              HoldsValue(IsEmpty()));
}

TEST_F(RegisterStoreTest, FindsANameWithAVariationSequenceWithOrWithoutTheSelector) {
  const std::string uji = std::string(kKuzuWithIvs) + "城";
  const std::string id = CreateOrDie(kTenantA, SmallRegister(uji, "一郎", "1990-04-01"));

  EXPECT_THAT(store_->FindByNameAndBirthDate(kTenantA, uji + "一郎", "1990-04-01"),
              HoldsValue(ElementsAre(id)));
  EXPECT_THAT(store_->FindByNameAndBirthDate(kTenantA, "葛城一郎", "1990-04-01"),
              HoldsValue(ElementsAre(id)));
  EXPECT_THAT(
      store_->FindByHonsekiAndHittosha(kTenantA, "青葉県みなと市緑町三丁目７番地", "葛城　一郎"),
      HoldsValue(ElementsAre(id)));
  auto loaded = store_->Load(kTenantA, id);
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ(loaded->value.uji, uji);  // stored byte for byte, selector kept
}

TEST_F(RegisterStoreTest, FindsANameWithASupplementaryPlaneKanji) {
  const std::string mei = std::string(kShikaru) + "郎";
  const std::string id = CreateOrDie(kTenantA, SmallRegister("架空", mei, "2000-02-29"));
  CreateOrDie(kTenantA, SmallRegister("架空", "叱郎", "2000-02-29"));

  EXPECT_THAT(store_->FindByNameAndBirthDate(kTenantA, "架空" + mei, "2000-02-29"),
              HoldsValue(ElementsAre(id)));
}

TEST_F(RegisterStoreTest, OldVersionsIndexRowsNoLongerFindTheRegister) {
  const domain::Register v1 = ExampleRegister();
  domain::Register v2 = v1;
  v2.honseki = "青葉県みなと市港町一丁目３番地";
  const std::string id = CreateOrDie(kTenantA, v1);
  ASSERT_THAT(store_->AppendVersion(kTenantA, id, 1, v2), IsOk());

  EXPECT_THAT(store_->FindByHonsekiAndHittosha(kTenantA, v1.honseki, "山川健一"),
              HoldsValue(IsEmpty()));
  EXPECT_THAT(store_->FindByHonsekiAndHittosha(kTenantA, v2.honseki, "山川健一"),
              HoldsValue(ElementsAre(id)));
}

TEST_F(RegisterStoreTest, AMalformedBirthDateIsInvalidArgument) {
  EXPECT_THAT(store_->FindByNameAndBirthDate(kTenantA, "山川美咲", "昭和33年1月25日"),
              ErrorIs(ErrorCode::kInvalidArgument));
}

TEST_F(RegisterStoreTest, CreateManyStoresAllRegistersOrNone) {
  domain::Register invalid = SmallRegister("架空", "三郎", "1992-06-01");
  invalid.persons.front().seq = 0;
  const std::vector<domain::Register> bad_batch = {
      ExampleRegister(), SmallRegister("架空", "一郎", "1990-04-01"), invalid};

  auto failed = store_->CreateMany(kTenantA, bad_batch);

  EXPECT_THAT(failed, ErrorIs(ErrorCode::kInvalidArgument));
  EXPECT_THAT(failed.error().internal_detail, ::testing::StartsWith("registers[2]"));
  EXPECT_EQ(testing::RawQueryInt(db_file(), "SELECT count(*) FROM registers"), 0);
  EXPECT_EQ(testing::RawQueryInt(db_file(), "SELECT count(*) FROM register_index"), 0);

  const std::vector<domain::Register> good_batch = {ExampleRegister(),
                                                    SmallRegister("架空", "一郎", "1990-04-01")};
  auto ids = store_->CreateMany(kTenantA, good_batch);
  ASSERT_THAT(ids, HoldsValue(SizeIs(2)));
  EXPECT_THAT(store_->Load(kTenantA, (*ids)[1]),
              HoldsValue(Field(&StoredRegister::value, good_batch[1])));
}

TEST_F(RegisterStoreTest, WithTransactionRollsBackEveryChangeWhenOneConflicts) {
  const std::string a = CreateOrDie(kTenantA, ExampleRegister());
  const std::string b = CreateOrDie(kTenantA, SmallRegister("架空", "一郎", "1990-04-01"));
  domain::Register a2 = ExampleRegister();
  a2.status = domain::RegisterStatus::kJoseki;

  auto result = store_->WithTransaction([&]() -> Result<void> {
    KOSEKI_RETURN_IF_ERROR(store_->AppendVersion(kTenantA, a, 1, a2));
    return store_->AppendVersion(kTenantA, b, 7, SmallRegister("架空", "一郎", "1990-04-01"))
                   .has_value()
               ? Ok()
               : MakeError(ErrorCode::kAborted, "KSK-STORE-010", "conflict");
  });

  EXPECT_THAT(result, ErrorIs(ErrorCode::kAborted));
  EXPECT_THAT(store_->ListVersions(kTenantA, a), HoldsValue(SizeIs(1)));
}

TEST_F(RegisterStoreTest, TheDatabaseFilesHoldNoNameOrHonsekiAsBytes) {
  const std::string id = CreateOrDie(kTenantA, ExampleRegister());
  domain::Register v2 = ExampleRegister();
  v2.status = domain::RegisterStatus::kJoseki;
  ASSERT_THAT(store_->AppendVersion(kTenantA, id, 1, v2), IsOk());
  CreateOrDie(kTenantA, SmallRegister(std::string(kKuzuWithIvs) + "城",
                                      std::string(kShikaru) + "郎", "1990-04-01"));
  ASSERT_THAT(store_->FindByNameAndBirthDate(kTenantA, "山川美咲", "1958-01-25"), IsOk());

  // Needles of 6 bytes or more, so that random ciphertext cannot contain one by chance.
  const std::string ivs_name = std::string(kKuzuWithIvs) + "城";
  const std::string shikaru_name = std::string(kShikaru) + "郎";
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const std::filesystem::path file = db_file().string() + suffix;
    for (const std::string_view needle :
         {std::string_view("山川"), std::string_view("健一"), std::string_view("美咲"),
          std::string_view("川村"), std::string_view("桜町"), std::string_view("港町"),
          std::string_view("緑町"), std::string_view("1955-05-10"), std::string_view("1990-04-01"),
          std::string_view(ivs_name), std::string_view(shikaru_name), std::string_view("架空"),
          std::string_view("長男"), std::string_view("出生")}) {
      EXPECT_FALSE(testing::FileContains(file, needle)) << file << " " << needle.size();
    }
  }
  EXPECT_TRUE(testing::FileContains(db_file().string() + "-wal", id));
}

// ---- (本籍, 筆頭者) identifies one register ---------------------------------------------------

TEST_F(RegisterStoreTest, ASecondRegisterWithTheSameHonsekiAndHittoshaIsRefusedAndWritesNothing) {
  const std::string id = CreateOrDie(kTenantA, ExampleRegister());
  domain::Register same_pair = SmallRegister("山川", "健一", "1955-05-10");
  same_pair.honseki = ExampleRegister().honseki;

  const auto duplicate = store_->Create(kTenantA, same_pair);

  EXPECT_THAT(duplicate, ErrorIs(ErrorCode::kAlreadyExists));
  EXPECT_THAT(duplicate, ErrorIdIs("KSK-STORE-029"));
  EXPECT_EQ(testing::RawQueryInt(db_file(), "SELECT count(*) FROM registers"), 1);
  EXPECT_THAT(store_->FindByHonsekiAndHittosha(kTenantA, same_pair.honseki, "山川健一"),
              HoldsValue(ElementsAre(id)));
  EXPECT_THAT(store_->Create(kTenantB, same_pair), IsOk());  // another municipality's register
}

// `koseki import` of a register that is already stored: the whole batch is refused.
TEST_F(RegisterStoreTest, CreateManyWithAnAlreadyStoredRegisterWritesNothing) {
  CreateOrDie(kTenantA, ExampleRegister());
  const std::vector<domain::Register> batch = {SmallRegister("架空", "一郎", "1990-04-01"),
                                               ExampleRegister()};

  const auto imported = store_->CreateMany(kTenantA, batch);

  EXPECT_THAT(imported, ErrorIdIs("KSK-STORE-029"));
  EXPECT_THAT(imported.error().internal_detail, ::testing::StartsWith("registers[1]"));
  EXPECT_EQ(testing::RawQueryInt(db_file(), "SELECT count(*) FROM registers"), 1);
}

// `koseki gen` and bulk loads: two registers of one pair in the same transaction.
TEST_F(RegisterStoreTest, CreateManyWithTheSamePairTwiceInOneBatchWritesNothing) {
  domain::Register again = SmallRegister("架空", "一郎", "1990-04-01");
  again.persons.front().father = "架空次郎";  // another person, the same pair
  const std::vector<domain::Register> batch = {SmallRegister("架空", "一郎", "1990-04-01"),
                                               SmallRegister("架空", "二郎", "1992-04-01"), again};

  EXPECT_THAT(store_->CreateMany(kTenantA, batch), ErrorIdIs("KSK-STORE-029"));
  EXPECT_EQ(testing::RawQueryInt(db_file(), "SELECT count(*) FROM registers"), 0);
}

TEST_F(RegisterStoreTest, AVersionTakingAnotherRegistersPairIsRefused) {
  CreateOrDie(kTenantA, ExampleRegister());
  const std::string other = CreateOrDie(kTenantA, SmallRegister("山川", "健一", "1955-05-10"));
  domain::Register moved = SmallRegister("山川", "健一", "1955-05-10");
  moved.honseki = ExampleRegister().honseki;  // 転籍 onto the example register's 本籍

  const auto appended = store_->AppendVersion(kTenantA, other, 1, moved);

  EXPECT_THAT(appended, ErrorIdIs("KSK-STORE-029"));
  EXPECT_THAT(store_->ListVersions(kTenantA, other), HoldsValue(SizeIs(1)));
}

// Index rows of old versions stay, but only heads hold a pair: a register that moved away
// frees its old 本籍 for another register, and keeps its own pair when versioned again.
TEST_F(RegisterStoreTest, ARegisterWhoseHonsekiChangedNoLongerHoldsItsOldPair) {
  const domain::Register before = ExampleRegister();
  domain::Register after = before;
  after.honseki = "青葉県みなと市港町一丁目３番地";
  const std::string moved = CreateOrDie(kTenantA, before);
  ASSERT_THAT(store_->AppendVersion(kTenantA, moved, 1, after), HoldsValue(2u));
  domain::Register after_again = after;
  after_again.status = domain::RegisterStatus::kJoseki;
  ASSERT_THAT(store_->AppendVersion(kTenantA, moved, 2, after_again), HoldsValue(3u));

  const std::string newcomer = CreateOrDie(kTenantA, before);

  EXPECT_THAT(store_->FindByHonsekiAndHittosha(kTenantA, before.honseki, "山川健一"),
              HoldsValue(ElementsAre(newcomer)));
  EXPECT_THAT(store_->FindByHonsekiAndHittosha(kTenantA, after.honseki, "山川健一"),
              HoldsValue(ElementsAre(moved)));
  EXPECT_THAT(store_->AppendVersion(kTenantA, newcomer, 1, after), ErrorIdIs("KSK-STORE-029"));
}

TEST_F(RegisterStoreTest, OfTwoConcurrentCreatesOfOnePairExactlyOneSucceeds) {
  std::latch start(2);
  Result<std::string> first = std::string();
  Result<std::string> second = std::string();
  const auto create = [&](Result<std::string>& out) {
    start.arrive_and_wait();
    out = store_->Create(kTenantA, ExampleRegister());
  };

  std::thread a([&] { create(first); });
  std::thread b([&] { create(second); });
  a.join();
  b.join();

  EXPECT_NE(first.has_value(), second.has_value());
  const Result<std::string>& refused = first ? second : first;
  EXPECT_THAT(refused, ErrorIdIs("KSK-STORE-029"));
  EXPECT_EQ(testing::RawQueryInt(db_file(), "SELECT count(*) FROM registers"), 1);
  EXPECT_THAT(store_->FindByHonsekiAndHittosha(kTenantA, ExampleRegister().honseki, "山川健一"),
              HoldsValue(SizeIs(1)));
}

// A database written before the check existed may hold two current registers of one pair; a
// lookup must say so rather than pick one (a certificate of the wrong family).
TEST_F(RegisterStoreTest, ALookupFindingTwoCurrentRegistersIsAnErrorNotTheFirst) {
  CreateOrDie(kTenantA, ExampleRegister());
  // The second one written through the raw backend, bypassing RegisterStore's check.
  const std::string twin = "00112233445566778899aabbccddeeff";
  const std::string json = domain::ToJson(ExampleRegister()).dump();
  auto cipher = installation_->ForTenant(kTenantA);
  ASSERT_THAT(cipher, IsOk());
  auto ciphertext =
      (*cipher)->aead().Encrypt({reinterpret_cast<const std::uint8_t*>(json.data()), json.size()},
                                crypto::MakeAssociatedData(kTenantA, "register_versions", twin, 1));
  ASSERT_THAT(ciphertext, IsOk());
  std::vector<IndexEntry> entries;
  for (const auto& key : RegisterStore::LookupKeysOf(ExampleRegister())) {
    entries.push_back(IndexEntry{key.purpose, (*cipher)->BlindIndex(key.purpose, key.value)});
  }
  Backend& raw = installation_->backend();
  ASSERT_THAT(raw.InsertRegister(kTenantA, twin, 0), IsOk());
  ASSERT_THAT(raw.InsertVersion(kTenantA, twin, 0, *ciphertext, 0), IsOk());
  ASSERT_THAT(raw.InsertIndexEntries(kTenantA, twin, entries), IsOk());

  const auto found =
      store_->FindByHonsekiAndHittosha(kTenantA, ExampleRegister().honseki, "山川健一");

  EXPECT_THAT(found, ErrorIs(ErrorCode::kDataLoss));
  EXPECT_THAT(found, ErrorIdIs("KSK-STORE-030"));
  EXPECT_THAT(store_->FindByNameAndBirthDate(kTenantA, "山川美咲", "1958-01-25"),
              HoldsValue(SizeIs(2)));  // a person may appear in several registers
}

}  // namespace
}  // namespace koseki::store
