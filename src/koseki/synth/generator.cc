#include "koseki/synth/generator.h"

#include <algorithm>
#include <array>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "koseki/domain/event.h"
#include "koseki/domain/furigana.h"
#include "koseki/domain/validation.h"
#include "koseki/domain/zokugara.h"
#include "koseki/synth/pools.h"
#include "koseki/synth/prng.h"
#include "koseki/text/japanese_date.h"

namespace koseki::synth {
namespace {

using domain::DateField;
using domain::Event;
using domain::EventSource;
using domain::Field;
using domain::MakeEvent;
using domain::Person;
using domain::Register;
using domain::Sex;
using domain::SourceKind;
using domain::TextField;
using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

constexpr std::string_view kSpace = "\u3000";  // full-width space
// 改製事由 of the computerization (DOMAIN.md §1.3).
constexpr std::string_view kKaiseiJiyu = "平成６年法務省令第５１号附則第２条第１項による改製";

constexpr sys_days Ymd(int y, unsigned m, unsigned d) {
  return sys_days{year_month_day{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}}};
}

constexpr sys_days kFirstSolarDay = Ymd(1873, 1, 1);
constexpr sys_days kEarliestKaisei = Ymd(1994, 12, 1);
// 氏名の振り仮名 (DOMAIN.md §1.6): filing window from 2025-05-26, 職権 recording from 2026-05-26.
constexpr sys_days kFuriganaStart{domain::kFuriganaInForce};
constexpr sys_days kFuriganaWindowEnd{domain::kFuriganaLastFilingDay};
constexpr sys_days kFuriganaShokken{domain::kFuriganaShokkenFrom};

int YearOf(sys_days d) { return static_cast<int>(year_month_day{d}.year()); }

// Adds whole years; 29 February becomes 28 February in a common year.
sys_days AddYears(sys_days d, int years) {
  year_month_day ymd{d};
  year_month_day moved{ymd.year() + std::chrono::years{years}, ymd.month(), ymd.day()};
  if (!moved.ok()) moved = year_month_day{moved.year(), moved.month(), std::chrono::day{28}};
  return sys_days{moved};
}

// Dates handed to this are >= 1873-01-01 by construction; the fallback is unreachable.
text::JapaneseDate Jd(sys_days d) {
  Result<text::JapaneseDate> r = text::JapaneseDate::FromGregorian(year_month_day{d});
  if (!r) return text::JapaneseDate::Inexact("年月日不詳");
  return *r;
}

std::string Str(std::string_view s) { return std::string(s); }

std::uint64_t Fnv1a(std::string_view a, std::string_view b) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  auto mix = [&h](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 0x100000001b3ULL;
    }
  };
  mix(a);
  h ^= 0xff;  // separator: no UTF-8 string contains the byte 0xFF
  h *= 0x100000001b3ULL;
  mix(b);
  return h;
}

// One person while the register is being built: the domain value plus what later steps need.
struct Member {
  Person person;
  sys_days birth;
  std::string reading;                  // 名の振り仮名
  std::optional<sys_days> death;        // 死亡日
  std::optional<sys_days> left_on;      // the day of the event that removed the person
  std::optional<sys_days> recorded_on;  // the day the removal was recorded here (届出/送付)
  std::string married_uji;              // 氏 after marrying out (for 届出人 names)
  bool transcribed = true;              // false: removed before the 改製, not in this register
  std::vector<std::pair<sys_days, Event>> events;

  Member(Person p, sys_days born, std::string name_reading)
      : person(std::move(p)), birth(born), reading(std::move(name_reading)) {}

  bool PresentOn(sys_days d) const { return !left_on || *left_on > d; }
  bool AliveOn(sys_days d) const { return !death || *death > d; }
};

// The couple and the 本籍: drawn first so that a duplicate (本籍, 筆頭者) is rejected early.
struct Head {
  bool kaisei = false;  // created before the computerization: 戸籍改製
  sys_days marriage;
  bool wife_is_hittosha = false;
  sys_days husband_birth, wife_birth;
  NameEntry husband_uji, wife_uji;  // surnames before marriage
  NameEntry husband_mei, wife_mei;
  std::string honseki;

  const NameEntry& Uji() const { return wife_is_hittosha ? wife_uji : husband_uji; }
  const NameEntry& HittoshaMei() const { return wife_is_hittosha ? wife_mei : husband_mei; }
};

class Builder {
 public:
  Builder(const GeneratorOptions& options, sys_days today, sys_days kaisei,
          std::span<const std::string> other_places, Prng& rng)
      : options_(options), today_(today), kaisei_(kaisei), others_(other_places), rng_(rng) {}

  Head DrawHead() {
    Head h;
    h.kaisei = rng_.PerMille(450);
    if (h.kaisei) {
      // Marriages before the computerization, weighted towards the post-war decades.
      const std::array<sys_days, 6> edges = {Ymd(1935, 1, 1), Ymd(1945, 1, 1), Ymd(1960, 1, 1),
                                             Ymd(1975, 1, 1), Ymd(1990, 1, 1), kaisei_ - days{60}};
      constexpr std::array<int, 5> kWeights = {6, 18, 30, 28, 18};
      const std::size_t b = rng_.Weighted(kWeights);
      h.marriage = Day(edges[b], std::min(edges[b + 1], kaisei_ - days{60}));
    } else {
      h.marriage = Day(kaisei_ + days{1}, today_ - days{60});
    }
    const bool late = YearOf(h.marriage) >= 2000;
    const int husband_age = static_cast<int>(late ? rng_.Uniform(24, 40) : rng_.Uniform(22, 36));
    const int wife_age = static_cast<int>(late ? rng_.Uniform(22, 38) : rng_.Uniform(19, 33));
    h.husband_birth = AddYears(h.marriage, -husband_age) - days{rng_.Uniform(0, 364)};
    h.wife_birth = AddYears(h.marriage, -wife_age) - days{rng_.Uniform(0, 364)};
    h.husband_uji = Surname();
    do {
      h.wife_uji = Surname();
    } while (h.wife_uji.text == h.husband_uji.text);
    h.husband_mei = Given(true, YearOf(h.husband_birth));
    h.wife_mei = Given(false, YearOf(h.wife_birth));
    h.wife_is_hittosha = rng_.PerMille(50);
    h.honseki = options_.municipality + Address();
    return h;
  }

  Register Build(const Head& h) {
    Register reg;
    reg.honseki = h.honseki;
    reg.hittosha_uji = Str(h.Uji().text);
    reg.hittosha_mei = Str(h.HittoshaMei().text);
    reg.uji = reg.hittosha_uji;
    uji_ = reg.uji;

    // The couple: 筆頭者 first.
    const bool husband_first = !h.wife_is_hittosha;
    Member husband = Spouse(h, true);
    Member wife = Spouse(h, false);
    std::vector<Member> members;
    members.push_back(husband_first ? std::move(husband) : std::move(wife));
    members.push_back(husband_first ? std::move(wife) : std::move(husband));

    const std::string father = uji_ + Str(h.husband_mei.text);
    const std::string mother = uji_ + Str(h.wife_mei.text);
    AddChildren(h, father, mother, members);
    // References only now: adding the children may have moved the members.
    AddDeaths(h, members[husband_first ? 0 : 1], members[husband_first ? 1 : 0], members);
    AddFurigana(h, members, reg);

    // 戸籍事項.
    if (h.kaisei) {
      reg.koseki_jiko.push_back(MakeEvent(
          "戸籍改製", {DateField("改製日", Jd(kaisei_)), TextField("改製事由", Str(kKaiseiJiyu))},
          EventSource{SourceKind::kShokken, {}, {}}));
    } else {
      reg.koseki_jiko.push_back(MakeEvent("戸籍編製", {DateField("編製日", Jd(h.marriage))}));
    }
    std::optional<sys_days> last_recorded;
    bool everyone_left = true;
    for (const Member& m : members) {
      if (!m.transcribed) continue;
      if (!m.recorded_on) {
        everyone_left = false;
        break;
      }
      last_recorded = std::max(last_recorded.value_or(*m.recorded_on), *m.recorded_on);
    }
    if (everyone_left && last_recorded) {
      reg.status = domain::RegisterStatus::kJoseki;
      reg.koseki_jiko.push_back(MakeEvent("戸籍消除", {DateField("消除日", Jd(*last_recorded))},
                                          EventSource{SourceKind::kShokken, {}, {}}));
    }
    // The 氏の振り仮名 (if any) is dated after the 編製/改製; keep 戸籍事項 in date order.
    if (pending_uji_furigana_) {
      auto pos = reg.status == domain::RegisterStatus::kJoseki ? reg.koseki_jiko.end() - 1
                                                               : reg.koseki_jiko.end();
      reg.koseki_jiko.insert(pos, std::move(*pending_uji_furigana_));
    }

    int seq = 0;
    for (Member& m : members) {
      if (!m.transcribed) continue;
      std::stable_sort(m.events.begin(), m.events.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      for (auto& dated : m.events) m.person.mibun_jiko.push_back(std::move(dated.second));
      m.person.seq = ++seq;
      reg.persons.push_back(std::move(m.person));
    }
    return reg;
  }

 private:
  sys_days Day(sys_days lo, sys_days hi) {
    if (hi <= lo) return lo;
    return lo + days{rng_.Uniform(0, (hi - lo).count())};
  }

  NameEntry Surname() {
    if (rng_.PerMille(50)) return rng_.Pick(RareSurnames());
    return rng_.Pick(CommonSurnames());
  }

  NameEntry Given(bool male, int birth_year) { return rng_.Pick(GivenNames(male, birth_year)); }

  // A place other than the tenant's municipality.
  std::string OtherPlace() { return rng_.Pick(others_); }

  // The tenant's municipality with probability `home_permille`, else another one.
  std::string Place(int home_permille) {
    return rng_.PerMille(home_permille) ? options_.municipality : OtherPlace();
  }

  // An address within a municipality: 桜町二丁目１５番地, 浜町５番地.
  std::string Address() {
    static constexpr std::array<std::string_view, 5> kChome = {"一", "二", "三", "四", "五"};
    std::string out = Str(rng_.Pick(TownNames()));
    if (rng_.PerMille(550)) {
      out += kChome[static_cast<std::size_t>(rng_.Uniform(0, 4))];
      out += "丁目";
    }
    out += text::FullWidthNumber(rng_.Uniform(1, 60));
    out += rng_.PerMille(850) ? "番地" : "番";
    return out;
  }

  // 届出日 of a birth: within the 14-day deadline (the birthday counts as day 1), a few late.
  sys_days BirthFiled(sys_days birth) {
    const std::int64_t delay = rng_.PerMille(930) ? rng_.Uniform(0, 13) : rng_.Uniform(14, 30);
    return std::min(birth + days{delay}, std::max(birth, today_));
  }

  // Adds 送付を受けた日 / 受理者 for a notification filed at `place` on `filed` if `place` is
  // not the tenant's municipality and the forwarded copy has arrived by today.
  // Returns the day the copy was received (the day the entry was recorded here), if any.
  std::optional<sys_days> AddSofu(std::vector<Field>& fields, sys_days filed,
                                  const std::string& place) {
    if (place == options_.municipality) return std::nullopt;
    const sys_days received = filed + days{rng_.Uniform(2, 9)};
    if (received > today_) return std::nullopt;
    fields.push_back(DateField("送付を受けた日", Jd(received)));
    fields.push_back(TextField("受理者", place + "長"));
    return received;
  }

  Member Spouse(const Head& h, bool husband) {
    const sys_days birth = husband ? h.husband_birth : h.wife_birth;
    const NameEntry& own_uji = husband ? h.husband_uji : h.wife_uji;
    const NameEntry& mei = husband ? h.husband_mei : h.wife_mei;
    const bool is_hittosha = husband != h.wife_is_hittosha;
    const int by = YearOf(birth);
    const std::string father =
        Str(own_uji.text) + Str(Given(true, by - static_cast<int>(rng_.Uniform(24, 38))).text);
    const std::string mother =
        Str(own_uji.text) + Str(Given(false, by - static_cast<int>(rng_.Uniform(20, 34))).text);
    constexpr std::array<int, 5> kOrdinalWeights = {45, 30, 15, 7, 3};
    const Sex sex = husband ? Sex::kMale : Sex::kFemale;
    const int ordinal = static_cast<int>(rng_.Weighted(kOrdinalWeights)) + 1;

    Member m{Person{.mei = Str(mei.text),
                    .sex = sex,
                    .birth_date = Jd(birth),
                    .father = father,
                    .mother = mother,
                    .zokugara = domain::ZokugaraForOrdinal(sex, ordinal),
                    .haigusha_kubun =
                        husband ? domain::HaigushaKubun::kOtto : domain::HaigushaKubun::kTsuma},
             birth, Str(mei.reading)};

    // The parents' register the spouse came from (【従前戸籍】: 本籍　筆頭者氏名).
    const std::string parents_register = Place(400) + Address() + Str(kSpace) + father;
    // Entries carried over: from the 改製原戸籍, or from the parents' register at marriage.
    const EventSource iki{SourceKind::kIki, {}, h.kaisei ? std::string() : parents_register};

    const std::string birthplace = Place(350);
    const sys_days filed = BirthFiled(birth);
    m.events.emplace_back(
        birth, MakeEvent("出生",
                         {DateField("出生日", Jd(birth)), TextField("出生地", birthplace),
                          DateField("届出日", Jd(filed)),
                          TextField("届出人", rng_.PerMille(880) ? "父" : "母")},
                         iki));

    const std::string partner = is_hittosha
                                    ? Str((husband ? h.wife_uji : h.husband_uji).text) +
                                          Str((husband ? h.wife_mei : h.husband_mei).text)
                                    : uji_ + Str((husband ? h.wife_mei : h.husband_mei).text);
    std::vector<Field> konin = {DateField("婚姻日", Jd(h.marriage)),
                                TextField("配偶者氏名", partner)};
    EventSource source = h.kaisei ? EventSource{SourceKind::kIki, {}, {}} : EventSource{};
    if (!h.kaisei && rng_.PerMille(200)) AddSofu(konin, h.marriage, OtherPlace());
    konin.push_back(TextField("従前戸籍", parents_register));
    m.events.emplace_back(h.marriage, MakeEvent("婚姻", std::move(konin), source));
    return m;
  }

  void AddChildren(const Head& h, const std::string& father, const std::string& mother,
                   std::vector<Member>& members) {
    constexpr std::array<int, 5> kCountWeights = {12, 20, 38, 22, 8};
    const std::size_t count = rng_.Weighted(kCountWeights);
    std::vector<domain::ChildOfParents> siblings;
    sys_days cursor = h.marriage + days{rng_.Uniform(280, 1100)};
    for (std::size_t k = 0; k < count; ++k) {
      if (cursor > today_ - days{45}) break;
      if (cursor > AddYears(h.wife_birth, 44)) break;
      const sys_days birth = cursor;
      cursor += days{rng_.Uniform(450, 1800)};
      const bool male = rng_.PerMille(512);
      const Sex sex = male ? Sex::kMale : Sex::kFemale;

      NameEntry mei = Given(male, YearOf(birth));
      for (int tries = 0; tries < 10 && NameTaken(members, mei.text); ++tries) {
        mei = Given(male, YearOf(birth));
      }
      if (NameTaken(members, mei.text)) continue;

      domain::ChildOfParents me{sex, Jd(birth), father, mother, true};
      Result<std::string> zokugara = domain::ComputeZokugara(me, siblings);
      siblings.push_back(me);

      Member c{Person{.mei = Str(mei.text),
                      .sex = sex,
                      .birth_date = Jd(birth),
                      .father = father,
                      .mother = mother,
                      .zokugara = zokugara ? *zokugara : std::string()},
               birth, Str(mei.reading)};
      c.married_uji = uji_;

      const std::string birthplace = Place(650);
      const sys_days filed = BirthFiled(birth);
      std::vector<Field> fields = {DateField("出生日", Jd(birth)), TextField("出生地", birthplace),
                                   DateField("届出日", Jd(filed)),
                                   TextField("届出人", rng_.PerMille(800) ? "父" : "母")};
      // Most births elsewhere are filed at the 出生地, which forwards them here.
      if (rng_.PerMille(800)) AddSofu(fields, filed, birthplace);
      const bool before_kaisei = h.kaisei && birth < kaisei_;
      c.events.emplace_back(
          birth, MakeEvent("出生", std::move(fields),
                           before_kaisei ? EventSource{SourceKind::kIki, {}, {}} : EventSource{}));
      LeaveOrStay(h, c);
      members.push_back(std::move(c));
    }
  }

  static bool NameTaken(const std::vector<Member>& members, std::string_view mei) {
    return std::any_of(members.begin(), members.end(),
                       [mei](const Member& m) { return m.person.mei == mei; });
  }

  // An adult child may marry out or leave by 分籍; either removes them (除籍).
  void LeaveOrStay(const Head& h, Member& c) {
    const bool male = c.person.sex == Sex::kMale;
    if (rng_.PerMille(820)) {
      const int age = static_cast<int>(male ? rng_.Uniform(23, 38) : rng_.Uniform(21, 36));
      const sys_days married = AddYears(c.birth, age) + days{rng_.Uniform(0, 364)};
      if (married <= today_ - days{10}) {
        MarryOut(h, c, married);
        return;
      }
    }
    if (AddYears(c.birth, 20) <= today_ - days{10} && rng_.PerMille(30)) {
      const sys_days left =
          Day(AddYears(c.birth, 20), std::min(AddYears(c.birth, 45), today_ - days{10}));
      if (h.kaisei && left < kaisei_) {
        c.transcribed = false;
        c.left_on = left;
        return;
      }
      const std::string place = Place(500);
      std::vector<Field> fields = {DateField("分籍日", Jd(left))};
      // Filed at the new 本籍地 when that is elsewhere, which forwards a copy here.
      const sys_days recorded = AddSofu(fields, left, place).value_or(left);
      fields.push_back(TextField("新本籍", place + Address()));
      c.events.emplace_back(left, MakeEvent("分籍", std::move(fields)));
      Remove(c, "分籍", left, recorded);
    }
  }

  void MarryOut(const Head& h, Member& c, sys_days married) {
    const bool male = c.person.sex == Sex::kMale;
    NameEntry partner_uji = Surname();
    while (partner_uji.text == uji_) partner_uji = Surname();
    const int partner_year = YearOf(c.birth) + static_cast<int>(rng_.Uniform(-3, 3));
    const NameEntry partner_mei = Given(!male, partner_year);
    const bool husbands_uji = rng_.PerMille(950);
    // The couple takes the 氏 of the husband (or the wife); the child keeps 氏 if it is theirs.
    const bool keeps_uji = husbands_uji == male;
    c.married_uji = keeps_uji ? uji_ : Str(partner_uji.text);
    if (h.kaisei && married < kaisei_) {
      // Left before the computerization: only in the 改製原戸籍, not in this register. The
      // married 氏 still matters if this child later files a parent's death.
      c.transcribed = false;
      c.left_on = married;
      return;
    }

    const std::string new_place = Place(450);
    std::vector<Field> fields = {
        DateField("婚姻日", Jd(married)),
        TextField("配偶者氏名", Str(partner_uji.text) + Str(partner_mei.text))};
    sys_days recorded = married;
    // Filed at the new 本籍地 when that is elsewhere (DOMAIN.md §1.5: 真理's marriage).
    if (new_place != options_.municipality && rng_.PerMille(700)) {
      recorded = AddSofu(fields, married, new_place).value_or(married);
    }
    fields.push_back(TextField("新本籍", new_place + Address()));
    fields.push_back(TextField("称する氏", husbands_uji ? "夫の氏" : "妻の氏"));
    c.events.emplace_back(married, MakeEvent("婚姻", std::move(fields)));
    Remove(c, "婚姻", married, recorded);
  }

  static void Remove(Member& m, std::string kind, sys_days left, sys_days recorded) {
    m.person.removed = true;
    m.person.removal_kind = std::move(kind);
    m.left_on = left;
    m.recorded_on = recorded;
  }

  // Returns a death date, or nullopt if the person is alive today. The person is alive on
  // `alive_until` (the last event they must witness).
  std::optional<sys_days> DeathDay(sys_days birth, bool male, sys_days alive_until) {
    constexpr std::array<int, 4> kMaleAges = {15, 25, 40, 20};   // 55-69, 70-79, 80-89, 90-99
    constexpr std::array<int, 4> kFemaleAges = {8, 17, 40, 35};  // 60-69, 70-79, 80-89, 90-104
    const std::size_t bucket =
        rng_.Weighted(male ? std::span<const int>(kMaleAges) : std::span<const int>(kFemaleAges));
    static constexpr std::array<std::pair<int, int>, 4> kMaleRanges = {
        {{55, 69}, {70, 79}, {80, 89}, {90, 99}}};
    static constexpr std::array<std::pair<int, int>, 4> kFemaleRanges = {
        {{60, 69}, {70, 79}, {80, 89}, {90, 104}}};
    const auto [lo, hi] = (male ? kMaleRanges : kFemaleRanges)[bucket];
    sys_days death =
        AddYears(birth, static_cast<int>(rng_.Uniform(lo, hi))) + days{rng_.Uniform(0, 364)};
    const sys_days earliest = alive_until + days{30};
    const sys_days latest_death = today_ - days{8};  // leaves time to file and record
    if (death < earliest) death = earliest + days{rng_.Uniform(0, 1500)};
    const sys_days oldest = AddYears(birth, 105);
    if (death > oldest) death = std::max(earliest, oldest - days{rng_.Uniform(0, 365)});
    if (death > latest_death) {
      // Nobody in these registers lives past 105.
      if (oldest <= today_ && earliest <= latest_death) return Day(earliest, latest_death);
      return std::nullopt;
    }
    return death;
  }

  void AddDeaths(const Head& h, Member& husband, Member& wife, std::vector<Member>& members) {
    sys_days alive_until = h.marriage + days{365};
    for (const Member& m : members) alive_until = std::max(alive_until, m.birth);
    if (h.kaisei) alive_until = std::max(alive_until, kaisei_);
    husband.death = DeathDay(husband.birth, true, alive_until);
    wife.death = DeathDay(wife.birth, false, alive_until);

    // Record the deaths in order, so that the survivor and the filer are right.
    std::array<Member*, 2> order = {&husband, &wife};
    if (wife.death && (!husband.death || *wife.death < *husband.death))
      std::swap(order[0], order[1]);
    for (std::size_t i = 0; i < 2; ++i) {
      Member& dead = *order[i];
      Member& other = *order[1 - i];
      if (!dead.death) continue;
      const sys_days d = *dead.death;
      const std::string place = Place(600);
      const sys_days filed = std::min(d + days{rng_.Uniform(0, 6)}, today_);
      std::vector<Field> fields = {
          DateField("死亡日", Jd(d)),
          domain::TimeField("死亡時分", static_cast<int>(rng_.Uniform(0, 23)),
                            static_cast<int>(rng_.Uniform(0, 59))),
          TextField("死亡地", place), DateField("届出日", Jd(filed)),
          TextField("届出人", DeathFiler(dead, other, members, d))};
      sys_days recorded = filed;
      // A death elsewhere is mostly filed at the 死亡地, which forwards it here.
      if (rng_.PerMille(600)) recorded = AddSofu(fields, filed, place).value_or(filed);
      dead.events.emplace_back(d, MakeEvent("死亡", std::move(fields)));
      Remove(dead, "死亡", d, recorded);
      if (other.AliveOn(d)) {
        // As domain::RecordSpouseDeath: the survivor's 配偶者区分 goes with the marriage.
        other.events.emplace_back(d,
                                  MakeEvent("配偶者の死亡", {DateField("配偶者の死亡日", Jd(d))}));
        other.person.haigusha_kubun = domain::HaigushaKubun::kNone;
      }
    }
  }

  // 届出人 of a death: the surviving spouse, else an adult child, else a co-resident.
  std::string DeathFiler(const Member& dead, const Member& spouse,
                         const std::vector<Member>& members, sys_days d) {
    if (spouse.AliveOn(d)) return "親族" + Str(kSpace) + uji_ + spouse.person.mei;
    for (const Member& m : members) {
      if (&m == &dead || &m == &spouse) continue;
      if (AddYears(m.birth, 20) > d) continue;
      const std::string& uji = (m.left_on && *m.left_on <= d) ? m.married_uji : uji_;
      return "親族" + Str(kSpace) + uji + m.person.mei;
    }
    return "同居者";
  }

  // 氏/名の振り仮名 (2025–): filed in the one-year window, or recorded ex officio after it.
  void AddFurigana(const Head& h, std::vector<Member>& members, Register& reg) {
    // Born under the new law: the reading came with the 出生届, no separate entry.
    for (Member& m : members) {
      if (m.birth >= kFuriganaStart) m.person.mei_furigana = m.reading;
    }
    if (today_ < kFuriganaStart) return;
    std::optional<sys_days> filed;
    if (rng_.PerMille(650)) filed = Day(kFuriganaStart, std::min(kFuriganaWindowEnd, today_));
    // The 氏の振り仮名 is filed by the 筆頭者, or the spouse if the 筆頭者 has left.
    if (filed && !members[0].PresentOn(*filed) && !members[1].PresentOn(*filed)) filed.reset();
    const sys_days on = filed.value_or(kFuriganaShokken);
    if (on > today_) return;
    bool anyone = false;
    for (const Member& m : members) anyone = anyone || (m.transcribed && m.PresentOn(on));
    if (!anyone) return;

    reg.uji_furigana = Str(h.Uji().reading);
    const EventSource shokken{SourceKind::kShokken, {}, {}};
    if (filed) {
      const bool by_hittosha = members[0].PresentOn(on);
      pending_uji_furigana_ =
          MakeEvent("氏の振り仮名",
                    {TextField("氏の振り仮名", *reg.uji_furigana), DateField("届出日", Jd(on)),
                     TextField("届出人", by_hittosha ? "筆頭者" : "配偶者")});
    } else {
      pending_uji_furigana_ = MakeEvent(
          "氏の振り仮名",
          {TextField("氏の振り仮名", *reg.uji_furigana), DateField("記録日", Jd(kFuriganaShokken))},
          shokken);
    }
    for (Member& m : members) {
      if (!m.transcribed || m.birth >= kFuriganaStart) continue;
      const sys_days mine = on;
      if (!m.PresentOn(mine)) continue;
      m.person.mei_furigana = m.reading;
      if (filed) {
        const bool adult = AddYears(m.birth, 15) <= mine;
        m.events.emplace_back(
            mine, MakeEvent("名の振り仮名",
                            {TextField("名の振り仮名", m.reading), DateField("届出日", Jd(mine)),
                             TextField("届出人", adult ? "本人" : "親権者父母")}));
      } else {
        m.events.emplace_back(mine, MakeEvent("名の振り仮名",
                                              {TextField("名の振り仮名", m.reading),
                                               DateField("記録日", Jd(kFuriganaShokken))},
                                              shokken));
      }
    }
  }

  const GeneratorOptions& options_;
  sys_days today_;
  sys_days kaisei_;
  std::span<const std::string> others_;
  Prng& rng_;
  std::string uji_;
  std::optional<Event> pending_uji_furigana_;
};

}  // namespace

Result<Generator> Generator::Create(GeneratorOptions options) {
  auto invalid = [](std::string detail) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-SYNTH-001",
                     "生成の設定（市区町村名、基準日、改製日）が正しくありません。",
                     std::move(detail));
  };
  if (options.municipality.empty()) return invalid("municipality is empty");
  if (!options.today.ok() || !options.kaisei_date.ok()) return invalid("impossible date");
  const sys_days kaisei{options.kaisei_date};
  const sys_days today{options.today};
  if (kaisei < kEarliestKaisei) return invalid("kaisei_date before 1994-12-01");
  if (kaisei + days{365} > today) return invalid("kaisei_date less than one year before today");
  if (today > Ymd(2200, 1, 1)) return invalid("today after 2200-01-01");
  return Generator(std::move(options));
}

Result<void> Generator::Generate(std::uint64_t seed, std::size_t count, const RegisterSink& sink,
                                 const ProgressCallback& progress) const {
  const sys_days today{options_.today};
  const sys_days kaisei{options_.kaisei_date};
  std::vector<std::string> others;
  for (const Municipality& m : Municipalities()) {
    std::string name = Str(m.prefecture) + Str(m.city);
    if (name != options_.municipality) others.push_back(std::move(name));
  }
  std::unordered_set<std::uint64_t> seen;
  seen.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    for (std::uint64_t attempt = 0;; ++attempt) {
      // Stream (seed, i, attempt): independent of how many registers are requested.
      Prng rng(SplitMix64(seed ^ SplitMix64((static_cast<std::uint64_t>(i) << 8) ^ attempt)));
      Builder builder(options_, today, kaisei, others, rng);
      const Head head = builder.DrawHead();
      const std::uint64_t key =
          Fnv1a(head.honseki, Str(head.Uji().text) + Str(head.HittoshaMei().text));
      if (!seen.insert(key).second) continue;
      const Register reg = builder.Build(head);
      if (Result<void> valid = domain::ValidateRegister(reg); !valid) {
        return MakeError(ErrorCode::kInternal, "KSK-SYNTH-002", "合成データの生成に失敗しました。",
                         "generated register " + std::to_string(i) + " failed validation: " +
                             valid.error().id + " " + valid.error().internal_detail);
      }
      KOSEKI_RETURN_IF_ERROR(sink(reg));
      break;
    }
    if (progress) progress(i + 1, count);
  }
  return Ok();
}

Result<std::vector<domain::Register>> Generator::GenerateAll(std::uint64_t seed,
                                                             std::size_t count) const {
  std::vector<domain::Register> out;
  out.reserve(count);
  KOSEKI_RETURN_IF_ERROR(Generate(seed, count, [&out](const domain::Register& r) -> Result<void> {
    out.push_back(r);
    return Ok();
  }));
  return out;
}

}  // namespace koseki::synth
