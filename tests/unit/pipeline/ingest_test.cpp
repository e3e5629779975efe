#include <catch2/catch.hpp>

#include "fakes/fake_publisher.hpp"
#include "pipeline/ingest.hpp"
#include "routing/router.hpp"
#include "support/bus_process.hpp"
#include "support/test_pki.hpp"

using namespace lienthong;

namespace {

struct fixture {
    bus::routing::directory dir =
        bus::routing::directory::load(LIENTHONG_SOURCE_DIR "/deploy/config/agencies.yaml");
    bus::xml::schema_validator schema =
        bus::xml::schema_validator::load(LIENTHONG_SOURCE_DIR "/schemas/edxml/2016/edoc.xsd");
    bus::crypto::signature_verifier verifier{test::test_trust()};
    test::fake_publisher publisher;
    bus::pipeline::ingest ingest{{}, schema, verifier, dir, publisher};

    core::result<bus::pipeline::accepted> submit(const std::string& sender, std::string packet) {
        std::optional<core::result<bus::pipeline::accepted>> out;
        ingest.submit(sender, std::make_shared<const std::string>(std::move(packet)),
                      [&](core::result<bus::pipeline::accepted> r) { out.emplace(std::move(r)); });
        REQUIRE(out);  // the fake answers synchronously
        return std::move(*out);
    }
};

}  // namespace

TEST_CASE("ingest: a province circular fans out to one message per district", "[unit]") {
    fixture f;
    const auto packet =
        test::signed_sample(test::sample_path("edoc-circular-fanout.edxml"), test::province);
    auto r = f.submit(test::province, packet);
    REQUIRE(r);
    CHECK(r->recipients == std::vector<std::string>{test::district1, test::district2});
    REQUIRE(f.publisher.batches.size() == 1);
    const auto& batch = f.publisher.batches[0];
    REQUIRE(batch.size() == 2);
    for (std::size_t i = 0; i < batch.size(); ++i) {
        CHECK(batch[i].routing_key == bus::routing::route_key(r->recipients[i]));
        CHECK(*batch[i].body == packet);
        CHECK(batch[i].message_id == r->id);
    }
    CHECK(batch[0].body == batch[1].body);  // fan-out shares one copy of the packet
}

TEST_CASE("ingest: nothing is published for a rejected packet", "[unit]") {
    fixture f;
    const auto packet = test::signed_sample(test::sample_path("edoc-new.edxml"), test::commune1);
    SECTION("sender is not the authenticated agency") {
        auto r = f.submit(test::district1, packet);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::errc::sender_mismatch);
    }
    SECTION("broker down: the document is not reported as accepted") {
        f.publisher.up = false;
        auto r = f.submit(test::commune1, packet);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == core::errc::broker_unavailable);
        return;
    }
    CHECK(f.publisher.batches.empty());
}
