#pragma once
// Readable UTF-8 text of a certificate for verdicts: names are printed from their ASN.1 strings
// converted to UTF-8, never with OpenSSL's \XX escapes of non-ASCII bytes (Vietnamese names).
#include <openssl/x509.h>

#include <string>

#include "pdf/verdict.hpp"

namespace lienthong::bus::pdf {

/// The first `nid` entry of `name` (e.g. NID_commonName) as UTF-8; empty if absent.
std::string name_entry_utf8(const X509_NAME* name, int nid);

/// RFC 2253 order and separators, values as UTF-8 (RFC 4514 escapes of , + " \ < > ; only).
std::string name_utf8(const X509_NAME* name);

/// Fills signer_name, signer_subject, signer_uid, signer_fingerprint, issuer and serial (uppercase
/// hex) of `out`.
void describe_signer(X509* cert, signature_verdict& out);

}  // namespace lienthong::bus::pdf
