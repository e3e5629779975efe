#pragma once
// One libpq connection, shared by the PostgreSQL parts of the store (tracking store, inbox): RAII
// for the C handles, server notices into the JSON-lines log, and the reset-and-retry-once rule.
#include <libpq-fe.h>

#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace lienthong::bus::store {

struct pg_conn_closer {
    void operator()(PGconn* c) const noexcept { PQfinish(c); }
};
struct pg_result_clearer {
    void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using pg_conn_ptr = std::unique_ptr<PGconn, pg_conn_closer>;
using pg_result_ptr = std::unique_ptr<PGresult, pg_result_clearer>;

/// Not thread-safe: its owner serialises calls (one mutex per connection).
class pg_connection final {
  public:
    /// `url`: a libpq connection string or URI. Throws std::runtime_error naming `what` ("the
    /// PostgreSQL tracking store") and libpq's message, which never contains the password.
    pg_connection(const std::string& url, const std::string& what);

    /// Runs `sql`. Without params through PQexec (several statements allowed, as migrations
    /// need); with params through PQexecParams (one statement). `formats[i]` is libpq's
    /// paramFormat (0 text, 1 binary; missing = text); `result_format` 1 asks for binary
    /// columns (raw BYTEA). A broken connection is reset and the statement retried once, so
    /// every statement must be idempotent or run in its own transaction.
    /// Errors: internal, "postgresql: <server message>" in log_detail.
    core::result<pg_result_ptr> query(const std::string& sql,
                                      const std::vector<std::string>& params = {},
                                      const std::vector<int>& formats = {}, int result_format = 0);

  private:
    pg_conn_ptr conn_;
};

/// Column `col` of `row` as text ("" for NULL) or as a (BIGINT) integer.
std::string pg_text(const PGresult* r, int row, int col);
std::int64_t pg_integer(const PGresult* r, int row, int col);

}  // namespace lienthong::bus::store
