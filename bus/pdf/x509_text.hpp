#pragma once
// Readable UTF-8 text of a certificate for verdicts, through crypto::name_text and
// crypto::name_entry_text: never OpenSSL's \XX escapes of non-ASCII bytes (Vietnamese names).
#include <openssl/x509.h>

#include <string>

#include "pdf/verdict.hpp"

namespace lienthong::bus::pdf {

/// Fills signer_name, signer_subject, signer_uid, signer_fingerprint, issuer and serial (uppercase
/// hex) of `out`.
void describe_signer(X509* cert, signature_verdict& out);

}  // namespace lienthong::bus::pdf
