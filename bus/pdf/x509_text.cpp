#include "pdf/x509_text.hpp"

#include <openssl/bn.h>
#include <openssl/crypto.h>

#include <memory>

#include "crypto/openssl.hpp"

namespace lienthong::bus::pdf {

void describe_signer(X509* cert, signature_verdict& out) {
    const X509_NAME* subject = X509_get_subject_name(cert);
    out.signer_name = crypto::name_entry_text(subject, NID_commonName);
    out.signer_subject = crypto::name_text(subject);
    out.signer_uid = crypto::name_entry_text(subject, NID_userId);
    out.signer_fingerprint = crypto::sha256_fingerprint(cert);
    out.issuer = crypto::name_text(X509_get_issuer_name(cert));
    std::unique_ptr<BIGNUM, decltype(&BN_free)> serial{
        ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr), &BN_free};
    if (serial) {
        char* hex = BN_bn2hex(serial.get());
        if (hex != nullptr) {
            out.serial = hex;
            OPENSSL_free(hex);
        }
    }
}

}  // namespace lienthong::bus::pdf
