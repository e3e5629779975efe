#include "app/application.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <filesystem>
#include <thread>
#include <vector>

#include "broker/amqp_publisher.hpp"
#include "core/log.hpp"
#include "crypto/signature_verifier.hpp"
#include "http/authenticator.hpp"
#include "http/handlers/health.hpp"
#include "http/handlers/submit_document.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "pipeline/ingest.hpp"
#include "routing/directory.hpp"
#include "routing/router.hpp"
#include "xml/schema_validator.hpp"

namespace lienthong::bus::app {

namespace net = boost::asio;

namespace {

xml::parse_limits parse_limits_of(const config::limits_config& l) {
    return {l.max_body_bytes, l.max_depth, l.max_attributes, l.max_text_bytes};
}

}  // namespace

// Members are declared in dependency order: constructed top-down, destroyed bottom-up.
struct application::parts {
    explicit parts(config::config c)
        : cfg(std::move(c)),
          directory(routing::directory::load(cfg.directory_file)),
          edoc_schema(xml::schema_validator::load(
              (std::filesystem::path(cfg.schemas_dir) / "edxml/2016/edoc.xsd").string())),
          verifier(crypto::trust_options{cfg.trust.anchors_dir, cfg.trust.intermediates_dir,
                                         cfg.trust.allow_sha1}),
          publisher(cfg.broker, routing::make_topology(cfg.broker.exchange, directory)),
          ingest(parse_limits_of(cfg.limits), edoc_schema, verifier, directory, publisher),
          auth(cfg.tokens),
          router(auth, cfg.limits.max_body_bytes),
          server(ioc,
                 net::ip::tcp::endpoint(net::ip::make_address(cfg.listen.address),
                                        cfg.listen.port),
                 router,
                 http::server_limits{cfg.limits.max_body_bytes, 16 * 1024,
                                     std::chrono::milliseconds(cfg.limits.read_timeout_ms),
                                     std::chrono::milliseconds(cfg.limits.read_timeout_ms)}) {
        for (std::size_t i = 0; i < cfg.tokens.size(); ++i) {
            if (!directory.find(cfg.tokens[i].agency)) {
                throw config::config_error({"auth.tokens[" + std::to_string(i) + "].agency: '" +
                                            cfg.tokens[i].agency +
                                            "' is not in the agency directory"});
            }
        }
        router.add(http::handlers::healthz());
        router.add(http::handlers::readyz([this] { return publisher.connected(); }));
        router.add(http::handlers::submit_document(ingest));
    }

    config::config cfg;
    routing::directory directory;
    xml::schema_validator edoc_schema;
    crypto::signature_verifier verifier;
    broker::amqp_publisher publisher;
    pipeline::ingest ingest;
    http::authenticator auth;
    http::router router;
    net::io_context ioc;
    http::server server;
};

application::application(config::config cfg) : parts_(std::make_unique<parts>(std::move(cfg))) {}

application::~application() = default;

int application::run() {
    auto& p = *parts_;
    p.publisher.start();
    p.server.start();
    core::log(core::log_level::info, "bus.listening",
              {{"address", p.cfg.listen.address}, {"port", std::to_string(p.server.port())}});

    net::signal_set signals(p.ioc, SIGINT, SIGTERM);
    signals.async_wait([&p](const boost::system::error_code& ec, int sig) {
        if (ec) {
            return;
        }
        core::log(core::log_level::info, "bus.stopping", {{"signal", std::to_string(sig)}});
        p.server.stop();
        // Let in-flight publishes settle before the I/O threads go away.
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
