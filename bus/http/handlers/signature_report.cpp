#include "http/handlers/signature_report.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <sstream>

namespace lienthong::bus::http::handlers {
namespace {

std::optional<std::time_t> parse_day(const std::string& text) {
    std::tm tm{};
    std::istringstream in(text);
    in >> std::get_time(&tm, "%Y-%m-%d");
    if (in.fail() || in.peek() != std::char_traits<char>::eof() || text.size() != 10) {
        return std::nullopt;
    }
    return timegm(&tm);
}

std::string day_of(std::time_t t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

// The first day of the month `months` after the month of `t`, UTC.
std::time_t month_start(std::time_t t, int months) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    tm.tm_mday = 1;
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_mon += months;
    return timegm(&tm);
}

double share(std::int64_t part, std::int64_t whole) {
    return whole == 0
               ? 0.0
               : std::round(static_cast<double>(part) / static_cast<double>(whole) * 1e4) / 1e4;
}

boost::json::object row_json(const store::signature_counts& c) {
    return {{"documents", c.documents},
            {"signed", c.signed_valid},
            {"signed_invalid", c.signed_invalid},
            {"unsigned", c.unsigned_pdf},
            {"not_pdf", c.not_pdf},
            {"signed_share", share(c.signed_valid, c.documents)}};
}

store::signature_counts total_of(const std::vector<store::signature_counts>& counts) {
    store::signature_counts t;
    for (const auto& c : counts) {
        t.documents += c.documents;
        t.signed_valid += c.signed_valid;
        t.signed_invalid += c.signed_invalid;
        t.unsigned_pdf += c.unsigned_pdf;
        t.not_pdf += c.not_pdf;
    }
    return t;
}

}  // namespace

core::result<report_window> parse_report_window(const std::string& from, const std::string& to,
                                                std::time_t now) {
    const auto start = from.empty() ? std::optional{month_start(now, 0)} : parse_day(from);
    if (!start) {
        return core::fail(core::errc::invalid_request, "from must be a date YYYY-MM-DD", "from");
    }
    const auto end = to.empty() ? std::optional{month_start(*start, 1)} : parse_day(to);
    if (!end || *end <= *start) {
        return core::fail(core::errc::invalid_request,
                          "to must be a date YYYY-MM-DD after from (exclusive)", "to");
    }
    return report_window{static_cast<std::int64_t>(*start) * 1000,
                         static_cast<std::int64_t>(*end) * 1000, day_of(*start), day_of(*end)};
}

boost::json::object signature_report_json(const std::vector<store::signature_counts>& counts,
                                          const report_window& window) {
    boost::json::array agencies;
    for (const auto& c : counts) {
        auto row = row_json(c);
        row.emplace("agency", c.agency);
        agencies.push_back(std::move(row));
    }
    return {{"from", window.from},
            {"to", window.to},
            {"agencies", std::move(agencies)},
            {"total", row_json(total_of(counts))}};
}

std::string signature_report_csv(const std::vector<store::signature_counts>& counts) {
    std::ostringstream out;
    out << "agency,documents,signed,signed_invalid,unsigned,not_pdf,signed_share\r\n";
    auto line = [&out](const std::string& name, const store::signature_counts& c) {
        char ratio[32];
        std::snprintf(ratio, sizeof ratio, "%.4f", share(c.signed_valid, c.documents));
        // Agency codes are digits, dots and letters: never quoted.
        out << name << ',' << c.documents << ',' << c.signed_valid << ',' << c.signed_invalid << ','
            << c.unsigned_pdf << ',' << c.not_pdf << ',' << ratio << "\r\n";
    };
    for (const auto& c : counts) {
        line(c.agency, c);
    }
    line("total", total_of(counts));
    return out.str();
}

}  // namespace lienthong::bus::http::handlers
