#pragma once
// Searching as operators type: agency codes and names, document subjects, with or without
// Vietnamese diacritics ("nghi loc" finds "UBND huyện Nghi Lộc", "dong ha" finds "Đông Hà").
#include <string>
#include <string_view>

namespace lienthong::core {

/// `text` (UTF-8) lowercased with Vietnamese diacritics removed: precomposed letters (Latin-1,
/// Latin Extended-A/B, Latin Extended Additional U+1EA0..U+1EF9) become their base letter, đ/Đ
/// becomes d, combining marks U+0300..U+036F (decomposed input) are dropped; other characters
/// are kept as they are. Pure; thread-safe.
std::string fold_vietnamese(std::string_view text);

/// Whether `folded_query` (already folded) is a substring of the folded code or name; an empty
/// query matches everything.
bool agency_matches(std::string_view folded_query, std::string_view code, std::string_view name);

}  // namespace lienthong::core
