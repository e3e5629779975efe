// A directory reload's route changes: a pure function of the two files' routes, so every bus
// instance that reloads the same file makes the same changes.
#include <catch2/catch.hpp>

#include "routing/directory_reload.hpp"

using namespace lienthong::bus::routing;
using namespace std::chrono_literals;

namespace {

delivery_route webhook(const std::string& agency, const std::string& url) {
    return {route_name(agency, "http_webhook", 0), agency, "http_webhook", {{"url", url}}, {}, ""};
}

delivery_route inbox(const std::string& agency) {
    return {route_name(agency, "inbox", 0), agency, "inbox", {}, {}, ""};
}

std::vector<std::string> names(const std::vector<delivery_route>& routes) {
    std::vector<std::string> out;
    for (const auto& r : routes) {
        out.push_back(r.name);
    }
    return out;
}

}  // namespace

TEST_CASE("route changes: added and changed and removed routes by name", "[unit]") {
    const std::vector<delivery_route> before{inbox("000.00.01.H41"),
                                             webhook("000.00.02.H41", "https://a/in")};
    SECTION("the same routes: nothing to do") { CHECK(diff_routes(before, before).empty()); }
    SECTION("an agency and its subscription added") {
        auto after = before;
        after.push_back(webhook("000.03.01.H41", "https://n/in"));
        const auto c = diff_routes(before, after);
        CHECK(names(c.added) == std::vector<std::string>{"000.03.01.H41.http_webhook"});
        CHECK(c.changed.empty());
        CHECK(c.removed.empty());
    }
    SECTION("a subscription's url or retry schedule changed: the same route, changed") {
        auto after = before;
        after[1].settings = {{"url", "https://b/in"}};
        CHECK(names(diff_routes(before, after).changed) ==
              std::vector<std::string>{"000.00.02.H41.http_webhook"});
        after = before;
        after[1].retry_schedule = {1000ms};
        CHECK(diff_routes(before, after).changed.size() == 1);
        CHECK(diff_routes(before, after).added.empty());
    }
    SECTION("a subscription replacing the implicit inbox: one added, one removed") {
        auto after = before;
        after[0] = webhook("000.00.01.H41", "https://c/in");
        const auto c = diff_routes(before, after);
        CHECK(names(c.added) == std::vector<std::string>{"000.00.01.H41.http_webhook"});
        CHECK(c.removed == std::vector<std::string>{"000.00.01.H41.inbox"});
        CHECK(c.changed.empty());
    }
    SECTION("an agency removed") {
        const std::vector<delivery_route> after{before[1]};
        const auto c = diff_routes(before, after);
        CHECK(c.removed == std::vector<std::string>{"000.00.01.H41.inbox"});
        CHECK(c.added.empty());
        CHECK(c.changed.empty());
    }
}
