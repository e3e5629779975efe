// Tracking, status replies and the operators' surface, against the real bus and RabbitMQ.
#include <yaml-cpp/yaml.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <regex>
#include <set>
#include <thread>

#include "support/bus_process.hpp"
#include "support/http_client.hpp"
#include "support/rabbitmq.hpp"
#include "support/test_pki.hpp"
#include "support/webhook_receiver.hpp"

using namespace lienthong;
using namespace std::chrono_literals;

namespace {

using headers = std::vector<std::pair<std::string, std::string>>;

headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

boost::json::object get_json(unsigned short port, const std::string& target,
                             const std::string& token, int expected = 200) {
    auto r = test::http_call(port, "GET", target, {}, bearer(token));
    INFO(target << " -> " << r.status << " " << r.body);
    REQUIRE(r.status == expected);
    return boost::json::parse(r.body).as_object();
}

test::http_reply post_status(unsigned short port, const std::string& agency,
                             const std::string& packet) {
    headers h = bearer(test::token_of(agency));
    h.emplace_back("Content-Type", "application/xml");
    return test::http_call(port, "POST", "/v1/status", packet, h);
}

/// The sample status (district1 answering commune1's edoc-new) with another code / author /
/// DocumentId.
std::string status_packet(const std::string& code, const std::string& from = test::district1,
                          const std::string& document_id = {}) {
    auto text = test::read_file(test::sample_path("status-03-acceptance.edxml"));
    text = std::regex_replace(text, std::regex("<StatusCode>03</StatusCode>"),
                              "<StatusCode>" + code + "</StatusCode>");
    text = std::regex_replace(text, std::regex("<OrganId>000.00.01.H41</OrganId>"),
                              "<OrganId>" + from + "</OrganId>");
    if (!document_id.empty()) {
        text = std::regex_replace(text, std::regex("<DocumentId>[^<]*</DocumentId>"),
                                  "<DocumentId>" + document_id + "</DocumentId>");
    }
    return text;
}

std::string state_of(unsigned short port, const std::string& id, const std::string& token) {
    return std::string(get_json(port, "/v1/documents/" + id, token).at("state").as_string());
}

}  // namespace

TEST_CASE("tracking: a sender follows its document to completed through status replies",
          "[integration]") {
    test::bus_process bus(test::test_config(test::test_amqp_port()));
    const auto packet = test::signed_sample(test::sample_path("edoc-new.edxml"), test::commune1);
    auto posted = test::post_document(bus.port(), test::token_of(test::commune1), packet);
    INFO(posted.body << "\n" << bus.log());
    REQUIRE(posted.status == 202);
    const std::string id(boost::json::parse(posted.body).at("id").as_string());

    // Visible to the sender and the addressee, to nobody else.
    auto journey = get_json(bus.port(), "/v1/documents/" + id, test::token_of(test::commune1));
    CHECK(journey.at("sender").as_string() == test::commune1);
    CHECK(journey.at("document_id").as_string() == "000.01.01.H41,2026/11/20,125/UBND-VP");
    std::set<std::string> kinds;
    for (const auto& e : journey.at("events").as_array()) {
        kinds.insert(std::string(e.at("kind").as_string()));
    }
    CHECK(kinds.count("received") == 1);
    CHECK(kinds.count("queued") == 1);
    CHECK(kinds.count("accepted") == 1);
    get_json(bus.port(), "/v1/documents/" + id, test::token_of(test::district1));
    get_json(bus.port(), "/v1/documents/" + id, test::token_of(test::district2), 403);
    get_json(bus.port(), "/v1/documents/" + id, test::admin_token(), 403);  // admin: other path
    get_json(bus.port(), "/v1/admin/documents/" + id, test::admin_token());
    // Operators look documents up by their DocumentId too; its '/' travels as %2F.
    auto by_document_id =
        get_json(bus.port(), "/v1/admin/documents/000.01.01.H41%2C2026%2F11%2F20%2C125%2FUBND-VP",
                 test::admin_token());
    CHECK(by_document_id.at("id").as_string() == id);
    for (const char* bad : {"abc%zz", "abc%2", "a%00b", "a/b"}) {  // malformed: 400, not 404
        get_json(bus.port(), std::string("/v1/admin/documents/") + bad, test::admin_token(), 400);
    }
    get_json(bus.port(), "/v1/documents/no-such-id", test::token_of(test::commune1), 404);

    SECTION("status replies are matched, authorised and recorded") {
        auto acceptance = post_status(bus.port(), test::district1, status_packet("03"));
        INFO(acceptance.body);
        REQUIRE(acceptance.status == 202);
        auto body = boost::json::parse(acceptance.body).as_object();
        CHECK(body.at("document").as_string() == id);
        CHECK(body.at("recipients").as_array() == boost::json::array{test::commune1});
        CHECK(state_of(bus.port(), id, test::token_of(test::commune1)) == "in-progress");

        // Not an addressee of the original: 403; no such original: 404; From not the caller: 403.
        auto stranger =
            post_status(bus.port(), test::district2, status_packet("03", test::district2));
        CHECK(stranger.status == 403);
        CHECK(stranger.body.find("\"forbidden\"") != std::string::npos);
        auto unknown =
            post_status(bus.port(), test::district1,
                        status_packet("03", test::district1, "000.01.01.H41,2026/11/20,999/X"));
        CHECK(unknown.status == 404);
        auto impostor = post_status(bus.port(), test::district2, status_packet("03"));
        CHECK(impostor.status == 403);
        CHECK(impostor.body.find("sender-mismatch") != std::string::npos);
        auto invalid = post_status(bus.port(), test::district1, status_packet("07"));
        CHECK(invalid.status == 400);

        auto finish = post_status(bus.port(), test::district1, status_packet("06"));
        REQUIRE(finish.status == 202);
        auto done = get_json(bus.port(), "/v1/documents/" + id, test::token_of(test::commune1));
        CHECK(done.at("state").as_string() == "completed");
        const auto& recipient = done.at("recipients").as_array().at(0).as_object();
        CHECK(recipient.at("agency").as_string() == test::district1);
        CHECK(recipient.at("status_code").as_string() == "06");
        CHECK(recipient.at("status").as_string() == "finish");
        std::size_t statuses = 0;
        for (const auto& e : done.at("events").as_array()) {
            statuses += e.at("kind").as_string() == "status";
        }
        CHECK(statuses == 2);
    }
    SECTION("the status reaches the original sender through its subscription") {
        auto finish = post_status(bus.port(), test::district1, status_packet("06"));
        REQUIRE(finish.status == 202);
        // commune1 has no subscription: its implicit pull inbox holds the status packet.
        bool found = false;
        for (int i = 0; i < 100 && !found; ++i) {
            auto inbox = test::http_call(bus.port(), "GET", "/v1/inbox", {},
                                         bearer(test::token_of(test::commune1)));
            found = inbox.status == 200 &&
                    inbox.body.find(std::string(
                        boost::json::parse(finish.body).at("id").as_string())) != std::string::npos;
            std::this_thread::sleep_for(50ms);
        }
        CHECK(found);
    }
}

TEST_CASE("tracking: rejections and outcomes are counted in /metrics and listed as failures",
          "[integration]") {
    test::bus_process bus(test::test_config(test::test_amqp_port()));
    int ready = 0;
    for (int i = 0; i < 200 && ready != 200; ++i) {  // consumer and publisher both connected
        ready = test::http_call(bus.port(), "GET", "/readyz").status;
        std::this_thread::sleep_for(50ms);
    }
    REQUIRE(ready == 200);
    const auto packet = test::signed_sample(test::sample_path("edoc-new.edxml"), test::commune1);
    REQUIRE(test::post_document(bus.port(), test::token_of(test::commune1), packet).status == 202);
    REQUIRE(test::post_document(bus.port(), test::token_of(test::commune1), "<not-xml").status ==
            400);

    auto metrics = test::http_call(bus.port(), "GET", "/metrics", {}, bearer(test::admin_token()));
    REQUIRE(metrics.status == 200);
    CHECK(metrics.headers["content-type"].rfind("text/plain; version=0.0.4", 0) == 0);
    CHECK(metrics.body.find("lienthong_documents_total{outcome=\"accepted\",type=\"\"} 1\n") !=
          std::string::npos);
    CHECK(metrics.body.find(
              "lienthong_documents_total{outcome=\"rejected\",type=\"malformed-xml\"} 1\n") !=
          std::string::npos);
    CHECK(metrics.body.find("lienthong_ingest_duration_seconds_count{outcome=\"accepted\"} 1\n") !=
          std::string::npos);
    CHECK(metrics.body.find("lienthong_broker_connected 1\n") != std::string::npos);
    CHECK(metrics.body.find("lienthong_queue_messages{queue=\"lienthong.dead-letter\"}") !=
          std::string::npos);
    // Operators only.
    CHECK(test::http_call(bus.port(), "GET", "/metrics").status == 401);
    CHECK(test::http_call(bus.port(), "GET", "/metrics", {}, bearer(test::token_of(test::commune1)))
              .status == 403);

    auto failures = get_json(bus.port(), "/v1/admin/failures", test::admin_token());
    const auto& list = failures.at("failures").as_array();
    REQUIRE_FALSE(list.empty());
    CHECK(list.at(0).at("kind").as_string() == "rejected");
    CHECK(list.at(0).at("code").as_string() == "malformed-xml");
    CHECK(list.at(0).at("agency").as_string() == test::commune1);
}

TEST_CASE("operators: a dead letter is listed - replayed through the admin API and delivered",
          "[integration]") {
    test::webhook_receiver receiver;
    const auto directory = test::write_directory(
        {{test::district1, test::webhook_subscription(receiver.url("district1"))}});
    const auto config = test::delivery_config(test::test_amqp_port(), directory);
    test::bus_process bus(config);
    const auto route = std::string(test::district1) + ".http_webhook";
    receiver.always_fail(400);  // permanent: straight to the dead-letter queue

    const auto packet = test::signed_sample(test::sample_path("edoc-new.edxml"), test::commune1);
    auto posted = test::post_document(bus.port(), test::token_of(test::commune1), packet);
    REQUIRE(posted.status == 202);
    const std::string id(boost::json::parse(posted.body).at("id").as_string());

    boost::json::object letter;
    for (int i = 0; i < 200 && letter.empty(); ++i) {
        auto listed = get_json(bus.port(), "/v1/admin/dead-letters", test::admin_token());
        for (const auto& d : listed.at("dead_letters").as_array()) {
            if (d.at("id").as_string() == id) {
                letter = d.as_object();
            }
        }
        std::this_thread::sleep_for(50ms);
    }
    INFO(bus.log());
    REQUIRE_FALSE(letter.empty());
    CHECK(letter.at("route").as_string() == route);
    CHECK(letter.at("recipient").as_string() == test::district1);
    CHECK(letter.at("reason").as_string().find("HTTP 400") != boost::json::string::npos);
    // Listing takes nothing away.
    auto again = get_json(bus.port(), "/v1/admin/dead-letters", test::admin_token());
    CHECK(again.at("dead_letters").as_array().size() == 1);
    CHECK(state_of(bus.port(), id, test::token_of(test::commune1)) == "dead-lettered");
    // A listing hands the messages back; the quorum queue counts them again a moment later.
    auto queues = get_json(bus.port(), "/v1/admin/queues", test::admin_token());
    for (int i = 0; i < 100 && queues.at("dead_letter").at("messages").as_int64() != 1; ++i) {
        std::this_thread::sleep_for(50ms);
        queues = get_json(bus.port(), "/v1/admin/queues", test::admin_token());
    }
    CHECK(queues.at("dead_letter").at("messages").as_int64() == 1);
    bool route_listed = false;
    for (const auto& q : queues.at("routes").as_array()) {
        if (q.at("route").as_string() == route) {
            route_listed = true;
            CHECK(q.at("consumers").as_int64() == 1);
            CHECK(q.at("published_total").as_double() == 1.0);
        }
    }
    CHECK(route_listed);

    receiver.always_fail(0);
    auto none = test::http_call(bus.port(), "POST", "/v1/admin/dead-letters/no-such-id/replay", {},
                                bearer(test::admin_token()));
    CHECK(none.status == 404);
    auto replayed = test::http_call(bus.port(), "POST", "/v1/admin/dead-letters/" + id + "/replay",
                                    {}, bearer(test::admin_token()));
    INFO(replayed.body);
    REQUIRE(replayed.status == 200);
    CHECK(boost::json::parse(replayed.body).at("replayed").as_int64() == 1);
    REQUIRE(receiver.wait_delivered(1, 20s));
    CHECK(receiver.delivered().at(0).id == id);
    CHECK(receiver.delivered().at(0).body == packet);

    std::string state;
    for (int i = 0; i < 100 && state != "delivered"; ++i) {
        state = state_of(bus.port(), id, test::token_of(test::commune1));
        std::this_thread::sleep_for(50ms);
    }
    CHECK(state == "delivered");
    CHECK(get_json(bus.port(), "/v1/admin/dead-letters", test::admin_token())
              .at("dead_letters")
              .as_array()
              .empty());
}

TEST_CASE("openapi: every route the bus serves is described - every described route is served",
          "[integration]") {
    test::bus_process bus(test::test_config(
        test::test_amqp_port(), "ui_dir: " + std::string(LIENTHONG_SOURCE_DIR) + "/bus/http/ui\n"));
    auto served_doc = test::http_call(bus.port(), "GET", "/v1/openapi.yaml");
    REQUIRE(served_doc.status == 200);
    CHECK(served_doc.body ==
          test::read_file(std::string(LIENTHONG_SOURCE_DIR) + "/schemas/openapi.yaml"));

    // What the bus serves: the http.route lines it logs at start-up (from its router).
    std::set<std::pair<std::string, std::string>> served;  // (METHOD, path or prefix/)
    static const std::regex route_line(
        R"re("event":"http\.route","method":"(\w+)","path":"([^"]+)")re");
    const auto log = bus.log();
    for (auto it = std::sregex_iterator(log.begin(), log.end(), route_line);
         it != std::sregex_iterator(); ++it) {
        served.emplace((*it)[1], (*it)[2]);
    }
    REQUIRE(served.size() > 10);

    std::set<std::pair<std::string, std::string>> described;  // (METHOD, templated path)
    const auto doc = YAML::Load(served_doc.body);
    for (const auto& p : doc["paths"]) {
        for (const auto& m : p.second) {
            auto method = m.first.as<std::string>();
            for (auto& c : method) {
                c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            }
            described.emplace(method, p.first.as<std::string>());
        }
    }
    // A described path matches a served one exactly, or lies under a served prefix ("/x/").
    auto matches = [](const std::string& prefix_or_path, const std::string& path) {
        if (prefix_or_path.back() == '/') {
            return path.rfind(prefix_or_path, 0) == 0;
        }
        return path == prefix_or_path;
    };
    for (const auto& [method, path] : described) {
        const auto concrete = std::regex_replace(path, std::regex(R"(\{[^}]+\})"), "x");
        bool found = false;
        for (const auto& [m, p] : served) {
            found = found || (m == method && matches(p, concrete));
        }
        INFO(method << " " << path << " is described but not served");
        CHECK(found);
    }
    for (const auto& [method, path] : served) {
        bool found = false;
        for (const auto& [m, p] : described) {
            found = found || (m == method && matches(path, p));
        }
        INFO(method << " " << path << " is served but not described in schemas/openapi.yaml");
        CHECK(found);
    }
}
