#include "koseki/domain/marriage_end.h"

#include "koseki/domain/event.h"

namespace koseki::domain {

void RecordSpouseDeath(Person& survivor, const text::JapaneseDate& died) {
  survivor.mibun_jiko.push_back(MakeEvent("配偶者の死亡", {DateField("配偶者の死亡日", died)},
                                          EventSource{.kind = SourceKind::kShokken}));
  survivor.haigusha_kubun = HaigushaKubun::kNone;
}

}  // namespace koseki::domain
