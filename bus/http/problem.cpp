#include "http/problem.hpp"

#include <boost/json.hpp>

namespace lienthong::bus::http {

beast_http::status http_status(core::errc code) noexcept {
    using core::errc;
    using s = beast_http::status;
    switch (code) {
        case errc::malformed_xml:
        case errc::doctype_forbidden:
        case errc::xml_limit_exceeded:
        case errc::schema_invalid:
        case errc::unsupported_encoding:
            return s::bad_request;
        case errc::signature_missing:
        case errc::signature_invalid:
        case errc::digest_mismatch:
        case errc::algorithm_forbidden:
        case errc::certificate_untrusted:
        case errc::certificate_expired:
        case errc::certificate_revoked:
        case errc::signer_not_sender:
        case errc::signature_wrapping:
        case errc::document_unsigned:
        case errc::document_signature_invalid:
        case errc::document_signer_not_sender:
        case errc::unknown_recipient:
            return s::unprocessable_entity;
        case errc::duplicate_document:
            return s::conflict;
        case errc::unauthenticated:
            return s::unauthorized;
        case errc::forbidden:
        case errc::sender_mismatch:
            return s::forbidden;
        case errc::unsupported_media_type:
            return s::unsupported_media_type;
        case errc::payload_too_large:
            return s::payload_too_large;
        case errc::rate_limited:
            return s::too_many_requests;
        case errc::not_found:
            return s::not_found;
        case errc::method_not_allowed:
            return s::method_not_allowed;
        case errc::invalid_request:
        case errc::malformed_request:
            return s::bad_request;
        case errc::header_too_large:
            return s::request_header_fields_too_large;
        case errc::broker_unavailable:
        case errc::server_busy:
            return s::service_unavailable;
        case errc::internal:
            return s::internal_server_error;
    }
    return s::internal_server_error;
}

response make_json(beast_http::status status, std::string body, unsigned version, bool keep_alive) {
    response res{status, version};
    res.set(beast_http::field::content_type, "application/json");
    res.keep_alive(keep_alive);
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

response make_problem(const core::failure& f, unsigned version, bool keep_alive) {
    const auto status = http_status(f.code);
    boost::json::object o;
    const auto slug = core::type_slug(f.code);
    // The slug itself is the type: a relative URI reference, stable and easy to match on.
    o["type"] = std::string(slug);
    o["title"] = std::string(beast_http::obsolete_reason(status));
    o["status"] = static_cast<int>(status);
    o["detail"] = f.message;
    if (!f.field.empty()) {
        o["field"] = f.field;
    }
    if (!f.issues.empty()) {
        boost::json::array issues;
        for (const auto& i : f.issues) {
            issues.push_back({{"line", i.line}, {"path", i.path}, {"message", i.message}});
        }
        o["errors"] = std::move(issues);
    }
    auto res = make_json(status, boost::json::serialize(o), version, keep_alive);
    res.set(beast_http::field::content_type, "application/problem+json");
    // The title follows Accept-Language (localize_problem), English answers included.
    res.set(beast_http::field::vary, "Accept-Language");
    if (f.code == core::errc::unauthenticated) {
        res.set(beast_http::field::www_authenticate, "Bearer realm=\"lienthong\"");
    }
    if (!f.allow.empty()) {
        res.set(beast_http::field::allow, f.allow);
    }
    if (f.retry_after_s > 0) {
        res.set(beast_http::field::retry_after, std::to_string(f.retry_after_s));
    } else if (f.code == core::errc::broker_unavailable) {
        res.set(beast_http::field::retry_after, "5");
    }
    return res;
}

}  // namespace lienthong::bus::http
