#pragma once
// RAII for SQLite: one connection per object (SQLite connections are not shared across threads
// here; callers serialise access or open one per thread). Every return code is checked; errors
// become core::failure{internal} with SQLite's message in log_detail.
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace lienthong::bus::store {

struct sqlite_closer {
    void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct statement_finalizer {
    void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};

class statement;

class sqlite_db final {
public:
    /// Opens (creating if needed) with WAL journaling, foreign keys and a busy timeout.
    /// Throws std::runtime_error naming the path (start-up only).
    explicit sqlite_db(const std::string& path);

    /// Runs one or more statements without results (schema, pragmas, BEGIN/COMMIT).
    core::result<void> exec(const std::string& sql);
    /// Prepares one statement; binds are 1-based.
    core::result<statement> prepare(std::string_view sql);
    std::int64_t changes() const { return sqlite3_changes64(db_.get()); }
    sqlite3* handle() const { return db_.get(); }

private:
    std::unique_ptr<sqlite3, sqlite_closer> db_;
};

class statement final {
public:
    explicit statement(sqlite3_stmt* s) : s_(s) {}
    statement& bind(int i, std::string_view v);
    statement& bind(int i, std::int64_t v);
    statement& bind_null(int i);
    /// true: a row is available; false: done. Errors: internal.
    core::result<bool> step();
    /// Runs to completion (for INSERT/UPDATE/DELETE).
    core::result<void> run();
    std::string text(int col) const;
    std::int64_t integer(int col) const;
    bool is_null(int col) const;

private:
    std::unique_ptr<sqlite3_stmt, statement_finalizer> s_;
};

}  // namespace lienthong::bus::store
