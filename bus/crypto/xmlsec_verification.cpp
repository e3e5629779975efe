#include "crypto/xmlsec_verification.hpp"

#include <openssl/evp.h>
#include <openssl/x509v3.h>
#include <xmlsec/openssl/x509.h>

#include <algorithm>
#include <string>

#include "crypto/dsig_tree.hpp"
#include "crypto/fast_c14n.hpp"
#include "crypto/keyinfo.hpp"
#include "crypto/xmlsec.hpp"

namespace lienthong::bus::crypto {

namespace {

using core::errc;
using core::fail;

core::failure failure_with(errc code, std::string message, std::string log_detail) {
    auto f = fail(code, std::move(message));
    f.log_detail = std::move(log_detail);
    return f;
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

// What one verification works with; `leaf` is the KeyInfo end entity (or nullptr) and
// `own_key` says that we, not xmlsec, supply the key from it.
struct verification {
    xmlNode* signature;
    const std::vector<x509_ptr>& keyinfo;
    const signature_policy& policy;
    const trust_material& trust;
    std::optional<std::time_t> at;
    X509* leaf;
    bool own_key;
};

// A DSig context that enforces the policy's allow-lists and URI kinds (defence in depth behind
// the shape checks) and takes the key only from X509Data, from the KeyInfo certificate we hand
// it, or from the operator's pinned signer.
core::result<dsig_ctx_ptr> make_context(const verification& v, const error_capture& errors) {
    dsig_ctx_ptr ctx{xmlSecDSigCtxCreate(v.trust.keys_manager())};
    if (!ctx) {
        return fail(errc::internal, "signature verification is unavailable");
    }
    ctx->enabledReferenceUris =
        v.policy.whole_document_only
            ? xmlSecTransformUriTypeEmpty
            : (xmlSecTransformUriTypeEmpty | xmlSecTransformUriTypeSameDocument);
    // Large attachments skip libxml2's per-character text escaping; same bytes (fast_c14n.hpp).
    use_fast_c14n(*ctx);
    bool configured = true;
    const auto enable = [&](const std::vector<xmlSecTransformId>& ids, bool reference) {
        for (auto id : ids) {
            configured = configured &&
                         (reference ? xmlSecDSigCtxEnableReferenceTransform(ctx.get(), id)
                                    : xmlSecDSigCtxEnableSignatureTransform(ctx.get(), id)) >= 0;
        }
    };
    const algorithm_allow_list& allow = v.policy.algorithms;
    enable(allow.c14n, false);
    enable(allow.signature, false);
    enable(allow.transforms, true);
    enable(allow.digests, true);
    configured =
        configured &&
        xmlSecPtrListAdd(&ctx->keyInfoReadCtx.enabledKeyData,
                         const_cast<void*>(static_cast<const void*>(xmlSecKeyDataX509Id))) >= 0;
    xmlSecKey* pinned = v.trust.pinned_key();
    if (pinned != nullptr || v.own_key) {
        // The context owns and frees it, and then ignores KeyInfo.
        ctx->signKey = v.own_key ? xmlsec_key_of(X509_get0_pubkey(v.leaf)).release()
                                 : xmlSecKeyDuplicate(pinned);
        configured = configured && ctx->signKey != nullptr;
    }
    if (!configured) {
        return failure_with(errc::internal, "signature verification is unavailable",
                            "cannot configure xmlSecDSigCtx: " + errors.text());
    }
    if (!v.policy.strict_certificates) {
        ctx->keyInfoReadCtx.flags |= XMLSEC_KEYINFO_FLAGS_X509DATA_SKIP_STRICT_CHECKS;
    }
    if (v.at) {
        ctx->keyInfoReadCtx.certsVerificationTime = *v.at;
    }
    return ctx;
}

// xmlsec said the signature verifies: who signed, and is that key's certificate ours to trust?
core::result<signer_info> accepted_signer(const verification& v, xmlSecDSigCtx& ctx) {
    signer_info signer;
    if (v.trust.pinned_key() != nullptr) {
        if (X509* pinned = v.trust.pinned_certificate(); pinned != nullptr) {
            signer = {subject_rfc2253(pinned), subject_uid(pinned), sha256_fingerprint(pinned)};
        }
    } else {
        xmlSecKeyDataPtr x509 = !v.own_key && ctx.signKey != nullptr
                                    ? xmlSecKeyGetData(ctx.signKey, xmlSecKeyDataX509Id)
                                    : nullptr;
        X509* cert = v.own_key         ? v.leaf
                     : x509 != nullptr ? xmlSecOpenSSLKeyDataX509GetKeyCert(x509)
                                       : nullptr;
        if (cert == nullptr) {
            return failure_with(errc::certificate_untrusted,
                                "the signing key does not come from a certificate",
                                "xmlsec verified without an X509 key certificate");
        }
        // xmlsec 1.2.37 may settle on an untrusted store certificate (e.g. the intermediate CA)
        // when the KeyInfo leaf does not verify, so insist the key is the KeyInfo end entity.
        // Only a policy that lets the signer be named (generic) may go without it; the
        // certificate then comes from the configured intermediates.
        const bool named_only = v.policy.signer_may_be_named && v.keyinfo.empty();
        if (!named_only && (v.leaf == nullptr || X509_cmp(v.leaf, cert) != 0)) {
            return failure_with(errc::certificate_untrusted,
                                "the signing key is not the end-entity certificate in KeyInfo",
                                "xmlsec key certificate: " + subject_rfc2253(cert));
        }
        if (auto chain = v.trust.check_chain(cert, v.keyinfo, v.at, v.policy.strict_certificates,
                                             "xmlsec accepted the chain, our anchors did not");
            !chain) {
            return std::move(chain).error();
        }
        signer = {subject_rfc2253(cert), subject_uid(cert), sha256_fingerprint(cert)};
    }
    signer.sha1 = uses_sha1(ctx);
    return signer;
}

// xmlsec refused: name the reason as precisely as the evidence allows.
core::failure rejection(const verification& v, xmlSecDSigCtx& ctx, std::string detail) {
    const xmlSecSize count = xmlSecPtrListGetSize(&ctx.signedInfoReferences);
    for (xmlSecSize i = 0; i < count; ++i) {
        auto* reference = static_cast<xmlSecDSigReferenceCtxPtr>(
            xmlSecPtrListGetItem(&ctx.signedInfoReferences, i));
        if (reference != nullptr && reference->status == xmlSecDSigStatusInvalid) {
            return failure_with(errc::digest_mismatch,
                                "the signed content was changed after signing (digest mismatch)",
                                std::move(detail));
        }
    }
    if (v.trust.pinned_key() != nullptr) {
        return failure_with(errc::signature_invalid,
                            "the signature does not verify with the pinned signer's key",
                            std::move(detail));
    }
    // Judge the KeyInfo certificate with OpenSSL and our anchors only: xmlsec's own outcome is
    // ambiguous here (a missing key can be reported as an error, as an invalid status, or as a
    // mismatch with an untrusted CA certificate it picked instead).
    if (v.leaf == nullptr) {
        return failure_with(errc::certificate_untrusted,
                            missing_signer_message(v.signature, v.policy.signer_may_be_named),
                            std::move(detail));
    }
    if (auto chain =
            v.trust.check_chain(v.leaf, v.keyinfo, v.at, v.policy.strict_certificates, detail);
        !chain) {
        return std::move(chain).error();
    }
    if (ctx.signKey == nullptr) {
        return failure_with(
            errc::certificate_untrusted,
            "signer certificate \"" + subject_rfc2253(v.leaf) + "\" was not accepted",
            std::move(detail));
    }
    return failure_with(errc::signature_invalid,
                        "the signature value does not match the signed content", std::move(detail));
}

}  // namespace

core::result<signer_info> verify_with_xmlsec(xmlNode* signature,
                                             const std::vector<x509_ptr>& keyinfo,
                                             const signature_policy& policy,
                                             const trust_material& trust,
                                             std::optional<std::time_t> at) {
    // The key comes from the KeyInfo end entity, decoded by us (cached), and its chain is checked
    // against our anchors only. xmlsec resolves the key itself only for the pinned signer or a
    // generic document that names its signer without carrying it.
    X509* leaf = pick_leaf(keyinfo);
    if (leaf == nullptr && policy.signer_may_be_named && trust.pinned_key() == nullptr) {
        // xmlsec 1.2 does not know XML-DSig 1.1's X509Digest: resolve it here, like xmlsec
        // resolves X509SubjectName, X509IssuerSerial and X509SKI, among the configured
        // certificates; the chain is then checked as for a KeyInfo certificate.
        auto named = resolve_x509_digest(signature, trust);
        if (!named) {
            return std::move(named).error();
        }
        leaf = *named;
    }
    const verification v{signature,
                         keyinfo,
                         policy,
                         trust,
                         at,
                         leaf,
                         trust.pinned_key() == nullptr && leaf != nullptr};
    error_capture xmlsec_errors;  // before the context, so it hears all the context reports
    auto ctx = make_context(v, xmlsec_errors);
    if (!ctx) {
        return std::move(ctx).error();
    }
    const int verified = xmlSecDSigCtxVerify(ctx->get(), signature);
    if (verified == 0 && (*ctx)->status == xmlSecDSigStatusSucceeded) {
        return accepted_signer(v, **ctx);
    }
    return rejection(v, **ctx, xmlsec_errors.text());
}

}  // namespace lienthong::bus::crypto
