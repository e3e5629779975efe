#pragma once
// Helpers for the fast C14N tests: documents with large text nodes, signing them with plain
// xmlsec (so the signed bytes come from libxml2's own C14N), and verifying them with or without
// the fast step while keeping the bytes each Reference digested.
#include <xmlsec/crypto.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmltree.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <string>
#include <vector>

#include "crypto/fast_c14n.hpp"
#include "crypto/xmlsec.hpp"
#include "support/test_pki.hpp"

namespace lienthong::test::fast_c14n {

inline const std::string signer = "000.01.01.H41";

/// The first element called `name` (local name) in document order from `node` on, or nullptr.
inline xmlNode* element_named(xmlNode* node, const char* name) {
    for (; node != nullptr; node = node->next) {
        if (node->type == XML_ELEMENT_NODE &&
            std::strcmp(reinterpret_cast<const char*>(node->name), name) == 0) {
            return node;
        }
        if (xmlNode* found = element_named(node->children, name); found != nullptr) {
            return found;
        }
    }
    return nullptr;
}

/// Base64-looking text of `size` bytes, a newline every 76 characters: nothing C14N escapes.
inline std::string base64_text(std::size_t size, char seed = 'A') {
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string text;
    text.reserve(size);
    for (std::size_t i = 0; text.size() < size; ++i) {
        text += (i % 77 == 76) ? '\n' : alphabet[(i * 7 + static_cast<unsigned char>(seed)) % 64];
    }
    return text;
}

inline bus::crypto::key_ptr signer_key() {
    bus::crypto::key_ptr key{xmlSecCryptoAppKeyLoad(
        agency_key(signer).c_str(), xmlSecKeyDataFormatPem, nullptr, nullptr, nullptr)};
    REQUIRE(key);
    return key;
}

/// The Reference's transforms after enveloped-signature: none (xmlsec appends the implicit
/// inclusive C14N, as for the VNPT SDK's handwritten shape), one explicit C14N, or two
/// (`two_c14n`: exclusive, then inclusive; xmlsec parses the first one's octets back into a
/// document for the second, so the first is not followed by the digest: a chain the fast step
/// leaves to xmlsec, and only the second one runs fast).
enum class chain {
    implicit,
    exclusive,
    exclusive_prefixes,
    inclusive_comments,
    inclusive11,
    two_c14n
};

inline const std::vector<chain>& all_chains() {
    static const std::vector<chain> all{chain::implicit,           chain::exclusive,
                                        chain::exclusive_prefixes, chain::inclusive_comments,
                                        chain::inclusive11,        chain::two_c14n};
    return all;
}

inline void add_c14n(xmlNode* reference, chain shape) {
    switch (shape) {
        case chain::implicit:
            return;
        case chain::exclusive:
            REQUIRE(xmlSecTmplReferenceAddTransform(reference, xmlSecTransformExclC14NId));
            return;
        case chain::exclusive_prefixes: {
            xmlNode* t = xmlSecTmplReferenceAddTransform(reference, xmlSecTransformExclC14NId);
            REQUIRE(t);
            REQUIRE(xmlSecTmplTransformAddC14NInclNamespaces(t, BAD_CAST "b c #default") == 0);
            return;
        }
        case chain::inclusive_comments:
            REQUIRE(
                xmlSecTmplReferenceAddTransform(reference, xmlSecTransformInclC14NWithCommentsId));
            return;
        case chain::inclusive11:
            REQUIRE(xmlSecTmplReferenceAddTransform(reference, xmlSecTransformInclC14N11Id));
            return;
        case chain::two_c14n:
            REQUIRE(xmlSecTmplReferenceAddTransform(reference, xmlSecTransformExclC14NId));
            REQUIRE(xmlSecTmplReferenceAddTransform(reference, xmlSecTransformInclC14NId));
            return;
    }
}

/// Signs `doc` with plain xmlsec: one Reference URI="" (enveloped-signature, then `shape`),
/// RSA-SHA256 / SHA-256, the ds:Signature appended to `parent`. Returns the serialised bytes.
inline std::string sign(xmlDoc* doc, xmlNode* parent, chain shape) {
    xmlNode* signature = xmlSecTmplSignatureCreate(doc, xmlSecTransformExclC14NId,
                                                   xmlSecTransformRsaSha256Id, nullptr);
    REQUIRE(signature);
    xmlAddChild(parent, signature);
    xmlNode* reference = xmlSecTmplSignatureAddReference(signature, xmlSecTransformSha256Id,
                                                         nullptr, BAD_CAST "", nullptr);
    REQUIRE(reference);
    REQUIRE(xmlSecTmplReferenceAddTransform(reference, xmlSecTransformEnvelopedId));
    add_c14n(reference, shape);
    bus::crypto::dsig_ctx_ptr ctx{xmlSecDSigCtxCreate(nullptr)};
    REQUIRE(ctx);
    ctx->signKey = signer_key().release();
    REQUIRE(xmlSecDSigCtxSign(ctx.get(), signature) == 0);
    return serialise(doc);
}

/// What one verification saw: xmlsec's verdict and each Reference's bytes before the digest.
struct outcome {
    bool valid = false;
    std::vector<std::string> digested;
};

/// Verifies the first ds:Signature of `bytes` with the signer's key, with or without the fast
/// step (XMLSEC_DSIG_FLAGS_STORE_SIGNEDINFO_REFERENCES keeps the pre-digest bytes).
inline outcome verify(const std::string& bytes, bool fast) {
    auto doc = parse_xml(bytes);
    xmlNode* signature =
        xmlSecFindNode(xmlDocGetRootElement(doc.get()), xmlSecNodeSignature, xmlSecDSigNs);
    REQUIRE(signature);
    bus::crypto::dsig_ctx_ptr ctx{xmlSecDSigCtxCreate(nullptr)};
    REQUIRE(ctx);
    ctx->signKey = signer_key().release();
    ctx->flags |= XMLSEC_DSIG_FLAGS_STORE_SIGNEDINFO_REFERENCES;
    if (fast) {
        bus::crypto::use_fast_c14n(*ctx);
    }
    outcome result;
    REQUIRE(xmlSecDSigCtxVerify(ctx.get(), signature) == 0);
    result.valid = ctx->status == xmlSecDSigStatusSucceeded;
    const xmlSecSize count = xmlSecPtrListGetSize(&ctx->signedInfoReferences);
    for (xmlSecSize i = 0; i < count; ++i) {
        auto* reference = static_cast<xmlSecDSigReferenceCtxPtr>(
            xmlSecPtrListGetItem(&ctx->signedInfoReferences, i));
        xmlSecBufferPtr bytes_in = xmlSecDSigReferenceCtxGetPreDigestBuffer(reference);
        REQUIRE(bytes_in != nullptr);
        result.digested.emplace_back(reinterpret_cast<const char*>(xmlSecBufferGetData(bytes_in)),
                                     xmlSecBufferGetSize(bytes_in));
    }
    return result;
}

}  // namespace lienthong::test::fast_c14n
