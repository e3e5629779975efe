#include "pipeline/journey.hpp"

#include <catch2/catch.hpp>

using namespace lienthong;
using bus::store::journey_event;

namespace {

const std::string sender = "000.01.01.H41";
const std::string a = "000.00.01.H41";
const std::string b = "000.00.02.H41";

bus::store::document_record doc(bool accepted = true) {
    return {"id-1", "D", 0, sender, "h", {a, b}, accepted, 0};
}

journey_event ev(std::string kind, std::string route = {}, std::string agency = {},
                 std::string code = {}) {
    return {"id-1", std::move(kind), std::move(route), "", 0, std::move(agency), std::move(code)};
}

}  // namespace

TEST_CASE("journey: the state follows deliveries - dead letters - replays and status replies",
          "[unit]") {
    std::vector<journey_event> events{ev("received"), ev("queued", a + ".inbox"),
                                      ev("queued", b + ".http_webhook"),
                                      ev("queued", b + ".directory_drop"), ev("accepted")};
    CHECK(bus::pipeline::summarize(doc(false), events).state == "received");
    CHECK(bus::pipeline::summarize(doc(), events).state == "accepted");

    events.push_back(ev("delivered", a + ".inbox"));
    events.push_back(ev("delivered", b + ".http_webhook"));
    auto s = bus::pipeline::summarize(doc(), events);
    CHECK(s.state == "accepted");  // b still has a route to go
    CHECK(s.recipients.at(0).delivered);
    CHECK_FALSE(s.recipients.at(1).delivered);

    events.push_back(ev("dead_lettered", b + ".directory_drop"));
    s = bus::pipeline::summarize(doc(), events);
    CHECK(s.state == "dead-lettered");
    CHECK(s.recipients.at(1).dead_lettered);

    events.push_back(ev("replayed", b + ".directory_drop"));
    CHECK(bus::pipeline::summarize(doc(), events).state == "accepted");
    events.push_back(ev("delivered", b + ".directory_drop"));
    CHECK(bus::pipeline::summarize(doc(), events).state == "delivered");

    events.push_back(ev("status", "", a, "03"));
    CHECK(bus::pipeline::summarize(doc(), events).state == "in-progress");
    events.push_back(ev("status", "", a, "06"));
    CHECK(bus::pipeline::summarize(doc(), events).state == "in-progress");  // b has not finished
    events.push_back(ev("status", "", b, "02"));
    CHECK(bus::pipeline::summarize(doc(), events).state == "rejected-by-recipient");
    events.push_back(ev("status", "", b, "06"));
    s = bus::pipeline::summarize(doc(), events);
    CHECK(s.state == "completed");
    CHECK(s.recipients.at(1).status_code == "06");

    events.push_back(ev("status", "", sender, "13"));
    CHECK(bus::pipeline::summarize(doc(), events).state == "cancelled");
}

TEST_CASE("journey: an addressee outside the province is tracked on the national-axis route",
          "[unit]") {
    bus::store::document_record d{"id-1", "D", 0, sender, "h", {"000.00.00.G01"}, true, 0};
    std::vector<journey_event> events{ev("queued", "national-axis"), ev("accepted")};
    CHECK(bus::pipeline::summarize(d, events).state == "accepted");
    events.push_back(ev("delivered", "national-axis"));
    CHECK(bus::pipeline::summarize(d, events).state == "delivered");
}
