#pragma once
// The languages the bus answers people in: Vietnamese first (the operators and agency staff of
// the province), English second. Chosen per request from Accept-Language (RFC 9110 section
// 12.5.4), q-values respected.
#include <string_view>

namespace lienthong::bus::http {

enum class language { en, vi };

/// The best of our languages for an Accept-Language value: the highest q among "vi", "vi-*",
/// "en", "en-*" and "*" ("*" is English); ties go to the earlier range; q=0 excludes. English
/// when the header is absent, malformed or names neither (the API's default, kept stable for
/// clients that send no preference). Pure; thread-safe.
language preferred_language(std::string_view accept_language) noexcept;

/// "en" or "vi" (the Content-Language value and the UI catalogue's name).
std::string_view language_tag(language l) noexcept;

}  // namespace lienthong::bus::http
