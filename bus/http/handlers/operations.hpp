#pragma once
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "broker/amqp_admin.hpp"
#include "core/metrics.hpp"
#include "http/router.hpp"
#include "routing/router.hpp"
#include "store/tracking_store.hpp"

namespace lienthong::bus::http::handlers {

/// What the operators' endpoints read and act on. Owned by the application; must outlive the
/// endpoints.
struct operations {
    broker::amqp_admin& admin;
    store::tracking_store& store;
    core::metrics& metrics;
    std::vector<routing::delivery_route> routes;  ///< at start-up; then set_routes()
    routing::naming names;
    std::function<bool()> broker_connected;

    /// The routes served now, and the queues of routes a directory reload removed (their
    /// messages are kept and reported, never deleted). Thread-safe.
    struct served {
        std::vector<routing::delivery_route> routes;
        std::vector<std::string> retired_queues;
    };
    served current() const;
    /// After a reload: `routes` are served; the queues of `removed` route names join the retired
    /// ones (a route added back leaves them). Thread-safe.
    void set_routes(std::vector<routing::delivery_route> routes,
                    const std::vector<std::string>& removed);

    /// Refreshes the gauges sampled at scrape time: queue depths and consumers per route and of
    /// the dead-letter queue, broker connection, store reachability.
    void sample(core::metrics& m) const;

    mutable std::mutex routes_mutex{};          // guards routes and retired_queues
    std::vector<std::string> retired_queues{};  // this instance's reloads only
};

/// GET /metrics (admin): the Prometheus text format.
endpoint metrics_text(core::metrics& metrics);

/// GET /v1/admin/queues: per route its queue, depth, consumers, publish and deliver rates (per
/// second over the last minute, this instance) and totals; the dead-letter queue's depth; the
/// queues of routes removed by a reload with their messages (`retired`).
endpoint admin_queues(const operations& ops);

/// GET /v1/admin/dead-letters[?limit=N]: the dead-letter queue, oldest first (default 100,
/// at most 1000), without taking anything out of it.
endpoint admin_dead_letters(const operations& ops);

/// POST /v1/admin/dead-letters/{id}/replay[?route=R]: replays the dead letters of one document
/// (404 when it has none). POST /v1/admin/dead-letters/replay?route=R: replays every dead
/// letter of a route. Each replay is recorded on the document's journey.
endpoint admin_replay(const operations& ops);

/// GET /v1/admin/failures[?limit=N]: the latest rejections, failed delivery attempts and dead
/// letters recorded in the tracking store, newest first (default 50, at most 500).
endpoint admin_failures(const operations& ops);

/// GET /v1/admin/reports/signatures[?from=YYYY-MM-DD&to=YYYY-MM-DD&format=csv]: per agency and
/// in total the accepted documents whose signatures were checked, by the state of their main
/// PDF, and the signed share (signature_report.hpp); default window this month (UTC days, `to`
/// exclusive). 400 invalid-request naming a bad date.
endpoint admin_signature_report(const operations& ops);

}  // namespace lienthong::bus::http::handlers
