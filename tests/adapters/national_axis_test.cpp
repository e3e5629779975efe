// The national_axis adapter and inbound poller against the simulated axis, over real HTTP.
#include <catch2/catch.hpp>

#include "adapters/national_axis/config.hpp"
#include "adapters/national_axis/inbound_poller.hpp"
#include "support/bus_process.hpp"
#include "support/test_pki.hpp"
#include "tools/axis_simulator.hpp"

using namespace lienthong;
using namespace lienthong::adapters;

namespace {

settings axis_settings(const test::axis_simulator& sim, const std::string& secret) {
    return {{"endpoint", sim.endpoint()},
            {"system_id", "vxp.h41"},
            {"secret", secret},
            {"timeout_ms", "5000"}};
}

delivery make_delivery(std::string packet) {
    delivery d;
    d.id = "6f1c8f0e-0000-4000-8000-000000000001";
    d.document_id = "000.00.00.H41,2026/11/24,12/UBND-VP";
    d.sender = test::province;
    d.recipients = {"000.00.00.G22"};
    d.packet = std::make_shared<const std::string>(std::move(packet));
    return d;
}

}  // namespace

TEST_CASE("national_axis: sendEdoc reaches the axis with a valid HMAC and hash-file",
          "[adapters]") {
    test::axis_simulator sim("s3cret");
    const auto packet = test::signed_sample(test::sample_path("edoc-new.edxml"), test::commune1);
    auto a = national_axis::factory{}.create(axis_settings(sim, "s3cret"));
    a->start();
    const auto r = a->deliver(make_delivery(packet));
    a->stop();
    CHECK(r.result == outcome::delivered);
    const auto got = sim.received();
    REQUIRE(got.size() == 1);
    CHECK(got[0].packet == packet);  // the raw signed bytes, untouched
    CHECK(got[0].hash_file == national_axis::sdk_hash_file(packet));
    CHECK(got[0].from == test::province);
    CHECK(got[0].to == R"(["000.00.00.G22"])");
    CHECK(got[0].messagetype == "edoc");
    CHECK(got[0].system_id == "vxp.h41");
    CHECK(r.reason.find(got[0].doc_id) != std::string::npos);
    CHECK(sim.refused() == 0);
    const auto sent = sim.requests();
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].body == packet + "\r\n");  // as the real client sends it
}

TEST_CASE("national_axis: a status packet goes out with messagetype=status", "[adapters]") {
    test::axis_simulator sim("s3cret");
    auto a = national_axis::factory{}.create(axis_settings(sim, "s3cret"));
    auto d = make_delivery("<edXML>status</edXML>");
    d.kind = message_kind::status;
    CHECK(a->deliver(d).result == outcome::delivered);
    d.kind = message_kind::edoc;
    CHECK(a->deliver(d).result == outcome::delivered);
    const auto got = sim.received();
    REQUIRE(got.size() == 2);
    CHECK(got[0].messagetype == "status");
    CHECK(got[1].messagetype == "edoc");
}

TEST_CASE("national_axis: the axis refuses a wrong secret - it is a permanent failure",
          "[adapters]") {
    test::axis_simulator sim("s3cret");
    auto a = national_axis::factory{}.create(axis_settings(sim, "not-the-secret"));
    const auto r = a->deliver(make_delivery("<edXML/>"));
    CHECK(r.result == outcome::permanent_failure);
    CHECK(r.reason.find("401") != std::string::npos);
    CHECK(sim.received().empty());
    CHECK(sim.refused() == 1);
}

TEST_CASE("national_axis: an unreachable or failing axis is a retryable failure", "[adapters]") {
    SECTION("nothing listens") {
        auto a = national_axis::factory{}.create(
            {{"endpoint", "http://127.0.0.1:" + std::to_string(test::unused_port())},
             {"system_id", "vxp.h41"},
             {"secret", "s"},
             {"timeout_ms", "2000"}});
        CHECK(a->deliver(make_delivery("<edXML/>")).result == outcome::retryable_failure);
    }
    SECTION("the axis answers 503") {
        test::loopback_http_server down([](const test::loopback_request&) {
            test::loopback_response res{boost::beast::http::status::service_unavailable, 11};
            res.body() = R"({"status":"FAIL","ErrorCode":"503","ErrorDesc":"maintenance"})";
            return res;
        });
        auto a = national_axis::factory{}.create(
            {{"endpoint", "http://127.0.0.1:" + std::to_string(down.port())},
             {"system_id", "vxp.h41"},
             {"secret", "s"}});
        const auto r = a->deliver(make_delivery("<edXML/>"));
        CHECK(r.result == outcome::retryable_failure);
        CHECK(r.reason.find("maintenance") != std::string::npos);
    }
}

TEST_CASE("national_axis: inbound poll hands each packet to the bus and reports done/fail",
          "[adapters]") {
    test::axis_simulator sim("s3cret");
    const std::string good = "<edXML>good</edXML>";
    const std::string bad = "<edXML>bad</edXML>";
    const std::string later = "<edXML>later</edXML>";
    const std::string status = "<edXML>status</edXML>";
    const auto good_id = sim.seed(good, "000.00.00.G22", test::province);
    const auto status_id = sim.seed(status, "000.00.00.G22", test::province, "status");
    const auto bad_id = sim.seed(bad, "000.00.00.G22", test::province);
    const auto later_id = sim.seed(later, "000.00.00.G22", test::province);

    std::vector<std::pair<message_kind, std::string>> handed;
    bool broker_up = false;
    std::vector<std::string> errors;
    auto cfg = national_axis::parse_config(axis_settings(sim, "s3cret"), "national_axis", errors);
    REQUIRE(cfg);
    national_axis::inbound_poller poller(
        cfg, [&](message_kind kind, std::shared_ptr<const std::string> packet, const std::string&) {
            handed.emplace_back(kind, *packet);
            if (*packet == bad) {
                return delivery_result{outcome::permanent_failure,
                                       "signature-invalid: the digest\r\ndiffers"};
            }
            if (*packet == later && !broker_up) {
                return delivery_result{outcome::retryable_failure, "broker-unavailable"};
            }
            return delivery_result{outcome::delivered, ""};
        });

    auto first = poller.poll_once();
    CHECK(first.listed == 4);
    CHECK(first.statuses == 1);
    CHECK(first.accepted == 2);
    CHECK(first.refused == 1);
    CHECK(first.deferred == 1);
    // Documents first, then status packets; exact bytes, base64 undone.
    using handed_list = std::vector<std::pair<message_kind, std::string>>;
    CHECK(handed == handed_list{{message_kind::edoc, good},
                                {message_kind::edoc, bad},
                                {message_kind::edoc, later},
                                {message_kind::status, status}});
    auto updates = sim.status_updates();
    REQUIRE(updates.size() == 3);
    CHECK((updates[0].doc_id == good_id && updates[0].status == "done"));
    CHECK(updates[0].description.empty());
    CHECK((updates[1].doc_id == bad_id && updates[1].status == "fail"));
    CHECK(updates[1].description == "signature-invalid: the digest?differs");
    CHECK((updates[2].doc_id == status_id && updates[2].status == "done"));
    CHECK(updates[2].messagetype == "status");

    broker_up = true;
    auto second = poller.poll_once();  // only the deferred one is still waiting
    CHECK(second.listed == 1);
    CHECK(second.accepted == 1);
    updates = sim.status_updates();
    REQUIRE(updates.size() == 4);
    CHECK((updates[3].doc_id == later_id && updates[3].status == "done"));
    CHECK(poller.poll_once().listed == 0);
    CHECK(sim.refused() == 0);
}

TEST_CASE("national_axis: the poller refuses to talk with a wrong secret and hands nothing",
          "[adapters]") {
    test::axis_simulator sim("s3cret");
    sim.seed("<edXML/>", "000.00.00.G22", test::province);
    std::vector<std::string> errors;
    auto cfg = national_axis::parse_config(axis_settings(sim, "wrong"), "national_axis", errors);
    int handed = 0;
    national_axis::inbound_poller poller(cfg, [&](message_kind, auto, const std::string&) {
        ++handed;
        return delivery_result{};
    });
    CHECK(poller.poll_once().list_failed);
    CHECK(handed == 0);
    CHECK(sim.refused() == 2);  // getReceivedEdocList for edoc, then for status
}
