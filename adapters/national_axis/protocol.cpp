#include "adapters/national_axis/protocol.hpp"

#include <algorithm>
#include <array>
#include <boost/algorithm/string/predicate.hpp>
#include <boost/json.hpp>
#include <cctype>

namespace lienthong::adapters::national_axis {

namespace {

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

/// Position of a logical header in the real client's signed set (capture), unknown names last.
std::size_t signed_rank(std::string_view name) {
    static constexpr std::array<std::string_view, 12> order{
        "systemid", "servicetype", "messagetype", "hash-file",    "docId",  "filePath",
        "from",     "to",          "timestamp",   "Content-Type", "status", "description"};
    for (std::size_t i = 0; i < order.size(); ++i) {
        if (order[i] == name) {
            return i;
        }
    }
    return order.size();
}

header_list in_signed_order(header_list h) {
    std::stable_sort(h.begin(), h.end(), [](const auto& a, const auto& b) {
        return signed_rank(a.first) < signed_rank(b.first);
    });
    return h;
}

/// The logical headers of a verified sign-header: its members must be, in order, the bare
/// names of `names` with the prefix, string-valued, and equal to the headers received.
core::result<header_list> signed_headers(const boost::json::object& signed_obj,
                                         std::string_view names, const header_list& all) {
    header_list logical;
    auto member = signed_obj.begin();
    for (std::size_t start = 0; start <= names.size();) {
        const auto end = std::min(names.find(';', start), names.size());
        const std::string bare(names.substr(start, end - start));
        start = end + 1;
        const std::string name = std::string(header_prefix) + bare;
        if (bare.empty() || member == signed_obj.end() || member->key() != name) {
            return core::fail(core::errc::unauthenticated,
                              "XroadVnpt-sign-header-key does not list the signed headers, in "
                              "order, by bare name (at '" +
                                  bare + "')",
                              "XroadVnpt-sign-header-key");
        }
        if (!member->value().is_string()) {
            return core::fail(core::errc::schema_invalid,
                              "XroadVnpt-sign-header: " + name + " is not a string",
                              "XroadVnpt-sign-header");
        }
        const std::string value(member->value().get_string());
        const auto* actual = find_header(all, name);
        if (actual == nullptr || *actual != value) {
            return core::fail(core::errc::unauthenticated,
                              "header " + name + " does not match XroadVnpt-sign-header", name);
        }
        logical.emplace_back(bare, value);
        ++member;
    }
    if (member != signed_obj.end()) {
        return core::fail(core::errc::unauthenticated,
                          "XroadVnpt-sign-header-key does not list every signed header",
                          "XroadVnpt-sign-header-key");
    }
    return logical;
}

}  // namespace

header_list sign_request(const header_list& logical, std::string_view system_id,
                         std::string_view secret, std::string_view content_type,
                         std::chrono::system_clock::time_point now) {
    header_list given = logical;
    given.emplace_back("systemid", std::string(system_id));
    given.emplace_back("timestamp", axis_timestamp(now));
    given.emplace_back("Content-Type", std::string(content_type));
    const header_list signed_set = in_signed_order(std::move(given));

    const bool upload = content_type == "application/octet-stream";
    header_list out;
    if (upload) {
        out.emplace_back("Content-Type", std::string(content_type));
    }
    boost::json::object sign_header;
    std::string names;
    for (const auto& [k, v] : signed_set) {
        const std::string name = std::string(header_prefix) + k;
        sign_header[name] = v;
        names += (names.empty() ? "" : ";") + k;
        if (!upload && k == "Content-Type") {
            out.emplace_back("Content-Type", std::string(content_type));
        }
        out.emplace_back(name, v);
    }
    const std::string json = boost::json::serialize(sign_header);
    out.emplace_back(std::string(header_prefix) + "sign-header-key", names);
    out.emplace_back(std::string(header_prefix) + "sign-header", json);
    out.emplace_back(std::string(header_prefix) + "hash-header", hmac_sha256_hex(secret, json));
    out.emplace_back("User-Agent", std::string(user_agent));
    out.emplace_back(std::string(header_prefix) + "version", std::string(protocol_version));
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
    auto logical = signed_headers(parsed.get_object(), *names, all);
    if (!logical) {
        return logical;
    }
    // An XroadVnpt header outside the signed set could change meaning without the secret.
    for (const auto& [k, v] : all) {
        if (has_prefix(k) && !is_signature_header(k) &&
            find_header(*logical, std::string_view(k).substr(header_prefix.size())) == nullptr) {
            return core::fail(core::errc::unauthenticated, "header " + k + " is not signed", k);
        }
    }
    return logical;
}

core::result<void> verify_hash_file(const header_list& logical, std::string_view body) {
    const auto* hash = find_header(logical, "hash-file");
    if (hash == nullptr || *hash != sdk_hash_file(packet_of_upload(body))) {
        return core::fail(core::errc::unauthenticated,
                          "XroadVnpt-hash-file is not the SDK hex SHA-256 of the packet",
                          "XroadVnpt-hash-file");
    }
    return {};
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
