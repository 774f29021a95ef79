#include "koseki/domain/testing/example_register.h"

#include <cstdlib>

#include "koseki/domain/event.h"

namespace koseki::domain::testing {

text::JapaneseDate Day(std::string_view iso) {
  Result<text::JapaneseDate> d = text::JapaneseDate::FromIso(iso);
  if (!d) std::abort();
  return *d;
}

Register ExampleRegister() {
  const EventSource iki{.kind = SourceKind::kIki};
  Register r;
  r.honseki = "青葉県みなと市桜町二丁目１５番地";
  r.hittosha_uji = "山川";
  r.hittosha_mei = "健一";
  r.uji = "山川";
  r.koseki_jiko = {
      MakeEvent("戸籍改製",
                {DateField("改製日", Day("2003-03-15")),
                 TextField("改製事由", "平成６年法務省令第５１号附則第２条第１項による改製")},
                EventSource{.kind = SourceKind::kShokken})};

  r.persons.push_back(Person{
      .seq = 1,
      .mei = "健一",
      .sex = Sex::kMale,
      .birth_date = Day("1955-05-10"),
      .father = "山川昭夫",
      .mother = "山川恵子",
      .zokugara = "長男",
      .haigusha_kubun = HaigushaKubun::kOtto,
      .removed = true,
      .removal_kind = "死亡",
      .mibun_jiko = {
          MakeEvent("出生",
                    {DateField("出生日", Day("1955-05-10")), TextField("出生地", "青葉県みなと市"),
                     DateField("届出日", Day("1955-05-16")), TextField("届出人", "父")},
                    iki),
          MakeEvent("婚姻",
                    {DateField("婚姻日", Day("1984-10-10")), TextField("配偶者氏名", "川村美咲"),
                     TextField("従前戸籍", "青葉県みなと市港町一丁目３番地　山川昭夫")},
                    iki),
          MakeEvent("死亡",
                    {DateField("死亡日", Day("2024-11-20")), TimeField("死亡時分", 15, 45),
                     TextField("死亡地", "青葉県みなと市"), DateField("届出日", Day("2024-11-22")),
                     TextField("届出人", "親族　山川美咲")},
                    EventSource{.uketsuke_bango = "第１２３４号"}),
      }});

  r.persons.push_back(Person{
      .seq = 2,
      .mei = "美咲",
      .sex = Sex::kFemale,
      .birth_date = Day("1958-01-25"),
      .father = "川村正和",
      .mother = "川村洋子",
      .zokugara = "二女",
      // No 配偶者区分 since 健一's death (domain/marriage_end.h; DOMAIN.md §1.5 still prints 妻).
      .mibun_jiko = {
          MakeEvent("出生",
                    {DateField("出生日", Day("1958-01-25")), TextField("出生地", "東海県南浜市"),
                     DateField("届出日", Day("1958-02-01")), TextField("届出人", "父")},
                    iki),
          MakeEvent("婚姻",
                    {DateField("婚姻日", Day("1984-10-10")), TextField("配偶者氏名", "山川健一"),
                     TextField("従前戸籍", "東海県南浜市浜町５番地　川村正和")},
                    iki),
          MakeEvent("配偶者の死亡", {DateField("配偶者の死亡日", Day("2024-11-20"))},
                    EventSource{.kind = SourceKind::kShokken}),
      }});

  r.persons.push_back(Person{
      .seq = 3,
      .mei = "真理",
      .sex = Sex::kFemale,
      .birth_date = Day("1985-08-03"),
      .father = "山川健一",
      .mother = "山川美咲",
      .zokugara = "長女",
      .removed = true,
      .removal_kind = "婚姻",
      .mibun_jiko = {
          MakeEvent("出生",
                    {DateField("出生日", Day("1985-08-03")), TextField("出生地", "東海県南浜市"),
                     DateField("届出日", Day("1985-08-10")), TextField("届出人", "父"),
                     DateField("送付を受けた日", Day("1985-08-13")),
                     TextField("受理者", "東海県南浜市長")},
                    iki),
          MakeEvent("婚姻",
                    {DateField("婚姻日", Day("2013-06-01")), TextField("配偶者氏名", "大野翔"),
                     DateField("送付を受けた日", Day("2013-06-05")),
                     TextField("受理者", "青葉県北原市長"),
                     TextField("新本籍", "青葉県北原市緑町一丁目８番地"),
                     TextField("称する氏", "夫の氏")}),
      }});

  r.persons.push_back(Person{
      .seq = 4,
      .mei = "拓也",
      .sex = Sex::kMale,
      .birth_date = Day("1987-12-01"),
      .father = "山川健一",
      .mother = "山川美咲",
      .zokugara = "長男",
      .mibun_jiko = {
          MakeEvent("出生",
                    {DateField("出生日", Day("1987-12-01")), TextField("出生地", "青葉県みなと市"),
                     DateField("届出日", Day("1987-12-08")), TextField("届出人", "父")},
                    iki),
      }});
  return r;
}

CertificateOptions ExampleCertificateOptions() {
  return CertificateOptions{.kind = CertificateKind::kZenbu,
                            .issue_date = Day("2025-01-10"),
                            .mayor_line = "青葉県みなと市長　　北村　誠",
                            .issue_number = 123};
}

}  // namespace koseki::domain::testing
