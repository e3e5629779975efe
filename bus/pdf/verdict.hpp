#pragma once
// The verdicts of the document-signature checks: per signature, per document (one PDF, or one
// non-PDF attachment), and their JSON form shared by the 202 answer, the sidecar and the CLI.
#include <boost/json/value.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lienthong::bus::pdf {

/// What one PDF signature check concluded. Slugs (signature_status_slug) are public API.
enum class signature_status {
    valid,              ///< intact, CMS verifies, chain to a document anchor at signing time
    digest_mismatch,    ///< the signed ranges do not hash to the messageDigest (RFC 5652 11.2)
    signature_invalid,  ///< the CMS signature over the signed attributes does not verify
    modified,           ///< bytes after this signature's ranges change more than signatures
    certificate_untrusted,
    certificate_expired,  ///< outside its validity at the signing time
    certificate_revoked,
    unsupported,  ///< a SubFilter other than adbe.pkcs7.detached / ETSI.CAdES.detached
    malformed,    ///< ByteRange or Contents not as ISO 32000-1 12.8.1 requires, or bad CMS
};
std::string_view signature_status_slug(signature_status s) noexcept;

/// One signature field's signature (ISO 32000-1 12.8). Text is UTF-8; `signing_time` is seconds
/// since the epoch from the signingTime signed attribute (RFC 5652 11.3), else the signature
/// dictionary's /M (ISO 32000-1 12.8.1); either way the signer's claim, not a timestamp.
struct signature_verdict {
    std::string field;      ///< fully qualified field name
    std::string subfilter;  ///< e.g. "adbe.pkcs7.detached"
    signature_status status = signature_status::malformed;
    std::string detail;       ///< why, in words (never library internals)
    std::string signer_name;  ///< the signer certificate's commonName, readable UTF-8
    std::string signer_subject;
    std::string signer_uid;  ///< subject userId (the agency code in Vietnamese certificates)
    std::string signer_fingerprint;  ///< lowercase hex SHA-256 of the signer certificate (DER)
    std::string issuer;
    std::string serial;  ///< hex
    std::optional<std::int64_t> signing_time;
    std::string digest_algorithm;     ///< e.g. "sha256"
    std::string signature_algorithm;  ///< e.g. "rsaEncryption"
    bool covers_whole_file = false;   ///< the ByteRange ends at the end of the file
};

/// Per document summary (issue 16): `signed` (at least one signature, all valid),
/// `signed-invalid` (at least one signature that is not valid, or an unreadable PDF),
/// `unsigned` (a PDF with no signature field value), `not-pdf`.
enum class document_state { signed_valid, signed_invalid, unsigned_pdf, not_pdf };
std::string_view document_state_slug(document_state s) noexcept;

/// One decoded file: an attachment, or one entry of a zipped attachment (`entry` non-empty).
struct document_verdict {
    std::string content_id;
    std::string name;   ///< AttachmentName (or the file name, offline)
    std::string entry;  ///< the zip entry name when the attachment was a zip
    document_state state = document_state::not_pdf;
    std::string detail;  ///< decoding or structure problem, if any
    std::vector<signature_verdict> signatures;
};

/// The state from the signatures (unsigned when empty, signed when all valid).
document_state state_of(const std::vector<signature_verdict>& signatures) noexcept;

/// JSON forms: {"field","subfilter","status","detail","signer":{"name","subject","uid",
/// "issuer","serial"},"signing_time":"YYYY-MM-DDTHH:MM:SSZ"|null,"digest_algorithm",
/// "signature_algorithm","covers_whole_file"} and {"content_id","name","entry","state","detail",
/// "signatures":[...]}.
boost::json::value to_json(const signature_verdict& v);
boost::json::value to_json(const document_verdict& v);
boost::json::value to_json(const std::vector<document_verdict>& v);

/// Counts per state, e.g. "signed=1,unsigned=0,signed-invalid=0,not-pdf=1": the compact form
/// of the message header.
std::string compact_summary(const std::vector<document_verdict>& v);

}  // namespace lienthong::bus::pdf
