#pragma once
// RAII for the OpenSSL handles the crypto layer uses, plus the few certificate helpers shared by
// the verifier and the signer.
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace lienthong::bus::crypto {

struct x509_deleter {
    void operator()(X509* p) const noexcept { X509_free(p); }
};
using x509_ptr = std::unique_ptr<X509, x509_deleter>;

struct x509_store_deleter {
    void operator()(X509_STORE* p) const noexcept { X509_STORE_free(p); }
};
using x509_store_ptr = std::unique_ptr<X509_STORE, x509_store_deleter>;

struct x509_store_ctx_deleter {
    void operator()(X509_STORE_CTX* p) const noexcept { X509_STORE_CTX_free(p); }
};
using x509_store_ctx_ptr = std::unique_ptr<X509_STORE_CTX, x509_store_ctx_deleter>;

/// A STACK_OF(X509) that does NOT own its certificates (they stay owned by x509_ptr vectors).
struct x509_stack_deleter {
    void operator()(STACK_OF(X509) * p) const noexcept { sk_X509_free(p); }
};
using x509_stack_ptr = std::unique_ptr<STACK_OF(X509), x509_stack_deleter>;

struct x509_crl_deleter {
    void operator()(X509_CRL* p) const noexcept { X509_CRL_free(p); }
};
using x509_crl_ptr = std::unique_ptr<X509_CRL, x509_crl_deleter>;

struct evp_pkey_deleter {
    void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};
using evp_pkey_ptr = std::unique_ptr<EVP_PKEY, evp_pkey_deleter>;

struct bio_deleter {
    void operator()(BIO* p) const noexcept { BIO_free(p); }
};
using bio_ptr = std::unique_ptr<BIO, bio_deleter>;

struct md_ctx_deleter {
    void operator()(EVP_MD_CTX* p) const noexcept { EVP_MD_CTX_free(p); }
};
using md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, md_ctx_deleter>;

/// Every certificate in a PEM file (bundles allowed), in file order. Fails with `internal` naming
/// the file if it cannot be read or holds no certificate.
core::result<std::vector<x509_ptr>> load_pem_certificates(const std::string& path);

/// Every certificate in a PEM file, or the one certificate of a DER file. Fails with `internal`
/// naming the file if it holds neither.
core::result<std::vector<x509_ptr>> load_certificates(const std::string& path);

/// Every CRL in a PEM file, or the one CRL of a DER file. Fails with `internal` naming the file.
core::result<std::vector<x509_crl_ptr>> load_crls(const std::string& path);

/// A signer pinned by the operator: a certificate (PEM or DER) or a bare public key (PEM or DER,
/// SubjectPublicKeyInfo or PKCS#1 "RSA PUBLIC KEY"). `cert` is null for a bare key.
struct pinned_signer {
    evp_pkey_ptr key;
    x509_ptr cert;
};
core::result<pinned_signer> load_pinned_signer(const std::string& path);

/// Parses one DER certificate; nullptr if it is not one.
x509_ptr parse_der_certificate(std::string_view der);

/// A distinguished name as readable UTF-8 in RFC 4514 (RFC 2253) order and escaping, e.g.
/// "UID=000.01.01.H41,CN=UBND xã Nghi Phong,O=...,C=VN": every string type (UTF8String,
/// BMPString, UniversalString, T61String, PrintableString) is converted to UTF-8 and printed as
/// characters, not as \XX byte escapes (RFC 4514 section 2.4 escapes only the special characters
/// ,+"\<>; and a leading # or space; control characters are still escaped). A name whose strings
/// do not decode falls back to OpenSSL's all-escaped form, or to the hex of their DER
/// ("CN=#0c..."), so the result is always valid UTF-8 (it goes into logs, JSON problem details and
/// `lienthongctl verify` output); "" only if OpenSSL cannot print it at all. The one place the bus
/// turns a name into text. Thread-safe.
std::string name_text(const X509_NAME* name);

/// name_text of the certificate's subject.
std::string subject_rfc2253(const X509* cert);

/// The first `nid` entry of `name` (e.g. NID_commonName) as UTF-8, whatever its string type;
/// empty if absent or undecodable. Thread-safe.
std::string name_entry_text(const X509_NAME* name, int nid);

/// The subject's userId (0.9.2342.19200300.100.1.1) as UTF-8; empty if absent.
std::string subject_uid(X509* cert);

/// Lowercase hex SHA-256 of the DER certificate (no separators).
std::string sha256_fingerprint(X509* cert);

/// Every queued OpenSSL error of this thread as text (clears the queue), for log details.
std::string drain_openssl_errors();

}  // namespace lienthong::bus::crypto
