#include "adapters/national_axis/config.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "adapters/national_axis/inbound_poller.hpp"
#include "adapters/national_axis/national_axis_adapter.hpp"

namespace lienthong::adapters::national_axis {

namespace {

std::string get(const settings& s, const std::string& key) {
    auto it = s.find(key);
    return it == s.end() ? std::string{} : it->second;
}

void read_ms(const settings& s, const std::string& key, std::chrono::milliseconds& out,
             long long min, long long max, bool zero_allowed, const std::string& path,
             std::vector<std::string>& errors) {
    auto it = s.find(key);
    if (it == s.end()) {
        return;
    }
    long long v = 0;
    const auto& t = it->second;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc{} || end != t.data() + t.size() ||
        ((v < min || v > max) && !(zero_allowed && v == 0))) {
        errors.push_back(path + "." + key + ": must be an integer in " + std::to_string(min) +
                         ".." + std::to_string(max) + (zero_allowed ? " (or 0)" : ""));
        return;
    }
    out = std::chrono::milliseconds(v);
}

void require_file(const std::string& file, const std::string& key, const std::string& path,
                  std::vector<std::string>& errors) {
    std::error_code ec;
    if (!file.empty() && !std::filesystem::is_regular_file(file, ec)) {
        errors.push_back(path + "." + key + ": file '" + file + "' does not exist");
    }
}

void read_secret(const std::string& file, const std::string& path, std::string& secret,
                 std::vector<std::string>& errors) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        errors.push_back(path + ".secret_file: cannot read '" + file + "'");
        return;
    }
    secret.assign(std::istreambuf_iterator<char>(in), {});
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) {
        secret.pop_back();
    }
    if (secret.empty()) {
        errors.push_back(path + ".secret_file: '" + file + "' is empty");
    } else if (secret.find('\n') != std::string::npos) {
        errors.push_back(path + ".secret_file: '" + file + "' must hold the key on one line");
    }
}

}  // namespace

std::shared_ptr<const config> parse_config(const settings& s, const std::string& path,
                                           std::vector<std::string>& errors) {
    const auto before = errors.size();
    static const std::vector<std::string> known{"endpoint",    "system_id",   "secret",
                                                "secret_file", "timeout_ms",  "poll_interval_ms",
                                                "ca_file",     "client_cert", "client_key"};
    for (const auto& [k, v] : s) {
        if (std::find(known.begin(), known.end(), k) == known.end()) {
            errors.push_back(path + "." + k +
                             ": unknown setting (known: endpoint, system_id, secret, "
                             "secret_file, timeout_ms, poll_interval_ms, ca_file, client_cert, "
                             "client_key)");
        }
    }
    auto c = std::make_shared<config>();
    c->endpoint = get(s, "endpoint");
    while (!c->endpoint.empty() && c->endpoint.back() == '/') {
        c->endpoint.pop_back();
    }
    if (c->endpoint.empty()) {
        errors.push_back(path + ".endpoint: is required (the axis's base URL)");
    } else if (auto u = common::parse_url(c->endpoint); !u.ok) {
        errors.push_back(path + ".endpoint: " + u.error);
    }
    c->system_id = get(s, "system_id");
    if (c->system_id.empty()) {
        errors.push_back(path + ".system_id: is required (the id VPCP issued to this axis)");
    }
    c->secret = get(s, "secret");
    const auto secret_file = get(s, "secret_file");
    if (!c->secret.empty() && !secret_file.empty()) {
        errors.push_back(path + ".secret_file: give secret or secret_file, not both");
    } else if (!secret_file.empty()) {
        read_secret(secret_file, path, c->secret, errors);
    } else if (c->secret.empty()) {
        errors.push_back(path +
                         ".secret: is required (the shared HMAC key), or secret_file naming a "
                         "file that holds it");
    }
    read_ms(s, "timeout_ms", c->timeout, 100, 600'000, false, path, errors);
    read_ms(s, "poll_interval_ms", c->poll_interval, 100, 3'600'000, true, path, errors);
    c->tls.ca_file = get(s, "ca_file");
    c->tls.client_cert = get(s, "client_cert");
    c->tls.client_key = get(s, "client_key");
    require_file(c->tls.ca_file, "ca_file", path, errors);
    require_file(c->tls.client_cert, "client_cert", path, errors);
    require_file(c->tls.client_key, "client_key", path, errors);
    if (c->tls.client_cert.empty() != c->tls.client_key.empty()) {
        errors.push_back(path + ".client_key: client_cert and client_key go together");
    }
    if (errors.size() != before) {
        return nullptr;
    }
    return c;
}

void factory::validate(const settings& s, const std::string& path,
                       std::vector<std::string>& errors) const {
    (void)parse_config(s, path, errors);
}

namespace {

std::shared_ptr<const config> validated(const settings& s) {
    std::vector<std::string> errors;
    auto c = parse_config(s, "national_axis", errors);
    if (!c) {
        // Precondition broken: validate() would have reported these at start-up.
        throw std::logic_error("national_axis settings not validated: " + errors.front());
    }
    return c;
}

}  // namespace

std::unique_ptr<adapter> factory::create(const settings& s) const {
    return std::make_unique<national_axis_adapter>(validated(s));
}

std::unique_ptr<inbound_source> factory::create_inbound(const settings& s,
                                                        inbound_sink sink) const {
    auto c = validated(s);
    if (c->poll_interval.count() == 0) {
        return nullptr;
    }
    return std::make_unique<inbound_poller>(std::move(c), std::move(sink));
}

}  // namespace lienthong::adapters::national_axis
