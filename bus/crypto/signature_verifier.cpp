#include "crypto/signature_verifier.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>
#include <xmlsec/openssl/x509.h>
#include <xmlsec/transforms.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "crypto/dsig_tree.hpp"
#include "crypto/openssl.hpp"
#include "crypto/xmlsec.hpp"

namespace lienthong::bus::crypto {

namespace {

using core::errc;
using core::fail;

std::vector<xmlNode*> dsig_children(xmlNode* parent, const char* name) {
    std::vector<xmlNode*> found;
    for (xmlNode* child = parent->children; child != nullptr; child = child->next) {
        if (is_element(child, xml::dsig_ns, name)) {
            found.push_back(child);
        }
    }
    return found;
}

std::string attribute(xmlNode* node, const char* name) {
    xml::xml_string value{xmlGetNoNsProp(node, reinterpret_cast<const xmlChar*>(name))};
    return value ? std::string(reinterpret_cast<const char*>(value.get())) : std::string{};
}

// The algorithm allow-lists, as xmlsec transform ids so the pre-check (by href) and xmlsec's own
// enforcement can never disagree.
struct allow_list {
    std::vector<xmlSecTransformId> c14n;
    std::vector<xmlSecTransformId> signature;
    std::vector<xmlSecTransformId> transforms;
    std::vector<xmlSecTransformId> digests;
};

allow_list make_allow_list(bool allow_sha1) {
    allow_list a;
    a.c14n = {xmlSecTransformInclC14NId, xmlSecTransformInclC14NWithCommentsId,
              xmlSecTransformExclC14NId, xmlSecTransformExclC14NWithCommentsId};
    a.signature = {xmlSecTransformRsaSha256Id, xmlSecTransformRsaSha384Id,
                   xmlSecTransformRsaSha512Id, xmlSecTransformEcdsaSha256Id,
                   xmlSecTransformEcdsaSha384Id};
    a.transforms = a.c14n;
    a.transforms.push_back(xmlSecTransformEnvelopedId);
    a.digests = {xmlSecTransformSha256Id, xmlSecTransformSha384Id, xmlSecTransformSha512Id};
    if (allow_sha1) {
        a.signature.push_back(xmlSecTransformRsaSha1Id);
        a.digests.push_back(xmlSecTransformSha1Id);
    }
    return a;
}

bool allowed(const std::vector<xmlSecTransformId>& ids, const std::string& href) {
    return std::any_of(ids.begin(), ids.end(), [&](xmlSecTransformId id) {
        return id->href != nullptr && href == reinterpret_cast<const char*>(id->href);
    });
}

core::failure forbidden(const char* what, const std::string& href) {
    return fail(errc::algorithm_forbidden,
                std::string(what) + " algorithm \"" + href + "\" is not allowed", what);
}

core::failure malformed_signature(std::string why) {
    return fail(errc::signature_invalid, "malformed ds:Signature: " + std::move(why));
}

// Where the signature may be, what it may reference and which algorithms it may use, checked on
// the tree before xmlsec runs so each rejection gets a precise code and message.
core::result<xmlNode*> check_signature_shape(xmlDoc* doc, const allow_list& allow) {
    const auto signatures = find_signatures(doc);
    if (signatures.empty()) {
        return fail(errc::signature_missing, "the packet has no ds:Signature in edXML:edXMLHeader");
    }
    if (signatures.size() > 1) {
        return fail(errc::signature_wrapping, "the packet has " +
                                                  std::to_string(signatures.size()) +
                                                  " ds:Signature elements; exactly one is allowed");
    }
    xmlNode* signature = signatures.front();
    xmlNode* header = signature->parent;
    xmlNode* envelope = header != nullptr ? header->parent : nullptr;
    if (!is_element(header, xml::edxml_ns, "edXMLHeader") ||
        !is_element(envelope, xml::edxml_ns, "edXMLEnvelope") ||
        envelope->parent != xmlDocGetRootElement(doc) ||
        !is_element(envelope->parent, xml::edxml_ns, "edXML")) {
        return fail(errc::signature_wrapping,
                    "ds:Signature must be a child of /edXML/edXMLEnvelope/edXMLHeader");
    }

    const auto signed_infos = dsig_children(signature, "SignedInfo");
    if (signed_infos.size() != 1) {
        return malformed_signature("expected exactly one SignedInfo");
    }
    xmlNode* signed_info = signed_infos.front();
    const auto c14n = dsig_children(signed_info, "CanonicalizationMethod");
    const auto method = dsig_children(signed_info, "SignatureMethod");
    if (c14n.size() != 1 || method.size() != 1) {
        return malformed_signature("expected one CanonicalizationMethod and one SignatureMethod");
    }

    const auto references = dsig_children(signed_info, "Reference");
    if (references.size() != 1) {
        return fail(errc::signature_wrapping,
                    "ds:SignedInfo must have exactly one Reference (it has " +
                        std::to_string(references.size()) + ")");
    }
    xmlNode* reference = references.front();
    xml::xml_string uri{xmlGetNoNsProp(reference, reinterpret_cast<const xmlChar*>("URI"))};
    if (!uri || uri.get()[0] != '\0') {
        return fail(errc::signature_wrapping,
                    "the ds:Reference must sign the whole document (URI=\"\")", "Reference/@URI");
    }

    if (const auto href = attribute(c14n.front(), "Algorithm"); !allowed(allow.c14n, href)) {
        return forbidden("CanonicalizationMethod", href);
    }
    if (const auto href = attribute(method.front(), "Algorithm"); !allowed(allow.signature, href)) {
        return forbidden("SignatureMethod", href);
    }
    const auto transform_lists = dsig_children(reference, "Transforms");
    if (transform_lists.size() > 1) {
        return malformed_signature("more than one Transforms");
    }
    for (xmlNode* list : transform_lists) {
        for (xmlNode* transform = list->children; transform != nullptr;
             transform = transform->next) {
            if (transform->type != XML_ELEMENT_NODE) {
                continue;
            }
            if (!is_element(transform, xml::dsig_ns, "Transform")) {
                return malformed_signature("unexpected element in Transforms");
            }
            if (const auto href = attribute(transform, "Algorithm");
                !allowed(allow.transforms, href)) {
                return forbidden("Transform", href);
            }
        }
    }
    const auto digest = dsig_children(reference, "DigestMethod");
    if (digest.size() != 1) {
        return malformed_signature("expected one DigestMethod");
    }
    if (const auto href = attribute(digest.front(), "Algorithm"); !allowed(allow.digests, href)) {
        return forbidden("DigestMethod", href);
    }
    return signature;
}

// The X509Certificate elements of the signature's KeyInfo, decoded; unparsable ones are skipped
// (xmlsec rejects them anyway, and we only use these to explain a rejection or re-check a chain).
std::vector<x509_ptr> keyinfo_certificates(xmlNode* signature) {
    std::vector<x509_ptr> certs;
    for (xmlNode* key_info : dsig_children(signature, "KeyInfo")) {
        for (xmlNode* data : dsig_children(key_info, "X509Data")) {
            for (xmlNode* element : dsig_children(data, "X509Certificate")) {
                xml::xml_string content{xmlNodeGetContent(element)};
                if (!content) {
                    continue;
                }
                std::string b64(reinterpret_cast<const char*>(content.get()));
                std::erase_if(
                    b64, [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; });
                std::string der(b64.size() / 4 * 3 + 3, '\0');
                const int size = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(der.data()),
                                                 reinterpret_cast<const unsigned char*>(b64.data()),
                                                 static_cast<int>(b64.size()));
                if (size <= 0) {
                    continue;
                }
                der.resize(
                    static_cast<std::size_t>(size));  // trailing pad bytes are ignored by d2i
                if (auto cert = parse_der_certificate(der)) {
                    certs.push_back(std::move(cert));
                }
            }
        }
    }
    return certs;
}

// The end-entity among KeyInfo certificates: the one that issued none of the others.
X509* pick_leaf(const std::vector<x509_ptr>& certs) {
    for (const auto& candidate : certs) {
        const bool issues_another =
            std::any_of(certs.begin(), certs.end(), [&](const x509_ptr& other) {
                return other != candidate &&
                       X509_check_issued(candidate.get(), other.get()) == X509_V_OK;
            });
        if (!issues_another) {
            return candidate.get();
        }
    }
    return certs.empty() ? nullptr : certs.front().get();
}

std::vector<std::filesystem::path> pem_files(const std::string& dir, const char* what) {
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
        const auto ext = entry.path().extension();
        if (entry.is_regular_file() && (ext == ".pem" || ext == ".crt")) {
            files.push_back(entry.path());
        }
    }
    if (ec) {
        throw std::runtime_error(std::string("cannot read the ") + what + " folder " + dir + ": " +
                                 ec.message());
    }
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

struct signature_verifier::impl {
    allow_list allow;
    // Read-only after construction: verify() only reads it (each call has its own xmlSecDSigCtx
    // and X509_STORE_CTX), which is what makes verify() thread-safe.
    keys_mngr_ptr keys_mngr;
    // Our own store with exactly the configured anchors. xmlsec's store also loads OpenSSL's
    // default paths (the system CA bundle), so every chain xmlsec accepts is re-checked here.
    x509_store_ptr anchors;
    std::vector<x509_ptr> intermediates;

    void add(const std::string& dir, bool trusted) {
        const char* what = trusted ? "trust anchors" : "intermediates";
        xmlSecKeyDataStorePtr store =
            xmlSecKeysMngrGetDataStore(keys_mngr.get(), xmlSecOpenSSLX509StoreId);
        if (store == nullptr) {
            throw std::runtime_error("xmlsec keys manager has no X509 store");
        }
        for (const auto& file : pem_files(dir, what)) {
            auto certs = load_pem_certificates(file.string());
            if (!certs) {
                throw std::runtime_error(certs.error().message + " (" + certs.error().log_detail +
                                         ")");
            }
            for (auto& cert : *certs) {
                // xmlsec takes ownership of what it adopts, so give it its own reference.
                X509* copy = X509_dup(cert.get());
                if (copy == nullptr ||
                    xmlSecOpenSSLX509StoreAdoptCert(
                        store, copy, trusted ? xmlSecKeyDataTypeTrusted : xmlSecKeyDataTypeNone) <
                        0) {
                    X509_free(copy);
                    throw std::runtime_error("cannot add certificate from " + file.string() +
                                             " to the xmlsec store");
                }
                if (trusted) {
                    if (X509_STORE_add_cert(anchors.get(), cert.get()) != 1) {
                        throw std::runtime_error("cannot add trust anchor " + file.string() + ": " +
                                                 drain_openssl_errors());
                    }
                } else {
                    intermediates.push_back(std::move(cert));
                }
            }
        }
    }

    // Builds the chain leaf → anchor with OpenSSL, with only our anchors trusted. Returns
    // X509_V_OK or the OpenSSL verification error.
    int verify_chain(X509* leaf, const std::vector<x509_ptr>& extra,
                     std::optional<std::time_t> at) const {
        x509_stack_ptr untrusted{sk_X509_new_null()};
        x509_store_ctx_ptr ctx{X509_STORE_CTX_new()};
        if (!untrusted || !ctx) {
            return X509_V_ERR_OUT_OF_MEM;
        }
        for (const auto* list : {&intermediates, &extra}) {
            for (const auto& cert : *list) {
                if (sk_X509_push(untrusted.get(), cert.get()) <= 0) {
                    return X509_V_ERR_OUT_OF_MEM;
                }
            }
        }
        if (X509_STORE_CTX_init(ctx.get(), anchors.get(), leaf, untrusted.get()) != 1) {
            ERR_clear_error();
            return X509_V_ERR_UNSPECIFIED;
        }
        X509_STORE_CTX_set_flags(ctx.get(), X509_V_FLAG_X509_STRICT);
        if (at) {
            X509_STORE_CTX_set_time(ctx.get(), 0, *at);
        }
        const int ok = X509_verify_cert(ctx.get());
        const int error = X509_STORE_CTX_get_error(ctx.get());
        ERR_clear_error();
        if (ok == 1) {
            // Signing needs a signing key usage; a CA or TLS-only certificate must not sign
            // packets.
            const uint32_t usage = X509_get_key_usage(leaf);
            if ((usage & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)) == 0) {
                return X509_V_ERR_KEYUSAGE_NO_DIGITAL_SIGNATURE;
            }
            return X509_V_OK;
        }
        return error != X509_V_OK ? error : X509_V_ERR_UNSPECIFIED;
    }

    core::failure certificate_failure(X509* leaf, int error, std::string log_detail) const {
        const bool expired =
            error == X509_V_ERR_CERT_HAS_EXPIRED || error == X509_V_ERR_CERT_NOT_YET_VALID;
        const std::string subject = subject_rfc2253(leaf);
        const std::string reason = X509_verify_cert_error_string(error);
        auto f =
            fail(expired ? errc::certificate_expired : errc::certificate_untrusted,
                 "signer certificate \"" + subject + "\" " +
                     (expired ? "is outside its validity period: " : "is not trusted: ") + reason);
        f.log_detail = std::move(log_detail);
        return f;
    }
};

signature_verifier::signature_verifier(const trust_options& options)
    : impl_(std::make_unique<impl>()) {
    impl_->allow = make_allow_list(options.allow_sha1);
    impl_->keys_mngr.reset(xmlSecKeysMngrCreate());
    if (!impl_->keys_mngr || xmlSecCryptoAppDefaultKeysMngrInit(impl_->keys_mngr.get()) < 0) {
        throw std::runtime_error("cannot create the xmlsec keys manager");
    }
    impl_->anchors.reset(X509_STORE_new());
    if (!impl_->anchors) {
        throw std::runtime_error("cannot create an OpenSSL X509 store");
    }
    impl_->add(options.anchors_dir, true);
    if (X509_STORE_get0_objects(impl_->anchors.get()) == nullptr ||
        sk_X509_OBJECT_num(X509_STORE_get0_objects(impl_->anchors.get())) == 0) {
        throw std::runtime_error("no trust anchor certificate (*.pem, *.crt) in " +
                                 options.anchors_dir);
    }
    if (!options.intermediates_dir.empty()) {
        impl_->add(options.intermediates_dir, false);
    }
}

signature_verifier::~signature_verifier() = default;
signature_verifier::signature_verifier(signature_verifier&&) noexcept = default;

core::result<signer_info> signature_verifier::verify_edxml(xmlDoc* doc,
                                                           std::optional<std::time_t> at) const {
    if (doc == nullptr || xmlDocGetRootElement(doc) == nullptr) {
        return fail(errc::malformed_xml, "empty document");
    }
    auto shape = check_signature_shape(doc, impl_->allow);
    if (!shape) {
        return std::move(shape).error();
    }
    xmlNode* signature = *shape;

    error_capture xmlsec_errors;
    dsig_ctx_ptr ctx{xmlSecDSigCtxCreate(impl_->keys_mngr.get())};
    if (!ctx) {
        return fail(errc::internal, "signature verification is unavailable");
    }
    // Defence in depth: xmlsec enforces the same allow-lists as the pre-check, URI="" only, and
    // takes the key only from X509Data (a bare KeyValue or KeyName is never trusted).
    ctx->enabledReferenceUris = xmlSecTransformUriTypeEmpty;
    bool configured = true;
    const auto enable = [&](const std::vector<xmlSecTransformId>& ids, bool reference) {
        for (auto id : ids) {
            configured = configured &&
                         (reference ? xmlSecDSigCtxEnableReferenceTransform(ctx.get(), id)
                                    : xmlSecDSigCtxEnableSignatureTransform(ctx.get(), id)) >= 0;
        }
    };
    enable(impl_->allow.c14n, false);
    enable(impl_->allow.signature, false);
    enable(impl_->allow.transforms, true);
    enable(impl_->allow.digests, true);
    configured =
        configured &&
        xmlSecPtrListAdd(&ctx->keyInfoReadCtx.enabledKeyData,
                         const_cast<void*>(static_cast<const void*>(xmlSecKeyDataX509Id))) >= 0;
    if (!configured) {
        auto f = fail(errc::internal, "signature verification is unavailable");
        f.log_detail = "cannot configure xmlSecDSigCtx: " + xmlsec_errors.text();
        return f;
    }
    if (at) {
        ctx->keyInfoReadCtx.certsVerificationTime = *at;
    }

    const int verified = xmlSecDSigCtxVerify(ctx.get(), signature);
    if (verified == 0 && ctx->status == xmlSecDSigStatusSucceeded) {
        xmlSecKeyDataPtr x509 =
            ctx->signKey != nullptr ? xmlSecKeyGetData(ctx->signKey, xmlSecKeyDataX509Id) : nullptr;
        X509* cert = x509 != nullptr ? xmlSecOpenSSLKeyDataX509GetKeyCert(x509) : nullptr;
        if (cert == nullptr) {
            auto f = fail(errc::certificate_untrusted,
                          "the signing key does not come from a certificate");
            f.log_detail = "xmlsec verified without an X509 key certificate";
            return f;
        }
        // xmlsec 1.2.37 may settle on an untrusted store certificate (e.g. the intermediate CA)
        // when the KeyInfo leaf does not verify, so insist the key is the KeyInfo end entity.
        const auto keyinfo = keyinfo_certificates(signature);
        X509* leaf = pick_leaf(keyinfo);
        if (leaf == nullptr || X509_cmp(leaf, cert) != 0) {
            auto f = fail(errc::certificate_untrusted,
                          "the signing key is not the end-entity certificate in KeyInfo");
            f.log_detail = "xmlsec key certificate: " + subject_rfc2253(cert);
            return f;
        }
        if (const int error = impl_->verify_chain(cert, keyinfo, at); error != X509_V_OK) {
            return impl_->certificate_failure(cert, error,
                                              "xmlsec accepted the chain, our anchors did not");
        }
        return signer_info{subject_rfc2253(cert), subject_uid(cert), sha256_fingerprint(cert)};
    }

    std::string detail = xmlsec_errors.text();
    const xmlSecSize count = xmlSecPtrListGetSize(&ctx->signedInfoReferences);
    for (xmlSecSize i = 0; i < count; ++i) {
        auto* reference = static_cast<xmlSecDSigReferenceCtxPtr>(
            xmlSecPtrListGetItem(&ctx->signedInfoReferences, i));
        if (reference != nullptr && reference->status == xmlSecDSigStatusInvalid) {
            auto f = fail(errc::digest_mismatch,
                          "the signed content was changed after signing (digest mismatch)");
            f.log_detail = std::move(detail);
            return f;
        }
    }
    // Why was it rejected? Judge the KeyInfo certificate with OpenSSL and our anchors only:
    // xmlsec's own outcome is ambiguous here (a missing key can be reported as an error, as an
    // invalid status, or as a mismatch with an untrusted CA certificate it picked instead).
    const auto keyinfo = keyinfo_certificates(signature);
    X509* leaf = pick_leaf(keyinfo);
    if (leaf == nullptr) {
        auto f = fail(errc::certificate_untrusted,
                      "no X509Certificate in KeyInfo; bare keys are never trusted");
        f.log_detail = std::move(detail);
        return f;
    }
    if (const int error = impl_->verify_chain(leaf, keyinfo, at); error != X509_V_OK) {
        return impl_->certificate_failure(leaf, error, std::move(detail));
    }
    if (ctx->signKey == nullptr) {
        auto f = fail(errc::certificate_untrusted,
                      "signer certificate \"" + subject_rfc2253(leaf) + "\" was not accepted");
        f.log_detail = std::move(detail);
        return f;
    }
    auto f = fail(errc::signature_invalid, "the signature value does not match the signed content");
    f.log_detail = std::move(detail);
    return f;
}

}  // namespace lienthong::bus::crypto
