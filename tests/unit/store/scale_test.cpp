// Province scale: 100,000 documents in the store (seeded with direct inserts in one
// transaction) and the paged document search still answers bounded pages with the right
// totals. Behaviour only; how long it takes is for the benchmarks.
#include <catch2/catch.hpp>

#include "store/sqlite.hpp"
#include "store/sqlite_tracking_store.hpp"
#include "support/bus_process.hpp"

using namespace lienthong;
using namespace lienthong::bus::store;

namespace {

constexpr int documents = 100'000;
constexpr int agencies = 3'000;
constexpr std::int64_t t0 = 1'764'547'200'000;

std::string agency(int i) { return "000." + std::to_string(i % agencies) + ".H41"; }

void seed(const std::string& path) {
    sqlite_db db(path);
    auto tx = transaction::begin(db);
    REQUIRE(tx);
    for (int i = 0; i < documents; ++i) {
        const auto id = "doc-" + std::to_string(i);
        const auto created = t0 + i * 1000LL;
        auto d = db.prepare(
            "INSERT INTO documents (id, document_id, business_doc_type, sender, content_sha256, "
            "recipients, accepted, created_ms) VALUES (?, ?, 0, ?, '', ?, 1, ?)");
        REQUIRE(d);
        REQUIRE(d->bind(1, id)
                    .bind(2, "DOC," + std::to_string(i))
                    .bind(3, agency(i))
                    .bind(4, agency(i + 1))
                    .bind(5, created)
                    .run());
        auto x =
            db.prepare("INSERT INTO document_index (id, subject, subject_folded) VALUES (?, ?, ?)");
        REQUIRE(x);
        const auto subject = i % 1000 == 0 ? "bao cao quy " + std::to_string(i) : "giay moi";
        REQUIRE(x->bind(1, id).bind(2, subject).bind(3, subject).run());
        auto r = db.prepare(
            "INSERT INTO document_recipients (recipient, created_ms, id) VALUES (?, ?, ?)");
        REQUIRE(r);
        REQUIRE(r->bind(1, agency(i + 1)).bind(2, created).bind(3, id).run());
    }
    REQUIRE(tx->commit());
}

}  // namespace

TEST_CASE("scale: 100000 documents - the search answers bounded pages with exact totals",
          "[unit]") {
    const auto path = test::make_temp_dir("lienthong-scale") + "/tracking.db";
    { sqlite_tracking_store schema(path); }  // creates every table
    seed(path);
    sqlite_tracking_store store(path);

    document_query all;
    all.limit = 200;
    auto page = store.search_documents(all);
    REQUIRE(page);
    CHECK(page->total == documents);
    REQUIRE(page->documents.size() == 200);
    CHECK(page->documents.front().id == "doc-99999");  // newest first

    document_query deep = all;
    deep.offset = 99'950;
    auto last = store.search_documents(deep);
    REQUIRE(last);
    CHECK(last->documents.size() == 50);
    CHECK(last->documents.back().id == "doc-0");

    document_query to;
    to.addressee = agency(1);  // documents 0, 3000, 6000, ...
    to.limit = 10;
    auto addressed = store.search_documents(to);
    REQUIRE(addressed);
    CHECK(addressed->total == 34);
    REQUIRE(addressed->documents.size() == 10);
    CHECK(addressed->documents.front().id == "doc-99000");

    document_query words;
    words.subject_words = {"bao", "cao"};
    words.from_ms = t0 + 50'000'000;
    auto found = store.search_documents(words);
    REQUIRE(found);
    CHECK(found->total == 50);  // 50000, 51000, ... 99000
    CHECK(found->documents.size() == 50);

    document_query by_id;
    by_id.document_id = "DOC,4242";
    auto one = store.search_documents(by_id);
    REQUIRE(one);
    REQUIRE(one->documents.size() == 1);
    CHECK(one->documents[0].sender == agency(4242));

    // The index serves the addressee search (no scan of the documents table for it).
    sqlite_db db(path);
    auto plan = db.prepare(
        "EXPLAIN QUERY PLAN SELECT id FROM document_recipients WHERE recipient = ? "
        "ORDER BY created_ms DESC");
    REQUIRE(plan);
    plan->bind(1, agency(1));
    auto rows = plan->collect([](const statement& s) { return s.text(3); });
    REQUIRE(rows);
    REQUIRE_FALSE(rows->empty());
    CHECK(rows->front().find("USING PRIMARY KEY") != std::string::npos);
}
