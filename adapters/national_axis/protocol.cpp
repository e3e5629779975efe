#include "adapters/national_axis/protocol.hpp"

#include <boost/algorithm/string/predicate.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <boost/json.hpp>
#include <cctype>
#include <cstdio>
#include <ctime>

#include "crypto/digest.hpp"

namespace lienthong::adapters::national_axis {

namespace {

std::string to_hex(const unsigned char* bytes, std::size_t n) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(n * 2);
    for (std::size_t i = 0; i < n; ++i) {
        // Always two digits per byte (the SDK drops the leading zero; see protocol.hpp).
        out += digits[bytes[i] >> 4];
        out += digits[bytes[i] & 0x0f];
    }
    return out;
}

using boost::algorithm::iequals;

bool has_prefix(std::string_view name) {
    return name.size() > header_prefix.size() &&
           iequals(name.substr(0, header_prefix.size()), header_prefix);
}

const std::string* find_header(const header_list& all, std::string_view name) {
    for (const auto& [k, v] : all) {
        if (iequals(k, name)) {
            return &v;
        }
    }
    return nullptr;
}

/// Constant-time comparison: the HMAC check must not leak how many leading digits matched.
bool same_digest(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    unsigned char diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff |= static_cast<unsigned char>(std::tolower(static_cast<unsigned char>(a[i])) ^
                                           std::tolower(static_cast<unsigned char>(b[i])));
    }
    return diff == 0;
}

// The signature headers themselves and the version are not part of the signed set.
bool is_signature_header(std::string_view name) {
    for (std::string_view s : {"sign-header-key", "sign-header", "hash-header", "version"}) {
        if (iequals(name.substr(header_prefix.size()), s)) {
            return true;
        }
    }
    return false;
}

std::string text_of(const boost::json::value* v) {
    if (v == nullptr) {
        return {};
    }
    if (v->is_string()) {
        return std::string(v->get_string());
    }
    if (v->is_int64()) {
        return std::to_string(v->get_int64());
    }
    if (v->is_uint64()) {
        return std::to_string(v->get_uint64());
    }
    return {};
}

}  // namespace

std::string sha256_hex(std::string_view data) { return bus::crypto::sha256_hex(data); }

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int len = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(data.data()), data.size(), md.data(),
             &len) == nullptr) {
        return {};
    }
    return to_hex(md.data(), len);
}

std::string base64_encode(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(bytes.data()),
                                  static_cast<int>(bytes.size()));
    out.resize(n < 0 ? 0 : static_cast<std::size_t>(n));
    return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
    std::string clean;
    clean.reserve(text.size());
    for (char c : text) {
        if (!std::isspace(static_cast<unsigned char>(c))) {
            clean += c;
        }
    }
    if (clean.size() % 4 != 0) {
        return std::nullopt;
    }
    std::string out(clean.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(clean.data()),
                                  static_cast<int>(clean.size()));
    if (n < 0) {
        return std::nullopt;
    }
    // EVP_DecodeBlock counts the padding as zero bytes.
    std::size_t size = static_cast<std::size_t>(n);
    for (std::size_t i = clean.size(); i > 0 && clean[i - 1] == '=' && size > 0; --i) {
        --size;
    }
    out.resize(size);
    return out;
}

std::string axis_timestamp(std::chrono::system_clock::time_point t) {
    const auto secs = std::chrono::system_clock::to_time_t(t);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()) %
                    std::chrono::seconds(1);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%02d%02d%04dT%02d%02d%02d+%04d", tm.tm_mday,
                  tm.tm_mon + 1, tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
                  static_cast<int>(ms.count()));
    return buf.data();
}

header_list sign_request(const header_list& logical, std::string_view system_id,
                         std::string_view secret, std::string_view content_type,
                         std::chrono::system_clock::time_point now) {
    header_list signed_set{{"systemid", std::string(system_id)},
                           {"timestamp", axis_timestamp(now)},
                           {"Content-Type", std::string(content_type)}};
    signed_set.insert(signed_set.end(), logical.begin(), logical.end());

    header_list out;
    boost::json::object sign_header;
    std::string names;
    for (const auto& [k, v] : signed_set) {
        const std::string name = std::string(header_prefix) + k;
        sign_header[name] = v;
        names += (names.empty() ? "" : ";") + name;
        out.emplace_back(name, v);
    }
    const std::string json = boost::json::serialize(sign_header);
    out.emplace_back(std::string(header_prefix) + "sign-header-key", names);
    out.emplace_back(std::string(header_prefix) + "sign-header", json);
    out.emplace_back(std::string(header_prefix) + "hash-header", hmac_sha256_hex(secret, json));
    out.emplace_back(std::string(header_prefix) + "version", std::string(protocol_version));
    out.emplace_back("User-Agent", std::string(user_agent));
    out.emplace_back("Content-Type", std::string(content_type));
    return out;
}

core::result<header_list> verify_request(const header_list& all, std::string_view secret) {
    const std::string prefix(header_prefix);
    const auto* json = find_header(all, prefix + "sign-header");
    const auto* hash = find_header(all, prefix + "hash-header");
    const auto* names = find_header(all, prefix + "sign-header-key");
    if (json == nullptr || hash == nullptr || names == nullptr) {
        return core::fail(core::errc::unauthenticated,
                          "XroadVnpt-sign-header, -sign-header-key and -hash-header are required",
                          "XroadVnpt-hash-header");
    }
    if (!same_digest(*hash, hmac_sha256_hex(secret, *json))) {
        return core::fail(core::errc::unauthenticated,
                          "XroadVnpt-hash-header is not the HMAC-SHA256 of XroadVnpt-sign-header",
                          "XroadVnpt-hash-header");
    }
    boost::system::error_code ec;
    const auto parsed = boost::json::parse(*json, ec);
    if (ec || !parsed.is_object()) {
        return core::fail(core::errc::schema_invalid, "XroadVnpt-sign-header is not a JSON object",
                          "XroadVnpt-sign-header");
    }
    const auto& signed_obj = parsed.get_object();
    std::string expected_names;
    header_list logical;
    for (const auto& [k, v] : signed_obj) {
        const std::string name(k);
        const auto* actual = find_header(all, name);
        if (!has_prefix(name) || !v.is_string() || actual == nullptr ||
            *actual != std::string_view(v.get_string())) {
            return core::fail(core::errc::unauthenticated,
                              "header " + name + " does not match XroadVnpt-sign-header", name);
        }
        expected_names += (expected_names.empty() ? "" : ";") + name;
        logical.emplace_back(name.substr(header_prefix.size()), std::string(v.get_string()));
    }
    if (!iequals(expected_names, *names)) {
        return core::fail(core::errc::unauthenticated,
                          "XroadVnpt-sign-header-key does not list the signed headers",
                          "XroadVnpt-sign-header-key");
    }
    // An XroadVnpt header outside the signed set could change meaning without the secret.
    for (const auto& [k, v] : all) {
        if (!has_prefix(k) || is_signature_header(k)) {
            continue;
        }
        bool listed = false;
        for (const auto& [sk, sv] : signed_obj) {
            listed = listed || iequals(sk, k);
        }
        if (!listed) {
            return core::fail(core::errc::unauthenticated, "header " + k + " is not signed", k);
        }
    }
    return logical;
}

core::result<reply> parse_reply(std::string_view body) {
    boost::system::error_code ec;
    const auto v = boost::json::parse(body, ec);
    if (ec || !v.is_object()) {
        auto f = core::fail(core::errc::internal, "the axis reply is not a JSON object");
        f.log_detail = std::string(body.substr(0, 200));
        return f;
    }
    const auto& o = v.get_object();
    return reply{text_of(o.if_contains("status")), text_of(o.if_contains("ErrorCode")),
                 text_of(o.if_contains("ErrorDesc")), text_of(o.if_contains("DocId"))};
}

std::string make_reply(const reply& r, const header_list& extra_json) {
    boost::json::object o{
        {"status", r.status}, {"ErrorCode", r.error_code}, {"ErrorDesc", r.error_desc}};
    if (!r.doc_id.empty()) {
        o["DocId"] = r.doc_id;
    }
    for (const auto& [k, json] : extra_json) {
        boost::system::error_code ec;
        auto v = boost::json::parse(json, ec);
        o[k] = ec ? boost::json::value(json) : std::move(v);
    }
    return boost::json::serialize(o);
}

delivery_result judge_send(int http_status, std::string_view transport_error,
                           std::string_view body) {
    if (!transport_error.empty()) {
        return {outcome::retryable_failure,
                "national axis unreachable: " + std::string(transport_error)};
    }
    auto r = parse_reply(body);
    const std::string desc =
        r ? " (ErrorCode " + r->error_code + ": " + r->error_desc + ")" : std::string{};
    if (http_status >= 500 || http_status == 408 || http_status == 429) {
        return {outcome::retryable_failure,
                "national axis answered HTTP " + std::to_string(http_status) + desc};
    }
    if (http_status < 200 || http_status >= 300) {
        return {outcome::permanent_failure,
                "national axis refused with HTTP " + std::to_string(http_status) + desc};
    }
    if (!r) {
        return {outcome::retryable_failure, "national axis reply is not its JSON envelope"};
    }
    if (!r->ok()) {
        return {outcome::permanent_failure, "national axis refused the document" + desc};
    }
    return {outcome::delivered, "axis DocId " + r->doc_id};
}

}  // namespace lienthong::adapters::national_axis
