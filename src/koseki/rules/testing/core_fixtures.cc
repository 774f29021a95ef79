#include "koseki/rules/testing/core_fixtures.h"

#include "koseki/domain/testing/example_register.h"

namespace koseki::rules::testing::core {
namespace {

using domain::HaigushaKubun;
using domain::Person;
using domain::Sex;
using domain::testing::Day;

}  // namespace

domain::Register ExampleRegisterBeforeDeath() {
  domain::Register reg = domain::testing::ExampleRegister();
  Person& kenichi = reg.persons[0];
  kenichi.removed = false;
  kenichi.removal_kind.clear();
  kenichi.mibun_jiko.pop_back();         // 死亡
  reg.persons[1].mibun_jiko.pop_back();  // 配偶者の死亡
  reg.persons[1].haigusha_kubun = HaigushaKubun::kTsuma;
  return reg;
}

domain::Register UminoRegister() {
  domain::Register reg =
      EmptyRegister("青葉県みなと市緑町三丁目７番地", "海野", "大輔", HenseiEvent("2020-10-10"));
  reg.persons.push_back(
      Person{.seq = 1,
             .mei = "大輔",
             .sex = Sex::kMale,
             .birth_date = Day("1991-03-12"),
             .father = "海野隆",
             .mother = "海野恵美",
             .zokugara = "長男",
             .haigusha_kubun = HaigushaKubun::kOtto,
             .mibun_jiko = {
                 BirthEvent("1991-03-12", "青葉県みなと市", "1991-03-18", "父", kIki),
                 MarriageEvent("2020-10-10", "谷口彩", "青葉県みなと市本町一丁目２番地　海野隆")}});
  reg.persons.push_back(Person{
      .seq = 2,
      .mei = "彩",
      .sex = Sex::kFemale,
      .birth_date = Day("1993-08-21"),
      .father = "谷口修",
      .mother = "谷口直美",
      .zokugara = "長女",
      .haigusha_kubun = HaigushaKubun::kTsuma,
      .mibun_jiko = {BirthEvent("1993-08-21", "東海県南浜市", "1993-08-27", "父", kIki),
                     MarriageEvent("2020-10-10", "海野大輔", "東海県南浜市浜町８番地　谷口修")}});
  reg.persons.push_back(
      Person{.seq = 3,
             .mei = "湊",
             .sex = Sex::kMale,
             .birth_date = Day("2023-06-05"),
             .father = "海野大輔",
             .mother = "海野彩",
             .zokugara = "長男",
             .mibun_jiko = {BirthEvent("2023-06-05", "青葉県みなと市", "2023-06-12", "父")}});
  return reg;
}

domain::Register MoritaParentsRegister() {
  domain::Register reg =
      EmptyRegister("青葉県みなと市東町四丁目２番地", "森田", "和夫", KaiseiEvent());
  reg.persons.push_back(
      Person{.seq = 1,
             .mei = "和夫",
             .sex = Sex::kMale,
             .birth_date = Day("1960-02-14"),
             .father = "森田茂",
             .mother = "森田春子",
             .zokugara = "長男",
             .haigusha_kubun = HaigushaKubun::kOtto,
             .mibun_jiko = {BirthEvent("1960-02-14", "青葉県みなと市", "1960-02-20", "父", kIki),
                            MarriageEvent("1985-11-03", "石井京子",
                                          "青葉県みなと市本町五丁目１番地　森田茂", kIki)}});
  reg.persons.push_back(
      Person{.seq = 2,
             .mei = "京子",
             .sex = Sex::kFemale,
             .birth_date = Day("1962-09-30"),
             .father = "石井進",
             .mother = "石井和代",
             .zokugara = "長女",
             .haigusha_kubun = HaigushaKubun::kTsuma,
             .mibun_jiko = {
                 BirthEvent("1962-09-30", "東海県南浜市", "1962-10-05", "父", kIki),
                 MarriageEvent("1985-11-03", "森田和夫", "東海県南浜市浜町２番地　石井進", kIki)}});
  reg.persons.push_back(
      Person{.seq = 3,
             .mei = "さくら",
             .sex = Sex::kFemale,
             .birth_date = Day("2001-07-07"),
             .father = "森田和夫",
             .mother = "森田京子",
             .zokugara = "長女",
             .mibun_jiko = {BirthEvent("2001-07-07", "青葉県みなと市", "2001-07-13", "父", kIki)}});
  reg.persons.push_back(
      Person{.seq = 4,
             .mei = "悠",
             .sex = Sex::kMale,
             .birth_date = Day("2004-01-20"),
             .father = "森田和夫",
             .mother = "森田京子",
             .zokugara = "長男",
             .mibun_jiko = {BirthEvent("2004-01-20", "青葉県みなと市", "2004-01-26", "父")}});
  return reg;
}

domain::Register SoleMemberRegister() {
  domain::Register reg =
      EmptyRegister("青葉県みなと市西町一丁目５番地", "石田", "文子", HenseiEvent("2008-04-01"));
  reg.persons.push_back(Person{
      .seq = 1,
      .mei = "文子",
      .sex = Sex::kFemale,
      .birth_date = Day("1950-05-05"),
      .father = "石田正雄",
      .mother = "石田トメ",
      .zokugara = "二女",
      .mibun_jiko = {BirthEvent("1950-05-05", "青葉県みなと市", "1950-05-10", "父", kIki),
                     BunsekiEvent("2008-04-01", "青葉県みなと市本町三丁目４番地　石田正雄")}});
  return reg;
}

}  // namespace koseki::rules::testing::core
