#include "config/config.hpp"

#include <filesystem>
#include <optional>
#include <regex>

#include "config/yaml_reader.hpp"

namespace lienthong::bus::config {
namespace fs = std::filesystem;

namespace {

std::string join_lines(const std::vector<std::string>& errors) {
    std::string s = "invalid configuration:";
    for (const auto& e : errors) {
        s += "\n  " + e;
    }
    return s;
}

void resolve(std::string& p, const fs::path& base) {
    if (!p.empty() && fs::path(p).is_relative()) {
        p = (base / p).lexically_normal().string();
    }
}

void require_dir(const yaml_reader& r, const std::string& key, const std::string& value) {
    std::error_code ec;
    if (!value.empty() && !fs::is_directory(value, ec)) {
        r.error(key, "folder '" + value + "' does not exist");
    }
}

void require_file(const yaml_reader& r, const std::string& key, const std::string& value) {
    std::error_code ec;
    if (!value.empty() && !fs::is_regular_file(value, ec)) {
        r.error(key, "file '" + value + "' does not exist");
    }
}

void read_listen(yaml_reader& top, config& c) {
    auto r = top.child("listen");
    r.allow_only(
        {"address", "port", "threads", "worker_threads", "max_queued_requests", "plain_http"});
    r.read("address", c.listen.address);
    r.read_int("port", c.listen.port, 0, 65535);
    r.read_int("threads", c.listen.threads, 1, 64);
    r.read_int("worker_threads", c.listen.worker_threads, 1, 256);
    r.read_int("max_queued_requests", c.listen.max_queued_requests, 1, 1'000'000);
    r.read("plain_http", c.listen.plain_http);
}

void read_tls(yaml_reader& top, const fs::path& base, config& c) {
    // TLS unless plain HTTP is asked for by name: a forgotten section must not silently
    // expose tokens and packets in clear text.
    auto r = top.child("tls");
    r.allow_only({"certificate", "private_key", "client_ca"});
    const bool tls = top.has("tls");
    if (tls && c.listen.plain_http) {
        top.error("tls", "must be absent when listen.plain_http is true");
    }
    if (!tls && !c.listen.plain_http) {
        top.error("tls",
                  "is required (certificate, private_key) unless listen.plain_http "
                  "is true");
    }
    r.read("certificate", c.tls.certificate, tls);
    r.read("private_key", c.tls.private_key, tls);
    r.read("client_ca", c.tls.client_ca);
    for (auto* p : {&c.tls.certificate, &c.tls.private_key, &c.tls.client_ca}) {
        resolve(*p, base);
    }
    require_file(r, "certificate", c.tls.certificate);
    require_file(r, "private_key", c.tls.private_key);
    require_file(r, "client_ca", c.tls.client_ca);
}

void read_limits(yaml_reader& top, config& c) {
    auto r = top.child("limits");
    r.allow_only({"max_body_bytes", "max_depth", "max_attributes", "max_text_bytes",
                  "read_timeout_ms", "header_timeout_ms", "max_header_bytes", "max_connections",
                  "requests_per_minute", "request_burst"});
    r.read_int("max_body_bytes", c.limits.max_body_bytes, 1024, 1LL << 30);
    r.read_int("max_depth", c.limits.max_depth, 8, 1024);
    r.read_int("max_attributes", c.limits.max_attributes, 4, 1024);
    r.read_int("max_text_bytes", c.limits.max_text_bytes, 1024, 1LL << 30);
    r.read_int("read_timeout_ms", c.limits.read_timeout_ms, 100, 600'000);
    r.read_int("header_timeout_ms", c.limits.header_timeout_ms, 100, 600'000);
    r.read_int("max_header_bytes", c.limits.max_header_bytes, 1024, 1 << 20);
    r.read_int("max_connections", c.limits.max_connections, 1, 100'000);
    r.read_int("requests_per_minute", c.limits.requests_per_minute, 0, 6'000'000);
    r.read_int("request_burst", c.limits.request_burst, 1, 1'000'000);
}

void read_store(yaml_reader& top, const fs::path& base, config& c) {
    auto r = top.child("store");
    r.allow_only({"backend", "path", "postgresql_url"});
    r.read("backend", c.store.backend);
    r.read("path", c.store.path);
    r.read("postgresql_url", c.store.postgresql_url, c.store.backend == "postgresql");
    if (c.store.backend != "sqlite" && c.store.backend != "postgresql") {
        r.error("backend", "must be sqlite or postgresql");
    }
    if (c.store.path.empty()) {
        r.error("path", "must not be empty");
    }
    resolve(c.store.path, base);
}

void read_adapters(yaml_reader& top, const fs::path& base, config& c) {
    auto r = top.child("adapters");
    r.allow_only({"inbox_path", "plugins_dir"});
    // Issue 15: refused rather than ignored, so an upgrade cannot silently leave documents
    // behind in the old file.
    if (r.has("inbox_path")) {
        r.error("inbox_path",
                "no longer used: the pull inbox is kept in the tracking store (store.path or "
                "store.postgresql_url) so that every bus instance sees it; remove the key, after "
                "the agencies have acked what the old file holds");
    }
    r.read("plugins_dir", c.adapters.plugins_dir);
    resolve(c.adapters.plugins_dir, base);
    require_dir(r, "plugins_dir", c.adapters.plugins_dir);
}

// The signed PDFs' own trust store (issue 16): optional, separate from the envelope's.
void read_document_trust(const yaml_reader& r, trust_config& t, const fs::path& base) {
    r.read("document_anchors_dir", t.document_anchors_dir);
    r.read("document_intermediates_dir", t.document_intermediates_dir);
    r.read("document_crl_dir", t.document_crl_dir);
    for (auto* p : {&t.document_anchors_dir, &t.document_intermediates_dir, &t.document_crl_dir}) {
        resolve(*p, base);
    }
    require_dir(r, "document_anchors_dir", t.document_anchors_dir);
    require_dir(r, "document_intermediates_dir", t.document_intermediates_dir);
    require_dir(r, "document_crl_dir", t.document_crl_dir);
    if (t.document_anchors_dir.empty() &&
        (!t.document_intermediates_dir.empty() || !t.document_crl_dir.empty())) {
        r.error("document_anchors_dir", "is required when document intermediates or CRLs are set");
    }
}

void read_trust(yaml_reader& top, const fs::path& base, config& c) {
    auto r = top.child("trust");
    if (!top.has("trust")) {
        top.error("trust", "is required (at least trust.anchors_dir)");
    }
    r.allow_only({"anchors_dir", "intermediates_dir", "crl_dir", "allow_sha1",
                  "document_anchors_dir", "document_intermediates_dir", "document_crl_dir"});
    r.read("anchors_dir", c.trust.anchors_dir, top.has("trust"));
    r.read("intermediates_dir", c.trust.intermediates_dir);
    r.read("crl_dir", c.trust.crl_dir);
    r.read("allow_sha1", c.trust.allow_sha1);
    resolve(c.trust.anchors_dir, base);
    resolve(c.trust.intermediates_dir, base);
    resolve(c.trust.crl_dir, base);
    require_dir(r, "anchors_dir", c.trust.anchors_dir);
    require_dir(r, "intermediates_dir", c.trust.intermediates_dir);
    require_dir(r, "crl_dir", c.trust.crl_dir);
    read_document_trust(r, c.trust, base);
}

// "host:port" (IPv4 address or name; no IPv6 literal: the bus and the broker are on IPv4).
std::optional<broker_address> parse_broker_address(const std::string& text) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
        return std::nullopt;
    }
    const std::string digits = text.substr(colon + 1);
    if (digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string::npos) {
        return std::nullopt;
    }
    const int port = std::stoi(digits);
    if (port < 1 || port > 65535) {
        return std::nullopt;
    }
    return broker_address{text.substr(0, colon), static_cast<std::uint16_t>(port)};
}

void read_broker_addresses(yaml_reader& r, config& c) {
    if (!r.has("addresses")) {
        return;
    }
    if (r.has("host") || r.has("port")) {
        r.error("addresses", "set either addresses or host and port, not both");
    }
    std::vector<std::string> texts;
    r.read("addresses", texts);
    for (const auto& t : texts) {
        if (auto a = parse_broker_address(t)) {
            c.broker.addresses.push_back(*a);
        } else {
            r.error("addresses", "'" + t + "' is not host:port with a port in 1..65535");
        }
    }
    if (texts.empty()) {
        r.error("addresses", "must list at least one host:port");
    }
}

void read_broker(yaml_reader& top, config& c) {
    auto r = top.child("broker");
    r.allow_only({"host", "port", "addresses", "vhost", "user", "password", "exchange",
                  "queue_prefix", "confirm_timeout_ms", "reconnect_max_ms", "max_message_bytes"});
    r.read("queue_prefix", c.broker.queue_prefix);
    if (c.broker.queue_prefix.empty()) {
        r.error("queue_prefix", "must not be empty");
    }
    r.read("host", c.broker.host);
    r.read_int("port", c.broker.port, 1, 65535);
    read_broker_addresses(r, c);
    r.read("vhost", c.broker.vhost);
    r.read("user", c.broker.user);
    r.read("password", c.broker.password);
    r.read("exchange", c.broker.exchange);
    r.read_int("confirm_timeout_ms", c.broker.confirm_timeout_ms, 100, 600'000);
    r.read_int("reconnect_max_ms", c.broker.reconnect_max_ms, 100, 600'000);
    r.read_int("max_message_bytes", c.broker.max_message_bytes, 1024, 512LL * 1024 * 1024);
    if (c.broker.exchange.empty()) {
        r.error("exchange", "must not be empty");
    }
    // A body the front door accepts must fit in one broker message, or every attempt at it
    // would end in a channel error (RabbitMQ closes the channel on an oversized message).
    if (c.limits.max_body_bytes > c.broker.max_message_bytes) {
        top.error("limits.max_body_bytes",
                  std::to_string(c.limits.max_body_bytes) + " is above broker.max_message_bytes (" +
                      std::to_string(c.broker.max_message_bytes) +
                      "): the broker would refuse such a packet; lower the body limit or raise "
                      "the broker's max_message_size and broker.max_message_bytes");
    }
}

void read_delivery(yaml_reader& top, config& c) {
    auto r = top.child("delivery");
    r.allow_only(
        {"workers", "prefetch", "max_in_flight_bytes", "retry_schedule_ms", "drain_timeout_ms"});
    r.read_int("workers", c.delivery.workers, 1, 256);
    r.read_int("prefetch", c.delivery.prefetch, 1, 65535);
    r.read_int("max_in_flight_bytes", c.delivery.max_in_flight_bytes, 64 * 1024, 1LL << 40);
    r.read("retry_schedule_ms", c.delivery.retry_schedule_ms, 100, 7LL * 24 * 3600 * 1000);
    r.read_int("drain_timeout_ms", c.delivery.drain_timeout_ms, 0, 600'000);
}

void read_auth(yaml_reader& top, config& c) {
    auto r = top.child("auth");
    r.allow_only({"tokens", "admin_tokens"});
    static const std::regex hex64("^[0-9a-f]{64}$");
    r.each("tokens", [&](yaml_reader t) {
        t.allow_only({"agency", "sha256"});
        token_config tc;
        t.read("agency", tc.agency, true);
        t.read("sha256", tc.sha256, true);
        if (!tc.sha256.empty() && !std::regex_match(tc.sha256, hex64)) {
            t.error("sha256", "must be the lowercase hex SHA-256 of the token (64 characters)");
        }
        c.tokens.push_back(std::move(tc));
    });
    r.each("admin_tokens", [&](yaml_reader t) {
        t.allow_only({"name", "sha256"});
        admin_token_config tc;
        t.read("name", tc.name, true);
        t.read("sha256", tc.sha256, true);
        if (!tc.sha256.empty() && !std::regex_match(tc.sha256, hex64)) {
            t.error("sha256", "must be the lowercase hex SHA-256 of the token (64 characters)");
        }
        c.admin_tokens.push_back(std::move(tc));
    });
}

void read_paths(yaml_reader& top, const fs::path& base, config& c) {
    top.read("ui_dir", c.ui_dir);
    resolve(c.ui_dir, base);
    require_dir(top, "ui_dir", c.ui_dir);
    top.read("schemas_dir", c.schemas_dir, true);
    resolve(c.schemas_dir, base);
    require_dir(top, "schemas_dir", c.schemas_dir);
    top.read("directory", c.directory_file, true);
    resolve(c.directory_file, base);
    require_file(top, "directory", c.directory_file);
}

}  // namespace

config_error::config_error(std::vector<std::string> errors)
    : std::runtime_error(join_lines(errors)), errors_(std::move(errors)) {}

config load_config(const std::string& path) {
    std::vector<std::string> errors;
    YAML::Node root;
    try {
        root = YAML::LoadFile(path);
    } catch (const YAML::Exception& e) {
        throw config_error({path + ": " + e.what()});
    }
    const fs::path base = fs::absolute(path).parent_path();
    config c;
    yaml_reader top(root, "", errors);
    top.allow_only({"listen", "tls", "limits", "schemas_dir", "directory", "trust", "broker",
                    "auth", "store", "delivery", "ui_dir", "adapters"});

    read_listen(top, c);
    read_tls(top, base, c);
    read_limits(top, c);
    read_store(top, base, c);
    read_adapters(top, base, c);
    read_paths(top, base, c);
    read_trust(top, base, c);
    read_broker(top, c);
    read_delivery(top, c);
    read_auth(top, c);
    if (!errors.empty()) {
        throw config_error(std::move(errors));
    }
    return c;
}

}  // namespace lienthong::bus::config
