#include "core/vietnamese.hpp"

#include <cstdint>

namespace lienthong::core {

namespace {

// The base letter of each code point in the two ranges ('?' = not a letter with a base).
// Generated with Python's unicodedata (NFD, first character), đ/Đ mapped to d by hand.
constexpr std::string_view latin_c0_1b0 =
    "aaaaaa?ceeeeiiii?nooooo??uuuuy??aaaaaa?ceeeeiiii?nooooo??uuuuy?yaaaaaaccccccccddddeeeeeeeeee"
    "gggggggghh??iiiiiiiii???jjkk?llllll????nnnnnn???oooooo??rrrrrrsssssssstttt??uuuuuuuuuuuuwwyy"
    "yzzzzzz?????????????????????????????????oo?????????????uu";
constexpr std::string_view latin_1ea0_1ef9 =
    "aaaaaaaaaaaaaaaaaaaaaaaaeeeeeeeeeeeeeeeeiiiioooooooooooooooooooooooouuuuuuuuuuuuuuyyyyyyyy";

/// Decodes one UTF-8 sequence at `i` (advancing it); U+FFFD for a malformed one.
char32_t next_code_point(std::string_view s, std::size_t& i) {
    const auto b = static_cast<unsigned char>(s[i]);
    int extra = b < 0x80 ? 0 : (b >> 5) == 6 ? 1 : (b >> 4) == 14 ? 2 : (b >> 3) == 30 ? 3 : -1;
    if (extra < 0 || i + static_cast<std::size_t>(extra) >= s.size()) {
        ++i;
        return 0xFFFD;
    }
    char32_t cp = extra == 0 ? b : b & (0x3F >> extra);
    for (int k = 1; k <= extra; ++k) {
        const auto c = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
        if ((c & 0xC0) != 0x80) {
            ++i;
            return 0xFFFD;
        }
        cp = (cp << 6) | (c & 0x3F);
    }
    i += static_cast<std::size_t>(extra) + 1;
    return cp;
}

char base_letter(char32_t cp) {
    if (cp >= 0xC0 && cp <= 0x1B0) {
        return latin_c0_1b0[cp - 0xC0];
    }
    if (cp >= 0x1EA0 && cp <= 0x1EF9) {
        return latin_1ea0_1ef9[cp - 0x1EA0];
    }
    return '?';
}

}  // namespace

std::string fold_vietnamese(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto start = i;
        const auto cp = next_code_point(text, i);
        if (cp < 0x80) {
            out += static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp - 'A' + 'a' : cp);
        } else if (cp >= 0x300 && cp <= 0x36F) {
            continue;  // a combining mark of decomposed input
        } else if (const char b = base_letter(cp); b != '?') {
            out += b;
        } else {
            out.append(text.substr(start, i - start));
        }
    }
    return out;
}

bool agency_matches(std::string_view folded_query, std::string_view code, std::string_view name) {
    if (folded_query.empty()) {
        return true;
    }
    return fold_vietnamese(code).find(folded_query) != std::string::npos ||
           fold_vietnamese(name).find(folded_query) != std::string::npos;
}

}  // namespace lienthong::core
