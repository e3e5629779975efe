#include "crypto/signature_verifier.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509v3.h>
#include <xmlsec/openssl/evp.h>
#include <xmlsec/openssl/x509.h>
#include <xmlsec/transforms.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <initializer_list>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "core/log.hpp"
#include "crypto/certificate_cache.hpp"
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

allow_list make_allow_list(bool allow_sha1, bool allow_xpath) {
    allow_list a;
    a.c14n = {xmlSecTransformInclC14NId, xmlSecTransformInclC14NWithCommentsId,
              xmlSecTransformExclC14NId, xmlSecTransformExclC14NWithCommentsId};
    a.signature = {xmlSecTransformRsaSha256Id, xmlSecTransformRsaSha384Id,
                   xmlSecTransformRsaSha512Id, xmlSecTransformEcdsaSha256Id,
                   xmlSecTransformEcdsaSha384Id};
    a.transforms = a.c14n;
    a.transforms.push_back(xmlSecTransformEnvelopedId);
    if (allow_xpath) {
        a.transforms.push_back(xmlSecTransformXPathId);
    }
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
    std::string hint;
    if (href.find("hmac") != std::string::npos) {
        hint = " (an HMAC proves nothing about who signed; sign with an X.509 certificate)";
    } else if (href.find("sha1") != std::string::npos) {
        hint = " (SHA-1 is accepted only when trust.allow_sha1, or the sending agency's "
               "allow_sha1 in the directory, is set; sign with RSA-SHA256)";
    }
    return fail(errc::algorithm_forbidden,
                std::string(what) + " algorithm \"" + href + "\" is not allowed" + hint, what);
}

core::failure malformed_signature(std::string why) {
    return fail(errc::signature_invalid, "malformed ds:Signature: " + std::move(why));
}

bool is_xml_id(const xmlAttr* a) {
    return a->ns != nullptr &&
           std::strcmp(reinterpret_cast<const char*>(a->ns->href),
                       reinterpret_cast<const char*>(XML_XML_NAMESPACE)) == 0 &&
           std::strcmp(reinterpret_cast<const char*>(a->name), "id") == 0;
}

// Registers every attribute named in `names` (no namespace) and every xml:id as an ID, so that
// "#id" References resolve only to these. Two elements with the same ID is the classic
// signature-wrapping set-up (the verifier checks one, the application reads the other), so it
// is a rejection rather than "first one wins".
core::result<void> register_ids(xmlDoc* doc, const std::vector<std::string>& names) {
    xmlNode* root = xmlDocGetRootElement(doc);
    for (xmlNode* node = root; node != nullptr; node = next_in_document_order(node, root)) {
        if (node->type == XML_ELEMENT_NODE) {
            for (xmlAttr* a = node->properties; a != nullptr; a = a->next) {
                const bool named = a->ns == nullptr &&
                                   std::find(names.begin(), names.end(),
                                             reinterpret_cast<const char*>(a->name)) != names.end();
                if (!named && !is_xml_id(a)) {
                    continue;
                }
                xml::xml_string value{xmlNodeListGetString(doc, a->children, 1)};
                if (!value) {
                    continue;
                }
                const xmlAttr* existing = xmlGetID(doc, value.get());
                if (existing == a) {
                    continue;
                }
                const std::string id(reinterpret_cast<const char*>(value.get()));
                if (existing != nullptr || xmlAddID(nullptr, doc, value.get(), a) == nullptr) {
                    return fail(errc::signature_wrapping,
                                "the ID \"" + id +
                                    "\" is used by more than one element; IDs "
                                    "that signatures point at must be unique");
                }
            }
        }
    }
    return {};
}

// What the signature may reference, which algorithms it may use and, for edXML, where it must
// be: checked on the tree before xmlsec runs so each rejection gets a precise code and message.
core::result<void> check_signature_shape(xmlDoc* doc, xmlNode* signature, bool edxml,
                                         const allow_list& allow) {
    if (edxml) {
        xmlNode* header = signature->parent;
        xmlNode* envelope = header != nullptr ? header->parent : nullptr;
        if (!is_element(header, xml::edxml_ns, "edXMLHeader") ||
            !is_element(envelope, xml::edxml_ns, "edXMLEnvelope") ||
            envelope->parent != xmlDocGetRootElement(doc) ||
            !is_element(envelope->parent, xml::edxml_ns, "edXML")) {
            return fail(errc::signature_wrapping,
                        "ds:Signature must be a child of /edXML/edXMLEnvelope/edXMLHeader");
        }
        // A ds:Object is left out by the enveloped-signature transform, i.e. unsigned content
        // inside a packet; an edXML signature has no use for one.
        if (!dsig_children(signature, "Object").empty()) {
            return fail(errc::signature_wrapping,
                        "ds:Signature must not contain ds:Object (its content would be unsigned)");
        }
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
    xml::xml_string uri_value{xmlGetNoNsProp(reference, reinterpret_cast<const xmlChar*>("URI"))};
    if (!uri_value) {
        return fail(errc::signature_wrapping, "the ds:Reference must have a URI attribute",
                    "Reference/@URI");
    }
    const std::string uri(reinterpret_cast<const char*>(uri_value.get()));
    if (edxml && !uri.empty()) {
        return fail(errc::signature_wrapping,
                    "the ds:Reference must sign the whole document (URI=\"\")", "Reference/@URI");
    }
    if (!uri.empty()) {
        // Only a bare-name pointer to a registered ID: no XPointer expressions, no other
        // documents, no network.
        const bool bare_name = uri.size() > 1 && uri[0] == '#' &&
                               uri.find_first_of("#()'\" /", 1) == std::string::npos;
        if (!bare_name) {
            return fail(errc::signature_wrapping,
                        "the ds:Reference URI \"" + uri +
                            "\" is not allowed: use \"\" (whole document) or \"#id\"",
                        "Reference/@URI");
        }
        if (xmlGetID(doc, reinterpret_cast<const xmlChar*>(uri.c_str() + 1)) == nullptr) {
            return fail(errc::signature_wrapping,
                        "the ds:Reference URI \"" + uri +
                            "\" does not point at an element with a registered ID attribute",
                        "Reference/@URI");
        }
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
    return {};
}

// The X509Certificate elements of the signature's KeyInfo, decoded; unparsable ones are skipped
// (then no key comes from them, and the signature is rejected).
std::vector<x509_ptr> keyinfo_certificates(xmlNode* signature, certificate_cache& cache) {
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
                const auto pad = b64.size() - b64.find_last_not_of('=') - 1;
                if (size <= 0 || pad > 2 || static_cast<std::size_t>(size) < pad) {
                    continue;
                }
                der.resize(static_cast<std::size_t>(size) - pad);
                if (auto cert = cache.get(der)) {
                    certs.push_back(std::move(cert));
                }
            }
        }
    }
    return certs;
}

// An xmlsec key holding `pkey` (which xmlsec adopts, so it gets its own reference); nullptr if
// xmlsec cannot use it.
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

bool uses_sha1(xmlSecDSigCtx& ctx) {
    if (ctx.signMethod != nullptr && ctx.signMethod->id == xmlSecTransformRsaSha1Id) {
        return true;
    }
    const xmlSecSize count = xmlSecPtrListGetSize(&ctx.signedInfoReferences);
    for (xmlSecSize i = 0; i < count; ++i) {
        auto* reference = static_cast<xmlSecDSigReferenceCtxPtr>(
            xmlSecPtrListGetItem(&ctx.signedInfoReferences, i));
        if (reference != nullptr && reference->digestMethod != nullptr &&
            reference->digestMethod->id == xmlSecTransformSha1Id) {
            return true;
        }
    }
    return false;
}

}  // namespace

// Immutable once built: verify only reads it (each call has its own xmlSecDSigCtx and
// X509_STORE_CTX), which is what makes verification thread-safe. reload() builds a new one.
struct signature_verifier::material {
    keys_mngr_ptr keys_mngr;
    // Our own store with exactly the configured anchors (and CRLs). xmlsec's store also loads
    // OpenSSL's default paths (the system CA bundle), so every chain xmlsec accepts is
    // re-checked here.
    x509_store_ptr anchors;
    std::size_t anchor_count = 0;
    std::vector<x509_ptr> intermediates;
    bool check_crls = false;
    key_ptr pinned_key;    // xmlsec key of the pinned signer, when one is configured
    x509_ptr pinned_cert;  // its certificate, when it was given as one

    explicit material(const trust_options& options) {
        keys_mngr.reset(xmlSecKeysMngrCreate());
        if (!keys_mngr || xmlSecCryptoAppDefaultKeysMngrInit(keys_mngr.get()) < 0) {
            throw std::runtime_error("cannot create the xmlsec keys manager");
        }
        anchors.reset(X509_STORE_new());
        if (!anchors) {
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
        } else if (anchor_count == 0) {
            std::string where;
            for (const auto& entry : options.anchors) {
                where += (where.empty() ? "" : ", ") + entry;
            }
            throw std::runtime_error(
                "no trust anchor certificate (*.pem, *.crt, *.cer, *.der) in " +
                (where.empty() ? std::string("(none configured)") : where));
        }
    }

    void add_certificates(const std::string& entry, bool trusted) {
        const char* what = trusted ? "trust anchors" : "intermediates";
        xmlSecKeyDataStorePtr store =
            xmlSecKeysMngrGetDataStore(keys_mngr.get(), xmlSecOpenSSLX509StoreId);
        if (store == nullptr) {
            throw std::runtime_error("xmlsec keys manager has no X509 store");
        }
        for (const auto& file : trust_files(entry, cert_extensions, what)) {
            auto certs = load_certificates(file.string());
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
                    ++anchor_count;
                } else {
                    intermediates.push_back(std::move(cert));
                }
            }
        }
    }

    void add_crls(const std::string& entry) {
        for (const auto& file : trust_files(entry, {".pem", ".crl", ".der"}, "CRL")) {
            auto crls = load_crls(file.string());
            if (!crls) {
                throw std::runtime_error(crls.error().message + " (" + crls.error().log_detail +
                                         ")");
            }
            for (auto& crl : *crls) {
                if (X509_STORE_add_crl(anchors.get(), crl.get()) != 1) {
                    throw std::runtime_error("cannot add CRL " + file.string() + ": " +
                                             drain_openssl_errors());
                }
            }
        }
        // A configured CRL folder means revocation is checked, even while it is empty: fail
        // closed rather than silently accept revoked signers.
        check_crls = true;
    }

    void pin(const std::string& path) {
        auto signer = load_pinned_signer(path);
        if (!signer) {
            throw std::runtime_error(signer.error().message);
        }
        pinned_key = xmlsec_key_of(signer->key.get());
        if (!pinned_key) {
            throw std::runtime_error("xmlsec cannot use the key in " + path);
        }
        pinned_cert = std::move(signer->cert);
    }

    // Builds the chain leaf → anchor with OpenSSL, with only our anchors trusted. Returns
    // X509_V_OK or the OpenSSL verification error.
    int verify_chain(X509* leaf, const std::vector<x509_ptr>& extra, std::optional<std::time_t> at,
                     bool strict) const {
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
        unsigned long flags = strict ? X509_V_FLAG_X509_STRICT : 0;
        if (check_crls) {
            flags |= X509_V_FLAG_CRL_CHECK;  // the signer's own revocation status
        }
        X509_STORE_CTX_set_flags(ctx.get(), flags);
        if (at) {
            X509_STORE_CTX_set_time(ctx.get(), 0, *at);
        }
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

    static core::failure certificate_failure(X509* leaf, int error, std::string log_detail) {
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

    core::result<signer_info> verify_signature(xmlNode* signature, bool edxml,
                                               const allow_list& allow,
                                               std::optional<std::time_t> at,
                                               certificate_cache& certificates) const;
};

core::result<signer_info> signature_verifier::material::verify_signature(
    xmlNode* signature, bool edxml, const allow_list& allow, std::optional<std::time_t> at,
    certificate_cache& certificates) const {
    const auto keyinfo = keyinfo_certificates(signature, certificates);
    // The key comes from the KeyInfo end entity, decoded by us (cached), and its chain is
    // checked by verify_chain against our anchors only. xmlsec resolves the key itself only
    // for the pinned signer or a generic document that names its signer without carrying it.
    X509* leaf = pick_leaf(keyinfo);
    const bool own_key = !pinned_key && leaf != nullptr;
    error_capture xmlsec_errors;
    dsig_ctx_ptr ctx{xmlSecDSigCtxCreate(keys_mngr.get())};
    if (!ctx) {
        return fail(errc::internal, "signature verification is unavailable");
    }
    // Defence in depth: xmlsec enforces the same allow-lists and URI kinds as the pre-check, and
    // takes the key only from X509Data (a bare KeyValue or KeyName is never trusted), from the
    // KeyInfo certificate we hand it, or from the operator's pinned signer.
    ctx->enabledReferenceUris =
        edxml ? xmlSecTransformUriTypeEmpty
              : (xmlSecTransformUriTypeEmpty | xmlSecTransformUriTypeSameDocument);
    bool configured = true;
    const auto enable = [&](const std::vector<xmlSecTransformId>& ids, bool reference) {
        for (auto id : ids) {
            configured = configured &&
                         (reference ? xmlSecDSigCtxEnableReferenceTransform(ctx.get(), id)
                                    : xmlSecDSigCtxEnableSignatureTransform(ctx.get(), id)) >= 0;
        }
    };
    enable(allow.c14n, false);
    enable(allow.signature, false);
    enable(allow.transforms, true);
    enable(allow.digests, true);
    configured =
        configured &&
        xmlSecPtrListAdd(&ctx->keyInfoReadCtx.enabledKeyData,
                         const_cast<void*>(static_cast<const void*>(xmlSecKeyDataX509Id))) >= 0;
    if (pinned_key || own_key) {
        // The context owns and frees it, and then ignores KeyInfo.
        ctx->signKey = own_key ? xmlsec_key_of(X509_get0_pubkey(leaf)).release()
                               : xmlSecKeyDuplicate(pinned_key.get());
        configured = configured && ctx->signKey != nullptr;
    }
    if (!configured) {
        auto f = fail(errc::internal, "signature verification is unavailable");
        f.log_detail = "cannot configure xmlSecDSigCtx: " + xmlsec_errors.text();
        return f;
    }
    if (!edxml) {
        // Generic documents come from other PKIs (old v1 or MD5-era CA certificates); the chain
        // must still reach an anchor, with signatures and validity checked.
        ctx->keyInfoReadCtx.flags |= XMLSEC_KEYINFO_FLAGS_X509DATA_SKIP_STRICT_CHECKS;
    }
    if (at) {
        ctx->keyInfoReadCtx.certsVerificationTime = *at;
    }

    const int verified = xmlSecDSigCtxVerify(ctx.get(), signature);
    if (verified == 0 && ctx->status == xmlSecDSigStatusSucceeded) {
        signer_info signer;
        if (pinned_key) {
            if (pinned_cert) {
                signer = {subject_rfc2253(pinned_cert.get()), subject_uid(pinned_cert.get()),
                          sha256_fingerprint(pinned_cert.get())};
            }
        } else {
            xmlSecKeyDataPtr x509 = !own_key && ctx->signKey != nullptr
                                        ? xmlSecKeyGetData(ctx->signKey, xmlSecKeyDataX509Id)
                                        : nullptr;
            X509* cert = own_key          ? leaf
                         : x509 != nullptr ? xmlSecOpenSSLKeyDataX509GetKeyCert(x509)
                                           : nullptr;
            if (cert == nullptr) {
                auto f = fail(errc::certificate_untrusted,
                              "the signing key does not come from a certificate");
                f.log_detail = "xmlsec verified without an X509 key certificate";
                return f;
            }
            // xmlsec 1.2.37 may settle on an untrusted store certificate (e.g. the intermediate
            // CA) when the KeyInfo leaf does not verify, so insist the key is the KeyInfo end
            // entity. Only a generic document may name its signer (X509SubjectName,
            // IssuerSerial, SKI) instead of carrying it; the certificate then comes from the
            // configured intermediates.
            const bool named_only = !edxml && keyinfo.empty();
            if (!named_only && (leaf == nullptr || X509_cmp(leaf, cert) != 0)) {
                auto f = fail(errc::certificate_untrusted,
                              "the signing key is not the end-entity certificate in KeyInfo");
                f.log_detail = "xmlsec key certificate: " + subject_rfc2253(cert);
                return f;
            }
            if (const int error = verify_chain(cert, keyinfo, at, edxml); error != X509_V_OK) {
                return certificate_failure(cert, error,
                                           "xmlsec accepted the chain, our anchors did not");
            }
            signer = {subject_rfc2253(cert), subject_uid(cert), sha256_fingerprint(cert)};
        }
        if (uses_sha1(*ctx)) {
            signer.sha1 = true;
        }
        return signer;
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
    if (pinned_key) {
        auto f = fail(errc::signature_invalid,
                      "the signature does not verify with the pinned signer's key");
        f.log_detail = std::move(detail);
        return f;
    }
    // Why was it rejected? Judge the KeyInfo certificate with OpenSSL and our anchors only:
    // xmlsec's own outcome is ambiguous here (a missing key can be reported as an error, as an
    // invalid status, or as a mismatch with an untrusted CA certificate it picked instead).
    if (leaf == nullptr) {
        auto f = fail(errc::certificate_untrusted,
                      "no usable signer certificate: KeyInfo must carry the X509Certificate "
                      "(bare keys are never trusted)");
        f.log_detail = std::move(detail);
        return f;
    }
    if (const int error = verify_chain(leaf, keyinfo, at, edxml); error != X509_V_OK) {
        return certificate_failure(leaf, error, std::move(detail));
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

signature_verifier::signature_verifier(trust_options options)
    : options_(std::move(options)), material_(std::make_shared<const material>(options_)) {}

signature_verifier::~signature_verifier() = default;

void signature_verifier::reload() {
    auto fresh = std::make_shared<const material>(options_);  // throws, keeping the old one
    std::lock_guard lock(mutex_);
    material_ = std::move(fresh);
}

core::result<signer_info> signature_verifier::verify_edxml(xmlDoc* doc,
                                                           std::optional<std::time_t> at,
                                                           bool sender_allows_sha1) const {
    return verify(doc, true, {}, at, options_.allow_sha1 || sender_allows_sha1);
}

core::result<signer_info> signature_verifier::verify_generic(xmlDoc* doc,
                                                             const generic_rules& rules,
                                                             std::optional<std::time_t> at) const {
    return verify(doc, false, rules, at, options_.allow_sha1);
}

core::result<signer_info> signature_verifier::verify(xmlDoc* doc, bool edxml,
                                                     const generic_rules& rules,
                                                     std::optional<std::time_t> at,
                                                     bool allow_sha1) const {
    if (doc == nullptr || xmlDocGetRootElement(doc) == nullptr) {
        return fail(errc::malformed_xml, "empty document");
    }
    std::vector<std::string> id_names = rules.id_attributes;
    id_names.push_back("Id");  // XML-DSig's own (Object, SignatureProperties, ...)
    if (auto ids = register_ids(doc, id_names); !ids) {
        return std::move(ids).error();
    }
    const auto signatures = find_signatures(doc);
    if (signatures.empty()) {
        return fail(errc::signature_missing,
                    edxml ? "the packet has no ds:Signature in edXML:edXMLHeader"
                          : "the document has no ds:Signature");
    }
    if (edxml && signatures.size() > 1) {
        return fail(errc::signature_wrapping, "the packet has " +
                                                  std::to_string(signatures.size()) +
                                                  " ds:Signature elements; exactly one is allowed");
    }
    const allow_list allow = make_allow_list(allow_sha1, !edxml && rules.allow_xpath);
    for (xmlNode* signature : signatures) {
        if (auto shape = check_signature_shape(doc, signature, edxml, allow); !shape) {
            return std::move(shape).error();
        }
    }

    std::shared_ptr<const material> trust;
    {
        std::lock_guard lock(mutex_);
        trust = material_;
    }
    std::optional<signer_info> first;
    bool sha1 = false;
    for (xmlNode* signature : signatures) {
        auto signer = trust->verify_signature(signature, edxml, allow, at, certificates_);
        if (!signer) {
            return signer;
        }
        sha1 = sha1 || signer->sha1;
        if (!first) {
            first = std::move(*signer);
        }
    }
    if (sha1) {
        // Legacy algorithm accepted by configuration: counted and logged so operators can see
        // when it is safe to turn allow_sha1 off.
        const auto total = ++sha1_accepted_;
        core::log(core::log_level::warn, "signature.sha1_accepted",
                  {{"signer", first->subject}, {"total", std::to_string(total)}});
    }
    return std::move(*first);
}

}  // namespace lienthong::bus::crypto
