#include "http/language.hpp"

#include <cctype>
#include <charconv>
#include <optional>

namespace lienthong::bus::http {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) {
        return false;
    }
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) {
            return false;
        }
    }
    return true;
}

/// The language a range names: "vi", "vi-VN" → vi; "en", "en-US", "*" → en; others: none.
std::optional<language> language_of(std::string_view range) {
    for (const auto& [tag, l] : {std::pair{"vi", language::vi}, std::pair{"en", language::en}}) {
        const std::string_view t(tag);
        if (starts_with_ci(range, t) && (range.size() == t.size() || range[t.size()] == '-')) {
            return l;
        }
    }
    if (range == "*") {
        return language::en;
    }
    return std::nullopt;
}

/// The q-value of one element's parameters, in thousandths (1000 when absent); -1 when bad.
int q_of(std::string_view params) {
    int q = 1000;
    while (!params.empty()) {
        const auto semi = params.find(';');
        const auto p = trim(params.substr(0, semi));
        params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
        if (!starts_with_ci(p, "q=")) {
            continue;
        }
        const auto v = p.substr(2);
        double d = 0;
        const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
        if (ec != std::errc{} || end != v.data() + v.size() || d < 0 || d > 1) {
            return -1;
        }
        q = static_cast<int>(d * 1000 + 0.5);
    }
    return q;
}

}  // namespace

language preferred_language(std::string_view header) noexcept {
    language best = language::en;
    int best_q = 0;
    while (!header.empty()) {
        const auto comma = header.find(',');
        const auto element = trim(header.substr(0, comma));
        header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
        const auto semi = element.find(';');
        const auto l = language_of(trim(element.substr(0, semi)));
        const int q =
            q_of(semi == std::string_view::npos ? std::string_view{} : element.substr(semi + 1));
        if (l && q > best_q) {
            best = *l;
            best_q = q;
        }
    }
    return best;
}

std::string_view language_tag(language l) noexcept { return l == language::vi ? "vi" : "en"; }

}  // namespace lienthong::bus::http
