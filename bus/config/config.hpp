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
};

/// Caps on untrusted input, enforced before work grows with them.
struct limits_config {
    std::size_t max_body_bytes = 10 * 1024 * 1024;
    int max_depth = 64;
    int max_attributes = 32;
    std::size_t max_text_bytes = 8 * 1024 * 1024;
    int read_timeout_ms = 30'000;
};

struct trust_config {
    std::string anchors_dir;        ///< trust anchors (PEM), required
    std::string intermediates_dir;  ///< optional untrusted intermediates (PEM)
    bool allow_sha1 = false;
};

struct broker_config {
    std::string host = "127.0.0.1";
    std::uint16_t port = 5672;
    std::string vhost = "/";
    std::string user = "guest";
    std::string password = "guest";
    std::string exchange = "lienthong.documents";
    int confirm_timeout_ms = 5'000;
    int reconnect_max_ms = 5'000;
};

/// A bearer token bound to one agency; only the SHA-256 (hex) of the token is stored.
struct token_config {
    std::string agency;
    std::string sha256;
};

struct config {
    listen_config listen;
    limits_config limits;
    std::string schemas_dir;
    std::string directory_file;  ///< agency directory YAML
    trust_config trust;
    broker_config broker;
    std::vector<token_config> tokens;
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
