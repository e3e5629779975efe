#pragma once
// Typed configuration of the bus. Loaded once at start-up by load_config(); nothing past the
// loader sees YAML. Relative paths are resolved against the config file's folder.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace lienthong::bus::config {

struct listen_config {
    std::string address = "127.0.0.1";
    std::uint16_t port = 8080;
    int threads = 2;
    /// Threads that run request handlers (signature checks, XSD validation, store calls), so the
    /// network threads only move bytes; and how many requests may wait for one (503 beyond).
    int worker_threads = 4;
    int max_queued_requests = 512;
    /// Serve plain HTTP instead of TLS; must be said explicitly (local demo and tests only).
    bool plain_http = false;
};

/// TLS of the REST listener (1.2 and later only). With `client_ca`, clients may present a
/// certificate chained to it; it identifies their agency (mutual TLS).
struct tls_config {
    std::string certificate;  ///< server certificate chain (PEM, leaf first)
    std::string private_key;  ///< its private key (PEM)
    std::string client_ca;    ///< CA certificates (PEM) for client certificates; "" = no mTLS
};

/// Caps on untrusted input, enforced before work grows with them.
struct limits_config {
    std::size_t max_body_bytes = 10 * 1024 * 1024;
    int max_depth = 64;
    int max_attributes = 32;
    std::size_t max_text_bytes = 8 * 1024 * 1024;
    int read_timeout_ms = 30'000;    ///< the body must arrive within this after the header
    int header_timeout_ms = 10'000;  ///< TLS handshake, then each request header (and idle wait)
    std::size_t max_header_bytes = 16 * 1024;
    int max_connections = 512;  ///< connections beyond this are closed at once
    /// Per-agency token bucket: sustained rate and burst; 0 requests_per_minute = no limit.
    int requests_per_minute = 6'000;
    int request_burst = 200;
};

struct trust_config {
    std::string anchors_dir;        ///< trust anchors (PEM), required
    std::string intermediates_dir;  ///< optional untrusted intermediates (PEM)
    std::string crl_dir;            ///< optional CRLs; when set, signers are checked for revocation
    bool allow_sha1 = false;
    /// The signatures inside the documents (signed PDFs, issue 16) chain to a trust store of
    /// their own, never the envelope's: in production the government CA and the national root.
    /// "" = the PDF signatures are not checked (no verdicts).
    std::string document_anchors_dir;
    std::string document_intermediates_dir;  ///< optional
    std::string document_crl_dir;            ///< optional; as crl_dir, for document signers
};

/// One node of the broker: a host name or address and its AMQP port.
struct broker_address {
    std::string host;
    std::uint16_t port = 5672;
    bool operator==(const broker_address&) const = default;
};

struct broker_config {
    std::string host = "127.0.0.1";
    std::uint16_t port = 5672;
    /// `broker.addresses`: the nodes of one RabbitMQ cluster ("host:port" each), tried in turn
    /// at every (re)connect, so that the bus fails over when the node it uses dies. Empty = the
    /// single node host:port; set together with host or port it is a config error.
    std::vector<broker_address> addresses;
    std::string vhost = "/";
    std::string user = "guest";
    std::string password = "guest";
    std::string exchange = "lienthong.documents";
    /// Prefix of every queue and helper exchange (route, retry and dead-letter queues).
    std::string queue_prefix = "lienthong";
    int confirm_timeout_ms = 5'000;
    int reconnect_max_ms = 5'000;
    /// The broker's `max_message_size` (bytes of one message body; RabbitMQ's default is 128 MiB,
    /// its ceiling 512 MiB). Set it to what the broker is configured with: the bus refuses to
    /// start with `limits.max_body_bytes` above it, and never sends a larger message (the broker
    /// would close the channel, failing every publish in flight on it, other agencies' too).
    std::size_t max_message_bytes = 128 * 1024 * 1024;
};

/// The delivery engine: consumers of the route queues and the adapters' worker pool.
struct delivery_config {
    int workers = 4;    ///< threads running adapter deliveries
    int prefetch = 16;  ///< unacknowledged messages per route queue
    /// Bytes of message bodies handed to the adapters and not yet settled, over all route queues;
    /// above it the consumer reads nothing more until some are settled (one message always
    /// passes). prefetch alone bounds messages per queue, not memory: a backlog of 5 MB packets
    /// on 100 queues would be 8 GB in flight.
    std::size_t max_in_flight_bytes = 8 * 1024 * 1024;  ///< 4 workers, 2 MB each
    /// Default delays between attempts (a route may set its own); then the dead-letter queue.
    std::vector<std::int64_t> retry_schedule_ms{5'000,   30'000,    120'000,
                                                600'000, 3'600'000, 21'600'000};
    int drain_timeout_ms = 10'000;  ///< on SIGTERM, how long in-flight deliveries may finish
};

/// A bearer token bound to one agency; only the SHA-256 (hex) of the token is stored.
struct token_config {
    std::string agency;
    std::string sha256;
};

/// A bearer token with the admin role; `name` says whose it is (logged, never the token).
struct admin_token_config {
    std::string name;
    std::string sha256;
};

/// The tracking store (document records, journeys, delivered set) and the pull inbox.
struct store_config {
    std::string backend = "sqlite";              ///< "sqlite" or "postgresql"
    std::string path = "lienthong-tracking.db";  ///< SQLite file, relative to the config file
    std::string postgresql_url;  ///< libpq URI or key=value string, required for postgresql
};

/// Delivery adapters beyond what the directory's subscriptions say.
struct adapters_config {
    std::string plugins_dir;  ///< third-party adapter plugins (*.so) loaded at start-up; "" = none
};

struct config {
    store_config store;
    adapters_config adapters;
    listen_config listen;
    tls_config tls;
    limits_config limits;
    std::string schemas_dir;
    std::string ui_dir;          ///< the operators' dashboard, served at /ui/; "" = no dashboard
    std::string directory_file;  ///< agency directory YAML
    trust_config trust;
    broker_config broker;
    delivery_config delivery;
    std::vector<token_config> tokens;
    std::vector<admin_token_config> admin_tokens;
};

/// Thrown by load_config with every problem found, one "key.path: message" per entry.
class config_error final : public std::runtime_error {
  public:
    explicit config_error(std::vector<std::string> errors);
    const std::vector<std::string>& errors() const { return errors_; }

  private:
    std::vector<std::string> errors_;
};

/// Reads and validates the file. Throws config_error listing all problems.
config load_config(const std::string& path);

}  // namespace lienthong::bus::config
