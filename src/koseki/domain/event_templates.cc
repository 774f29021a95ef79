// The event template table. Keep this file data only: to correct a tag name or an order,
// change it here and nowhere else.
#include "koseki/domain/event_templates.h"

#include <cstddef>

namespace koseki::domain {
namespace {

constexpr TagType kT = TagType::kText;
constexpr TagType kD = TagType::kDate;
constexpr TagType kWD = TagType::kWesternDate;
constexpr TagType kTm = TagType::kTime;
constexpr TagType kH = TagType::kHeading;

// ---- 戸籍事項 (DOMAIN.md §1.3) ----

// 戸籍編製: 【編製日】 [src].
constexpr TagSpec kHensei[] = {{"編製日", kD}};
// 戸籍改製: 【改製日】【改製事由】 [src].
constexpr TagSpec kKaisei[] = {{"改製日", kD}, {"改製事由", kT}};
// 転籍: new register 【転籍日】【従前本籍】(+送付) (§1.4a); old register
// 【転籍日】【新本籍】【送付を受けた日】【受理者】 (from memory). 従前本籍 and 新本籍 never occur
// together.
constexpr TagSpec kTenseki[] = {
    {"転籍日", kD}, {"従前本籍", kT}, {"新本籍", kT}, {"送付を受けた日", kD}, {"受理者", kT}};
// 氏の変更: 【氏変更日】【氏変更の事由】【従前の記録】【氏】 (from memory).
constexpr TagSpec kUjiHenko[] = {{"氏変更日", kD}, {"氏変更の事由", kT}, {"送付を受けた日", kD},
                                 {"受理者", kT},   {"従前の記録", kH},   {"氏", kT, "従前の記録"}};
// 戸籍消除: 【消除日】 + reason (from memory).
constexpr TagSpec kShojo[] = {{"消除日", kD}, {"消除事由", kT}};
// 氏の振り仮名 (2025–): layout UNVERIFIED (§1.6). 届出日/届出人 when filed, 記録日 when 職権.
constexpr TagSpec kUjiFurigana[] = {
    {"氏の振り仮名", kT}, {"届出日", kD}, {"届出人", kT}, {"記録日", kD}};
// 氏の振り仮名の変更 (戸籍法107条の3; or once without permission after a 職権 record): layout
// UNVERIFIED, written as 氏の変更 is: the day of the change, then the reading it replaced.
constexpr TagSpec kUjiFuriganaHenko[] = {{"氏の振り仮名の変更日", kD},
                                         {"送付を受けた日", kD},
                                         {"受理者", kT},
                                         {"従前の記録", kH},
                                         {"氏の振り仮名", kT, "従前の記録"}};

// ---- 身分事項 (DOMAIN.md §1.4, §1.4a) ----

// 出生 (confirmed): 国籍留保の届出日 only for births abroad (from memory).
constexpr TagSpec kShussei[] = {{"出生日", kD}, {"出生地", kT},           {"届出日", kD},
                                {"届出人", kT}, {"国籍留保の届出日", kD}, {"送付を受けた日", kD},
                                {"受理者", kT}};
// 婚姻: joining side 【婚姻日】【配偶者氏名】【従前戸籍】 (confirmed); leaving side
// 【婚姻日】【配偶者氏名】【送付を受けた日】【受理者】【新本籍】【称する氏】 (§1.5); foreign spouse
// adds 【配偶者の国籍】【配偶者の生年月日】, the date in the Western calendar (from memory).
constexpr TagSpec kKonin[] = {
    {"婚姻日", kD},         {"配偶者氏名", kT}, {"配偶者の国籍", kT}, {"配偶者の生年月日", kWD},
    {"送付を受けた日", kD}, {"受理者", kT},     {"従前戸籍", kT},     {"新本籍", kT},
    {"入籍戸籍", kT},       {"称する氏", kT}};
// 死亡 (confirmed).
constexpr TagSpec kShibo[] = {{"死亡日", kD}, {"死亡時分", kTm}, {"死亡地", kT},
                              {"届出日", kD}, {"届出人", kT},    {"送付を受けた日", kD},
                              {"受理者", kT}};
// 配偶者の死亡 (from memory).
constexpr TagSpec kHaigushaShibo[] = {{"配偶者の死亡日", kD}};
// 離婚: by agreement 【離婚日】【配偶者氏名】(+送付) (confirmed for the staying spouse); court
// forms replace 離婚日 and add 届出日/届出人; the leaving spouse adds 新本籍 or 入籍戸籍.
constexpr TagSpec kRikon[] = {{"離婚日", kD},
                              {"離婚の調停成立日", kD},
                              {"離婚の審判確定日", kD},
                              {"離婚の和解成立日", kD},
                              {"離婚の請求の認諾日", kD},
                              {"離婚の裁判確定日", kD},
                              {"配偶者氏名", kT},
                              {"届出日", kD},
                              {"届出人", kT},
                              {"送付を受けた日", kD},
                              {"受理者", kT},
                              {"従前戸籍", kT},  // in the register the leaving spouse enters
                              {"新本籍", kT},
                              {"入籍戸籍", kT}};
// 親権 (confirmed): by agreement 【親権者を定めた日】【親権者】【届出人】; by a court
// 【親権者を定められた日】【親権者】.
constexpr TagSpec kShinken[] = {{"親権者を定めた日", kD}, {"親権者を定められた日", kD},
                                {"親権者", kT},           {"届出人", kT},
                                {"送付を受けた日", kD},   {"受理者", kT}};
// 養子縁組: adoptee 【縁組日】【養父氏名】【養母氏名】【代諾者】【従前戸籍】 (confirmed); adopter
// 【縁組日】【共同縁組者】【養子氏名】 (confirmed). 入籍戸籍/新本籍 on the leaving side, and
// 【養親の戸籍】/【養子の戸籍】 when the adoptee stays in another register (from memory, placed
// as 認知's 【認知者の戸籍】).
constexpr TagSpec kYoshiEngumi[] = {{"縁組日", kD},     {"共同縁組者", kT}, {"養子氏名", kT},
                                    {"養父氏名", kT},   {"養母氏名", kT},   {"代諾者", kT},
                                    {"養親の戸籍", kT}, {"養子の戸籍", kT}, {"送付を受けた日", kD},
                                    {"受理者", kT},     {"従前戸籍", kT},   {"入籍戸籍", kT},
                                    {"新本籍", kT}};
// 特別養子縁組 (from memory).
constexpr TagSpec kTokubetsuYoshi[] = {
    {"特別養子縁組の裁判確定日", kD}, {"届出日", kD}, {"届出人", kT},
    {"送付を受けた日", kD},           {"受理者", kT}, {"従前戸籍", kT}};
// 養子離縁 (from memory).
constexpr TagSpec kRien[] = {
    {"離縁日", kD},   {"離縁の調停成立日", kD}, {"離縁の審判確定日", kD}, {"離縁の裁判確定日", kD},
    {"養父氏名", kT}, {"養母氏名", kT},         {"養子氏名", kT},         {"届出日", kD},
    {"届出人", kT},   {"養親の戸籍", kT},       {"養子の戸籍", kT},       {"送付を受けた日", kD},
    {"受理者", kT},   {"従前戸籍", kT},         {"新本籍", kT},           {"入籍戸籍", kT}};
// 認知: child 【認知日】【認知者氏名】【認知者の戸籍】(+送付) (confirmed; one source spells
// 【認知者の氏名】 — change it here if the 記載例 says so); father 【認知日】【認知した子の氏名】
// 【認知した子の戸籍】 (from memory); court and fetal forms (from memory).
constexpr TagSpec kNinchi[] = {
    {"認知日", kD},           {"胎児認知日", kD},   {"認知の裁判確定日", kD},
    {"認知者氏名", kT},       {"認知者の戸籍", kT}, {"認知した子の氏名", kT},
    {"認知した子の戸籍", kT}, {"届出日", kD},       {"届出人", kT},
    {"送付を受けた日", kD},   {"受理者", kT}};
// 入籍: the date tag is 【届出日】 (confirmed); 入籍事由/除籍事由 and the registers (from memory).
// A register that exists is named by 【入籍戸籍】 (本籍 and 筆頭者); a new one — the parent's
// register made under 戸籍法17条 — by 【新本籍】 and the address alone, as 婚姻 and 分籍 name a
// new register.
constexpr TagSpec kNyuseki[] = {{"届出日", kD},   {"除籍事由", kT},       {"入籍事由", kT},
                                {"届出人", kT},   {"送付を受けた日", kD}, {"受理者", kT},
                                {"従前戸籍", kT}, {"入籍戸籍", kT},       {"新本籍", kT}};
// 分籍: new register 【分籍日】【従前戸籍】; old register 【分籍日】【新本籍】 (from memory).
constexpr TagSpec kBunseki[] = {
    {"分籍日", kD}, {"送付を受けた日", kD}, {"受理者", kT}, {"従前戸籍", kT}, {"新本籍", kT}};
// 名の変更: 【名の変更日】【従前の記録】【名】 (from memory).
constexpr TagSpec kMeiHenko[] = {{"名の変更日", kD},
                                 {"送付を受けた日", kD},
                                 {"受理者", kT},
                                 {"従前の記録", kH},
                                 {"名", kT, "従前の記録"}};
// 失踪 (from memory).
constexpr TagSpec kShisso[] = {{"死亡とみなされる日", kD},
                               {"失踪宣告の裁判確定日", kD},
                               {"届出日", kD},
                               {"届出人", kT},
                               {"送付を受けた日", kD},
                               {"受理者", kT}};
// 国籍取得 (from memory).
constexpr TagSpec kKokusekiShutoku[] = {
    {"国籍取得日", kD}, {"届出日", kD},         {"届出人", kT}, {"取得の際の国籍", kT},
    {"従前の氏名", kT}, {"送付を受けた日", kD}, {"受理者", kT}};
// 帰化 (from memory).
constexpr TagSpec kKika[] = {{"帰化日", kD},     {"届出日", kD},         {"帰化の際の国籍", kT},
                             {"従前の氏名", kT}, {"送付を受けた日", kD}, {"受理者", kT}};
// 国籍喪失 (tag names UNVERIFIED).
constexpr TagSpec kKokusekiSoshitsu[] = {{"国籍喪失日", kD},     {"喪失時の外国籍", kT},
                                         {"届出日", kD},         {"届出人", kT},
                                         {"送付を受けた日", kD}, {"受理者", kT}};
// 復氏 (戸籍法95条): leaving 【復氏日】【新本籍】/【入籍戸籍】, arriving 【復氏日】【従前戸籍】 (as
// the 離婚 entries; UNVERIFIED).
constexpr TagSpec kFukuuji[] = {{"復氏日", kD},   {"送付を受けた日", kD}, {"受理者", kT},
                                {"従前戸籍", kT}, {"新本籍", kT},         {"入籍戸籍", kT}};
// 婚氏続称 (戸籍法77条の2) on the person, when they move to a new register: leaving
// 【氏変更日】【氏変更の事由】【新本籍】, arriving …【従前戸籍】 (printed as 氏の変更; UNVERIFIED).
constexpr TagSpec kKonshiZokusho[] = {{"氏変更日", kD},       {"氏変更の事由", kT},
                                      {"送付を受けた日", kD}, {"受理者", kT},
                                      {"従前戸籍", kT},       {"新本籍", kT}};
// 姻族関係終了 (戸籍法96条): 【姻族関係終了日】【死亡配偶者氏名】 (from memory; UNVERIFIED).
constexpr TagSpec kInzokuShuryo[] = {
    {"姻族関係終了日", kD}, {"死亡配偶者氏名", kT}, {"送付を受けた日", kD}, {"受理者", kT}};
// 名の振り仮名 (2025–): layout UNVERIFIED (§1.6).
constexpr TagSpec kMeiFurigana[] = {{"名の振り仮名", kT}, {"届出日", kD},         {"届出人", kT},
                                    {"記録日", kD},       {"送付を受けた日", kD}, {"受理者", kT}};
// 名の振り仮名の変更 (戸籍法107条の4; or once without permission after a 職権 record): layout
// UNVERIFIED, written as 名の変更 is.
constexpr TagSpec kMeiFuriganaHenko[] = {{"名の振り仮名の変更日", kD},
                                         {"送付を受けた日", kD},
                                         {"受理者", kT},
                                         {"従前の記録", kH},
                                         {"名の振り仮名", kT, "従前の記録"}};

constexpr EventScope kKoseki = EventScope::kKosekiJiko;
constexpr EventScope kMibun = EventScope::kMibunJiko;

// Transcription (移記) defaults, DOMAIN.md §1.4a: carried over are 出生, the current 婚姻,
// current adoptions, 認知 on the child's side, 親権 (while a minor), 国籍 matters. Whether a
// particular 婚姻 or 親権 is still current is a per-event decision of the rules.
constexpr EventTemplate kTemplates[] = {
    {"戸籍編製", "戸籍編製", kKoseki, kHensei, false},
    {"戸籍改製", "戸籍改製", kKoseki, kKaisei, false},
    {"転籍", "転　　籍", kKoseki, kTenseki, false},
    {"氏の変更", "氏の変更", kKoseki, kUjiHenko, false},
    {"戸籍消除", "戸籍消除", kKoseki, kShojo, false},
    {"氏の振り仮名", "氏の振り仮名", kKoseki, kUjiFurigana, false},
    {"氏の振り仮名の変更", "氏の振り仮名の変更", kKoseki, kUjiFuriganaHenko, false},
    {"出生", "出　　生", kMibun, kShussei, true},
    {"婚姻", "婚　　姻", kMibun, kKonin, true},
    {"死亡", "死　　亡", kMibun, kShibo, false},
    {"配偶者の死亡", "配偶者の死亡", kMibun, kHaigushaShibo, false},
    {"離婚", "離　　婚", kMibun, kRikon, false},
    {"親権", "親　　権", kMibun, kShinken, true},
    {"養子縁組", "養子縁組", kMibun, kYoshiEngumi, true, "養子氏名"},
    {"特別養子縁組", "特別養子縁組", kMibun, kTokubetsuYoshi, true},
    {"養子離縁", "養子離縁", kMibun, kRien, false},
    {"認知", "認　　知", kMibun, kNinchi, true, "認知した子の氏名"},
    {"入籍", "入　　籍", kMibun, kNyuseki, false},
    {"分籍", "分　　籍", kMibun, kBunseki, false},
    {"名の変更", "名の変更", kMibun, kMeiHenko, false},
    {"失踪", "失　　踪", kMibun, kShisso, false},
    {"国籍取得", "国籍取得", kMibun, kKokusekiShutoku, true},
    {"帰化", "帰　　化", kMibun, kKika, true},
    {"国籍喪失", "国籍喪失", kMibun, kKokusekiSoshitsu, false},
    {"名の振り仮名", "名の振り仮名", kMibun, kMeiFurigana, false},
    {"姻族関係終了", "姻族関係終了", kMibun, kInzokuShuryo, false},
    {"復氏", "復　　氏", kMibun, kFukuuji, false},
    {"婚氏続称", "氏の変更", kMibun, kKonshiZokusho, false},
    {"名の振り仮名の変更", "名の振り仮名の変更", kMibun, kMeiFuriganaHenko, false},
};

}  // namespace

const EventTemplate* FindEventTemplate(std::string_view kind) {
  for (const EventTemplate& t : kTemplates) {
    if (t.kind == kind) return &t;
  }
  return nullptr;
}

std::span<const EventTemplate> AllEventTemplates() { return kTemplates; }

const TagSpec* FindTag(const EventTemplate& tmpl, std::string_view tag, std::size_t* position) {
  for (std::size_t i = 0; i < tmpl.tags.size(); ++i) {
    if (tmpl.tags[i].tag == tag) {
      if (position != nullptr) *position = i;
      return &tmpl.tags[i];
    }
  }
  return nullptr;
}

}  // namespace koseki::domain
