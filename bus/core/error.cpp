#include "core/error.hpp"

namespace lienthong::core {

std::string_view type_slug(errc code) noexcept {
    switch (code) {
        case errc::malformed_xml:
            return "malformed-xml";
        case errc::doctype_forbidden:
            return "doctype-forbidden";
        case errc::xml_limit_exceeded:
            return "xml-limit-exceeded";
        case errc::schema_invalid:
            return "schema-invalid";
        case errc::unsupported_encoding:
            return "unsupported-encoding";
        case errc::signature_missing:
            return "signature-missing";
        case errc::signature_invalid:
            return "signature-invalid";
        case errc::digest_mismatch:
            return "digest-mismatch";
        case errc::algorithm_forbidden:
            return "algorithm-forbidden";
        case errc::certificate_untrusted:
            return "certificate-untrusted";
        case errc::certificate_expired:
            return "certificate-expired";
        case errc::certificate_revoked:
            return "certificate-revoked";
        case errc::signer_not_sender:
            return "signer-not-sender";
        case errc::signature_wrapping:
            return "signature-wrapping";
        case errc::document_unsigned:
            return "document-unsigned";
        case errc::document_signature_invalid:
            return "document-signature-invalid";
        case errc::document_signer_not_sender:
            return "document-signer-not-sender";
        case errc::unknown_recipient:
            return "unknown-recipient";
        case errc::duplicate_document:
            return "duplicate-document";
        case errc::unauthenticated:
            return "unauthenticated";
        case errc::forbidden:
            return "forbidden";
        case errc::sender_mismatch:
            return "sender-mismatch";
        case errc::unsupported_media_type:
            return "unsupported-media-type";
        case errc::payload_too_large:
            return "payload-too-large";
        case errc::rate_limited:
            return "rate-limited";
        case errc::not_found:
            return "not-found";
        case errc::method_not_allowed:
            return "method-not-allowed";
        case errc::invalid_request:
            return "invalid-request";
        case errc::malformed_request:
            return "malformed-request";
        case errc::header_too_large:
            return "header-too-large";
        case errc::broker_unavailable:
            return "broker-unavailable";
        case errc::server_busy:
            return "server-busy";
        case errc::internal:
            return "internal-error";
    }
    return "internal-error";
}

std::optional<errc> errc_of_slug(std::string_view slug) noexcept {
    for (int i = 0; i < errc_count; ++i) {
        if (type_slug(static_cast<errc>(i)) == slug) {
            return static_cast<errc>(i);
        }
    }
    return std::nullopt;
}

}  // namespace lienthong::core
