#include "koseki/text/name.h"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/utf16.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "koseki/text/internal/utf8.h"

namespace koseki::text {
namespace {

constexpr char32_t kSpace = U' ';
constexpr char32_t kIdeographicSpace = U'\u3000';

bool IsSpace(char32_t c) { return c == kSpace || c == kIdeographicSpace; }

bool IsControl(char32_t c) {
  return c <= 0x1F || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029;
}

bool IsHalfWidthKatakana(char32_t c) { return c >= 0xFF61 && c <= 0xFF9F; }

// ICU's normalization data are built into libicudata; failing to load them means a broken
// installation. Carrying on would produce different search keys for the same name and
// silently break every blind-index lookup, so this is treated as fatal.
const UNormalizer2* Normalizer(const UNormalizer2* (*get_instance)(UErrorCode*)) {
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2* normalizer = get_instance(&status);
  if (U_FAILURE(status) || normalizer == nullptr) std::abort();
  return normalizer;
}

std::u16string ToUtf16(const std::u32string& text) {
  std::u16string out;
  out.reserve(text.size());
  for (const char32_t c : text) {
    if (c >= 0x10000) {
      out.push_back(static_cast<char16_t>(U16_LEAD(c)));
      out.push_back(static_cast<char16_t>(U16_TRAIL(c)));
    } else {
      out.push_back(static_cast<char16_t>(c));
    }
  }
  return out;
}

std::u32string FromUtf16(const char16_t* text, int32_t length) {
  std::u32string out;
  int32_t i = 0;
  while (i < length) {
    UChar32 c = 0;
    U16_NEXT(text, i, length, c);
    out.push_back(static_cast<char32_t>(c));
  }
  return out;
}

// Returns the decomposition mapping of `c` under `normalizer` (for NFKC: the compatibility
// mapping, ｶ → カ, ﾞ → U+3099), or nullopt if `c` has none.
std::optional<std::u32string> Decomposition(const UNormalizer2* normalizer, char32_t c) {
  char16_t buffer[32];
  UErrorCode status = U_ZERO_ERROR;
  const int32_t length = unorm2_getDecomposition(normalizer, static_cast<UChar32>(c), buffer,
                                                 static_cast<int32_t>(std::size(buffer)), &status);
  if (U_FAILURE(status) || length < 0) return std::nullopt;
  return FromUtf16(buffer, length);
}

std::u32string Nfc(const std::u32string& text) {
  const UNormalizer2* nfc = Normalizer(&unorm2_getNFCInstance);
  const std::u16string source = ToUtf16(text);
  std::u16string result(source.size() + 16, u'\0');
  for (int attempt = 0; attempt < 2; ++attempt) {
    UErrorCode status = U_ZERO_ERROR;
    const int32_t length =
        unorm2_normalize(nfc, source.data(), static_cast<int32_t>(source.size()), result.data(),
                         static_cast<int32_t>(result.size()), &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
      result.assign(static_cast<std::size_t>(length), u'\0');
      continue;
    }
    if (U_FAILURE(status)) std::abort();  // See Normalizer().
    return FromUtf16(result.data(), length);
  }
  std::abort();  // The second attempt had the exact size ICU asked for.
}

Error InvalidUtf8(std::size_t offset) {
  return MakeError(ErrorCode::kInvalidArgument, "KSK-TEXT-001",
                   "文字コードが正しくありません（UTF-8ではありません）。",
                   "ill-formed UTF-8 at byte offset " + std::to_string(offset));
}

}  // namespace

Result<std::u32string> DecodeUtf8(std::string_view utf8) {
  std::u32string out;
  out.reserve(utf8.size());
  std::size_t pos = 0;
  while (pos < utf8.size()) {
    const std::optional<char32_t> c = internal::DecodeOne(utf8, pos);
    if (!c) return InvalidUtf8(pos);
    out.push_back(*c);
  }
  return out;
}

std::string EncodeUtf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  for (const char32_t c : text) internal::AppendUtf8(out, c);
  return out;
}

bool IsVariationSelector(char32_t c) {
  return (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF);
}

std::size_t CountCharacters(std::string_view utf8) {
  std::size_t count = 0;
  bool after_base = false;
  for (const char32_t c : internal::DecodeLenient(utf8)) {
    // A selector modifies the preceding base; a selector with no base still counts, so that
    // nothing in the string is invisible to length checks.
    if (IsVariationSelector(c) && after_base) continue;
    ++count;
    after_base = !IsVariationSelector(c);
  }
  return count;
}

bool IsInvisible(char32_t c) {
  return !IsVariationSelector(c) &&
         u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_DEFAULT_IGNORABLE_CODE_POINT) != 0;
}

Result<std::string> ValidateName(std::string_view name) {
  KOSEKI_ASSIGN_OR_RETURN(const std::u32string code_points, DecodeUtf8(name));
  bool has_visible = false;
  bool after_base = false;
  for (const char32_t c : code_points) {
    if (IsControl(c)) {
      return MakeError(ErrorCode::kInvalidArgument, "KSK-TEXT-003",
                       "氏名に使用できない制御文字が含まれています。", "control character in name");
    }
    if (IsInvisible(c)) {
      return MakeError(
          ErrorCode::kInvalidArgument, "KSK-TEXT-005",
          "氏名に見えない文字（ゼロ幅の文字、書字方向の制御文字など）が含まれています。",
          "invisible character in name");
    }
    if (IsVariationSelector(c)) {
      if (!after_base) {
        return MakeError(ErrorCode::kInvalidArgument, "KSK-TEXT-004",
                         "異体字セレクタの位置が正しくありません。",
                         "variation selector without a base character");
      }
      continue;
    }
    after_base = !IsSpace(c);
    has_visible = has_visible || !IsSpace(c);
  }
  if (!has_visible) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-TEXT-002", "氏名が入力されていません。",
                     "empty or blank name");
  }
  if (CountCharacters(name) > kMaxNameCharacters) {
    return MakeError(ErrorCode::kInvalidArgument, "KSK-TEXT-006",
                     "氏名が長すぎます（" + std::to_string(kMaxNameCharacters) + " 文字まで）。",
                     "name too long");
  }
  return std::string(name);
}

std::string SearchKey(std::string_view name) {
  const UNormalizer2* nfkc = Normalizer(&unorm2_getNFKCInstance);
  std::u32string folded;
  for (const char32_t c : internal::DecodeLenient(name)) {
    if (IsVariationSelector(c) || IsSpace(c)) continue;
    if (IsHalfWidthKatakana(c)) {
      if (std::optional<std::u32string> wide = Decomposition(nfkc, c)) {
        folded += *wide;
        continue;
      }
    }
    if (c >= 0x21 && c <= 0x7E) {
      folded.push_back(c + (0xFF01 - 0x21));
    } else if ((c >= 0x3041 && c <= 0x3096) || c == 0x309D || c == 0x309E) {
      folded.push_back(c + (0x30A1 - 0x3041));  // ぁ..ゖ → ァ..ヶ, ゝゞ → ヽヾ
    } else {
      folded.push_back(c);
    }
  }
  return EncodeUtf8(Nfc(folded));
}

bool IsKatakanaReading(std::string_view reading) {
  const Result<std::u32string> code_points = DecodeUtf8(reading);
  if (!code_points) return false;
  bool has_katakana = false;
  for (const char32_t c : *code_points) {
    const bool katakana = c >= 0x30A1 && c <= 0x30FA;
    if (!katakana && c != 0x30FC && c != kIdeographicSpace) return false;
    has_katakana = has_katakana || katakana;
  }
  return has_katakana;
}

std::optional<std::string> KanaOnlyReading(std::string_view name) {
  const Result<std::u32string> code_points = DecodeUtf8(name);
  if (!code_points || code_points->empty()) return std::nullopt;
  std::u32string reading;
  for (const char32_t c : *code_points) {
    if (c >= 0x3041 && c <= 0x3096) {
      reading.push_back(c + (0x30A1 - 0x3041));
    } else if ((c >= 0x30A1 && c <= 0x30FA) || c == 0x30FC) {
      reading.push_back(c);
    } else {
      return std::nullopt;
    }
  }
  return EncodeUtf8(reading);
}

}  // namespace koseki::text
