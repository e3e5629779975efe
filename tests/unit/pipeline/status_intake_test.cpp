#include <catch2/catch.hpp>

#include <regex>

#include "fakes/fake_publisher.hpp"
#include "pipeline/status_intake.hpp"
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
        auto r = store.reserve({"orig-1", original_document_id, 0, test::commune1, "h",
                                {test::district1}, false, 0});
        REQUIRE(r);
        REQUIRE(store.mark_accepted("orig-1", {}));
    }

    core::result<bus::pipeline::status_accepted> submit(const std::string& reporter,
                                                        std::string packet) {
        std::optional<core::result<bus::pipeline::status_accepted>> out;
        intake.submit(reporter, std::make_shared<const std::string>(std::move(packet)),
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
        auto text = std::regex_replace(status("03", test::district1),
                                       std::regex("125/UBND-VP</DocumentId>"),
                                       "126/UBND-VP</DocumentId>");
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

TEST_CASE("status intake: a cancellation by the original sender goes to the addressees",
          "[unit]") {
    fixture f;
    auto r = f.submit(test::commune1, status("13", test::commune1));
    REQUIRE(r);
    CHECK(r->recipients == std::vector<std::string>{test::district1});
    REQUIRE(f.publisher.batches.size() == 1);
    CHECK(f.publisher.batches[0].at(0).routing_key == std::string(test::district1) + ".inbox");
}
