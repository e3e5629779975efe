#pragma once
#include <ctime>
#include <memory>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "xml/libxml.hpp"

namespace lienthong::bus::crypto {

/// Where trust comes from. Folders hold PEM files (*.pem, *.crt); all are read at construction.
struct trust_options {
    std::string anchors_dir;        ///< trust anchors; the chain must end at one of these
    std::string intermediates_dir;  ///< optional untrusted intermediates
    bool allow_sha1 = false;        ///< accept RSA-SHA1 / SHA1 (legacy packets)
};

/// Who signed, read from the verified signer certificate.
struct signer_info {
    std::string subject;             ///< RFC 2253 subject
    std::string uid;                 ///< subject UID (0.9.2342.19200300.100.1.1), may be empty
    std::string sha256_fingerprint;  ///< lowercase hex of the DER certificate
};

/// Verifies the enveloped XML-DSig signature of an edXML packet with xmlsec against the trust
/// store. Construct once at start-up (throws std::runtime_error naming the bad file/folder);
/// verify() is thread-safe.
///
/// Errors: signature_missing (no ds:Signature in edXMLHeader), signature_invalid,
/// digest_mismatch, algorithm_forbidden, certificate_untrusted, certificate_expired,
/// signature_wrapping (more than one Signature, or a Reference other than the whole document).
class signature_verifier final {
public:
    explicit signature_verifier(const trust_options& options);
    ~signature_verifier();
    signature_verifier(signature_verifier&&) noexcept;

    /// `at`: verification time (nullopt = now).
    core::result<signer_info> verify_edxml(xmlDoc* doc, std::optional<std::time_t> at = {}) const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace lienthong::bus::crypto
