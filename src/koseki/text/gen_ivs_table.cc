// Build tool: writes the table of variation sequences the certificate font can print.
//
// Usage: koseki_gen_ivs_table FONT_FILE OUTPUT_CC
//
// Reads the format-14 cmap subtable (Unicode Variation Sequences) of FONT_FILE, the font the
// certificates are printed with (IPAmj明朝, Debian fonts-ipamj-mincho), and writes a C++ source
// file defining the functions declared in koseki/text/printable_sequences.h under
// `internal`: every (base, selector) pair of the table, sorted, plus the font's path and size.
// Default UVS entries (the sequence draws the base's own glyph) and non-default ones (a glyph
// of its own) are both printable and both listed.
//
// The table is never typed in: the text module checks names at data entry without linking
// FreeType, and this build step is the only path from the installed font into the program. A
// font upgraded after the build is caught by koseki_render_glyph_test, which compares this
// table with the font read at run time.
//
// A build tool, not part of the server: errors go to stderr with exit status 1.
#include <ft2build.h>
#include FT_FREETYPE_H

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

namespace {

struct LibraryDeleter {
  void operator()(FT_Library library) const { FT_Done_FreeType(library); }
};
using LibraryPtr = std::unique_ptr<std::remove_pointer_t<FT_Library>, LibraryDeleter>;

struct FaceDeleter {
  void operator()(FT_Face face) const { FT_Done_Face(face); }
};
using FacePtr = std::unique_ptr<std::remove_pointer_t<FT_Face>, FaceDeleter>;

struct Sequence {
  FT_UInt32 base;
  FT_UInt32 selector;
  bool is_default;
};

int Fail(const std::string& message) {
  std::fprintf(stderr, "koseki_gen_ivs_table: %s\n", message.c_str());
  return 1;
}

std::string Hex(FT_UInt32 c) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%05X", static_cast<unsigned>(c));
  return text;
}

// Returns `text` as a C++ string literal; false if it holds a byte that would need more than
// escaping a quote or a backslash (a control character in a font path is not worth supporting).
bool CppLiteral(const std::string& text, std::string& literal) {
  literal = "\"";
  for (const char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return false;
    if (c == '"' || c == '\\') literal += '\\';
    literal += c;
  }
  literal += '"';
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) return Fail("usage: koseki_gen_ivs_table FONT_FILE OUTPUT_CC");
  const std::string font_path = argv[1];
  const std::string output_path = argv[2];

  std::error_code error;
  const std::uintmax_t font_bytes = std::filesystem::file_size(font_path, error);
  if (error) return Fail(font_path + ": " + error.message());

  FT_Library raw_library = nullptr;
  if (FT_Init_FreeType(&raw_library) != 0) return Fail("FT_Init_FreeType failed");
  const LibraryPtr library(raw_library);
  FT_Face raw_face = nullptr;
  if (FT_New_Face(library.get(), font_path.c_str(), 0, &raw_face) != 0) {
    return Fail(font_path + ": FreeType cannot open it as a font");
  }
  const FacePtr face(raw_face);
  if (FT_Select_Charmap(face.get(), FT_ENCODING_UNICODE) != 0) {
    return Fail(font_path + ": no Unicode cmap");
  }

  // Both calls return a zero-terminated array in one buffer owned by the face, which the next
  // call overwrites: each list is copied before the next call.
  const FT_UInt32* const selector_list = FT_Face_GetVariantSelectors(face.get());
  if (selector_list == nullptr) {
    return Fail(font_path + ": no format-14 cmap (variation sequences)");
  }
  std::vector<FT_UInt32> selectors;
  for (const FT_UInt32* s = selector_list; *s != 0; ++s) selectors.push_back(*s);
  std::vector<Sequence> sequences;
  for (const FT_UInt32 selector : selectors) {
    std::vector<FT_UInt32> bases;
    const FT_UInt32* const base_list = FT_Face_GetCharsOfVariant(face.get(), selector);
    for (const FT_UInt32* b = base_list; b != nullptr && *b != 0; ++b) bases.push_back(*b);
    for (const FT_UInt32 base : bases) {
      const FT_Int is_default = FT_Face_GetCharVariantIsDefault(face.get(), base, selector);
      if (is_default != 0 && is_default != 1) {
        return Fail("FreeType lists " + Hex(base) + " under selector " + Hex(selector) +
                    " but not as a variation sequence");
      }
      sequences.push_back({base, selector, is_default == 1});
    }
  }
  std::sort(sequences.begin(), sequences.end(), [](const Sequence& a, const Sequence& b) {
    return std::pair(a.base, a.selector) < std::pair(b.base, b.selector);
  });
  const auto duplicate = std::adjacent_find(
      sequences.begin(), sequences.end(),
      [](const auto& a, const auto& b) { return a.base == b.base && a.selector == b.selector; });
  if (duplicate != sequences.end()) {
    return Fail("sequence " + Hex(duplicate->base) + " " + Hex(duplicate->selector) +
                " listed twice");
  }
  if (sequences.empty()) return Fail(font_path + ": the format-14 cmap is empty");

  const auto defaults = std::count_if(sequences.begin(), sequences.end(),
                                      [](const Sequence& s) { return s.is_default; });
  std::size_t bases = 0;
  for (std::size_t i = 0; i < sequences.size(); ++i) {
    if (i == 0 || sequences[i].base != sequences[i - 1].base) ++bases;
  }
  std::string path_literal;
  if (!CppLiteral(font_path, path_literal)) {
    return Fail("the font path holds a control character");
  }

  std::ostringstream out;
  out << "// GENERATED by src/koseki/text/gen_ivs_table.cc from the format-14 cmap of\n"
      << "// " << font_path << " (" << font_bytes << " bytes). Do not edit.\n"
      << "// " << sequences.size() << " variation sequences of " << bases
      << " base characters: " << defaults << " default, "
      << sequences.size() - static_cast<std::size_t>(defaults) << " non-default.\n\n"
      << "#include <cstdint>\n#include <span>\n#include <string_view>\n\n"
      << "#include \"koseki/text/printable_sequences.h\"\n\n"
      << "namespace koseki::text::internal {\nnamespace {\n\n"
      << "// (base, selector), sorted.\n"
      << "constexpr VariationSequence kSequences[] = {\n";
  for (std::size_t i = 0; i < sequences.size(); i += 4) {
    out << "   ";
    for (std::size_t j = i; j < std::min(i + 4, sequences.size()); ++j) {
      out << " {" << Hex(sequences[j].base) << ", " << Hex(sequences[j].selector) << "},";
    }
    out << "\n";
  }
  out << "};\n\n"
      << "}  // namespace\n\n"
      << "std::span<const VariationSequence> PrintableSequenceTable() { return kSequences; }\n"
      << "std::string_view PrintableSequenceFontPath() { return " << path_literal << "; }\n"
      << "std::uint64_t PrintableSequenceFontBytes() { return " << font_bytes << "u; }\n\n"
      << "}  // namespace koseki::text::internal\n";

  // Written beside the output and renamed over it, so that a failed run leaves no half table.
  const std::string temporary = output_path + ".tmp";
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    file << out.str();
    file.close();
    if (!file) return Fail(temporary + ": cannot write");
  }
  std::filesystem::rename(temporary, output_path, error);
  if (error) return Fail(output_path + ": " + error.message());
  return 0;
}
