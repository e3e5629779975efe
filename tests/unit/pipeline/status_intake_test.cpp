#include "pipeline/status_intake.hpp"

#include <catch2/catch.hpp>
#include <regex>

#include "fakes/fake_publisher.hpp"
#include "store/sqlite_tracking_store.hpp"
#include "support/bus_process.hpp"
#include "support/test_pki.hpp"

using namespace lienthong;

namespace {

const std::string original_document_id = "000.01.01.H41,2026/11/20,125/UBND-VP";

struct fixture {
    bus::routing::directory dir =
        bus::routing::directory::load(LIENTHONG_SOURCE_DIR "/deploy/config/agencies.yaml");
    bus::xml::schema_validator schema =
        bus::xml::schema_validator::load(LIENTHONG_SOURCE_DIR "/schemas/edxml/2016/status.xsd");
    test::fake_publisher publisher;
    bus::store::sqlite_tracking_store store{test::make_temp_dir("lienthong-status") +
                                            "/tracking.db"};
    core::metrics metrics;
    bus::pipeline::status_intake intake{{}, schema, dir, publisher, store, metrics};

    fixture() {
        // The original: commune1 → district1 (what edoc-new.edxml is), accepted.
        auto r = store.reserve(
            {"orig-1", original_document_id, 0, test::commune1, "h", {test::district1}, false, 0});
        REQUIRE(r);
        REQUIRE(store.mark_accepted("orig-1", {}));
    }

    core::result<bus::pipeline::status_accepted> submit(const std::string& reporter,
                                                        std::string packet) {
        std::optional<core::result<bus::pipeline::status_accepted>> out;
        intake.submit(
            reporter, std::make_shared<const std::string>(std::move(packet)),
            [&](core::result<bus::pipeline::status_accepted> r) { out.emplace(std::move(r)); });
        REQUIRE(out);
        return std::move(*out);
    }
};

std::string status(const std::string& code, const std::string& from) {
    auto text = test::read_file(test::sample_path("status-03-acceptance.edxml"));
    text = std::regex_replace(text, std::regex("<StatusCode>03</StatusCode>"),
                              "<StatusCode>" + code + "</StatusCode>");
    // Only From's OrganId (the first one) changes; ResponseFor keeps the original sender.
    return std::regex_replace(text, std::regex("<OrganId>000.00.01.H41</OrganId>"),
                              "<OrganId>" + from + "</OrganId>",
                              std::regex_constants::format_first_only);
}

}  // namespace

TEST_CASE("status intake: an addressee's status goes to the original sender's routes", "[unit]") {
    fixture f;
    auto r = f.submit(test::district1, status("03", test::district1));
    REQUIRE(r);
    CHECK(r->document == "orig-1");
    CHECK(r->recipients == std::vector<std::string>{test::commune1});
    REQUIRE(f.publisher.batches.size() == 1);
    const auto& m = f.publisher.batches[0].at(0);
    CHECK(m.routing_key == std::string(test::commune1) + ".inbox");
    CHECK(m.message_id == r->id);
    CHECK(m.message_id != "orig-1");  // its own id: several statuses reach the same route
    auto journey = f.store.journey("orig-1");
    REQUIRE(journey);
    REQUIRE(journey->size() == 1);
    CHECK(journey->at(0).kind == "status");
    CHECK(journey->at(0).agency == test::district1);
    CHECK(journey->at(0).code == "03");
}

TEST_CASE("status intake: refusals", "[unit]") {
    fixture f;
    SECTION("not an addressee of the original") {
        auto r = f.submit(test::district2, status("03", test::district2));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::errc::forbidden);
    }
    SECTION("From is not the caller") {
        auto r = f.submit(test::district2, status("03", test::district1));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::errc::sender_mismatch);
    }
    SECTION("no such original") {
        auto text =
            std::regex_replace(status("03", test::district1),
                               std::regex("125/UBND-VP</DocumentId>"), "126/UBND-VP</DocumentId>");
        auto r = f.submit(test::district1, text);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::errc::not_found);
    }
    SECTION("a code outside 01-06, 13, 15, 16") {
        auto r = f.submit(test::district1, status("09", test::district1));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::errc::schema_invalid);
    }
    SECTION("a cancellation by an addressee") {
        auto r = f.submit(test::district1, status("13", test::district1));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::errc::forbidden);
    }
    CHECK(f.publisher.batches.empty());
}

TEST_CASE("status intake: a cancellation by the original sender goes to the addressees", "[unit]") {
    fixture f;
    auto r = f.submit(test::commune1, status("13", test::commune1));
    REQUIRE(r);
    CHECK(r->recipients == std::vector<std::string>{test::district1});
    REQUIRE(f.publisher.batches.size() == 1);
    CHECK(f.publisher.batches[0].at(0).routing_key == std::string(test::district1) + ".inbox");
}

namespace {

const std::string outside = "000.00.00.G22";  ///< Văn phòng Chính phủ: not in the province
const std::string outbound_document_id = "000.01.01.H41,2026/11/21,7/UBND-VP";

/// A status packet as the national axis hands it over: From `from`, about the document
/// `document_id` of `original_sender`.
std::string axis_status(const std::string& code, const std::string& from,
                        const std::string& original_sender, const std::string& document_id) {
    auto text = status(code, from);
    const auto start = text.find("<ResponseFor>");
    const auto end = text.find("</ResponseFor>");
    auto response_for = text.substr(start, end - start);
    response_for = std::regex_replace(response_for, std::regex("<OrganId>[^<]*</OrganId>"),
                                      "<OrganId>" + original_sender + "</OrganId>");
    response_for = std::regex_replace(response_for, std::regex("<DocumentId>[^<]*</DocumentId>"),
                                      "<DocumentId>" + document_id + "</DocumentId>");
    return text.replace(start, end - start, response_for);
}

/// The fixture plus what crossed the national axis: commune1 sent `outbound_document_id` to two
/// agencies outside (one national-axis route: its recipient lists both), and `outside` sent
/// one to district1.
struct axis_fixture : fixture {
    axis_fixture() {
        auto out = store.reserve({"orig-out",
                                  outbound_document_id,
                                  0,
                                  test::commune1,
                                  "h2",
                                  {outside + ",000.00.00.G01"},
                                  false,
                                  0});
        REQUIRE(out);
        REQUIRE(store.mark_accepted("orig-out", {}));
        auto in = store.reserve({"orig-in",
                                 "000.00.00.G22,2026/11/22,9/VPCP",
                                 0,
                                 outside,
                                 "h3",
                                 {test::district1},
                                 false,
                                 0});
        REQUIRE(in);
        REQUIRE(store.mark_accepted("orig-in", {}));
    }

    core::result<bus::pipeline::status_accepted> submit_inbound(std::string packet) {
        std::optional<core::result<bus::pipeline::status_accepted>> out;
        intake.submit_inbound(
            std::make_shared<const std::string>(std::move(packet)),
            [&](core::result<bus::pipeline::status_accepted> r) { out.emplace(std::move(r)); });
        REQUIRE(out);
        return std::move(*out);
    }
};

}  // namespace

TEST_CASE("status intake: a status from the national axis goes to the local original sender",
          "[unit]") {
    axis_fixture f;
    auto r = f.submit_inbound(axis_status("03", outside, test::commune1, outbound_document_id));
    REQUIRE(r);
    CHECK(r->document == "orig-out");
    CHECK(r->status_code == "03");
    CHECK(r->recipients == std::vector<std::string>{test::commune1});
    REQUIRE(f.publisher.batches.size() == 1);
    const auto& m = f.publisher.batches[0].at(0);
    CHECK(m.routing_key == std::string(test::commune1) + ".inbox");
    const auto header = [&m](const std::string& name) {
        for (const auto& [k, v] : m.headers) {
            if (k == name) {
                return v;
            }
        }
        return std::string{};
    };
    CHECK(header("x-sender") == outside);
    CHECK(header("x-message-type") == "status");
    CHECK(header("x-response-for") == "orig-out");
    auto journey = f.store.journey("orig-out");
    REQUIRE(journey);
    REQUIRE(journey->size() == 1);
    CHECK(journey->at(0).kind == "status");
    CHECK(journey->at(0).agency == outside);
    CHECK(journey->at(0).code == "03");
}

TEST_CASE("status intake: refusals of statuses from the national axis", "[unit]") {
    axis_fixture f;
    SECTION("From is an agency of the province") {
        auto r = f.submit_inbound(
            axis_status("03", test::district1, test::commune1, original_document_id));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::errc::sender_mismatch);
    }
    SECTION("no such original") {
        auto r = f.submit_inbound(
            axis_status("03", outside, test::commune1, "000.01.01.H41,2026/11/21,8/UBND-VP"));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::errc::not_found);
    }
    SECTION("the original was not sent by a local agency") {
        auto r = f.submit_inbound(
            axis_status("03", "000.00.00.G01", outside, "000.00.00.G22,2026/11/22,9/VPCP"));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::errc::not_found);
    }
    SECTION("not an addressee of the original") {
        auto r = f.submit_inbound(
            axis_status("03", "000.00.00.G99", test::commune1, outbound_document_id));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::errc::forbidden);
    }
    SECTION("a cancellation of a local agency's document") {
        auto r = f.submit_inbound(axis_status("13", outside, test::commune1, outbound_document_id));
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::errc::forbidden);
    }
    SECTION("not a status packet") {
        auto r = f.submit_inbound("<edXML/>");
        REQUIRE_FALSE(r);
    }
    CHECK(f.publisher.batches.empty());
}
