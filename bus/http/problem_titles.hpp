#pragma once
// The `title` of each problem type in the bus's languages. English is the HTTP reason phrase of
// the type's status (what the API always answered); Vietnamese names the problem itself, in the
// words of the field (văn bản, đơn vị, chữ ký số).
#include <string_view>

#include "core/error.hpp"
#include "http/language.hpp"
#include "http/types.hpp"

namespace lienthong::bus::http {

/// The title of problem type `code` in `l`; never empty. Thread-safe.
std::string_view problem_title(core::errc code, language l) noexcept;

/// Rewrites the `title` of a problem+json response into `l` (with Content-Language and
/// Vary: Accept-Language); any other response, or English, is left as it is. The `type` slug
/// stays the same in every language.
void localize_problem(response& res, language l);

}  // namespace lienthong::bus::http
