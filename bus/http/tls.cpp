#include "http/tls.hpp"

#include <openssl/err.h>

#include <stdexcept>

#include "crypto/openssl.hpp"

namespace lienthong::bus::http {

namespace ssl = boost::asio::ssl;

namespace {

void check(int rc, const std::string& what) {
    if (rc != 1) {
        throw std::runtime_error(what + ": " + crypto::drain_openssl_errors());
    }
}

}  // namespace

ssl::context make_server_context(const config::tls_config& c) {
    ssl::context ctx(ssl::context::tls_server);
    SSL_CTX* native = ctx.native_handle();
    check(SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION), "tls: minimum version");
    SSL_CTX_set_options(
        native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    check(SSL_CTX_use_certificate_chain_file(native, c.certificate.c_str()),
          "tls.certificate: cannot load '" + c.certificate + "'");
    check(SSL_CTX_use_PrivateKey_file(native, c.private_key.c_str(), SSL_FILETYPE_PEM),
          "tls.private_key: cannot load '" + c.private_key + "'");
    check(SSL_CTX_check_private_key(native),
          "tls.private_key: does not match tls.certificate '" + c.certificate + "'");
    if (!c.client_ca.empty()) {
        check(SSL_CTX_load_verify_locations(native, c.client_ca.c_str(), nullptr),
              "tls.client_ca: cannot load '" + c.client_ca + "'");
        // Tells clients which CA to pick their certificate from.
        STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(c.client_ca.c_str());
        if (names == nullptr) {
            throw std::runtime_error("tls.client_ca: no certificate in '" + c.client_ca + "'");
        }
        SSL_CTX_set_client_CA_list(native, names);  // takes ownership
        // Optional certificate (tokens remain a method), but a presented one must verify.
        SSL_CTX_set_verify(native, SSL_VERIFY_PEER, nullptr);
        // Session resumption with client certificates needs a context id.
        static constexpr unsigned char sid[] = "lienthong";
        check(SSL_CTX_set_session_id_context(native, sid, sizeof sid - 1),
              "tls: session id context");
    }
    return ctx;
}

connection_info connection_info_of(SSL* ssl) {
    connection_info info;
    X509* cert = SSL_get0_peer_certificate(ssl);
    // Verified during the handshake (SSL_VERIFY_PEER); the check here guards a misconfiguration.
    if (cert != nullptr && SSL_get_verify_result(ssl) == X509_V_OK) {
        info.certificate =
            client_certificate{crypto::subject_rfc2253(cert), crypto::subject_uid(cert),
                               crypto::sha256_fingerprint(cert)};
    }
    return info;
}

std::string verify_failure_of(SSL* ssl) {
    const long rc = SSL_get_verify_result(ssl);
    return rc == X509_V_OK ? std::string{} : X509_verify_cert_error_string(rc);
}

}  // namespace lienthong::bus::http
