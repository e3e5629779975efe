// The SQLite inbox lives in the tracking store's own file, on a connection of its own: both
// write to one file (WAL) without getting in each other's way, and the inbox survives a reopen.
#include <catch2/catch.hpp>

#include "store/sqlite_inbox_storage.hpp"
#include "store/sqlite_tracking_store.hpp"
#include "support/bus_process.hpp"

using namespace lienthong;

TEST_CASE("sqlite inbox: shares the tracking store's file", "[unit]") {
    const auto path = test::make_temp_dir("lienthong-inbox-store") + "/tracking.db";
    bus::store::sqlite_tracking_store tracking(path);
    bus::store::sqlite_inbox_storage inbox(path);
    for (int i = 0; i < 20; ++i) {
        const auto id = "id-" + std::to_string(i);
        REQUIRE(tracking.reserve(
            {id, "D-" + std::to_string(i), 0, "000.01.01.H41", "h", {}, false, 0}));
        bus::store::inbox_entry e;
        e.id = id;
        e.document_id = "D-" + std::to_string(i);
        e.sender = "000.01.01.H41";
        e.received_ms = i;
        REQUIRE(inbox.put("000.00.01.H41", e, "<edXML/>"));
        REQUIRE(inbox.put("000.00.01.H41", e, "<other/>"));  // a redelivery keeps the first
    }
    auto listed = inbox.list("000.00.01.H41", 100);
    REQUIRE(listed);
    CHECK(listed->size() == 20);
    CHECK(listed->front().id == "id-0");
    CHECK(listed->front().bytes == 8);
    CHECK(**inbox.packet("000.00.01.H41", "id-3") == "<edXML/>");
    CHECK(*inbox.ack("000.00.01.H41", "id-3"));
    CHECK_FALSE(*inbox.ack("000.00.01.H41", "id-3"));
    CHECK(tracking.find("id-3")->has_value());  // the tracking store's rows are untouched

    bus::store::sqlite_inbox_storage reopened(path);
    CHECK(reopened.list("000.00.01.H41", 100)->size() == 19);
}
