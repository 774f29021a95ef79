// Name and place pools for the synthetic register generator.
//
// Everything here is invented or generic: surnames and given names are common ones (no real
// person is described by combining them at random), and every prefecture and city is
// fictional — none of 青葉県, 東海県, 白砂県, 朝凪県 or their cities exists in Japan. Town names
// (桜町, 港町 …) are generic and only ever appear under a fictional city.
//
// Given names are chosen by sex and birth period so that a 明治 birth gets ハル or 金太郎 and a
// 令和 birth gets 陽葵 or 湊. Every 名 uses only 常用/人名用 kanji and kana (戸籍法50条).
// The rare-surname pool holds the names that exercise the character model: ideographic
// variation sequences (葛 U+845B + U+E0102, 辻 U+8FBB + U+E0102), supplementary-plane kanji
// (𠮷 U+20BB7, 𡈽 U+2123D, 𣘺 U+2363A, 𩸽 U+29E3D) and a CJK compatibility ideograph
// (﨑 U+FA11).
//
// All data is static; functions are pure and thread-safe.
#pragma once

#include <span>
#include <string_view>

namespace koseki::synth {

// A name and its reading (振り仮名, katakana), used for 氏の振り仮名 / 名の振り仮名.
struct NameEntry {
  std::string_view text;     // 山川
  std::string_view reading;  // ヤマカワ
};

// Common surnames (氏), BMP-only, without variation selectors.
std::span<const NameEntry> CommonSurnames();

// Surnames that contain a variation selector, a supplementary-plane kanji or a compatibility
// ideograph.
std::span<const NameEntry> RareSurnames();

// Given names (名) for a person of the given sex born in `birth_year`.
std::span<const NameEntry> GivenNames(bool male, int birth_year);

// A fictional municipality.
struct Municipality {
  std::string_view prefecture;  // 青葉県
  std::string_view city;        // 北原市
};

// Every fictional municipality the generator uses for places other than the tenant's own.
std::span<const Municipality> Municipalities();

// Generic town names (町名) used in addresses: 桜町, 港町, 緑町 …
std::span<const std::string_view> TownNames();

}  // namespace koseki::synth
