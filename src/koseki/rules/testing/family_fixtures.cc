#include "koseki/rules/testing/family_fixtures.h"

#include "koseki/domain/event.h"
#include "koseki/domain/testing/example_register.h"

namespace koseki::rules::testing::family {
namespace {

using domain::DateField;
using domain::EventSource;
using domain::HaigushaKubun;
using domain::MakeEvent;
using domain::Person;
using domain::Register;
using domain::Sex;
using domain::TextField;
using domain::testing::Day;

}  // namespace

Register KawakamiRegister() {
  Register r = EmptyRegister("青葉県みなと市港町三丁目７番地", "川上", "正一", KaiseiEvent());
  r.persons.push_back(
      Person{.seq = 1,
             .mei = "正一",
             .sex = Sex::kMale,
             .birth_date = Day("1965-02-03"),
             .father = "川上清",
             .mother = "川上文子",
             .zokugara = "長男",
             .haigusha_kubun = HaigushaKubun::kOtto,
             .mibun_jiko = {BirthEvent("1965-02-03", "青葉県みなと市", "1965-02-10", "父", kIki),
                            MarriageEvent("1994-05-10", "田中由美",
                                          "青葉県みなと市旭町一丁目２番地　川上清", kIki)}});
  r.persons.push_back(Person{
      .seq = 2,
      .mei = "由美",
      .sex = Sex::kFemale,
      .birth_date = Day("1967-07-21"),
      .father = "田中一郎",
      .mother = "田中和子",
      .zokugara = "長女",
      .haigusha_kubun = HaigushaKubun::kTsuma,
      .mibun_jiko = {
          BirthEvent("1967-07-21", "東海県南浜市", "1967-07-28", "父", kIki),
          MarriageEvent("1994-05-10", "川上正一", "東海県南浜市浜町８番地　田中一郎", kIki)}});
  r.persons.push_back(
      Person{.seq = 3,
             .mei = "花子",
             .sex = Sex::kFemale,
             .birth_date = Day("1996-04-12"),
             .father = "川上正一",
             .mother = "川上由美",
             .zokugara = "長女",
             .mibun_jiko = {BirthEvent("1996-04-12", "青葉県みなと市", "1996-04-19", "父", kIki)}});
  r.persons.push_back(
      Person{.seq = 4,
             .mei = "健太",
             .sex = Sex::kMale,
             .birth_date = Day("1999-09-30"),
             .father = "川上正一",
             .mother = "川上由美",
             .zokugara = "長男",
             .mibun_jiko = {BirthEvent("1999-09-30", "青葉県みなと市", "1999-10-06", "父", kIki)}});
  return r;
}

Register KawakamiParentsRegister() {
  Register r = EmptyRegister("青葉県みなと市旭町一丁目２番地", "川上", "清", KaiseiEvent());
  r.persons.push_back(Person{
      .seq = 1,
      .mei = "清",
      .sex = Sex::kMale,
      .birth_date = Day("1938-11-03"),
      .father = "川上茂",
      .mother = "川上とみ",
      .zokugara = "長男",
      .mibun_jiko = {
          BirthEvent("1938-11-03", "青葉県みなと市", "1938-11-10", "父", kIki),
          MarriageEvent("1963-04-20", "石井文子", "青葉県みなと市旭町一丁目２番地　川上茂", kIki),
          MakeEvent("配偶者の死亡", {DateField("配偶者の死亡日", Day("2020-01-10"))}, kShokken)}});
  r.persons.push_back(Person{
      .seq = 2,
      .mei = "文子",
      .sex = Sex::kFemale,
      .birth_date = Day("1940-06-15"),
      .father = "石井守",
      .mother = "石井春江",
      .zokugara = "二女",
      .haigusha_kubun = HaigushaKubun::kTsuma,
      .removed = true,
      .removal_kind = "死亡",
      .mibun_jiko = {
          BirthEvent("1940-06-15", "東海県南浜市", "1940-06-20", "父", kIki),
          MarriageEvent("1963-04-20", "川上清", "東海県南浜市汐見町２番地　石井守", kIki),
          MakeEvent("死亡",
                    {DateField("死亡日", Day("2020-01-10")), domain::TimeField("死亡時分", 6, 30),
                     TextField("死亡地", "青葉県みなと市"), DateField("届出日", Day("2020-01-11")),
                     TextField("届出人", "親族　川上清")},
                    EventSource{})}});
  r.persons.push_back(
      Person{.seq = 3,
             .mei = "修",
             .sex = Sex::kMale,
             .birth_date = Day("1972-08-08"),
             .father = "川上清",
             .mother = "川上文子",
             .zokugara = "二男",
             .mibun_jiko = {BirthEvent("1972-08-08", "青葉県みなと市", "1972-08-14", "父", kIki)}});
  return r;
}

Register MoritaRegister() {
  Register r =
      EmptyRegister("青葉県みなと市本町四丁目１番地", "森田", "和也", HenseiEvent("2020-04-01"));
  r.persons.push_back(
      Person{.seq = 1,
             .mei = "和也",
             .sex = Sex::kMale,
             .birth_date = Day("1990-05-05"),
             .father = "森田英二",
             .mother = "森田直美",
             .zokugara = "長男",
             .mibun_jiko = {BirthEvent("1990-05-05", "東海県南浜市", "1990-05-11", "父", kIki),
                            BunsekiEvent("2020-04-01", "東海県南浜市浜町３番地　森田英二")}});
  return r;
}

Register AokiRegister() {
  Register r =
      EmptyRegister("青葉県みなと市若葉町五丁目８番地", "青木", "誠", HenseiEvent("2015-05-11"));
  r.persons.push_back(Person{
      .seq = 1,
      .mei = "誠",
      .sex = Sex::kMale,
      .birth_date = Day("1985-03-14"),
      .father = "青木茂雄",
      .mother = "青木静江",
      .zokugara = "長男",
      .haigusha_kubun = HaigushaKubun::kOtto,
      .mibun_jiko = {
          BirthEvent("1985-03-14", "青葉県みなと市", "1985-03-20", "父", kIki),
          MarriageEvent("2015-05-11", "松井さくら", "青葉県みなと市本町二丁目３番地　青木茂雄")}});
  r.persons.push_back(Person{
      .seq = 2,
      .mei = "さくら",
      .sex = Sex::kFemale,
      .birth_date = Day("1988-10-02"),
      .father = "松井武",
      .mother = "松井良子",
      .zokugara = "長女",
      .haigusha_kubun = HaigushaKubun::kTsuma,
      .mibun_jiko = {
          BirthEvent("1988-10-02", "青葉県みなと市", "1988-10-07", "父", kIki),
          MarriageEvent("2015-05-11", "青木誠", "青葉県みなと市栄町四丁目１１番地　松井武")}});
  r.persons.push_back(
      Person{.seq = 3,
             .mei = "陽斗",
             .sex = Sex::kMale,
             .birth_date = Day("2016-02-20"),
             .father = "青木誠",
             .mother = "青木さくら",
             .zokugara = "長男",
             .mibun_jiko = {BirthEvent("2016-02-20", "青葉県みなと市", "2016-02-26", "父")}});
  r.persons.push_back(
      Person{.seq = 4,
             .mei = "美月",
             .sex = Sex::kFemale,
             .birth_date = Day("2019-07-07"),
             .father = "青木誠",
             .mother = "青木さくら",
             .zokugara = "長女",
             .mibun_jiko = {BirthEvent("2019-07-07", "東海県南浜市", "2019-07-12", "母")}});
  // 美月's birth was filed where she was born: the 送付 tags of a filing received elsewhere.
  r.persons.back().mibun_jiko.back().fields.push_back(
      DateField("送付を受けた日", Day("2019-07-16")));
  r.persons.back().mibun_jiko.back().fields.push_back(TextField("受理者", "東海県南浜市長"));
  return r;
}

Register MatsuiRegister() {
  Register r = EmptyRegister("青葉県みなと市栄町四丁目１１番地", "松井", "武", KaiseiEvent());
  r.persons.push_back(
      Person{.seq = 1,
             .mei = "武",
             .sex = Sex::kMale,
             .birth_date = Day("1960-01-20"),
             .father = "松井勇",
             .mother = "松井キヨ",
             .zokugara = "長男",
             .haigusha_kubun = HaigushaKubun::kOtto,
             .mibun_jiko = {BirthEvent("1960-01-20", "青葉県みなと市", "1960-01-25", "父", kIki),
                            MarriageEvent("1987-11-03", "吉田良子",
                                          "青葉県みなと市栄町四丁目１１番地　松井勇", kIki)}});
  r.persons.push_back(Person{
      .seq = 2,
      .mei = "良子",
      .sex = Sex::kFemale,
      .birth_date = Day("1962-04-04"),
      .father = "吉田博",
      .mother = "吉田節子",
      .zokugara = "長女",
      .haigusha_kubun = HaigushaKubun::kTsuma,
      .mibun_jiko = {
          BirthEvent("1962-04-04", "青葉県北原市", "1962-04-10", "父", kIki),
          MarriageEvent("1987-11-03", "松井武", "青葉県北原市緑町二丁目４番地　吉田博", kIki)}});
  r.persons.push_back(Person{
      .seq = 3,
      .mei = "さくら",
      .sex = Sex::kFemale,
      .birth_date = Day("1988-10-02"),
      .father = "松井武",
      .mother = "松井良子",
      .zokugara = "長女",
      .removed = true,
      .removal_kind = "婚姻",
      .mibun_jiko = {BirthEvent("1988-10-02", "青葉県みなと市", "1988-10-07", "父", kIki),
                     MakeEvent("婚姻", {DateField("婚姻日", Day("2015-05-11")),
                                        TextField("配偶者氏名", "青木誠"),
                                        TextField("新本籍", "青葉県みなと市若葉町五丁目８番地"),
                                        TextField("称する氏", "夫の氏")})}});
  r.persons.push_back(
      Person{.seq = 4,
             .mei = "翼",
             .sex = Sex::kMale,
             .birth_date = Day("1991-12-12"),
             .father = "松井武",
             .mother = "松井良子",
             .zokugara = "長男",
             .mibun_jiko = {BirthEvent("1991-12-12", "青葉県みなと市", "1991-12-18", "父", kIki)}});
  return r;
}

Values AdultWitnesses() {
  return {{"witness1_name", "佐藤一郎"},
          {"witness1_birth_date", "1970-01-15"},
          {"witness2_name", "高田幸子"},
          {"witness2_birth_date", "1975-03-03"}};
}

Values ExternalHusband(std::string_view honseki, std::string_view hittosha) {
  return {{"husband_ext_honseki", std::string(honseki)},
          {"husband_ext_hittosha", std::string(hittosha)},
          {"husband_ext_uji", "大野"},
          {"husband_ext_mei", "翔"},
          {"husband_ext_birth_date", "1994-08-20"},
          {"husband_ext_father", "大野浩"},
          {"husband_ext_mother", "大野恵"},
          {"husband_ext_zokugara", "長男"},
          {"husband_ext_birth_place", "東海県南浜市"},
          {"husband_ext_birth_filed_on", "1994-08-26"},
          {"husband_ext_birth_filer", "父"}};
}

Values ForeignWife() {
  return {{"wife_foreign_name", "ワン、メイ"},
          {"wife_foreign_nationality", "中国"},
          {"wife_foreign_birth_date", "1993-11-30"}};
}

}  // namespace koseki::rules::testing::family
