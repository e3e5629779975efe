#include "store/postgresql_connection.hpp"

#include <stdexcept>

#include "core/log.hpp"

namespace lienthong::bus::store {

namespace {

core::failure store_failure(std::string detail) {
    auto f = core::fail(core::errc::internal, "the tracking store is unavailable");
    f.log_detail = "postgresql: " + std::move(detail);
    return f;
}

}  // namespace

pg_connection::pg_connection(const std::string& url, const std::string& what)
    : conn_(PQconnectdb(url.c_str())) {
    if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK) {
        throw std::runtime_error("cannot connect to " + what + ": " +
                                 (conn_ ? PQerrorMessage(conn_.get()) : "out of memory"));
    }
    // Server notices ("relation already exists, skipping") would go to stderr as plain text and
    // break the JSON-lines log.
    PQsetNoticeProcessor(
        conn_.get(),
        [](void*, const char* message) {
            core::log(core::log_level::debug, "store.notice", {{"message", message}});
        },
        nullptr);
}

core::result<pg_result_ptr> pg_connection::query(const std::string& sql,
                                                 const std::vector<std::string>& params,
                                                 const std::vector<int>& formats,
                                                 int result_format) {
    std::vector<const char*> values;
    std::vector<int> lengths;
    std::vector<int> param_formats;
    for (std::size_t i = 0; i < params.size(); ++i) {
        values.push_back(params[i].c_str());
        lengths.push_back(static_cast<int>(params[i].size()));
        param_formats.push_back(i < formats.size() ? formats[i] : 0);
    }
    for (int attempt = 0;; ++attempt) {
        if (PQstatus(conn_.get()) != CONNECTION_OK) {
            PQreset(conn_.get());  // the server restarted or the network broke
        }
        pg_result_ptr r{params.empty() && result_format == 0
                            ? PQexec(conn_.get(), sql.c_str())
                            : PQexecParams(conn_.get(), sql.c_str(),
                                           static_cast<int>(values.size()), nullptr, values.data(),
                                           lengths.data(), param_formats.data(), result_format)};
        const auto status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
            return r;
        }
        const bool connection_lost = PQstatus(conn_.get()) != CONNECTION_OK;
        if (!connection_lost || attempt > 0) {
            return store_failure(r ? PQresultErrorMessage(r.get()) : PQerrorMessage(conn_.get()));
        }
    }
}

std::string pg_text(const PGresult* r, int row, int col) {
    // Never null for a valid row/column ("" for NULL); the length keeps binary values whole.
    return {PQgetvalue(r, row, col), static_cast<std::size_t>(PQgetlength(r, row, col))};
}

std::int64_t pg_integer(const PGresult* r, int row, int col) {
    return std::stoll(pg_text(r, row, col));
}

}  // namespace lienthong::bus::store
