// The paged admin endpoints (/v1/admin/agencies, /v1/admin/documents) refuse malformed numbers
// with a problem naming the parameter instead of quietly using a default.
#include "http/handlers/query_string.hpp"

#include <catch2/catch.hpp>

using namespace lienthong::bus::http::handlers;

namespace {

std::string field_of(std::string_view target) {
    auto r = check_numbers(target, {"from_ms", "offset", "limit"});
    return r ? "" : r.error().field;
}

}  // namespace

TEST_CASE("query string: paged numbers are checked - the bad one is named", "[unit]") {
    CHECK(field_of("/v1/admin/agencies") == "");
    CHECK(field_of("/v1/admin/agencies?offset=0&limit=1&q=x") == "");
    CHECK(field_of("/v1/admin/agencies?limit=500") == "");  // clamped by the endpoint, not refused
    CHECK(field_of("/v1/admin/agencies?limit=abc") == "limit");
    CHECK(field_of("/v1/admin/agencies?limit=0") == "limit");
    CHECK(field_of("/v1/admin/agencies?limit=-1") == "limit");
    CHECK(field_of("/v1/admin/agencies?limit=") == "limit");
    CHECK(field_of("/v1/admin/agencies?offset=-5") == "offset");
    CHECK(field_of("/v1/admin/agencies?offset=99999999999999999999") == "offset");
    CHECK(field_of("/v1/admin/documents?from_ms=abc") == "from_ms");
    // Only a `limit=` pair is a limit: not another name ending in it, nor a value holding it.
    CHECK(field_of("/v1/admin/agencies?xlimit=&q=limit=") == "");
    auto r = check_numbers("/x?limit=abc", {"limit"});
    REQUIRE_FALSE(r);
    CHECK(r.error().message.find("'abc'") != std::string::npos);
}
