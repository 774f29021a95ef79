#include "koseki/rules/testing/misc_fixtures.h"

#include <utility>

#include "koseki/domain/event.h"
#include "koseki/domain/testing/example_register.h"

namespace koseki::rules::testing::misc {
namespace {

using domain::DateField;
using domain::Event;
using domain::HaigushaKubun;
using domain::MakeEvent;
using domain::Person;
using domain::Register;
using domain::Sex;
using domain::TextField;
using domain::testing::Day;

// 悠斗's 認知 of 陽菜 (令和７年９月１日), as recorded on the child and on the father.
Event NinchiOnChild(bool father_in_own_register) {
  return MakeEvent("認知",
                   {DateField("認知日", Day("2025-09-01")), TextField("認知者氏名", "高橋悠斗"),
                    TextField("認知者の戸籍", father_in_own_register
                                                  ? "青葉県みなと市本町二丁目１番地　高橋悠斗"
                                                  : "青葉県みなと市緑町五丁目３番地　高橋隆")});
}
Event NinchiOnFather() {
  return MakeEvent("認知",
                   {DateField("認知日", Day("2025-09-01")), TextField("認知した子の氏名", "森陽菜"),
                    TextField("認知した子の戸籍", "青葉県みなと市若葉町一丁目５番地　森由紀")});
}

}  // namespace

Register OgawaRegister() {
  Register r =
      EmptyRegister("青葉県みなと市若葉町三丁目７番地", "小川", "浩", HenseiEvent("1999-04-10"));
  r.persons.push_back(
      Person{.seq = 1,
             .mei = "浩",
             .sex = Sex::kMale,
             .birth_date = Day("1970-04-02"),
             .father = "小川勇",
             .mother = "小川節子",
             .zokugara = "長男",
             .haigusha_kubun = HaigushaKubun::kOtto,
             .mibun_jiko = {
                 BirthEvent("1970-04-02", "青葉県みなと市", "1970-04-08", "父", kIki),
                 MarriageEvent("1999-04-10", "森由美", "青葉県みなと市本町一丁目１番地　小川勇"),
             }});
  r.persons.push_back(
      Person{.seq = 2,
             .mei = "由美",
             .sex = Sex::kFemale,
             .birth_date = Day("1972-09-15"),
             .father = "森和夫",
             .mother = "森幸子",
             .zokugara = "二女",
             .haigusha_kubun = HaigushaKubun::kTsuma,
             .mibun_jiko = {
                 BirthEvent("1972-09-15", "東海県南浜市", "1972-09-20", "父", kIki),
                 MarriageEvent("1999-04-10", "小川浩", "東海県南浜市浜町２番地　森和夫"),
             }});
  r.persons.push_back(Person{.seq = 3,
                             .mei = "翔太",
                             .sex = Sex::kMale,
                             .birth_date = Day("2000-06-10"),
                             .father = "小川浩",
                             .mother = "小川由美",
                             .zokugara = "長男",
                             .mibun_jiko = {
                                 BirthEvent("2000-06-10", "青葉県みなと市", "2000-06-15", "父"),
                             }});
  r.persons.push_back(Person{
      .seq = 4,
      .mei = "大輔",
      .sex = Sex::kMale,
      .birth_date = Day("2002-08-20"),
      .father = "小川浩",
      .mother = "小川由美",
      .zokugara = "二男",
      .removed = true,
      .removal_kind = "婚姻",
      .mibun_jiko = {
          BirthEvent("2002-08-20", "青葉県みなと市", "2002-08-26", "父"),
          MakeEvent("婚姻",
                    {DateField("婚姻日", Day("2025-05-10")), TextField("配偶者氏名", "田中さくら"),
                     TextField("新本籍", "青葉県北原市緑町一丁目８番地"),
                     TextField("称する氏", "夫の氏")}),
      }});
  r.persons.push_back(Person{.seq = 5,
                             .mei = "彩",
                             .sex = Sex::kFemale,
                             .birth_date = Day("2010-03-03"),
                             .father = "小川浩",
                             .mother = "小川由美",
                             .zokugara = "長女",
                             .mibun_jiko = {
                                 BirthEvent("2010-03-03", "青葉県みなと市", "2010-03-10", "母"),
                             }});
  return r;
}

Register NakamuraRegister() {
  Register r =
      EmptyRegister("青葉県みなと市旭町二丁目６番地", "中村", "正", HenseiEvent("1980-10-05"));
  r.persons.push_back(Person{
      .seq = 1,
      .mei = "正",
      .sex = Sex::kMale,
      .birth_date = Day("1950-03-03"),
      .father = "中村一郎",
      .mother = "中村キヨ",
      .zokugara = "長男",
      .haigusha_kubun = HaigushaKubun::kOtto,
      .mibun_jiko = {
          BirthEvent("1950-03-03", "青葉県みなと市", "1950-03-09", "父", kIki),
          MarriageEvent("1980-10-05", "石井久美子", "青葉県みなと市旭町一丁目１番地　中村一郎"),
      }});
  r.persons.push_back(
      Person{.seq = 2,
             .mei = "久美子",
             .sex = Sex::kFemale,
             .birth_date = Day("1952-12-12"),
             .father = "石井実",
             .mother = "石井トミ",
             .zokugara = "長女",
             .haigusha_kubun = HaigushaKubun::kTsuma,
             .mibun_jiko = {
                 BirthEvent("1952-12-12", "青葉県北原市", "1952-12-18", "父", kIki),
                 MarriageEvent("1980-10-05", "中村正", "青葉県北原市本町四丁目２番地　石井実"),
             }});
  r.persons.push_back(Person{.seq = 3,
                             .mei = "健太",
                             .sex = Sex::kMale,
                             .birth_date = Day("1985-01-10"),
                             .father = "中村正",
                             .mother = "中村久美子",
                             .zokugara = "長男",
                             .mibun_jiko = {
                                 BirthEvent("1985-01-10", "青葉県みなと市", "1985-01-16", "父"),
                             }});
  return r;
}

Register SuzukiRegister() {
  Register r =
      EmptyRegister("青葉県みなと市港町三丁目９番地", "鈴木", "大介", HenseiEvent("2014-06-21"));
  r.persons.push_back(
      Person{.seq = 1,
             .mei = "大介",
             .sex = Sex::kMale,
             .birth_date = Day("1985-05-05"),
             .father = "鈴木健二",
             .mother = "鈴木文子",
             .zokugara = "長男",
             .haigusha_kubun = HaigushaKubun::kOtto,
             .mibun_jiko = {
                 BirthEvent("1985-05-05", "青葉県みなと市", "1985-05-10", "父", kIki),
                 MarriageEvent("2014-06-21", "木村愛", "青葉県みなと市港町一丁目２番地　鈴木健二"),
             }});
  r.persons.push_back(
      Person{.seq = 2,
             .mei = "愛",
             .sex = Sex::kFemale,
             .birth_date = Day("1987-08-08"),
             .father = "木村修",
             .mother = "木村洋子",
             .zokugara = "長女",
             .haigusha_kubun = HaigushaKubun::kTsuma,
             .mibun_jiko = {
                 BirthEvent("1987-08-08", "青葉県みなと市", "1987-08-14", "父", kIki),
                 MarriageEvent("2014-06-21", "鈴木大介", "青葉県みなと市旭町三丁目４番地　木村修"),
             }});
  r.persons.push_back(Person{.seq = 3,
                             .mei = "蓮",
                             .sex = Sex::kMale,
                             .birth_date = Day("2016-09-09"),
                             .father = "鈴木大介",
                             .mother = "鈴木愛",
                             .zokugara = "長男",
                             .mibun_jiko = {
                                 BirthEvent("2016-09-09", "青葉県みなと市", "2016-09-15", "父"),
                             }});
  return r;
}

Register MoriRegister(bool acknowledged, bool father_in_own_register) {
  Register r =
      EmptyRegister("青葉県みなと市若葉町一丁目５番地", "森", "由紀", HenseiEvent("2015-03-02"));
  r.persons.push_back(
      Person{.seq = 1,
             .mei = "由紀",
             .sex = Sex::kFemale,
             .birth_date = Day("1990-02-14"),
             .father = "森隆司",
             .mother = "森典子",
             .zokugara = "長女",
             .mibun_jiko = {
                 BirthEvent("1990-02-14", "青葉県みなと市", "1990-02-20", "父", kIki),
                 BunsekiEvent("2015-03-02", "青葉県みなと市旭町四丁目１０番地　森隆司"),
             }});
  Person child{.seq = 2,
               .mei = "陽菜",
               .sex = Sex::kFemale,
               .birth_date = Day("2016-05-05"),
               .mother = "森由紀",
               .zokugara = "長女",
               .mibun_jiko = {
                   BirthEvent("2016-05-05", "青葉県みなと市", "2016-05-12", "母"),
               }};
  if (acknowledged) {
    child.father = "高橋悠斗";
    child.mibun_jiko.push_back(NinchiOnChild(father_in_own_register));
  }
  r.persons.push_back(std::move(child));
  return r;
}

Register TakahashiParentsRegister(bool acknowledged) {
  Register r =
      EmptyRegister("青葉県みなと市緑町五丁目３番地", "高橋", "隆", HenseiEvent("1986-06-01"));
  r.persons.push_back(
      Person{.seq = 1,
             .mei = "隆",
             .sex = Sex::kMale,
             .birth_date = Day("1960-01-20"),
             .father = "高橋茂",
             .mother = "高橋ハナ",
             .zokugara = "長男",
             .haigusha_kubun = HaigushaKubun::kOtto,
             .mibun_jiko = {
                 BirthEvent("1960-01-20", "青葉県みなと市", "1960-01-25", "父", kIki),
                 MarriageEvent("1986-06-01", "佐藤和子", "青葉県みなと市本町三丁目２番地　高橋茂"),
             }});
  r.persons.push_back(
      Person{.seq = 2,
             .mei = "和子",
             .sex = Sex::kFemale,
             .birth_date = Day("1962-07-07"),
             .father = "佐藤一郎",
             .mother = "佐藤春子",
             .zokugara = "長女",
             .haigusha_kubun = HaigushaKubun::kTsuma,
             .mibun_jiko = {
                 BirthEvent("1962-07-07", "東海県南浜市", "1962-07-12", "父", kIki),
                 MarriageEvent("1986-06-01", "高橋隆", "東海県南浜市港町１番地　佐藤一郎"),
             }});
  Person son{.seq = 3,
             .mei = "悠斗",
             .sex = Sex::kMale,
             .birth_date = Day("1988-11-30"),
             .father = "高橋隆",
             .mother = "高橋和子",
             .zokugara = "長男",
             .mibun_jiko = {
                 BirthEvent("1988-11-30", "青葉県みなと市", "1988-12-05", "父"),
             }};
  if (acknowledged) son.mibun_jiko.push_back(NinchiOnFather());
  r.persons.push_back(std::move(son));
  return r;
}

Register TakahashiOwnRegister(bool acknowledged) {
  Register r =
      EmptyRegister("青葉県みなと市本町二丁目１番地", "高橋", "悠斗", HenseiEvent("2020-04-01"));
  Person p{.seq = 1,
           .mei = "悠斗",
           .sex = Sex::kMale,
           .birth_date = Day("1988-11-30"),
           .father = "高橋隆",
           .mother = "高橋和子",
           .zokugara = "長男",
           .mibun_jiko = {
               BirthEvent("1988-11-30", "青葉県みなと市", "1988-12-05", "父", kIki),
               BunsekiEvent("2020-04-01", "青葉県みなと市緑町五丁目３番地　高橋隆"),
           }};
  if (acknowledged) {
    p.mibun_jiko.push_back(NinchiOnFather());
  }
  r.persons.push_back(std::move(p));
  return r;
}

}  // namespace koseki::rules::testing::misc
