#include "koseki/synth/manifest.h"

#include <array>
#include <set>
#include <string>
#include <string_view>
#include <variant>

namespace koseki::synth {
namespace {

constexpr std::string_view kSpace = "\u3000";

// Tags whose value is a reference to a register: 本籍 + U+3000 + 筆頭者氏名.
constexpr std::array<std::string_view, 5> kRegisterRefTags = {
    "従前戸籍", "入籍戸籍", "認知者の戸籍", "認知した子の戸籍", "養子の従前戸籍"};
// Tags whose value is a place or an address.
constexpr std::array<std::string_view, 5> kPlaceTags = {"出生地", "死亡地", "新本籍", "従前本籍",
                                                        "死亡とみなされる地"};
// Dates that are the same for a whole municipality (not personal data).
constexpr std::array<std::string_view, 2> kCommonDateTags = {"改製日", "記録日"};

template <std::size_t N>
bool In(const std::array<std::string_view, N>& set, std::string_view tag) {
  for (std::string_view t : set) {
    if (t == tag) return true;
  }
  return false;
}

struct Collector {
  std::set<std::string> names, dates, places, readings;

  void Name(const std::string& s) {
    if (!s.empty()) names.insert(s);
  }
  void Place(const std::string& s) {
    if (!s.empty()) places.insert(s);
  }
  void Date(const text::JapaneseDate& d) {
    dates.insert(d.ToWareki());
    dates.insert(d.ToIso());
  }

  void Fields(const domain::Event& e) {
    for (const domain::Field& f : e.fields) {
      if (const auto* d = std::get_if<text::JapaneseDate>(&f.value)) {
        if (!In(kCommonDateTags, f.tag)) Date(*d);
        continue;
      }
      const auto* s = std::get_if<std::string>(&f.value);
      if (s == nullptr || s->empty()) continue;
      const std::size_t space = s->find(kSpace);
      if (In(kRegisterRefTags, f.tag)) {
        Place(*s);
        if (space != std::string::npos) {
          Place(s->substr(0, space));
          Name(s->substr(space + kSpace.size()));
        }
      } else if (In(kPlaceTags, f.tag)) {
        Place(*s);
      } else if (f.tag.find("氏名") != std::string::npos) {
        Name(*s);
      } else if (f.tag == "届出人" && space != std::string::npos) {
        Name(s->substr(space + kSpace.size()));  // 親族　山川美咲
      } else if (f.tag.find("振り仮名") != std::string::npos) {
        readings.insert(*s);
      }
    }
  }
};

nlohmann::json ToArray(const std::set<std::string>& values) {
  nlohmann::json out = nlohmann::json::array();
  for (const std::string& v : values) out.push_back(v);
  return out;
}

}  // namespace

nlohmann::json ManifestLine(const domain::Register& reg) {
  Collector c;
  c.Place(reg.honseki);
  c.Name(reg.HittoshaFullName());
  c.Name(reg.HittoshaDisplayName());
  if (reg.uji_furigana) c.readings.insert(*reg.uji_furigana);
  for (const domain::Event& e : reg.koseki_jiko) c.Fields(e);
  for (const domain::Person& p : reg.persons) {
    c.Name(reg.FullNameOf(p));
    c.Name(reg.uji + std::string(kSpace) + p.mei);
    c.Name(p.mei);
    c.Name(p.father);
    c.Name(p.mother);
    c.Name(p.yofu);
    c.Name(p.yobo);
    c.Date(p.birth_date);
    if (p.mei_furigana) c.readings.insert(*p.mei_furigana);
    for (const domain::Event& e : p.mibun_jiko) c.Fields(e);
  }
  nlohmann::json line;
  line["honseki"] = reg.honseki;
  line["hittosha"] = reg.HittoshaDisplayName();
  line["hittosha_full"] = reg.HittoshaFullName();
  line["hittosha_uji"] = reg.hittosha_uji;
  line["hittosha_mei"] = reg.hittosha_mei;
  line["status"] = std::string(domain::RegisterStatusName(reg.status));
  line["persons"] = reg.persons.size();
  line["names"] = ToArray(c.names);
  line["dates"] = ToArray(c.dates);
  line["places"] = ToArray(c.places);
  line["readings"] = ToArray(c.readings);
  return line;
}

}  // namespace koseki::synth
