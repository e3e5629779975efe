// The real lienthong-bus against the real RabbitMQ: every status code of POST /v1/documents.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "routing/router.hpp"
#include "support/bus_process.hpp"
#include "support/http_client.hpp"
#include "support/rabbitmq.hpp"
#include "support/test_pki.hpp"
#include "support/webhook_receiver.hpp"

using namespace lienthong;
using test::commune1;
using test::district1;
using test::district2;

namespace {

const std::string sample = LIENTHONG_SOURCE_DIR "/schemas/samples/edoc-new.edxml";

std::string signed_by(const std::string& agency, const std::string& path = sample) {
    return test::sign_sample(path, test::agency_key(agency), test::agency_chain(agency));
}

boost::json::object json_of(const test::http_reply& r) {
    return boost::json::parse(r.body).as_object();
}

void check_problem(const test::http_reply& r, int status, const std::string& type) {
    INFO(r.body);
    CHECK(r.status == status);
    CHECK(r.headers.at("content-type") == "application/problem+json");
    CHECK(json_of(r)["type"].as_string() == type);
}

}  // namespace

TEST_CASE("POST /v1/documents: a signed packet is accepted - then delivered to its addressee",
          "[integration]") {
    test::webhook_receiver receiver;
    const auto directory =
        test::write_directory({{district1, test::webhook_subscription(receiver.url())}});
    test::bus_process bus(test::delivery_config(test::test_amqp_port(), directory));
    const auto packet = signed_by(commune1);
    auto r = test::post_document(bus.port(), test::token_of(commune1), packet);
    INFO(r.body << "\n" << bus.log());
    REQUIRE(r.status == 202);
    auto body = json_of(r);
    const std::string id(body["id"].as_string());
    CHECK(id.size() == 36);
    CHECK(body["document_id"] == "000.01.01.H41,2026/11/20,125/UBND-VP");
    CHECK(body["recipients"] == boost::json::array{district1});
    CHECK(r.headers.at("location") == "/v1/documents/" + id);

    REQUIRE(receiver.wait_delivered(1, std::chrono::seconds(20)));
    const auto got = receiver.delivered().at(0);
    CHECK(got.id == id);
    CHECK(got.body == packet);
    CHECK(got.sender == commune1);
    CHECK(got.recipient == district1);
    CHECK(got.document_id == "000.01.01.H41,2026/11/20,125/UBND-VP");
    CHECK(bus.log().find("\"event\":\"document.accepted\"") != std::string::npos);
}

TEST_CASE("POST /v1/documents: every rejection has its status and problem type", "[integration]") {
    test::bus_process bus(
        test::test_config(test::test_amqp_port(), "limits:\n  max_body_bytes: 65536\n"));
    const auto port = bus.port();
    const auto token = test::token_of(commune1);

    SECTION("400 malformed XML") {
        check_problem(test::post_document(port, token, "<edXML><unclosed></edXML>"), 400,
                      "malformed-xml");
    }
    SECTION("400 schema-invalid lists each issue with line, path and message") {
        std::string bad = signed_by(commune1);
        const auto at = bad.find("<PromulgationDate>2026/11/20");
        REQUIRE(at != std::string::npos);
        bad.replace(at, 28, "<PromulgationDate>20-11-2026");
        auto r = test::post_document(port, token, bad);
        check_problem(r, 400, "schema-invalid");
        auto errors = json_of(r)["errors"].as_array();
        REQUIRE_FALSE(errors.empty());
        auto first = errors[0].as_object();
        CHECK(first["line"].as_int64() > 0);
        CHECK(std::string(first["path"].as_string()).find("PromulgationDate") != std::string::npos);
        CHECK_FALSE(first["message"].as_string().empty());
    }
    SECTION("401 without a token and with a wrong one") {
        auto none = test::http_call(port, "POST", "/v1/documents", signed_by(commune1),
                                    {{"Content-Type", "application/xml"}});
        check_problem(none, 401, "unauthenticated");
        check_problem(test::post_document(port, "wrong", signed_by(commune1)), 401,
                      "unauthenticated");
    }
    SECTION("403 when From is not the authenticated agency") {
        auto r = test::post_document(port, test::token_of(district2), signed_by(commune1));
        check_problem(r, 403, "sender-mismatch");
        CHECK(json_of(r)["field"] == "From/OrganId");
    }
    SECTION("413 for a body over the limit") {
        check_problem(test::post_document(port, token, std::string(70'000, ' ')), 413,
                      "payload-too-large");
    }
    SECTION("415 for a body that is not application/xml") {
        auto r = test::http_call(
            port, "POST", "/v1/documents", signed_by(commune1),
            {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}});
        check_problem(r, 415, "unsupported-media-type");
    }
    SECTION("422 for a tampered packet") {
        std::string tampered = signed_by(commune1);
        const auto at = tampered.find("thu hoạch lúa vụ mùa");
        REQUIRE(at != std::string::npos);
        tampered.replace(at, 3, "THU");
        check_problem(test::post_document(port, token, tampered), 422, "digest-mismatch");
    }
    SECTION("422 for a signer whose chain does not reach a trust anchor") {
        const auto rogue = test::pki_dir() + "/rogue";
        auto r = test::post_document(
            port, token, test::sign_sample(sample, rogue + "/key.pem", rogue + "/cert.pem"));
        check_problem(r, 422, "certificate-untrusted");
    }
    SECTION("422 for an unsigned packet") {
        std::ifstream in(sample);
        std::stringstream ss;
        ss << in.rdbuf();
        check_problem(test::post_document(port, token, ss.str()), 422, "signature-missing");
    }
    SECTION("422 when another agency's certificate signed it") {
        auto r = test::post_document(
            port, token,
            test::sign_sample(sample, test::agency_key(district1), test::agency_chain(district1)));
        check_problem(r, 422, "signer-not-sender");
    }
    SECTION("422 naming an addressee the bus does not serve") {
        std::string packet = test::read_file(sample);
        const auto at = packet.find("<OrganId>000.00.01.H41</OrganId>");
        REQUIRE(at != std::string::npos);
        packet.replace(at, 32, "<OrganId>000.00.07.H41</OrganId>");
        auto r = test::post_document(
            port, token,
            test::sign_bytes(packet, test::agency_key(commune1), test::agency_chain(commune1)));
        check_problem(r, 422, "unknown-recipient");
        CHECK(std::string(json_of(r)["detail"].as_string()).find("000.00.07.H41") !=
              std::string::npos);
    }
    SECTION("health endpoints answer") {
        CHECK(test::http_call(port, "GET", "/healthz").status == 200);
        // Ready once the publisher and the consumer have both connected and declared the
        // topology, which happens in the background after the bus starts listening.
        int ready = 0;
        for (int i = 0; i < 200 && ready != 200; ++i) {
            ready = test::http_call(port, "GET", "/readyz").status;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        CHECK(ready == 200);
    }
}

TEST_CASE("POST /v1/documents: 503 and nothing accepted while the broker is unreachable",
          "[integration]") {
    // A port where no broker listens: the bus starts, reports not-ready and refuses documents.
    test::bus_process bus(test::test_config(test::unused_port()));
    check_problem(test::http_call(bus.port(), "GET", "/readyz"), 503, "broker-unavailable");
    auto r = test::post_document(bus.port(), test::token_of(commune1), signed_by(commune1));
    check_problem(r, 503, "broker-unavailable");
    CHECK(r.headers.count("retry-after") == 1);
}
