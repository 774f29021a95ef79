#include "koseki/synth/generator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "koseki/base/testing/matchers.h"
#include "koseki/domain/register_json.h"
#include "koseki/domain/validation.h"
#include "koseki/domain/zokugara.h"
#include "koseki/synth/pools.h"
#include "koseki/text/name.h"
#include "koseki/text/printable_sequences.h"

namespace koseki::synth {
namespace {

using domain::Event;
using domain::Person;
using domain::Register;
using domain::RegisterStatus;
using std::chrono::sys_days;
using std::chrono::year_month_day;
using testing::IsOk;

constexpr std::uint64_t kSeed = 20261126;

year_month_day Ymd(int y, unsigned m, unsigned d) {
  return year_month_day{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
}

Generator DefaultGenerator() { return *Generator::Create(GeneratorOptions{}); }

std::vector<Register> Make(const Generator& g, std::uint64_t seed, std::size_t n) {
  Result<std::vector<Register>> r = g.GenerateAll(seed, n);
  EXPECT_THAT(r, IsOk());
  return r ? *r : std::vector<Register>{};
}

std::vector<std::string> Dumps(const std::vector<Register>& regs) {
  std::vector<std::string> out;
  for (const Register& r : regs) out.push_back(domain::ToJson(r).dump());
  return out;
}

const Event* FindEvent(const Person& p, std::string_view kind) {
  for (const Event& e : p.mibun_jiko) {
    if (e.kind == kind) return &e;
  }
  return nullptr;
}

bool HasKosekiJiko(const Register& r, std::string_view kind) {
  for (const Event& e : r.koseki_jiko) {
    if (e.kind == kind) return true;
  }
  return false;
}

// Calls `f(date)` for every date in the register.
template <typename F>
void ForEachDate(const Register& r, F f) {
  auto fields = [&f](const Event& e) {
    for (const domain::Field& field : e.fields) {
      if (const auto* d = std::get_if<text::JapaneseDate>(&field.value)) f(*d);
    }
  };
  for (const Event& e : r.koseki_jiko) fields(e);
  for (const Person& p : r.persons) {
    f(p.birth_date);
    for (const Event& e : p.mibun_jiko) fields(e);
  }
}

sys_days DayOf(const text::JapaneseDate& d) { return sys_days{*d.day()}; }

// Children are the persons who are neither 筆頭者 nor spouse (this generator adds no others).
bool IsChild(const Person& p) { return p.seq > 2; }

class GeneratedThousand : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    regs_ = new std::vector<Register>(Make(DefaultGenerator(), kSeed, 1000));
  }
  static void TearDownTestSuite() {
    delete regs_;
    regs_ = nullptr;
  }
  static const std::vector<Register>& regs() { return *regs_; }

 private:
  static std::vector<Register>* regs_;
};
std::vector<Register>* GeneratedThousand::regs_ = nullptr;

TEST(GeneratorTest, SameSeedGivesIdenticalRegisters) {
  const Generator g = DefaultGenerator();
  EXPECT_EQ(Dumps(Make(g, kSeed, 200)), Dumps(Make(g, kSeed, 200)));
}

TEST(GeneratorTest, DifferentSeedGivesDifferentRegisters) {
  const Generator g = DefaultGenerator();
  const std::vector<std::string> a = Dumps(Make(g, 1, 50));
  const std::vector<std::string> b = Dumps(Make(g, 2, 50));
  int same = 0;
  for (std::size_t i = 0; i < a.size(); ++i) same += a[i] == b[i] ? 1 : 0;
  EXPECT_EQ(same, 0);
}

TEST(GeneratorTest, FirstRegistersDoNotDependOnTheCountRequested) {
  const Generator g = DefaultGenerator();
  const std::vector<std::string> small = Dumps(Make(g, kSeed, 30));
  std::vector<std::string> large = Dumps(Make(g, kSeed, 120));
  large.resize(small.size());
  EXPECT_EQ(small, large);
}

TEST(GeneratorTest, CreateRefusesUnusableOptions) {
  GeneratorOptions no_city;
  no_city.municipality = "";
  EXPECT_THAT(Generator::Create(no_city), testing::ErrorIdIs("KSK-SYNTH-001"));

  GeneratorOptions early_kaisei;
  early_kaisei.kaisei_date = Ymd(1990, 4, 1);
  EXPECT_THAT(Generator::Create(early_kaisei), testing::ErrorIdIs("KSK-SYNTH-001"));

  GeneratorOptions kaisei_after_today;
  kaisei_after_today.today = Ymd(2003, 6, 1);
  EXPECT_THAT(Generator::Create(kaisei_after_today), testing::ErrorIdIs("KSK-SYNTH-001"));

  GeneratorOptions impossible_day;
  impossible_day.today = Ymd(2026, 2, 30);
  EXPECT_THAT(Generator::Create(impossible_day), testing::ErrorIdIs("KSK-SYNTH-001"));
}

TEST(GeneratorTest, SinkErrorStopsGenerationAndIsReturned) {
  const Generator g = DefaultGenerator();
  int calls = 0;
  Result<void> r = g.Generate(kSeed, 10, [&calls](const Register&) -> Result<void> {
    if (++calls == 3) return MakeError(ErrorCode::kUnavailable, "KSK-TEST-001", "停止", "stop");
    return Ok();
  });
  EXPECT_THAT(r, testing::ErrorIdIs("KSK-TEST-001"));
  EXPECT_EQ(calls, 3);
}

TEST(GeneratorTest, ProgressIsReportedAfterEveryRegister) {
  const Generator g = DefaultGenerator();
  std::vector<std::pair<std::size_t, std::size_t>> seen;
  ASSERT_THAT(g.Generate(
                  kSeed, 5, [](const Register&) -> Result<void> { return Ok(); },
                  [&seen](std::size_t done, std::size_t total) { seen.emplace_back(done, total); }),
              IsOk());
  EXPECT_THAT(seen, ::testing::ElementsAre(::testing::Pair(1, 5), ::testing::Pair(2, 5),
                                           ::testing::Pair(3, 5), ::testing::Pair(4, 5),
                                           ::testing::Pair(5, 5)));
}

TEST(GeneratorTest, ZeroRegistersIsFine) {
  EXPECT_TRUE(Make(DefaultGenerator(), kSeed, 0).empty());
}

TEST(GeneratorTest, EarlierTodayBoundsEveryDateAndSkipsFurigana) {
  GeneratorOptions options;
  options.today = Ymd(2010, 1, 1);
  options.kaisei_date = Ymd(1998, 10, 1);
  const Generator g = *Generator::Create(options);
  for (const Register& r : Make(g, kSeed, 200)) {
    ForEachDate(r, [](const text::JapaneseDate& d) {
      ASSERT_TRUE(d.is_exact());
      EXPECT_LE(DayOf(d), sys_days{Ymd(2010, 1, 1)});
    });
    EXPECT_FALSE(r.uji_furigana.has_value());
    for (const Person& p : r.persons) EXPECT_FALSE(p.mei_furigana.has_value());
  }
}

TEST(GeneratorTest, OtherTenantMunicipalityIsTheHonsekiAndNeverForwardsToItself) {
  GeneratorOptions options;
  options.municipality = "東海県南浜市";
  const Generator g = *Generator::Create(options);
  for (const Register& r : Make(g, kSeed, 200)) {
    EXPECT_TRUE(r.honseki.starts_with("東海県南浜市"));
    for (const Person& p : r.persons) {
      for (const Event& e : p.mibun_jiko) {
        EXPECT_NE(e.TextOf("受理者").value_or(""), "東海県南浜市長");
      }
    }
  }
}

TEST_F(GeneratedThousand, HonsekiAndHittoshaPairsAreUnique) {
  ASSERT_EQ(regs().size(), 1000u);
  std::set<std::pair<std::string, std::string>> keys;
  for (const Register& r : regs()) keys.emplace(r.honseki, r.HittoshaDisplayName());
  EXPECT_EQ(keys.size(), regs().size());
}

TEST_F(GeneratedThousand, EveryRegisterIsValidAndSurvivesAJsonRoundTrip) {
  for (const Register& r : regs()) {
    ASSERT_THAT(domain::ValidateRegister(r), IsOk());
    Result<Register> back = domain::RegisterFromJson(domain::ToJson(r).dump());
    ASSERT_THAT(back, IsOk());
    EXPECT_EQ(*back, r);
  }
}

TEST_F(GeneratedThousand, EveryHonsekiIsAnAddressInTheTenantMunicipality) {
  for (const Register& r : regs()) {
    EXPECT_TRUE(r.honseki.starts_with("青葉県みなと市"));
    EXPECT_TRUE(r.honseki.ends_with("番地") || r.honseki.ends_with("番"));
    EXPECT_EQ(r.hittosha_uji, r.uji);
    ASSERT_FALSE(r.persons.empty());
    EXPECT_EQ(r.persons[0].mei, r.hittosha_mei);
  }
}

TEST_F(GeneratedThousand, SomeSurnamesUseVariationSelectorsAndSupplementaryPlaneKanji) {
  int with_selector = 0;
  int supplementary = 0;
  for (const Register& r : regs()) {
    Result<std::u32string> uji = text::DecodeUtf8(r.uji);
    ASSERT_THAT(uji, IsOk());
    bool vs = false;
    bool sup = false;
    for (char32_t c : *uji) {
      vs = vs || text::IsVariationSelector(c);
      sup = sup || (c > 0xFFFF && !text::IsVariationSelector(c));
    }
    with_selector += vs ? 1 : 0;
    supplementary += sup ? 1 : 0;
  }
  EXPECT_GT(with_selector, 0);
  EXPECT_GT(supplementary, 0);
  // "A small share": the pools must not swamp the data with rare characters.
  EXPECT_LT(with_selector + supplementary, 150);
}

// A generated name must be one an operator could enter: a variation sequence the certificate
// font lacks is refused at entry (RULE-FORM-012), which stopped the approval benchmark.
TEST(GeneratorPoolsTest, EveryNameAndPlacePrintsInTheCertificateFont) {
  const auto expect_printable = [](std::string_view text) {
    EXPECT_FALSE(text::FirstUnprintableSequence(text).has_value()) << text;
  };
  for (const NameEntry& name : CommonSurnames()) expect_printable(name.text);
  for (const NameEntry& name : RareSurnames()) expect_printable(name.text);
  for (int year = 1868; year <= 2026; ++year) {
    for (bool male : {false, true}) {
      for (const NameEntry& name : GivenNames(male, year)) expect_printable(name.text);
    }
  }
  for (const Municipality& place : Municipalities()) {
    expect_printable(place.prefecture);
    expect_printable(place.city);
  }
  for (std::string_view town : TownNames()) expect_printable(town);
}

TEST_F(GeneratedThousand, EveryDateIsExactNotInTheFutureAndNotBefore1873) {
  const sys_days today{Ymd(2026, 11, 26)};
  const sys_days first{Ymd(1873, 1, 1)};
  for (const Register& r : regs()) {
    ForEachDate(r, [&](const text::JapaneseDate& d) {
      ASSERT_TRUE(d.is_exact());
      EXPECT_LE(DayOf(d), today);
      EXPECT_GE(DayOf(d), first);
    });
  }
}

TEST_F(GeneratedThousand, NoPersonHasAnEventBeforeTheirBirth) {
  for (const Register& r : regs()) {
    for (const Person& p : r.persons) {
      for (const Event& e : p.mibun_jiko) {
        for (const domain::Field& f : e.fields) {
          if (const auto* d = std::get_if<text::JapaneseDate>(&f.value)) {
            EXPECT_GE(DayOf(*d), DayOf(p.birth_date)) << e.kind << " " << f.tag;
          }
        }
      }
    }
  }
}

TEST_F(GeneratedThousand, BirthsSpanTheErasFromMeijiToReiwa) {
  std::map<text::Era, int> eras;
  for (const Register& r : regs()) {
    for (const Person& p : r.persons) ++eras[p.birth_date.wareki()->era];
  }
  for (text::Era era : {text::Era::kMeiji, text::Era::kTaisho, text::Era::kShowa,
                        text::Era::kHeisei, text::Era::kReiwa}) {
    EXPECT_GT(eras[era], 0) << text::EraName(era);
  }
}

TEST_F(GeneratedThousand, BirthsAreFiledOnTimeMostlyAndSomeAreForwarded) {
  int births = 0;
  int on_time = 0;
  int forwarded = 0;
  for (const Register& r : regs()) {
    for (const Person& p : r.persons) {
      const Event* birth = FindEvent(p, "出生");
      ASSERT_NE(birth, nullptr);
      const sys_days born = DayOf(*birth->DateOf("出生日"));
      const sys_days filed = DayOf(*birth->DateOf("届出日"));
      EXPECT_EQ(born, DayOf(p.birth_date));
      EXPECT_GE(filed, born);
      ++births;
      on_time += (filed - born).count() <= 13 ? 1 : 0;  // the birthday is day 1 of 14
      if (auto received = birth->DateOf("送付を受けた日")) {
        ++forwarded;
        EXPECT_GT(DayOf(*received), filed);
        const std::string juri = birth->TextOf("受理者").value_or("");
        EXPECT_TRUE(juri.ends_with("市長"));
        EXPECT_NE(juri, "青葉県みなと市長");
        EXPECT_EQ(juri, *birth->TextOf("出生地") + "長");
      }
    }
  }
  EXPECT_GT(on_time, births * 85 / 100);
  EXPECT_LT(on_time, births);  // a few are late (失期)
  EXPECT_GT(forwarded, 0);
}

TEST_F(GeneratedThousand, CouplesAreMarriedWithTheirPreviousRegisters) {
  for (const Register& r : regs()) {
    ASSERT_GE(r.persons.size(), 2u);
    const Person& a = r.persons[0];
    const Person& b = r.persons[1];
    // Both keep the 配偶者区分 while both live; the one who died first keeps it, the survivor
    // loses it with the 配偶者の死亡.
    for (const Person* p : {&a, &b}) {
      EXPECT_EQ(p->haigusha_kubun == domain::HaigushaKubun::kNone,
                FindEvent(*p, "配偶者の死亡") != nullptr);
    }
    EXPECT_NE(a.haigusha_kubun, b.haigusha_kubun);
    const Event* ka = FindEvent(a, "婚姻");
    const Event* kb = FindEvent(b, "婚姻");
    ASSERT_NE(ka, nullptr);
    ASSERT_NE(kb, nullptr);
    EXPECT_EQ(ka->DateOf("婚姻日"), kb->DateOf("婚姻日"));
    EXPECT_EQ(kb->TextOf("配偶者氏名"), r.FullNameOf(a));
    // 【従前戸籍】本籍　筆頭者氏名, where that 筆頭者 is the person's father.
    for (const Person* p : {&a, &b}) {
      const std::string ref = FindEvent(*p, "婚姻")->TextOf("従前戸籍").value_or("");
      EXPECT_TRUE(ref.ends_with("\u3000" + p->father)) << "seq " << p->seq;
      EXPECT_TRUE(ref.find("番") != std::string::npos);
    }
    // The 筆頭者 kept their own 氏: their father has it too.
    EXPECT_TRUE(a.father.starts_with(r.uji));
  }
}

TEST_F(GeneratedThousand, RegistersAreCreatedByKaiseiOrByMarriage) {
  int kaisei = 0;
  int hensei = 0;
  for (const Register& r : regs()) {
    ASSERT_FALSE(r.koseki_jiko.empty());
    const Event& first = r.koseki_jiko.front();
    if (first.kind == "戸籍改製") {
      ++kaisei;
      EXPECT_EQ(first.TextOf("改製事由"), "平成６年法務省令第５１号附則第２条第１項による改製");
      EXPECT_EQ(first.DateOf("改製日")->ToWareki(), "平成１５年３月１５日");
    } else {
      ASSERT_EQ(first.kind, "戸籍編製");
      ++hensei;
      EXPECT_EQ(first.DateOf("編製日"), FindEvent(r.persons[0], "婚姻")->DateOf("婚姻日"));
    }
  }
  EXPECT_GT(kaisei, 100);
  EXPECT_GT(hensei, 100);
}

TEST_F(GeneratedThousand, ChildrensZokugaraMatchesTheDomainComputation) {
  int checked = 0;
  for (const Register& r : regs()) {
    std::vector<domain::ChildOfParents> children;
    for (const Person& p : r.persons) {
      if (IsChild(p)) children.push_back({p.sex, p.birth_date, p.father, p.mother, true});
    }
    const bool complete = HasKosekiJiko(r, "戸籍編製");
    std::map<domain::Sex, int> last_ordinal;
    for (std::size_t i = 0; i < children.size(); ++i) {
      const Person& p = r.persons[i + 2];
      EXPECT_EQ(p.father,
                r.FullNameOf(r.persons[0].sex == domain::Sex::kMale ? r.persons[0] : r.persons[1]));
      const int ordinal = domain::ZokugaraOrdinal(p.sex, p.zokugara);
      ASSERT_GT(ordinal, 0);
      EXPECT_GT(ordinal, last_ordinal[p.sex]);  // in birth order
      last_ordinal[p.sex] = ordinal;
      if (complete) {
        // Every child of a register created by marriage is in it: recompute exactly.
        std::vector<domain::ChildOfParents> others = children;
        others.erase(others.begin() + static_cast<std::ptrdiff_t>(i));
        EXPECT_THAT(domain::ComputeZokugara(children[i], others),
                    testing::IsOkAndHolds(p.zokugara));
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 200);
}

TEST_F(GeneratedThousand, RemovedPersonsCarryTheirRemovingEvent) {
  std::map<std::string, int> kinds;
  for (const Register& r : regs()) {
    for (const Person& p : r.persons) {
      const Event* death = FindEvent(p, "死亡");
      if (!p.removed) {
        EXPECT_EQ(death, nullptr);
        continue;
      }
      ++kinds[p.removal_kind];
      const Event* removing = FindEvent(p, p.removal_kind);
      ASSERT_NE(removing, nullptr) << p.removal_kind;
      if (p.removal_kind == "死亡") {
        EXPECT_NE(removing->Find("死亡時分"), nullptr);
        EXPECT_NE(removing->Find("死亡地"), nullptr);
        EXPECT_NE(removing->Find("届出人"), nullptr);
      } else {
        EXPECT_TRUE(IsChild(p));
        EXPECT_NE(removing->Find("新本籍"), nullptr);
      }
      if (p.removal_kind == "婚姻") {
        const std::string uji = removing->TextOf("称する氏").value_or("");
        EXPECT_TRUE(uji == "夫の氏" || uji == "妻の氏");
      }
    }
  }
  EXPECT_GT(kinds["死亡"], 50);
  EXPECT_GT(kinds["婚姻"], 50);
  EXPECT_GT(kinds["分籍"], 0);
}

TEST_F(GeneratedThousand, TheSurvivingSpouseRecordsTheDeath) {
  int recorded = 0;
  for (const Register& r : regs()) {
    for (int i = 0; i < 2; ++i) {
      const Person& dead = r.persons[static_cast<std::size_t>(i)];
      const Person& other = r.persons[static_cast<std::size_t>(1 - i)];
      const Event* death = FindEvent(dead, "死亡");
      if (death == nullptr) continue;
      const Event* other_death = FindEvent(other, "死亡");
      const sys_days d = DayOf(*death->DateOf("死亡日"));
      if (other_death != nullptr && DayOf(*other_death->DateOf("死亡日")) <= d) continue;
      const Event* noted = FindEvent(other, "配偶者の死亡");
      ASSERT_NE(noted, nullptr);
      EXPECT_EQ(noted->DateOf("配偶者の死亡日"), death->DateOf("死亡日"));
      EXPECT_EQ(death->TextOf("届出人"), "親族\u3000" + r.FullNameOf(other));
      ++recorded;
    }
  }
  EXPECT_GT(recorded, 20);
}

TEST_F(GeneratedThousand, SomeRegistersAreClosedWhenEveryoneHasLeft) {
  int closed = 0;
  for (const Register& r : regs()) {
    bool everyone_left = true;
    for (const Person& p : r.persons) everyone_left = everyone_left && p.removed;
    EXPECT_EQ(everyone_left, r.status == RegisterStatus::kJoseki);
    EXPECT_EQ(everyone_left, HasKosekiJiko(r, "戸籍消除"));
    closed += r.status == RegisterStatus::kJoseki ? 1 : 0;
  }
  EXPECT_GT(closed, 10);
  EXPECT_LT(closed, 500);
}

TEST_F(GeneratedThousand, LivingMembersOfCurrentRegistersHaveFurigana) {
  for (const Register& r : regs()) {
    if (r.status != RegisterStatus::kGenzai) continue;
    ASSERT_TRUE(r.uji_furigana.has_value());
    EXPECT_TRUE(text::IsKatakanaReading(*r.uji_furigana));
    for (const Person& p : r.persons) {
      if (p.removed) continue;
      ASSERT_TRUE(p.mei_furigana.has_value()) << "seq " << p.seq;
      EXPECT_TRUE(text::IsKatakanaReading(*p.mei_furigana));
    }
  }
}

}  // namespace
}  // namespace koseki::synth
