#include "app/application.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <filesystem>
#include <functional>
#include <future>
#include <thread>
#include <vector>

#include "adapters/api/registry.hpp"
#include "app/check_config.hpp"
#include "app/live_routes.hpp"
#include "broker/amqp_consumer.hpp"
#include "broker/amqp_publisher.hpp"
#include "core/log.hpp"
#include "core/metric_families.hpp"
#include "crypto/signature_verifier.hpp"
#include "delivery/dispatcher.hpp"
#include "delivery/metered_adapter.hpp"
#include "http/authenticator.hpp"
#include "http/handlers/console.hpp"
#include "http/handlers/health.hpp"
#include "http/handlers/inbox.hpp"
#include "http/handlers/operations.hpp"
#include "http/handlers/static_files.hpp"
#include "http/handlers/submit_document.hpp"
#include "http/handlers/tracking.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/tls.hpp"
#include "inbox/inbox_adapter.hpp"
#include "pipeline/ingest.hpp"
#include "pipeline/status_intake.hpp"
#include "routing/directory.hpp"
#include "routing/directory_reload.hpp"
#include "routing/router.hpp"
#include "routing/topology.hpp"
#include "store/inbox_storage.hpp"
#include "store/tracking_store_factory.hpp"
#include "xml/schema_validator.hpp"

namespace lienthong::bus::app {

namespace net = boost::asio;

namespace {

xml::parse_limits parse_limits_of(const config::limits_config& l) {
    return {l.max_body_bytes, l.max_depth, l.max_attributes, l.max_text_bytes};
}

http::server_limits server_limits_of(const config::limits_config& l) {
    return {l.max_body_bytes,
            l.max_header_bytes,
            std::chrono::milliseconds(l.header_timeout_ms),
            std::chrono::milliseconds(l.read_timeout_ms),
            std::chrono::milliseconds(l.read_timeout_ms),
            static_cast<std::size_t>(l.max_connections)};
}

/// Opens the pull inbox in the tracking store's backend and registers its adapter type
/// (`inbox`), which delivers into it.
std::shared_ptr<inbox::inbox_store> open_inbox(const config::store_config& c,
                                               adapters::registry& registry) {
    auto store = std::make_shared<inbox::inbox_store>(store::make_inbox_storage(c));
    registry.add("inbox", std::make_unique<inbox::factory>(store));
    return store;
}

/// Waits for an intake's completion on the calling thread (the poller's own thread: one packet
/// at a time, in the axis's order) and turns it into the poller's verdict.
template <class Accepted, class Submit>
adapters::delivery_result await_intake(Submit submit) {
    std::promise<core::result<Accepted>> answer;
    auto future = answer.get_future();
    submit([&answer](core::result<Accepted> r) { answer.set_value(std::move(r)); });
    auto r = future.get();
    if (r) {
        return adapters::delivery_result{adapters::outcome::delivered, "accepted as " + r->id};
    }
    const auto code = r.error().code;
    const bool later = code == core::errc::broker_unavailable || code == core::errc::internal;
    return adapters::delivery_result{
        later ? adapters::outcome::retryable_failure : adapters::outcome::permanent_failure,
        std::string(core::type_slug(code)) + ": " + r.error().message};
}

/// The inbound half of the national axis, when its adapter type has one for the directory's
/// `national_axis` settings (poll_interval_ms above 0): each fetched document goes through the
/// ingest pipeline, and each status packet through the status intake, like posted ones.
std::unique_ptr<adapters::inbound_source> make_axis_source(const routing::directory& dir,
                                                           const adapters::registry& registry,
                                                           const pipeline::ingest& ingest,
                                                           const pipeline::status_intake& intake) {
    const auto& axis = dir.national_axis();
    const auto* factory = axis ? registry.find(axis->type) : nullptr;
    if (factory == nullptr) {
        return nullptr;
    }
    return factory->create_inbound(
        axis->settings,
        [&ingest, &intake](adapters::message_kind kind, std::shared_ptr<const std::string> packet,
                           const std::string&) {
            if (kind == adapters::message_kind::status) {
                return await_intake<pipeline::status_accepted>(
                    [&](auto done) { intake.submit_inbound(std::move(packet), std::move(done)); });
            }
            return await_intake<pipeline::accepted>(
                [&](auto done) { ingest.submit_inbound(std::move(packet), std::move(done)); });
        });
}

}  // namespace

// Members are declared in dependency order: constructed top-down, destroyed bottom-up.
struct application::parts {
    parts(config::config c, adapters::registry& r)
        : cfg(std::move(c)),
          registry(r),
          directory(routing::directory::load(cfg.directory_file)),
          edoc_schema(xml::schema_validator::load(
              (std::filesystem::path(cfg.schemas_dir) / "edxml/2016/edoc.xsd").string())),
          verifier(trust_options_of(cfg.trust)),
          store_owner(store::make_tracking_store(cfg.store)),
          store(*store_owner),
          inbox(open_inbox(cfg.store, r)),
          topology(routing::topology_for(cfg, directory)),
          publisher(cfg.broker, topology),
          dispatcher(
              routing::naming_of(cfg.broker),
              make_route_bindings(cfg, routing::delivery_routes(directory), registry, metrics),
              routing::retry_schedule_of(cfg.delivery), publisher, store, cfg.delivery.workers),
          consumer(cfg.broker, topology, dispatcher.queues(), cfg.delivery.prefetch,
                   cfg.delivery.max_in_flight_bytes,
                   [this](broker::incoming_message m, broker::settle_fn settle) {
                       dispatcher.handle(std::move(m), std::move(settle));
                   }),
          document_trust(load_document_trust(cfg.trust)),
          ingest(parse_limits_of(cfg.limits), edoc_schema, verifier, directory, publisher, store,
                 metrics, document_trust.get()),
          status_schema(xml::schema_validator::load(
              (std::filesystem::path(cfg.schemas_dir) / "edxml/2016/status.xsd").string())),
          status_intake(parse_limits_of(cfg.limits), status_schema, directory, publisher, store,
                        metrics),
          axis_source(make_axis_source(directory, registry, ingest, status_intake)),
          admin(broker::amqp::params_of(cfg.broker, 0),
                routing::naming_of(cfg.broker).dead_letter_queue(), publisher),
          ops{admin,
              store,
              metrics,
              routing::delivery_routes(directory),
              routing::naming_of(cfg.broker),
              [this] { return publisher.connected() && consumer.connected(); }},
          auth(cfg.tokens, cfg.admin_tokens, directory),
          limiter(cfg.limits.requests_per_minute, cfg.limits.request_burst),
          workers(static_cast<std::size_t>(cfg.listen.worker_threads),
                  static_cast<std::size_t>(cfg.listen.max_queued_requests)),
          router(auth, limiter, cfg.limits.max_body_bytes, &workers),
          tls(cfg.listen.plain_http
                  ? nullptr
                  : std::make_unique<net::ssl::context>(http::make_server_context(cfg.tls))),
          server(ioc,
                 net::ip::tcp::endpoint(net::ip::make_address(cfg.listen.address), cfg.listen.port),
                 router, server_limits_of(cfg.limits), tls.get()) {
        check_token_agencies(cfg, directory);
        router.add(http::handlers::healthz());
        // Ready only when documents can be both accepted and delivered.
        router.add(http::handlers::readyz([this] {
            return publisher.connected() && !publisher.blocked() && consumer.connected() &&
                   store.ping().has_value();
        }));
        router.add(http::handlers::submit_document(ingest));
        for (auto& e : http::handlers::inbox(*inbox)) {
            router.add(std::move(e));
        }
        router.add(http::handlers::document_journey(store));
        router.add(http::handlers::submit_status(status_intake));
        router.add(http::handlers::admin_document_journey(store));
        router.add(http::handlers::admin_queues(ops));
        router.add(http::handlers::admin_dead_letters(ops));
        router.add(http::handlers::admin_replay(ops));
        router.add(http::handlers::admin_failures(ops));
        router.add(http::handlers::admin_signature_report(ops));
        router.add(http::handlers::admin_agencies(ops, directory));
        router.add(http::handlers::admin_series(ops, directory));
        router.add(http::handlers::admin_document_search(ops));
        router.add(http::handlers::metrics_text(metrics));
        router.add(http::handlers::static_file(
            "/v1/openapi.yaml",
            (std::filesystem::path(cfg.schemas_dir) / "openapi.yaml").string()));
        if (!cfg.ui_dir.empty()) {
            router.add(http::handlers::static_folder("/ui/", cfg.ui_dir));
            // The console's charts: Chart.js as Debian's libjs-chart.js installs it.
            router.add(http::handlers::packaged_file("/vendor/chart.js",
                                                     "/usr/share/javascript/chart.js/chart.min.js",
                                                     "libjs-chart.js"));
        }
        core::metric::describe_all(metrics);
        metrics.on_scrape([this](core::metrics& m) { ops.sample(m); });
    }

    config::config cfg;
    adapters::registry& registry;
    routing::directory directory;
    xml::schema_validator edoc_schema;
    crypto::signature_verifier verifier;
    core::metrics metrics;
    std::unique_ptr<store::tracking_store> store_owner;
    store::tracking_store& store;
    std::shared_ptr<inbox::inbox_store> inbox;
    broker::topology topology;
    broker::amqp_publisher publisher;
    delivery::dispatcher dispatcher;
    broker::amqp_consumer consumer;
    std::unique_ptr<crypto::trust_store> document_trust;  ///< null: PDF signatures not checked
    pipeline::ingest ingest;
    xml::schema_validator status_schema;
    pipeline::status_intake status_intake;
    std::unique_ptr<adapters::inbound_source> axis_source;  ///< null: the axis is not polled
    broker::amqp_admin admin;
    http::handlers::operations ops;
    http::authenticator auth;
    http::rate_limiter limiter;
    http::worker_pool workers;  ///< destroyed (joined) before anything its handlers use
    http::router router;
    std::unique_ptr<net::ssl::context> tls;  ///< null when listen.plain_http
    net::io_context ioc;
    http::server server;
};

application::application(config::config cfg, adapters::registry& adapters)
    : parts_(std::make_unique<parts>(std::move(cfg), adapters)) {}

application::~application() = default;

int application::run() {
    auto& p = *parts_;
    // SIGHUP re-reads anchors, intermediates, CRLs and the agency directory (agency data and
    // routes, app/live_routes.hpp) without a restart.
    // Armed before the bus announces itself, so an early SIGHUP cannot hit the default action
    // (terminate).
    net::signal_set hangup(p.ioc, SIGHUP);
    std::function<void(const boost::system::error_code&, int)> on_hangup =
        [&](const boost::system::error_code& ec, int) {
            if (ec) {
                return;
            }
            try {
                p.verifier.reload();
                if (p.document_trust) {
                    p.document_trust->reload();
                }
                core::log(core::log_level::info, "trust.reloaded");
            } catch (const std::exception& e) {
                // The previous trust material stays in force.
                core::log(core::log_level::error, "trust.reload_failed", {{"detail", e.what()}});
            }
            routing::reload_directory(p.cfg.directory_file, p.directory,
                                      route_hooks_for({p.cfg, p.registry, p.metrics, p.publisher,
                                                       p.consumer, p.dispatcher, p.ops, p.admin}));
            hangup.async_wait(on_hangup);
        };
    hangup.async_wait(on_hangup);
    p.publisher.start();
    p.dispatcher.start();
    p.consumer.start();
    if (p.axis_source) {
        p.axis_source->start();
    }
    p.server.start();
    // What this bus serves, once (the OpenAPI coverage test reads these lines).
    for (const auto& e : p.router.endpoints()) {
        core::log(core::log_level::info, "http.route",
                  {{"method", std::string(http::beast_http::to_string(e.method))},
                   {"path", e.path},
                   {"role", e.needs == http::role::admin    ? "admin"
                            : e.needs == http::role::agency ? "agency"
                                                            : "none"}});
    }
    core::log(core::log_level::info, "bus.listening",
              {{"address", p.cfg.listen.address},
               {"scheme", p.tls ? "https" : "http"},
               {"mutual_tls", p.cfg.tls.client_ca.empty() ? "no" : "yes"},
               {"port", std::to_string(p.server.port())}});

    net::signal_set signals(p.ioc, SIGINT, SIGTERM);
    signals.async_wait([&p](const boost::system::error_code& ec, int sig) {
        if (ec) {
            return;
        }
        core::log(core::log_level::info, "bus.stopping", {{"signal", std::to_string(sig)}});
        p.server.stop();
        p.workers.stop();  // requests in hand finish while the publisher is up
        if (p.axis_source) {
            p.axis_source->stop();  // finishes the document in hand while the publisher is up
        }
        // Deliveries in flight finish and are acked (their retry copies still need the
        // publisher); then in-flight publishes settle before the I/O threads go away.
        p.consumer.stop(std::chrono::milliseconds(p.cfg.delivery.drain_timeout_ms));
        p.dispatcher.stop();
        p.publisher.stop();
        p.ioc.stop();
    });

    std::vector<std::thread> threads;
    for (int i = 1; i < p.cfg.listen.threads; ++i) {
        threads.emplace_back([&p] { p.ioc.run(); });
    }
    p.ioc.run();
    for (auto& t : threads) {
        t.join();
    }
    core::log(core::log_level::info, "bus.stopped");
    return 0;
}

}  // namespace lienthong::bus::app
