#pragma once
// The province's signed-document figure (issue 16): per agency and in total, the accepted
// documents whose signatures the bus checked, by the state of their main PDF, and the signed
// share. Pure functions over the tracking store's counts, so the endpoint, the CLI and the tests
// read the same numbers.
#include <boost/json/object.hpp>
#include <cstdint>
#include <ctime>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/tracking_store.hpp"

namespace lienthong::bus::http::handlers {

/// [from, to) in Unix milliseconds, UTC days.
struct report_window {
    std::int64_t from_ms = 0;
    std::int64_t to_ms = 0;
    std::string from;  ///< "YYYY-MM-DD"
    std::string to;    ///< "YYYY-MM-DD" (exclusive)
};

/// `from` and `to` as "YYYY-MM-DD" (UTC; `to` exclusive); either may be empty: `from` defaults
/// to the first day of the month of `now`, `to` to the first day of the month after `from`.
/// Error: invalid_request naming the parameter (not a date, or to <= from).
core::result<report_window> parse_report_window(const std::string& from, const std::string& to,
                                                std::time_t now);

/// {"from","to","agencies":[{"agency","documents","signed","signed_invalid","unsigned",
/// "not_pdf","signed_share"}],"total":{...same without agency}}. signed_share = signed (all
/// signatures of the main PDF valid) / documents, 0 when there are none; rounded to 4 places.
boost::json::object signature_report_json(const std::vector<store::signature_counts>& counts,
                                          const report_window& window);

/// The same as CSV (RFC 4180): a header line, one line per agency, then "total".
std::string signature_report_csv(const std::vector<store::signature_counts>& counts);

}  // namespace lienthong::bus::http::handlers
