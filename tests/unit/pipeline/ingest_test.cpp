#include "pipeline/ingest.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

#include "fakes/fake_publisher.hpp"
#include "pipeline/journey.hpp"
#include "routing/router.hpp"
#include "store/sqlite_tracking_store.hpp"
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
    bus::store::sqlite_tracking_store store{test::make_temp_dir("lienthong-ingest") +
                                            "/tracking.db"};
    core::metrics metrics;
    bus::pipeline::ingest ingest{{}, schema, verifier, dir, publisher, store, metrics};

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
        CHECK(batch[i].routing_key == bus::routing::route_name(r->recipients[i], "inbox", 0));
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

TEST_CASE("ingest: the same packet twice is one document - other content is a conflict", "[unit]") {
    fixture f;
    const auto sample = test::read_file(test::sample_path("edoc-new.edxml"));
    const auto packet = test::sign_bytes(sample, test::agency_key(test::commune1),
                                         test::agency_chain(test::commune1));
    auto first = f.submit(test::commune1, packet);
    REQUIRE(first);
    CHECK_FALSE(first->repeated);

    auto again = f.submit(test::commune1, packet);
    REQUIRE(again);
    CHECK(again->repeated);
    CHECK(again->id == first->id);
    CHECK(again->recipients == first->recipients);
    CHECK(f.publisher.batches.size() == 1);  // not published again

    std::string changed = sample;
    changed.replace(changed.find("Nguyễn Văn An"), 13, "Lê Văn Bình");
    auto conflict =
        f.submit(test::commune1, test::sign_bytes(changed, test::agency_key(test::commune1),
                                                  test::agency_chain(test::commune1)));
    REQUIRE_FALSE(conflict);
    CHECK(conflict.error().code == core::errc::duplicate_document);
    CHECK(conflict.error().message.find(first->id) != std::string::npos);
    CHECK(f.publisher.batches.size() == 1);
}

TEST_CASE("ingest: a document whose publish failed is published again under the same id",
          "[unit]") {
    fixture f;
    const auto packet = test::signed_sample(test::sample_path("edoc-new.edxml"), test::commune1);
    f.publisher.up = false;
    REQUIRE_FALSE(f.submit(test::commune1, packet));
    f.publisher.up = true;
    auto retried = f.submit(test::commune1, packet);
    REQUIRE(retried);
    CHECK_FALSE(retried->repeated);
    REQUIRE(f.publisher.batches.size() == 2);
    CHECK(f.publisher.batches[0][0].message_id == f.publisher.batches[1][0].message_id);
    CHECK(f.publisher.batches[1][0].message_id == retried->id);
}

TEST_CASE("ingest: a revocation reaches every recipient of the original", "[unit]") {
    fixture f;
    const auto circular = test::read_file(test::sample_path("edoc-circular-fanout.edxml"));
    const auto sign_as_province = [](const std::string& text) {
        return test::sign_bytes(text, test::agency_key(test::province),
                                test::agency_chain(test::province));
    };
    auto original = f.submit(test::province, sign_as_province(circular));
    REQUIRE(original);
    REQUIRE(original->recipients.size() == 2);

    // The revocation is addressed to district 1 only, and reuses the original's DocumentId.
    std::string revocation = circular;
    const auto to2 = revocation.find("<To>", revocation.find("</To>"));
    revocation.erase(to2, revocation.find("</To>", to2) + 5 - to2);
    const auto type = revocation.find("<BussinessDocType>0</BussinessDocType>");
    revocation.replace(type, 38, "<BussinessDocType>1</BussinessDocType>");
    auto r = f.submit(test::province, sign_as_province(revocation));
    REQUIRE(r);
    CHECK(r->id != original->id);
    CHECK(r->recipients == original->recipients);

    SECTION("another sender cannot widen its packet to the original's recipients") {
        // Its own DocumentId, naming the province's document as the one it revokes.
        std::string foreign = revocation;
        foreign.replace(foreign.find("000.00.00.H41"), 13, test::district2);
        const std::string original_id = "000.00.00.H41,2026/12/01,45/CT-UBND";
        foreign.replace(foreign.find("<DocumentId>" + original_id), 12 + original_id.size(),
                        "<DocumentId>000.00.02.H41,2026/12/02,7/UBND");
        foreign.replace(foreign.find("<Paper>"), 0, "<DocumentId>" + original_id + "</DocumentId>");
        auto other =
            f.submit(test::district2, test::sign_bytes(foreign, test::agency_key(test::district2),
                                                       test::agency_chain(test::district2)));
        REQUIRE(other);
        CHECK(other->recipients == std::vector<std::string>{test::district1});
    }
}

TEST_CASE("ingest: an if_present agency's unsigned packet is accepted and says so", "[unit]") {
    fixture f;
    // The demo directory with commune 1 posting under if_present.
    auto agencies = f.dir.agencies();
    for (auto& a : agencies) {
        if (a.code == test::commune1) {
            a.envelope.policy = bus::routing::envelope_policy::if_present;
        }
    }
    f.dir.replace(bus::routing::directory(std::move(agencies)));
    const auto unsigned_packet = test::read_file(test::sample_path("edoc-new.edxml"));

    auto r = f.submit(test::commune1, unsigned_packet);
    REQUIRE(r);
    CHECK(r->envelope_signature == "absent");
    REQUIRE(f.publisher.batches.size() == 1);
    const auto& headers = f.publisher.batches[0][0].headers;
    CHECK(std::find(headers.begin(), headers.end(),
                    std::pair<std::string, std::string>{"x-envelope-signature", "absent"}) !=
          headers.end());
    CHECK(f.metrics.value("lienthong_envelope_signatures_total",
                          {{"verdict", "absent"}, {"policy", "if_present"}}) == 1);
    auto events = f.store.journey(r->id);
    REQUIRE(events);
    CHECK(std::any_of(events->begin(), events->end(), [](const auto& e) {
        return e.kind == "received" &&
               e.detail.find("envelope signature absent") != std::string::npos;
    }));

    SECTION("a signed packet from the same agency is still verified") {
        std::string other = unsigned_packet;
        other.replace(other.find("<CodeNumber>"), 12, "<CodeNumber>9");
        other.replace(other.find(",2026/"), 0, "-9");
        auto signed_r =
            f.submit(test::commune1, test::sign_bytes(other, test::agency_key(test::commune1),
                                                      test::agency_chain(test::commune1)));
        REQUIRE(signed_r);
        CHECK(signed_r->envelope_signature == "verified");
    }
    SECTION("under the default policy (required) the same packet is refused") {
        f.dir.replace(
            bus::routing::directory::load(LIENTHONG_SOURCE_DIR "/deploy/config/agencies.yaml"));
        auto strict = f.submit(test::commune1, unsigned_packet);
        REQUIRE_FALSE(strict);
        CHECK(strict.error().code == core::errc::signature_missing);
    }
}

namespace {

std::vector<std::string> event_kinds(bus::store::tracking_store& store, const std::string& id) {
    auto events = store.journey(id);
    REQUIRE(events);
    std::vector<std::string> kinds;
    for (const auto& e : *events) {
        kinds.push_back(e.kind);
    }
    return kinds;
}

}  // namespace

TEST_CASE("ingest: a publish the broker confirms late ends accepted - the retry gets the original",
          "[unit]") {
    fixture f;
    const auto packet = test::signed_sample(test::sample_path("edoc-new.edxml"), test::commune1);
    f.publisher.unconfirmed = true;
    auto first = f.submit(test::commune1, packet);
    REQUIRE_FALSE(first);
    CHECK(first.error().code == core::errc::broker_unavailable);  // the 503
    REQUIRE(f.publisher.batches.size() == 1);
    const auto id = f.publisher.batches[0][0].message_id;
    auto doc = f.store.find(id);
    REQUIRE(doc);
    REQUIRE(*doc);
    CHECK_FALSE((*doc)->accepted);
    CHECK(event_kinds(f.store, id) == std::vector<std::string>{"received", "unconfirmed"});
    auto events = f.store.journey(id);
    REQUIRE(events);
    CHECK(bus::pipeline::summarize(**doc, *events).state == "unconfirmed");

    SECTION("the late confirm makes it accepted - then a retry is answered without publishing") {
        f.publisher.confirm_late();
        CHECK(event_kinds(f.store, id) ==
              std::vector<std::string>{"received", "unconfirmed", "queued", "accepted"});
        f.publisher.unconfirmed = false;
        auto retry = f.submit(test::commune1, packet);
        REQUIRE(retry);
        CHECK(retry->repeated);
        CHECK(retry->id == id);
        CHECK(f.publisher.batches.size() == 1);  // nothing goes to the broker a second time
    }
    SECTION("a retry before the late confirm - the acceptance is recorded once") {
        f.publisher.unconfirmed = false;
        auto retry = f.submit(test::commune1, packet);
        REQUIRE(retry);
        CHECK(retry->id == id);
        f.publisher.confirm_late();
        const auto kinds = event_kinds(f.store, id);
        CHECK(std::count(kinds.begin(), kinds.end(), "accepted") == 1);
        CHECK(std::count(kinds.begin(), kinds.end(), "queued") == 1);
    }
    SECTION("a late failure leaves it unconfirmed - a retry publishes it again") {
        f.publisher.confirm_late(core::fail(core::errc::broker_unavailable, "connection lost"));
        CHECK(event_kinds(f.store, id) == std::vector<std::string>{"received", "unconfirmed"});
        f.publisher.unconfirmed = false;
        auto retry = f.submit(test::commune1, packet);
        REQUIRE(retry);
        CHECK_FALSE(retry->repeated);
        CHECK(f.publisher.batches.size() == 2);
    }
}
