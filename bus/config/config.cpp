#include "config/config.hpp"

#include <filesystem>
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
    top.allow_only({"listen", "limits", "schemas_dir", "directory", "trust", "broker", "auth"});

    {
        auto r = top.child("listen");
        r.allow_only({"address", "port", "threads"});
        r.read("address", c.listen.address);
        r.read_int("port", c.listen.port, 0, 65535);
        r.read_int("threads", c.listen.threads, 1, 64);
    }
    {
        auto r = top.child("limits");
        r.allow_only({"max_body_bytes", "max_depth", "max_attributes", "max_text_bytes",
                      "read_timeout_ms"});
        r.read_int("max_body_bytes", c.limits.max_body_bytes, 1024, 1LL << 30);
        r.read_int("max_depth", c.limits.max_depth, 8, 1024);
        r.read_int("max_attributes", c.limits.max_attributes, 4, 1024);
        r.read_int("max_text_bytes", c.limits.max_text_bytes, 1024, 1LL << 30);
        r.read_int("read_timeout_ms", c.limits.read_timeout_ms, 100, 600'000);
    }
    top.read("schemas_dir", c.schemas_dir, true);
    resolve(c.schemas_dir, base);
    require_dir(top, "schemas_dir", c.schemas_dir);
    top.read("directory", c.directory_file, true);
    resolve(c.directory_file, base);
    require_file(top, "directory", c.directory_file);
    {
        auto r = top.child("trust");
        if (!top.has("trust")) {
            top.error("trust", "is required (at least trust.anchors_dir)");
        }
        r.allow_only({"anchors_dir", "intermediates_dir", "allow_sha1"});
        r.read("anchors_dir", c.trust.anchors_dir, top.has("trust"));
        r.read("intermediates_dir", c.trust.intermediates_dir);
        r.read("allow_sha1", c.trust.allow_sha1);
        resolve(c.trust.anchors_dir, base);
        resolve(c.trust.intermediates_dir, base);
        require_dir(r, "anchors_dir", c.trust.anchors_dir);
        require_dir(r, "intermediates_dir", c.trust.intermediates_dir);
    }
    {
        auto r = top.child("broker");
        r.allow_only({"host", "port", "vhost", "user", "password", "exchange",
                      "confirm_timeout_ms", "reconnect_max_ms"});
        r.read("host", c.broker.host);
        r.read_int("port", c.broker.port, 1, 65535);
        r.read("vhost", c.broker.vhost);
        r.read("user", c.broker.user);
        r.read("password", c.broker.password);
        r.read("exchange", c.broker.exchange);
        r.read_int("confirm_timeout_ms", c.broker.confirm_timeout_ms, 100, 600'000);
        r.read_int("reconnect_max_ms", c.broker.reconnect_max_ms, 100, 600'000);
        if (c.broker.exchange.empty()) {
            r.error("exchange", "must not be empty");
        }
    }
    {
        auto r = top.child("auth");
        r.allow_only({"tokens"});
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
    }

    if (!errors.empty()) {
        throw config_error(std::move(errors));
    }
    return c;
}

}  // namespace lienthong::bus::config
