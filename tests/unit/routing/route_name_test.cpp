#include <catch2/catch.hpp>

#include "routing/router.hpp"

using namespace lienthong::bus::routing;

TEST_CASE("route names are built and taken apart in one place", "[unit][routing]") {
    const std::string agency = "000.00.01.H41";
    CHECK(route_name(agency, "http_webhook", 0) == "000.00.01.H41.http_webhook");
    CHECK(route_name(agency, "http_webhook", 1) == "000.00.01.H41.http_webhook.2");

    CHECK(is_route_of(route_name(agency, "inbox", 0), agency));
    CHECK(is_route_of(route_name(agency, "http_webhook", 2), agency));
    CHECK_FALSE(is_route_of(route_name("000.00.01.H411", "inbox", 0), agency));
    CHECK_FALSE(is_route_of(agency + ".", agency));
    CHECK_FALSE(is_route_of(national_axis_route, agency));
}
