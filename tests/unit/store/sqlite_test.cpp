#include <catch2/catch.hpp>

#include "store/sqlite.hpp"
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
