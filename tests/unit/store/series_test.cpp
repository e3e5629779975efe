#include "store/series.hpp"

#include <catch2/catch.hpp>

#include "core/message_contract.hpp"
#include "store/sqlite_tracking_store.hpp"
#include "support/bus_process.hpp"

using namespace lienthong;
using namespace lienthong::bus::store;

namespace {

constexpr std::int64_t t0 = 1'764'547'200'000;  // 2025-12-01 00:00 UTC

document_record doc(const std::string& id, const std::string& sender, std::vector<std::string> to,
                    std::int64_t created, std::string subject) {
    document_record d{id, "DOC-" + id, 0, sender, "hash-" + id, std::move(to), false, created, ""};
    d.subject = std::move(subject);
    return d;
}

}  // namespace

TEST_CASE("series: events count for their agency - latency goes to its bucket", "[unit]") {
    CHECK(series_increments(core::event::queued, "", "a", t0, 0).empty());
    const auto rejected =
        series_increments(core::event::rejected, "schema-invalid", "a", t0 + 5, 0);
    REQUIRE(rejected.size() == 1);
    CHECK(rejected[0].metric == "rejected:schema-invalid");
    CHECK(rejected[0].minute == t0);
    const auto delivered = series_increments(core::event::delivered, "", "b", t0 + 1500, t0);
    REQUIRE(delivered.size() == 2);
    CHECK(delivered[1].metric == "latency:05");  // 1.5 s: the (1, 2] s bucket
    CHECK(latency_bucket(0) == 0);
    CHECK(latency_bucket(50) == 0);
    CHECK(latency_bucket(51) == 1);
    CHECK(latency_bucket(10'000'000) == latency_bounds_ms.size());
    std::vector<std::int64_t> h(latency_bounds_ms.size() + 1, 0);
    CHECK(latency_percentile(h, 50) == 0);
    h[1] = 90;  // 90 deliveries in (50, 100] ms
    h[6] = 10;  // 10 in (2, 5] s
    CHECK(latency_percentile(h, 50) == 100);
    CHECK(latency_percentile(h, 90) == 100);
    CHECK(latency_percentile(h, 99) == 5'000);
}

TEST_CASE("series: the SQLite store keeps them - they survive a restart", "[unit]") {
    const auto path = test::make_temp_dir("lienthong-series") + "/tracking.db";
    {
        sqlite_tracking_store store(path);
        REQUIRE(store.reserve(doc("d1", "S", {"R1", "R2"}, t0, "Về việc họp")));
        REQUIRE(store.mark_accepted("d1", {{"d1", core::event::accepted, "", "", t0 + 1000}}));
        REQUIRE(store.mark_delivered(
            "d1", "R1.http_webhook",
            {"d1", core::event::delivered, "R1.http_webhook", "", t0 + 1200, "R1", ""}));
        REQUIRE(store.add_event(
            {"d1", core::event::attempt, "R2.http_webhook", "refused", t0 + 61'000, "R2", ""}));
        REQUIRE(store.add_event({"d1", core::event::dead_lettered, "R2.http_webhook", "refused",
                                 t0 + 62'000, "R2", ""}));
        REQUIRE(store.add_event(
            {"x", core::event::rejected, "", "bad", t0 + 3'000, "S", "schema-invalid"}));
    }
    sqlite_tracking_store store(path);  // reopened: the counts are in the file
    auto hour = store.series({t0, t0 + 3'600'000, minute_ms, ""});
    REQUIRE(hour);
    auto count = [&](const std::vector<series_count>& v, std::int64_t step, const std::string& m) {
        std::int64_t n = 0;
        for (const auto& c : v) {
            n += c.step == step && c.metric == m ? c.count : 0;
        }
        return n;
    };
    CHECK(count(*hour, 0, "accepted") == 1);
    CHECK(count(*hour, 0, "delivered") == 1);
    CHECK(count(*hour, 0, "latency:05") == 1);  // 1.2 s from reception to delivery
    CHECK(count(*hour, 0, "rejected:schema-invalid") == 1);
    CHECK(count(*hour, 1, "failed_attempt") == 1);
    CHECK(count(*hour, 1, "dead_lettered") == 1);
    // One agency's window, and per agency.
    auto r2 = store.series({t0, t0 + 3'600'000, minute_ms, "R2"});
    REQUIRE(r2);
    CHECK(count(*r2, 1, "dead_lettered") == 1);
    CHECK(count(*r2, 0, "delivered") == 0);
    auto by_agency = store.series_by_agency(t0, t0 + 3'600'000);
    REQUIRE(by_agency);
    bool sender_accepted = false;
    for (const auto& c : *by_agency) {
        sender_accepted = sender_accepted || (c.agency == "S" && c.metric == "accepted");
        CHECK(c.metric.rfind("latency:", 0) != 0);
    }
    CHECK(sender_accepted);
    // A second instance on the same store adds up (an upsert, not an overwrite).
    REQUIRE(store.add_event({"d2", core::event::dead_lettered, "R2.x", "", t0 + 62'500, "R2", ""}));
    auto again = store.series({t0, t0 + 3'600'000, minute_ms, "R2"});
    REQUIRE(again);
    CHECK(count(*again, 1, "dead_lettered") == 2);
}

TEST_CASE("series: counts older than the retention are deleted at the top of an hour", "[unit]") {
    CHECK(series_prune_due(t0));
    CHECK(series_prune_due(t0 + 59'999));
    CHECK_FALSE(series_prune_due(t0 + minute_ms));
    // Once per hour and store: the other events of that first minute do not delete again.
    series_pruning pruning;
    CHECK(pruning.due(t0 + 5));
    pruning.done(t0 + 5);
    CHECK_FALSE(pruning.due(t0 + 30'000));
    CHECK(pruning.due(t0 + 3'600'000));
    const auto path = test::make_temp_dir("lienthong-series") + "/tracking.db";
    sqlite_tracking_store store(path);
    const auto later = t0 + series_retention_ms + 3'600'000;  // the top of an hour, 8 days on
    REQUIRE(
        store.add_event({"x", core::event::rejected, "", "bad", t0 + 5, "S", "schema-invalid"}));
    REQUIRE(store.add_event({"y", core::event::rejected, "", "bad", t0 + 7 * 24 * 3'600'000 + 5,
                             "S", "schema-invalid"}));
    auto all = [&] {
        auto v = store.series({t0, later + 3'600'000, minute_ms, ""});
        REQUIRE(v);
        return v->size();
    };
    CHECK(all() == 2);
    // Not at the top of an hour: nothing is pruned yet.
    REQUIRE(store.add_event(
        {"z", core::event::rejected, "", "bad", later + 2 * minute_ms, "S", "schema-invalid"}));
    CHECK(all() == 3);
    REQUIRE(store.add_event({"w", core::event::rejected, "", "bad", later, "S", "schema-invalid"}));
    CHECK(all() == 3);  // t0's minute went (8 days and an hour old); a week-old one stays
}

TEST_CASE("documents: search by DocumentId - sender - addressee - subject words - dates",
          "[unit]") {
    const auto path = test::make_temp_dir("lienthong-search") + "/tracking.db";
    sqlite_tracking_store store(path);
    REQUIRE(store.reserve(doc("a", "S1", {"R1"}, t0, "Về việc tổ chức Hội nghị tổng kết")));
    REQUIRE(store.reserve(doc("b", "S2", {"R1", "R2"}, t0 + 10, "Báo cáo tình hình 100%_done")));
    REQUIRE(store.reserve(doc("c", "S1", {"R2"}, t0 + 20, "Giấy mời họp")));
    auto ids = [&](const document_query& q) {
        auto page = store.search_documents(q);
        REQUIRE(page);
        std::string out;
        for (const auto& d : page->documents) {
            out += d.id;
        }
        return std::to_string(page->total) + ":" + out;
    };
    CHECK(ids({}) == "3:cba");  // newest first
    CHECK(ids({"DOC-b"}) == "1:b");
    CHECK(ids({"", "S1"}) == "2:ca");
    CHECK(ids({"", "", "R2"}) == "2:cb");
    CHECK(ids({"", "", "", {"hoi", "nghi"}}) == "1:a");  // without diacritics
    CHECK(ids({"", "", "", {"100%"}}) == "1:b");         // % is a character, not a wildcard
    CHECK(ids({"", "", "", {"%"}}) == "1:b");
    CHECK(ids({"", "", "", {}, t0 + 5, t0 + 15}) == "1:b");
    document_query paged;
    paged.offset = 1;
    paged.limit = 1;
    CHECK(ids(paged) == "3:b");
    auto page = store.search_documents({"DOC-a"});
    REQUIRE(page);
    REQUIRE(page->documents.size() == 1);
    CHECK(page->documents[0].subject == "Về việc tổ chức Hội nghị tổng kết");
    CHECK(page->documents[0].recipients == std::vector<std::string>{"R1"});
}
