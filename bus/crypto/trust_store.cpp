#include "crypto/trust_store.hpp"

#include <openssl/err.h>
#include <openssl/x509v3.h>
#include <xmlsec/openssl/evp.h>
#include <xmlsec/openssl/x509.h>

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <stdexcept>

namespace lienthong::bus::crypto {

namespace {

using core::errc;
using core::fail;

// The files an entry of trust_options stands for: the entry itself if it is a file, else the
// folder's files with one of `extensions`, sorted so loading is deterministic.
std::vector<std::filesystem::path> trust_files(const std::string& entry,
                                               std::initializer_list<const char*> extensions,
                                               const char* what) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(entry, ec)) {
        return {entry};
    }
    std::vector<std::filesystem::path> files;
    for (const auto& item : std::filesystem::directory_iterator(entry, ec)) {
        const auto ext = item.path().extension().string();
        if (item.is_regular_file() && std::any_of(extensions.begin(), extensions.end(),
                                                  [&](const char* e) { return ext == e; })) {
            files.push_back(item.path());
        }
    }
    if (ec) {
        throw std::runtime_error(std::string("cannot read the ") + what + " folder " + entry +
                                 ": " + ec.message());
    }
    std::sort(files.begin(), files.end());
    return files;
}

constexpr std::initializer_list<const char*> cert_extensions = {".pem", ".crt", ".cer", ".der"};

core::failure certificate_failure(X509* leaf, int error, std::string log_detail) {
    const std::string subject = subject_rfc2253(leaf);
    const std::string reason = X509_verify_cert_error_string(error);
    errc code = errc::certificate_untrusted;
    std::string what = "is not trusted: " + reason;
    if (error == X509_V_ERR_CERT_HAS_EXPIRED || error == X509_V_ERR_CERT_NOT_YET_VALID) {
        code = errc::certificate_expired;
        what = "is outside its validity period: " + reason;
    } else if (error == X509_V_ERR_CERT_REVOKED) {
        code = errc::certificate_revoked;
        what = "has been revoked by its issuer";
    } else if (error == X509_V_ERR_UNABLE_TO_GET_CRL || error == X509_V_ERR_CRL_HAS_EXPIRED ||
               error == X509_V_ERR_CRL_NOT_YET_VALID) {
        what = "cannot be checked for revocation (" + reason +
               "): the bus needs a current CRL of its issuer";
    }
    auto f = fail(code, "signer certificate \"" + subject + "\" " + what);
    f.log_detail = std::move(log_detail);
    return f;
}

}  // namespace

key_ptr xmlsec_key_of(EVP_PKEY* pkey) {
    if (pkey == nullptr || EVP_PKEY_up_ref(pkey) != 1) {
        ERR_clear_error();
        return nullptr;
    }
    xmlSecKeyDataPtr data = xmlSecOpenSSLEvpKeyAdopt(pkey);  // owns the reference from here
    if (data == nullptr) {
        EVP_PKEY_free(pkey);
        return nullptr;
    }
    key_ptr key{xmlSecKeyCreate()};
    if (!key || xmlSecKeySetValue(key.get(), data) < 0) {
        xmlSecKeyDataDestroy(data);
        return nullptr;
    }
    return key;
}

trust_material::trust_material(const trust_options& options) {
    keys_mngr_.reset(xmlSecKeysMngrCreate());
    if (!keys_mngr_ || xmlSecCryptoAppDefaultKeysMngrInit(keys_mngr_.get()) < 0) {
        throw std::runtime_error("cannot create the xmlsec keys manager");
    }
    anchors_.reset(X509_STORE_new());
    if (!anchors_) {
        throw std::runtime_error("cannot create an OpenSSL X509 store");
    }
    for (const auto& entry : options.anchors) {
        add_certificates(entry, true);
    }
    for (const auto& entry : options.intermediates) {
        add_certificates(entry, false);
    }
    for (const auto& entry : options.crls) {
        add_crls(entry);
    }
    if (!options.pinned_signer.empty()) {
        pin(options.pinned_signer);
    } else if (anchor_count_ == 0) {
        std::string where;
        for (const auto& entry : options.anchors) {
            where += (where.empty() ? "" : ", ") + entry;
        }
        throw std::runtime_error("no trust anchor certificate (*.pem, *.crt, *.cer, *.der) in " +
                                 (where.empty() ? std::string("(none configured)") : where));
    }
}

void trust_material::add_certificates(const std::string& entry, bool trusted) {
    const char* what = trusted ? "trust anchors" : "intermediates";
    xmlSecKeyDataStorePtr store =
        xmlSecKeysMngrGetDataStore(keys_mngr_.get(), xmlSecOpenSSLX509StoreId);
    if (store == nullptr) {
        throw std::runtime_error("xmlsec keys manager has no X509 store");
    }
    for (const auto& file : trust_files(entry, cert_extensions, what)) {
        auto certs = load_certificates(file.string());
        if (!certs) {
            throw std::runtime_error(certs.error().message + " (" + certs.error().log_detail + ")");
        }
        for (auto& cert : *certs) {
            cacheable_ = add_time_boundaries(cert.get(), time_boundaries_) && cacheable_;
            // xmlsec takes ownership of what it adopts, so give it its own reference.
            X509* copy = X509_dup(cert.get());
            if (copy == nullptr ||
                xmlSecOpenSSLX509StoreAdoptCert(
                    store, copy, trusted ? xmlSecKeyDataTypeTrusted : xmlSecKeyDataTypeNone) < 0) {
                X509_free(copy);
                throw std::runtime_error("cannot add certificate from " + file.string() +
                                         " to the xmlsec store");
            }
            if (trusted) {
                if (X509_STORE_add_cert(anchors_.get(), cert.get()) != 1) {
                    throw std::runtime_error("cannot add trust anchor " + file.string() + ": " +
                                             drain_openssl_errors());
                }
                ++anchor_count_;
                anchor_certs_.push_back(std::move(cert));
            } else {
                intermediates_.push_back(std::move(cert));
            }
        }
    }
}

void trust_material::add_crls(const std::string& entry) {
    for (const auto& file : trust_files(entry, {".pem", ".crl", ".der"}, "CRL")) {
        auto crls = load_crls(file.string());
        if (!crls) {
            throw std::runtime_error(crls.error().message + " (" + crls.error().log_detail + ")");
        }
        for (auto& crl : *crls) {
            cacheable_ = add_time_boundaries(crl.get(), time_boundaries_) && cacheable_;
            if (X509_STORE_add_crl(anchors_.get(), crl.get()) != 1) {
                throw std::runtime_error("cannot add CRL " + file.string() + ": " +
                                         drain_openssl_errors());
            }
        }
    }
    // A configured CRL folder means revocation is checked, even while it is empty: fail closed
    // rather than silently accept revoked signers.
    check_crls_ = true;
}

void trust_material::pin(const std::string& path) {
    auto signer = load_pinned_signer(path);
    if (!signer) {
        throw std::runtime_error(signer.error().message);
    }
    pinned_key_ = xmlsec_key_of(signer->key.get());
    if (!pinned_key_) {
        throw std::runtime_error("xmlsec cannot use the key in " + path);
    }
    pinned_cert_ = std::move(signer->cert);
}

// Returns X509_V_OK or the OpenSSL verification error.
int trust_material::verify_chain(X509* leaf, const std::vector<x509_ptr>& extra,
                                 std::optional<std::time_t> at, bool strict) const {
    x509_stack_ptr untrusted{sk_X509_new_null()};
    x509_store_ctx_ptr ctx{X509_STORE_CTX_new()};
    if (!untrusted || !ctx) {
        return X509_V_ERR_OUT_OF_MEM;
    }
    for (const auto* list : {&intermediates_, &extra}) {
        for (const auto& cert : *list) {
            if (sk_X509_push(untrusted.get(), cert.get()) <= 0) {
                return X509_V_ERR_OUT_OF_MEM;
            }
        }
    }
    if (X509_STORE_CTX_init(ctx.get(), anchors_.get(), leaf, untrusted.get()) != 1) {
        ERR_clear_error();
        return X509_V_ERR_UNSPECIFIED;
    }
    unsigned long flags = strict ? X509_V_FLAG_X509_STRICT : 0;
    if (check_crls_) {
        flags |= X509_V_FLAG_CRL_CHECK;  // the signer's own revocation status
    }
    X509_STORE_CTX_set_flags(ctx.get(), flags);
    if (at) {
        X509_STORE_CTX_set_time(ctx.get(), 0, *at);
    }
    chain_verifications_.fetch_add(1, std::memory_order_relaxed);
    const int ok = X509_verify_cert(ctx.get());
    const int error = X509_STORE_CTX_get_error(ctx.get());
    ERR_clear_error();
    if (ok == 1) {
        // Signing needs a signing key usage; a CA or TLS-only certificate must not sign.
        const uint32_t usage = X509_get_key_usage(leaf);
        if ((usage & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)) == 0) {
            return X509_V_ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE;
        }
        return X509_V_OK;
    }
    return error != X509_V_OK ? error : X509_V_ERR_UNSPECIFIED;
}

X509* trust_material::find_by_digest(const EVP_MD* md, std::string_view digest) const {
    for (const auto* list : {&intermediates_, &anchor_certs_}) {
        for (const auto& cert : *list) {
            unsigned char value[EVP_MAX_MD_SIZE];
            unsigned int size = 0;
            if (X509_digest(cert.get(), md, value, &size) != 1) {
                ERR_clear_error();
                continue;
            }
            if (std::string_view(reinterpret_cast<const char*>(value), size) == digest) {
                return cert.get();
            }
        }
    }
    return nullptr;
}

core::result<void> trust_material::check_chain(X509* leaf, const std::vector<x509_ptr>& extra,
                                               std::optional<std::time_t> at, bool strict,
                                               std::string log_detail) const {
    // `first` and `last` bracket the times OpenSSL may read from the clock when `at` is unset.
    const std::time_t first = at ? *at : std::time(nullptr);
    std::string key = cacheable_ ? chain_key(leaf, extra, strict) : std::string();
    if (!key.empty() && chain_results_.holds(key, first)) {
        return {};
    }
    if (const int error = verify_chain(leaf, extra, at, strict); error != X509_V_OK) {
        return certificate_failure(leaf, error, std::move(log_detail));
    }
    const std::time_t last = at ? *at : std::time(nullptr);
    std::vector<std::time_t> inputs;
    bool parsed = !key.empty() && add_time_boundaries(leaf, inputs);
    for (const auto& cert : extra) {
        parsed = parsed && add_time_boundaries(cert.get(), inputs);
    }
    if (parsed) {
        if (auto span = steady_span(time_boundaries_, inputs, first, last)) {
            chain_results_.remember(std::move(key), *span);
        }
    }
    return {};
}

trust_store::trust_store(trust_options options)
    : options_(std::move(options)), material_(std::make_shared<const trust_material>(options_)) {}

std::shared_ptr<const trust_material> trust_store::material() const {
    std::lock_guard lock(mutex_);
    return material_;
}

void trust_store::reload() {
    auto fresh = std::make_shared<const trust_material>(options_);  // throws, keeping the old one
    std::lock_guard lock(mutex_);
    material_ = std::move(fresh);
}

}  // namespace lienthong::bus::crypto
