#include "store/sqlite_tracking_store.hpp"

#include <catch2/catch.hpp>

#include "support/bus_process.hpp"

using namespace lienthong;
using bus::store::document_record;

namespace {

document_record doc(std::string id, std::string hash, int type = 0) {
    return {std::move(id),   "000.01.01.H41,2026/11/20,125/UBND-VP", type,  "000.01.01.H41",
            std::move(hash), {"000.00.01.H41", "000.00.02.H41"},     false, 0};
}

}  // namespace

TEST_CASE("tracking store: reserve is the idempotency gate", "[unit]") {
    const auto path = test::make_temp_dir("lienthong-store") + "/tracking.db";
    bus::store::sqlite_tracking_store store(path);

    auto first = store.reserve(doc("id-1", "hash-a"));
    REQUIRE(first);
    CHECK(first->id == "id-1");
    CHECK_FALSE(first->accepted);
    CHECK(first->recipients == std::vector<std::string>{"000.00.01.H41", "000.00.02.H41"});

    // The same DocumentId again returns the first record, whatever the candidate says.
    auto again = store.reserve(doc("id-2", "hash-b"));
    REQUIRE(again);
    CHECK(again->id == "id-1");
    CHECK(again->content_sha256 == "hash-a");

    // A revocation may reuse the DocumentId: it is another business type, so another record.
    auto revocation = store.reserve(doc("id-3", "hash-c", 1));
    REQUIRE(revocation);
    CHECK(revocation->id == "id-3");

    CHECK(store.find_by_document_id(first->document_id)->empty());  // none accepted yet
    REQUIRE(store.mark_accepted(
        "id-1", {{"id-1", "queued", "r1", "", 0}, {"id-1", "accepted", "", "", 0}}));
    auto accepted = store.find("id-1");
    REQUIRE(accepted);
    REQUIRE(*accepted);
    CHECK((*accepted)->accepted);
    auto marked = store.journey("id-1");  // the events came with the mark, in order
    REQUIRE(marked);
    REQUIRE(marked->size() == 2);
    CHECK(marked->at(0).kind == "queued");
    CHECK(marked->at(0).route == "r1");
    CHECK(marked->at(1).kind == "accepted");
    REQUIRE(store.find_by_document_id(first->document_id)->size() == 1);
    CHECK_FALSE(*store.find("nope"));
}

TEST_CASE("tracking store: journeys and the delivered set survive a reopen", "[unit]") {
    const auto path = test::make_temp_dir("lienthong-store") + "/tracking.db";
    {
        bus::store::sqlite_tracking_store store(path);
        REQUIRE(store.add_event({"id-1", "accepted", "", "2 routes", 0}));
        CHECK(*store.mark_delivered("id-1", "r1", {"id-1", "delivered", "r1", "attempt 1", 0}));
    }
    bus::store::sqlite_tracking_store reopened(path);  // migrations are not re-applied
    auto j = reopened.journey("id-1");
    REQUIRE(j);
    REQUIRE(j->size() == 2);
    CHECK((*j)[0].kind == "accepted");
    CHECK((*j)[1].route == "r1");
    CHECK((*j)[1].time_ms > 0);
    CHECK(*reopened.is_delivered("id-1", "r1"));
    CHECK_FALSE(*reopened.is_delivered("id-1", "r2"));
    // A redelivery that raced the check: not newly marked, but its delivery is on the journey.
    CHECK_FALSE(
        *reopened.mark_delivered("id-1", "r1", {"id-1", "delivered", "r1", "attempt 2", 0}));
    CHECK(reopened.journey("id-1")->size() == 3);
}
