#include "store/sqlite.hpp"

#include <catch2/catch.hpp>

#include "support/bus_process.hpp"

using namespace lienthong;

TEST_CASE("sqlite: statements bind - step and report errors as failures", "[unit]") {
    bus::store::sqlite_db db(test::make_temp_dir("lienthong-sqlite") + "/t.db");
    REQUIRE(db.exec("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)"));
    auto ins = db.prepare("INSERT INTO t (k, v) VALUES (?, ?)");
    REQUIRE(ins);
    REQUIRE(ins->bind(1, "a").bind(2, std::int64_t{42}).run());
    auto dup = db.prepare("INSERT INTO t (k, v) VALUES ('a', 1)");
    REQUIRE(dup);
    auto r = dup->run();
    REQUIRE_FALSE(r);
    CHECK(r.error().code == core::errc::internal);
    CHECK(r.error().log_detail.find("UNIQUE") != std::string::npos);

    auto sel = db.prepare("SELECT k, v FROM t");
    REQUIRE(sel);
    auto row = sel->step();
    REQUIRE(row);
    REQUIRE(*row);
    CHECK(sel->text(0) == "a");
    CHECK(sel->integer(1) == 42);
    CHECK_FALSE(*sel->step());
    CHECK_FALSE(db.prepare("SELECT nope FROM t"));
}

TEST_CASE("sqlite: a cached statement comes back reset and a second user gets its own", "[unit]") {
    bus::store::sqlite_db db(test::make_temp_dir("lienthong-sqlite") + "/t.db");
    REQUIRE(
        db.exec("CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER); "
                "INSERT INTO t VALUES ('a', 1), ('b', 2)"));
    const char* by_key = "SELECT v FROM t WHERE k = ?";
    {
        auto first = db.prepare(by_key);
        REQUIRE(first);
        first->bind(1, "a");
        REQUIRE(*first->step());
        // The same SQL while the first is mid-result: a separate statement, not the cached one.
        auto second = db.prepare(by_key);
        REQUIRE(second);
        second->bind(1, "b");
        REQUIRE(*second->step());
        CHECK(second->integer(0) == 2);
        CHECK(first->integer(0) == 1);
    }
    auto again = db.prepare(by_key);  // the cached statement: reset, its bindings cleared
    REQUIRE(again);
    CHECK_FALSE(*again->step());  // k = NULL matches nothing; a stale 'a' would match
}

TEST_CASE("sqlite: a transaction not committed is rolled back", "[unit]") {
    bus::store::sqlite_db db(test::make_temp_dir("lienthong-sqlite") + "/t.db");
    REQUIRE(db.exec("CREATE TABLE t (k TEXT PRIMARY KEY)"));
    const auto count = [&] {
        auto s = db.prepare("SELECT count(*) FROM t");
        REQUIRE(s);
        REQUIRE(*s->step());
        return s->integer(0);
    };
    {
        auto tx = bus::store::transaction::begin(db);
        REQUIRE(tx);
        REQUIRE(db.exec("INSERT INTO t VALUES ('lost')"));
    }
    CHECK(count() == 0);
    {
        auto tx = bus::store::transaction::begin(db);
        REQUIRE(tx);
        REQUIRE(db.exec("INSERT INTO t VALUES ('kept')"));
        REQUIRE(tx->commit());
    }
    CHECK(count() == 1);
}
