// The signatures report's numbers and shapes (JSON and CSV) from the store's counts, and its
// window of days.
#include "http/handlers/signature_report.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace lienthong::bus;
using lienthong::core::errc;

TEST_CASE("signature report: per agency - total - signed share", "[unit][http]") {
    const std::vector<store::signature_counts> counts{{"000.00.01.H41", 4, 3, 1, 0, 0},
                                                      {"000.01.01.H41", 2, 0, 0, 1, 1}};
    const auto w = http::handlers::parse_report_window("2026-11-01", "2026-12-01", 0);
    REQUIRE(w);
    const auto json = http::handlers::signature_report_json(counts, *w);
    CHECK(json.at("from") == "2026-11-01");
    CHECK(json.at("agencies").as_array().size() == 2);
    CHECK(json.at("agencies").as_array()[0].at("signed_share").as_double() == 0.75);
    CHECK(json.at("total").at("documents").as_int64() == 6);
    CHECK(json.at("total").at("signed").as_int64() == 3);
    CHECK(json.at("total").at("signed_share").as_double() == 0.5);
    CHECK(http::handlers::signature_report_csv(counts) ==
          "agency,documents,signed,signed_invalid,unsigned,not_pdf,signed_share\r\n"
          "000.00.01.H41,4,3,1,0,0,0.7500\r\n"
          "000.01.01.H41,2,0,0,1,1,0.0000\r\n"
          "total,6,3,1,1,1,0.5000\r\n");
    const auto empty = http::handlers::signature_report_json({}, *w);
    CHECK(empty.at("total").at("signed_share").as_double() == 0.0);
}

TEST_CASE("signature report: the window defaults to the current month - bad dates are named",
          "[unit][http]") {
    const std::time_t december_1 = 1796083200;  // 2026-12-01T00:00:00Z
    const auto w = http::handlers::parse_report_window("", "", december_1 - 3600);
    REQUIRE(w);
    CHECK(w->from == "2026-11-01");
    CHECK(w->to == "2026-12-01");
    CHECK(w->to_ms - w->from_ms == 30LL * 86400 * 1000);
    const auto bad = http::handlers::parse_report_window("2026-13-01", "", 0);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == errc::invalid_request);
    CHECK(bad.error().field == "from");
    const auto backwards = http::handlers::parse_report_window("2026-11-02", "2026-11-01", 0);
    REQUIRE_FALSE(backwards);
    CHECK(backwards.error().field == "to");
}
