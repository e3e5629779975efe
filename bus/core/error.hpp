#pragma once
// The one error taxonomy of the bus. Every rejection on the data path is one of these codes;
// http/problem.cpp maps them to HTTP statuses in exactly one place, and the CLI prints the same
// stable type slugs.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lienthong::core {

enum class errc {
    // input shape
    malformed_xml,
    doctype_forbidden,
    xml_limit_exceeded,
    schema_invalid,
    unsupported_encoding,  ///< a packet not in UTF-8 (BOM, declaration or byte pattern)
    // trust
    signature_missing,
    signature_invalid,
    digest_mismatch,
    algorithm_forbidden,
    certificate_untrusted,
    certificate_expired,
    certificate_revoked,
    signer_not_sender,
    signature_wrapping,
    // the documents' own signatures (signed PDFs), under the sender's `required` policy
    document_unsigned,           ///< the main document is not a PDF, or carries no signature
    document_signature_invalid,  ///< none of its signatures is valid (the reason in the message)
    document_signer_not_sender,  ///< valid signatures, none by someone of the sending agency
    // routing
    unknown_recipient,
    duplicate_document,
    // request
    unauthenticated,
    forbidden,
    sender_mismatch,
    unsupported_media_type,
    payload_too_large,
    rate_limited,
    not_found,
    method_not_allowed,
    invalid_request,    ///< a query parameter or path segment the endpoint cannot use
    malformed_request,  ///< not a well-framed HTTP/1.1 request (RFC 9112); the connection closes
    header_too_large,   ///< the request line and header section are over the limit (431)
    // infrastructure
    broker_unavailable,
    server_busy,  ///< every request worker is busy and the wait queue is full (503, Retry-After)
    internal,
};

/// Stable machine-readable slug, e.g. "schema-invalid". Part of the public API: never rename.
std::string_view type_slug(errc code) noexcept;

/// Every code, for tables that must cover them all (problem titles, their tests).
inline constexpr int errc_count = static_cast<int>(errc::internal) + 1;

/// The code whose slug is `slug`; nullopt for no code. Thread-safe.
std::optional<errc> errc_of_slug(std::string_view slug) noexcept;

/// One schema or structure problem, pointing at the offending node.
struct schema_issue {
    int line = 0;
    std::string path;     ///< XPath-like location, e.g. /edXML/edXMLEnvelope/.../From/OrganId
    std::string message;  ///< what is wrong, in words an integrator can act on
};

/// A rejection. `message` goes to the client; `log_detail` only to logs (may hold library
/// internals that must not leak to callers).
struct failure {
    errc code = errc::internal;
    std::string message;
    std::string field;  ///< the field at fault, when one is known (e.g. "From/OrganId")
    std::vector<schema_issue> issues;
    std::string log_detail;
    int retry_after_s = 0;  ///< when > 0, the client may retry after this many seconds
    /// method_not_allowed: the methods the target does accept, e.g. "GET, POST" (the Allow
    /// header RFC 9110 section 15.5.6 requires on a 405).
    std::string allow;
    /// The operation was started and may still complete (a publish the broker has not confirmed
    /// in time): not a "nothing happened" failure.
    bool outcome_pending = false;
};

inline failure fail(errc code, std::string message, std::string field = {}) {
    return failure{code, std::move(message), std::move(field), {}, {}};
}

}  // namespace lienthong::core
