#include "pdf/x509_text.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>

#include <memory>

#include "crypto/openssl.hpp"

namespace lienthong::bus::pdf {

std::string name_entry_utf8(const X509_NAME* name, int nid) {
    const int idx = X509_NAME_get_index_by_NID(name, nid, -1);
    if (idx < 0) {
        return {};
    }
    ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, idx));
    unsigned char* utf8 = nullptr;
    const int len = ASN1_STRING_to_UTF8(&utf8, data);
    if (len < 0) {
        return {};
    }
    std::string out(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(len));
    OPENSSL_free(utf8);
    return out;
}

std::string name_utf8(const X509_NAME* name) {
    crypto::bio_ptr bio{BIO_new(BIO_s_mem())};
    // XN_FLAG_RFC2253 without ASN1_STRFLGS_ESC_MSB: UTF-8 bytes are written as they are.
    const unsigned long flags =
        (XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) | ASN1_STRFLGS_UTF8_CONVERT;
    if (!bio || X509_NAME_print_ex(bio.get(), name, 0, flags) < 0) {
        return {};
    }
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio.get(), &data);
    return len > 0 ? std::string(data, static_cast<std::size_t>(len)) : std::string{};
}

void describe_signer(X509* cert, signature_verdict& out) {
    const X509_NAME* subject = X509_get_subject_name(cert);
    out.signer_name = name_entry_utf8(subject, NID_commonName);
    out.signer_subject = name_utf8(subject);
    out.signer_uid = name_entry_utf8(subject, NID_userId);
    out.signer_fingerprint = crypto::sha256_fingerprint(cert);
    out.issuer = name_utf8(X509_get_issuer_name(cert));
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
