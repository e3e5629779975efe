#pragma once
// The cryptographic half of a PDF signature: the CMS SignedData of /Contents (RFC 5652) over the
// bytes its ByteRange covers, with OpenSSL's CMS, and the signer's chain to the document-
// signature trust anchors at the signing time.
#include <openssl/cms.h>

#include <ctime>
#include <memory>
#include <string_view>

#include "crypto/trust_store.hpp"
#include "pdf/verdict.hpp"

namespace lienthong::bus::pdf {

struct cms_deleter {
    void operator()(CMS_ContentInfo* p) const noexcept { CMS_ContentInfo_free(p); }
};
using cms_ptr = std::unique_ptr<CMS_ContentInfo, cms_deleter>;

/// Owns the certificates of a STACK_OF(X509) from CMS_get1_certs.
struct x509_owning_stack_deleter {
    void operator()(STACK_OF(X509) * p) const noexcept { sk_X509_pop_free(p, X509_free); }
};
using x509_owning_stack_ptr = std::unique_ptr<STACK_OF(X509), x509_owning_stack_deleter>;

/// Checks one detached CMS signature `der` over `signed_bytes` (the ByteRange's bytes joined)
/// and fills `out`'s status, detail, signer, signing time and algorithms (field, subfilter and
/// coverage are the caller's). A signingTime signed attribute replaces `out.signing_time`; without
/// one, the caller's value (the signature dictionary's /M) stays. In order, the first failing check
/// sets the status:
///  - malformed: not DER SignedData, not detached, not exactly one SignerInfo (ISO 32000-1
///    12.8.3.3), or no signer certificate among the CMS certificates;
///  - digest_mismatch: messageDigest (RFC 5652 11.2) differs from the hash of the bytes; for
///    ETSI.CAdES.detached signed attributes are mandatory (ETSI EN 319 142-1 5.1);
///  - signature_invalid: the signature over the signed attributes does not verify;
///  - certificate_untrusted / certificate_expired / certificate_revoked: the chain to `trust`'s
///    anchors (CRLs as configured) at the signing time, or at `now` when the CMS names none or
///    names a time after `now` (a claimed time is never allowed to move verification forward).
/// Never throws; thread-safe (each call has its own OpenSSL objects; `trust` is only read).
void verify_cms(std::string_view der, std::string_view signed_bytes,
                const crypto::trust_material& trust, std::time_t now, signature_verdict& out);

}  // namespace lienthong::bus::pdf
