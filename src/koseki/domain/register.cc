#include "koseki/domain/register.h"

namespace koseki::domain {

std::string Register::HittoshaFullName() const { return hittosha_uji + hittosha_mei; }

std::string Register::HittoshaDisplayName() const { return hittosha_uji + "\u3000" + hittosha_mei; }

std::string Register::FullNameOf(const Person& person) const { return uji + person.mei; }

const Person* Register::FindPerson(int seq) const {
  for (const Person& p : persons) {
    if (p.seq == seq) return &p;
  }
  return nullptr;
}

std::string_view RegisterStatusName(RegisterStatus status) {
  switch (status) {
    case RegisterStatus::kGenzai:
      return "現在";
    case RegisterStatus::kJoseki:
      return "除籍";
    case RegisterStatus::kKaiseiGen:
      return "改製原";
  }
  return "";
}

}  // namespace koseki::domain
