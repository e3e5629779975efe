// The national axis end to end: the real bus and RabbitMQ, the simulated axis over HTTP.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <regex>
#include <thread>

#include "adapters/national_axis/protocol.hpp"
#include "support/bus_process.hpp"
#include "support/eventually.hpp"
#include "support/http_client.hpp"
#include "support/rabbitmq.hpp"
#include "support/test_pki.hpp"
#include "support/webhook_receiver.hpp"
#include "tools/axis_simulator.hpp"

using namespace lienthong;
using namespace std::chrono_literals;

namespace {

const std::string outside = "000.00.00.G22";  ///< Văn phòng Chính phủ: not in the province

/// edoc-new.edxml from `from` to every code of `to`, with its own DocumentId, signed by `from`.
std::string packet_from(const std::string& from, const std::vector<std::string>& to,
                        const std::string& document_id) {
    auto text = test::read_file(test::sample_path("edoc-new.edxml"));
    const auto to_start = text.find("<To>");
    const auto to_end = text.find("</To>") + 5;
    std::string tos;
    for (const auto& code : to) {
        tos +=
            "<To><OrganId>" + code + "</OrganId><OrganName>Agency " + code + "</OrganName></To>\n";
    }
    text.replace(to_start, to_end - to_start, tos);
    const auto id_start = text.find("<DocumentId>") + 12;
    text.replace(id_start, text.find("</DocumentId>") - id_start, document_id);
    const std::string sample_sender = test::commune1;
    for (auto at = text.find(sample_sender); at != std::string::npos;
         at = text.find(sample_sender, at + from.size())) {
        text.replace(at, sample_sender.size(), from);
    }
    return test::sign_bytes(text, test::agency_key(from), test::agency_chain(from));
}

std::string axis_section(const test::axis_simulator& sim, const std::string& poll_ms = "0") {
    return "national_axis:\n  settings: {endpoint: '" + sim.endpoint() +
           "', system_id: vxp.h41, secret: s3cret, timeout_ms: 5000, poll_interval_ms: " + poll_ms +
           "}\n";
}

using test::eventually;

using test::inbox_document_ids;

/// The sample status packet (03) from `from` about `document_id` of `original_sender`.
std::string status_from(const std::string& from, const std::string& original_sender,
                        const std::string& document_id) {
    auto text = test::read_file(test::sample_path("status-03-acceptance.edxml"));
    text = std::regex_replace(text, std::regex("<OrganId>000.00.01.H41</OrganId>"),
                              "<OrganId>" + from + "</OrganId>");
    text = std::regex_replace(text, std::regex("<OrganId>000.01.01.H41</OrganId>"),
                              "<OrganId>" + original_sender + "</OrganId>");
    return std::regex_replace(text, std::regex("<DocumentId>[^<]*</DocumentId>"),
                              "<DocumentId>" + document_id + "</DocumentId>");
}

}  // namespace

TEST_CASE(
    "national_axis e2e: a document addressed outside the province reaches the axis "
    "with a valid HMAC and hash - the local addressee gets it too",
    "[integration]") {
    test::axis_simulator sim("s3cret");
    const auto directory = test::write_directory({}, axis_section(sim));
    test::bus_process bus(test::delivery_config(test::test_amqp_port(), directory));
    const auto packet = packet_from(test::commune1, {test::district1, outside, "000.00.00.G01"},
                                    "000.01.01.H41,2026/11/24,1/OUT");
    auto r = test::post_document(bus.port(), test::token_of(test::commune1), packet);
    INFO(r.body << "\n" << bus.log());
    REQUIRE(r.status == 202);

    REQUIRE(eventually([&] { return !sim.received().empty(); }));
    const auto got = sim.received();
    REQUIRE(got.size() == 1);  // one sendEdoc for both external addressees
    CHECK(got[0].to == R"(["000.00.00.G22","000.00.00.G01"])");
    CHECK(got[0].from == test::commune1);
    CHECK(got[0].system_id == "vxp.h41");
    CHECK(got[0].packet == packet);  // the signed bytes, untouched
    CHECK(got[0].hash_file == adapters::national_axis::sdk_hash_file(packet));
    CHECK(sim.refused() == 0);  // the simulator checked the HMAC and hash-file

    // district1 has no subscription: its implicit inbox holds the document.
    REQUIRE(eventually([&] { return !inbox_document_ids(bus.port(), test::district1).empty(); }));
    CHECK(inbox_document_ids(bus.port(), test::district1) ==
          std::vector<std::string>{"000.01.01.H41,2026/11/24,1/OUT"});
}

TEST_CASE("national_axis e2e: without an axis - an outside addressee is refused before acceptance",
          "[integration]") {
    test::bus_process bus(test::delivery_config(test::test_amqp_port(), test::write_directory({})));
    auto r =
        test::post_document(bus.port(), test::token_of(test::commune1),
                            packet_from(test::commune1, {outside}, "000.01.01.H41,2026/11/24,2/X"));
    CHECK(r.status == 422);
    CHECK(boost::json::parse(r.body).at("type") == "unknown-recipient");
}

TEST_CASE(
    "national_axis e2e: inbound documents are polled - verified - routed into the province "
    "and acknowledged with updateStatus",
    "[integration]") {
    test::axis_simulator sim("s3cret");
    const auto good = packet_from(outside, {test::district1}, "000.00.00.G22,2026/11/24,9/VPCP");
    auto tampered = packet_from(outside, {test::district1}, "000.00.00.G22,2026/11/24,10/VPCP");
    tampered.replace(tampered.find("V/v báo cáo"), 3, "V/x");  // breaks the signature
    // A local agency's packet arriving through the axis: nobody outside speaks for it.
    const auto local =
        packet_from(test::commune1, {test::district1}, "000.01.01.H41,2026/11/24,3/L");
    const auto good_id = sim.seed(good, outside, test::province);
    const auto tampered_id = sim.seed(tampered, outside, test::province);
    const auto local_id = sim.seed(local, test::commune1, test::province);

    const auto directory = test::write_directory({}, axis_section(sim, "200"));
    test::bus_process bus(test::delivery_config(test::test_amqp_port(), directory));

    REQUIRE(eventually([&] { return sim.status_updates().size() >= 3; }));
    INFO(bus.log());
    std::map<std::string, std::string> status;
    for (const auto& u : sim.status_updates()) {
        status[u.doc_id] = u.status;
    }
    CHECK(status.size() == 3);
    CHECK(status[good_id] == "done");
    CHECK(status[tampered_id] == "fail");
    CHECK(status[local_id] == "fail");

    REQUIRE(eventually([&] { return !inbox_document_ids(bus.port(), test::district1).empty(); }));
    CHECK(inbox_document_ids(bus.port(), test::district1) ==
          std::vector<std::string>{"000.00.00.G22,2026/11/24,9/VPCP"});
    const auto listed =
        test::http_call(bus.port(), "GET", "/v1/inbox", {},
                        {{"Authorization", "Bearer " + test::token_of(test::district1)}});
    const auto list_body = boost::json::parse(listed.body);
    const std::string id(list_body.at("documents").at(0).at("id").as_string());
    auto fetched =
        test::http_call(bus.port(), "GET", "/v1/inbox/" + id, {},
                        {{"Authorization", "Bearer " + test::token_of(test::district1)}});
    CHECK(fetched.body == good);         // the axis's packet, byte for byte
    std::this_thread::sleep_for(500ms);  // further polls find nothing new
    CHECK(sim.status_updates().size() == 3);
}

TEST_CASE("national_axis e2e: --check-config reports every bad axis setting with its path",
          "[integration]") {
    const auto directory = test::write_directory(
        {}, "national_axis:\n  settings: {endpoint: 'ftp://axis', poll_interval_ms: 5}\n");
    auto [rc, out] = test::check_config(test::delivery_config(test::test_amqp_port(), directory));
    INFO(out);
    CHECK(rc == 1);
    for (const char* e :
         {"national_axis.settings.endpoint: ", "national_axis.settings.system_id: is required",
          "national_axis.settings.secret: is required",
          "national_axis.settings.poll_interval_ms: must be an integer"}) {
        CHECK(out.find(e) != std::string::npos);
    }
}

TEST_CASE(
    "national_axis e2e: statuses cross the axis both ways - a polled status reaches the local "
    "sender's journey - a local status goes out with messagetype=status",
    "[integration]") {
    test::axis_simulator sim("s3cret");
    const auto directory = test::write_directory({}, axis_section(sim, "200"));
    test::bus_process bus(test::delivery_config(test::test_amqp_port(), directory));

    // Out: commune1 → outside; in: the outside agency's acceptance of it.
    const std::string out_id = "000.01.01.H41,2026/11/24,5/OUT";
    auto posted = test::post_document(bus.port(), test::token_of(test::commune1),
                                      packet_from(test::commune1, {outside}, out_id));
    INFO(posted.body << "\n" << bus.log());
    REQUIRE(posted.status == 202);
    const std::string bus_id(boost::json::parse(posted.body).at("id").as_string());
    REQUIRE(eventually([&] { return sim.received().size() == 1; }));
    const auto status_id =
        sim.seed(status_from(outside, test::commune1, out_id), outside, test::province, "status");
    REQUIRE(eventually([&] { return !sim.status_updates().empty(); }));
    const auto update = sim.status_updates().at(0);
    CHECK(update.doc_id == status_id);
    CHECK(update.messagetype == "status");
    CHECK(update.status == "done");
    auto journey = test::http_call(bus.port(), "GET", "/v1/documents/" + bus_id, {},
                                   {{"Authorization", "Bearer " + test::token_of(test::commune1)}});
    REQUIRE(journey.status == 200);
    bool recorded = false;
    const auto journey_body = boost::json::parse(journey.body);
    for (const auto& e : journey_body.at("events").as_array()) {
        recorded = recorded || (e.at("kind") == "status" && e.at("agency").as_string() == outside);
    }
    CHECK(recorded);

    // In: outside → district1; out: district1's acceptance of it, to the axis as a status.
    const std::string in_id = "000.00.00.G22,2026/11/24,11/VPCP";
    sim.seed(packet_from(outside, {test::district1}, in_id), outside, test::province);
    REQUIRE(eventually([&] { return sim.status_updates().size() == 2; }));
    REQUIRE(sim.status_updates().at(1).status == "done");
    auto reply = test::http_call(bus.port(), "POST", "/v1/status",
                                 status_from(test::district1, outside, in_id),
                                 {{"Authorization", "Bearer " + test::token_of(test::district1)},
                                  {"Content-Type", "application/xml"}});
    INFO(reply.body);
    REQUIRE(reply.status == 202);
    REQUIRE(eventually([&] { return sim.received().size() == 2; }));
    const auto sent = sim.received().at(1);
    CHECK(sent.messagetype == "status");
    CHECK(sent.from == test::district1);
    CHECK(sent.to == R"(["000.00.00.G22"])");
    CHECK(sent.hash_file == adapters::national_axis::sdk_hash_file(sent.packet));
    CHECK(sim.refused() == 0);
}
