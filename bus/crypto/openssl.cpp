#include "crypto/openssl.hpp"

#include <openssl/core_dispatch.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>

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

namespace {

// Files here are operator-supplied trust material, small; reading one whole is fine.
bool read_bytes(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return false;
    }
    out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return !in.bad();
}

bool looks_pem(const std::string& bytes) { return bytes.find("-----BEGIN ") != std::string::npos; }

}  // namespace

core::result<std::vector<x509_ptr>> load_certificates(const std::string& path) {
    std::string bytes;
    if (!read_bytes(path, bytes)) {
        return core::fail(core::errc::internal, "cannot open certificate file " + path);
    }
    if (looks_pem(bytes)) {
        return load_pem_certificates(path);
    }
    std::vector<x509_ptr> certs;
    if (auto cert = parse_der_certificate(bytes)) {
        certs.push_back(std::move(cert));
        return certs;
    }
    return core::fail(core::errc::internal, "no readable PEM or DER certificate in " + path);
}

core::result<std::vector<x509_crl_ptr>> load_crls(const std::string& path) {
    std::string bytes;
    if (!read_bytes(path, bytes)) {
        return core::fail(core::errc::internal, "cannot open CRL file " + path);
    }
    std::vector<x509_crl_ptr> crls;
    if (looks_pem(bytes)) {
        bio_ptr bio{BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size()))};
        while (bio) {
            x509_crl_ptr crl{PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr)};
            if (!crl) {
                break;
            }
            crls.push_back(std::move(crl));
        }
    } else {
        auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
        if (x509_crl_ptr crl{d2i_X509_CRL(nullptr, &p, static_cast<long>(bytes.size()))}) {
            crls.push_back(std::move(crl));
        }
    }
    auto detail = drain_openssl_errors();
    if (crls.empty()) {
        auto f = core::fail(core::errc::internal, "no readable PEM or DER CRL in " + path);
        f.log_detail = std::move(detail);
        return f;
    }
    return crls;
}

core::result<pinned_signer> load_pinned_signer(const std::string& path) {
    std::string bytes;
    if (!read_bytes(path, bytes)) {
        return core::fail(core::errc::internal, "cannot open pinned signer file " + path);
    }
    pinned_signer pin;
    if (auto certs = load_certificates(path); certs && !certs->empty()) {
        pin.cert = std::move(certs->front());
        pin.key.reset(X509_get_pubkey(pin.cert.get()));
    } else {
        // OpenSSL's decoder recognises PEM or DER, SubjectPublicKeyInfo or PKCS#1 by itself.
        EVP_PKEY* key = nullptr;
        std::unique_ptr<OSSL_DECODER_CTX, decltype(&OSSL_DECODER_CTX_free)> decoder{
            OSSL_DECODER_CTX_new_for_pkey(&key, nullptr, nullptr, nullptr,
                                          OSSL_KEYMGMT_SELECT_PUBLIC_KEY, nullptr, nullptr),
            OSSL_DECODER_CTX_free};
        auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
        std::size_t size = bytes.size();
        if (decoder && OSSL_DECODER_from_data(decoder.get(), &data, &size) == 1) {
            pin.key.reset(key);
        }
    }
    auto detail = drain_openssl_errors();
    if (!pin.key) {
        auto f = core::fail(core::errc::internal,
                            "no certificate or public key (PEM or DER) in " + path);
        f.log_detail = std::move(detail);
        return f;
    }
    return pin;
}

x509_ptr parse_der_certificate(std::string_view der) {
    auto* p = reinterpret_cast<const unsigned char*>(der.data());
    x509_ptr cert{d2i_X509(nullptr, &p, static_cast<long>(der.size()))};
    if (!cert) {
        ERR_clear_error();
    }
    return cert;
}

namespace {

// One X509_NAME_print_ex into a string; nullopt if OpenSSL cannot print it.
std::optional<std::string> print_name(const X509_NAME* name, unsigned long flags) {
    bio_ptr bio{BIO_new(BIO_s_mem())};
    if (!bio || X509_NAME_print_ex(bio.get(), name, 0, flags) < 0) {
        ERR_clear_error();
        return std::nullopt;
    }
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string{};
}

// Well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, at most U+10FFFF).
bool is_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t extra = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
            cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            cp = c & 0x07u;
        } else {
            return false;
        }
        if (i + extra >= s.size()) {
            return false;
        }
        for (std::size_t k = 1; k <= extra; ++k) {
            const auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0u) != 0x80u) {
                return false;
            }
            cp = (cp << 6) | (cc & 0x3Fu);
        }
        const std::uint32_t min = extra == 1 ? 0x80 : extra == 2 ? 0x800 : 0x10000;
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return false;
        }
        i += extra + 1;
    }
    return true;
}

}  // namespace

std::string name_text(const X509_NAME* name) {
    if (name == nullptr) {
        return {};
    }
    // XN_FLAG_RFC2253 converts every string type to UTF-8 (ASN1_STRFLGS_UTF8_CONVERT) but then
    // escapes each byte >= 0x80 (ASN1_STRFLGS_ESC_MSB), which turns "xã" into "x\C3\A3".
    if (auto readable = print_name(name, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
        readable && is_utf8(*readable)) {
        return *readable;
    }
    if (auto escaped = print_name(name, XN_FLAG_RFC2253)) {
        return *escaped;
    }
    // A string that does not decode in its own type: its DER as hex ("CN=#0c03..."), RFC 4514 2.4.
    return print_name(name, XN_FLAG_RFC2253 | ASN1_STRFLGS_DUMP_ALL).value_or(std::string{});
}

std::string subject_rfc2253(const X509* cert) { return name_text(X509_get_subject_name(cert)); }

std::string name_entry_text(const X509_NAME* name, int nid) {
    const int index = X509_NAME_get_index_by_NID(name, nid, -1);
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
    std::string text(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(size));
    OPENSSL_free(utf8);
    return text;
}

std::string subject_uid(X509* cert) {
    return name_entry_text(X509_get_subject_name(cert), NID_userId);
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
