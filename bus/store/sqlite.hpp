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
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/result.hpp"

namespace lienthong::bus::store {

struct sqlite_closer {
    void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct statement_finalizer {
    void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
/// Ends a statement's use: a cached one is reset for its next user, any other is finalized.
struct statement_releaser {
    bool* in_use = nullptr;  ///< the cache slot's flag; null for an uncached statement
    void operator()(sqlite3_stmt* s) const noexcept;
};

class statement;

class sqlite_db final {
  public:
    /// Opens (creating if needed) with WAL journaling, foreign keys and a busy timeout.
    /// Throws std::runtime_error naming the path (start-up only).
    explicit sqlite_db(const std::string& path);

    /// Runs one or more statements without results (schema, pragmas, BEGIN/COMMIT).
    core::result<void> exec(const std::string& sql);
    /// Prepares one statement; binds are 1-based. Statements are cached by their SQL text
    /// (parsing cost as much as running the small inserts of the hot path); the cached one is
    /// handed out again once the previous statement with that SQL is gone. Callers serialise
    /// access to the connection, as for every other call.
    core::result<statement> prepare(std::string_view sql);
    std::int64_t changes() const { return sqlite3_changes64(db_.get()); }
    sqlite3* handle() const { return db_.get(); }

  private:
    struct cached_statement {
        std::unique_ptr<sqlite3_stmt, statement_finalizer> stmt;
        bool in_use = false;
    };
    std::unique_ptr<sqlite3, sqlite_closer> db_;
    std::unordered_map<std::string, cached_statement> cache_;  // finalized before db_ closes
};

/// BEGIN IMMEDIATE .. COMMIT; rolls back if destroyed without commit().
class transaction final {
  public:
    static core::result<transaction> begin(sqlite_db& db);
    transaction(transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}
    transaction& operator=(transaction&&) = delete;
    ~transaction();
    core::result<void> commit();

  private:
    explicit transaction(sqlite_db& db) : db_(&db) {}
    sqlite_db* db_;  // null once committed or rolled back
};

class statement final {
  public:
    explicit statement(sqlite3_stmt* s, bool* in_use = nullptr) : s_(s, {in_use}) {}
    statement& bind(int i, std::string_view v);
    statement& bind(int i, std::int64_t v);
    statement& bind_null(int i);
    /// true: a row is available; false: done. Errors: internal.
    core::result<bool> step();
    /// Runs to completion (for INSERT/UPDATE/DELETE).
    core::result<void> run();
    /// Steps to the end, returning `read(*this)` for every row.
    template <class Read>
    auto collect(Read read)
        -> core::result<std::vector<std::invoke_result_t<Read&, const statement&>>> {
        std::vector<std::invoke_result_t<Read&, const statement&>> out;
        for (;;) {
            auto row = step();
            if (!row) {
                return std::move(row).error();
            }
            if (!*row) {
                return out;
            }
            out.push_back(read(std::as_const(*this)));
        }
    }
    std::string text(int col) const;
    std::int64_t integer(int col) const;
    bool is_null(int col) const;

  private:
    std::unique_ptr<sqlite3_stmt, statement_releaser> s_;
};

}  // namespace lienthong::bus::store
