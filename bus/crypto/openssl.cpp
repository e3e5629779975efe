#include "crypto/openssl.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

#include <cstdio>

namespace lienthong::bus::crypto {

core::result<std::vector<x509_ptr>> load_pem_certificates(const std::string& path) {
    bio_ptr bio{BIO_new_file(path.c_str(), "r")};
    if (!bio) {
        ERR_clear_error();
        return core::fail(core::errc::internal, "cannot open certificate file " + path);
    }
    std::vector<x509_ptr> certs;
    while (x509_ptr cert{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)}) {
        certs.push_back(std::move(cert));
    }
    // The loop always ends on an error (PEM "no start line" at end of file); only a real one
    // counts.
    const unsigned long last = ERR_peek_last_error();
    const bool clean_end =
        ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE;
    auto detail = drain_openssl_errors();
    if ((last != 0 && !clean_end) || certs.empty()) {
        auto f = core::fail(core::errc::internal, "no readable PEM certificate in " + path);
        f.log_detail = detail;
        return f;
    }
    return certs;
}

x509_ptr parse_der_certificate(std::string_view der) {
    auto* p = reinterpret_cast<const unsigned char*>(der.data());
    x509_ptr cert{d2i_X509(nullptr, &p, static_cast<long>(der.size()))};
    if (!cert) {
        ERR_clear_error();
    }
    return cert;
}

std::string subject_rfc2253(X509* cert) {
    bio_ptr bio{BIO_new(BIO_s_mem())};
    if (!bio ||
        X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert), 0, XN_FLAG_RFC2253) < 0) {
        ERR_clear_error();
        return {};
    }
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string{};
}

std::string subject_uid(X509* cert) {
    X509_NAME* name = X509_get_subject_name(cert);
    const int index = X509_NAME_get_index_by_NID(name, NID_userId, -1);
    if (index < 0) {
        return {};
    }
    unsigned char* utf8 = nullptr;
    const int size =
        ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index)));
    if (size < 0) {
        ERR_clear_error();
        return {};
    }
    std::string uid(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(size));
    OPENSSL_free(utf8);
    return uid;
}

std::string sha256_fingerprint(X509* cert) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (X509_digest(cert, EVP_sha256(), md, &size) != 1) {
        ERR_clear_error();
        return {};
    }
    std::string hex;
    hex.reserve(size * 2);
    for (unsigned int i = 0; i < size; ++i) {
        char byte[3];
        std::snprintf(byte, sizeof byte, "%02x", md[i]);
        hex += byte;
    }
    return hex;
}

std::string drain_openssl_errors() {
    std::string text;
    while (const unsigned long code = ERR_get_error()) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        if (!text.empty()) {
            text += "; ";
        }
        text += buffer;
    }
    return text;
}

}  // namespace lienthong::bus::crypto
