#include "pdf/cms_signature.hpp"

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>

#include <optional>
#include <string>
#include <vector>

#include "crypto/openssl.hpp"
#include "pdf/x509_text.hpp"

namespace lienthong::bus::pdf {
namespace {

std::string algorithm_name(const X509_ALGOR* alg) {
    if (alg == nullptr) {
        return {};
    }
    const ASN1_OBJECT* obj = nullptr;
    X509_ALGOR_get0(&obj, nullptr, nullptr, alg);
    const int nid = OBJ_obj2nid(obj);
    return nid == NID_undef ? std::string{"unknown"} : std::string{OBJ_nid2sn(nid)};
}

std::optional<std::int64_t> signing_time(CMS_SignerInfo* si) {
    const int idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
    if (idx < 0) {
        return std::nullopt;
    }
    ASN1_TYPE* value = X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, idx), 0);
    if (value == nullptr ||
        (value->type != V_ASN1_UTCTIME && value->type != V_ASN1_GENERALIZEDTIME)) {
        return std::nullopt;
    }
    std::tm tm{};
    if (ASN1_TIME_to_tm(value->value.asn1_string, &tm) != 1) {
        return std::nullopt;
    }
    return static_cast<std::int64_t>(timegm(&tm));
}

// The messageDigest attribute against the hash of the bytes; nullopt when there are no signed
// attributes (then the signature itself is over the content digest and CMS_verify decides).
std::optional<bool> digest_matches(CMS_SignerInfo* si, const X509_ALGOR* digest_alg,
                                   std::string_view bytes) {
    if (CMS_signed_get_attr_count(si) <= 0) {
        return std::nullopt;
    }
    auto* expected = static_cast<ASN1_OCTET_STRING*>(CMS_signed_get0_data_by_OBJ(
        si, OBJ_nid2obj(NID_pkcs9_messageDigest), -3, V_ASN1_OCTET_STRING));
    const ASN1_OBJECT* obj = nullptr;
    X509_ALGOR_get0(&obj, nullptr, nullptr, digest_alg);
    const EVP_MD* md = EVP_get_digestbyobj(obj);
    crypto::md_ctx_ptr ctx{EVP_MD_CTX_new()};
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (expected == nullptr || md == nullptr || !ctx ||
        EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1 ||
        EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) != 1 ||
        EVP_DigestFinal_ex(ctx.get(), out, &len) != 1) {
        return false;
    }
    return static_cast<int>(len) == ASN1_STRING_length(expected) &&
           std::string_view(reinterpret_cast<const char*>(out), len) ==
               std::string_view(reinterpret_cast<const char*>(ASN1_STRING_get0_data(expected)),
                                len);
}

void set(signature_verdict& out, signature_status status, std::string detail) {
    out.status = status;
    out.detail = std::move(detail);
}

signature_status status_of(core::errc code) {
    switch (code) {
        case core::errc::certificate_expired:
            return signature_status::certificate_expired;
        case core::errc::certificate_revoked:
            return signature_status::certificate_revoked;
        default:
            return signature_status::certificate_untrusted;
    }
}

X509* signer_of(CMS_SignerInfo* si, STACK_OF(X509) * certs) {
    for (int i = 0; certs != nullptr && i < sk_X509_num(certs); ++i) {
        if (CMS_SignerInfo_cert_cmp(si, sk_X509_value(certs, i)) == 0) {
            return sk_X509_value(certs, i);
        }
    }
    return nullptr;
}

// With signed attributes (digest already compared) only the signature over them is checked;
// without, CMS_verify hashes the content itself.
bool signature_verifies(CMS_ContentInfo* cms, CMS_SignerInfo* si, X509* signer,
                        STACK_OF(X509) * certs, std::string_view bytes,
                        std::optional<bool> digest_ok) {
    if (digest_ok) {
        CMS_SignerInfo_set1_signer_cert(si, signer);
        return CMS_SignerInfo_verify(si) == 1;
    }
    crypto::bio_ptr data{BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size()))};
    const unsigned flags = CMS_DETACHED | CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY;
    return data && CMS_verify(cms, certs, nullptr, data.get(), nullptr, flags) == 1;
}

void check_chain(X509* signer, STACK_OF(X509) * certs, const crypto::trust_material& trust,
                 std::time_t now, signature_verdict& out) {
    std::vector<crypto::x509_ptr> extra;
    for (int i = 0; i < sk_X509_num(certs); ++i) {
        X509* c = sk_X509_value(certs, i);
        if (X509_up_ref(c) == 1) {
            extra.emplace_back(c);
        }
    }
    const std::time_t at = out.signing_time && *out.signing_time <= now
                               ? static_cast<std::time_t>(*out.signing_time)
                               : now;
    auto chain = trust.check_chain(signer, extra, at, false, "pdf signature");
    if (!chain) {
        set(out, status_of(chain.error().code), chain.error().message);
        return;
    }
    set(out, signature_status::valid, "");
}

}  // namespace

void verify_cms(std::string_view der, std::string_view signed_bytes,
                const crypto::trust_material& trust, std::time_t now, signature_verdict& out) {
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    cms_ptr cms{d2i_CMS_ContentInfo(nullptr, &p, static_cast<long>(der.size()))};
    if (!cms || OBJ_obj2nid(CMS_get0_type(cms.get())) != NID_pkcs7_signed ||
        CMS_is_detached(cms.get()) != 1) {
        ERR_clear_error();
        return set(out, signature_status::malformed, "the signature is not a detached CMS");
    }
    STACK_OF(CMS_SignerInfo)* infos = CMS_get0_SignerInfos(cms.get());
    if (infos == nullptr || sk_CMS_SignerInfo_num(infos) != 1) {
        return set(out, signature_status::malformed, "the CMS must have exactly one signer");
    }
    CMS_SignerInfo* si = sk_CMS_SignerInfo_value(infos, 0);
    x509_owning_stack_ptr certs{CMS_get1_certs(cms.get())};
    X509* signer = signer_of(si, certs.get());
    if (signer == nullptr) {
        return set(out, signature_status::malformed,
                   "the CMS does not carry its signer's certificate");
    }
    describe_signer(signer, out);
    X509_ALGOR* digest_alg = nullptr;
    X509_ALGOR* sig_alg = nullptr;
    CMS_SignerInfo_get0_algs(si, nullptr, nullptr, &digest_alg, &sig_alg);
    out.digest_algorithm = algorithm_name(digest_alg);
    out.signature_algorithm = algorithm_name(sig_alg);
    if (auto claimed = signing_time(si)) {
        out.signing_time = claimed;  // the signed attribute wins over the dictionary's /M
    }
    const auto digest_ok = digest_matches(si, digest_alg, signed_bytes);
    if (out.subfilter == "ETSI.CAdES.detached" && !digest_ok) {
        return set(out, signature_status::malformed, "a CAdES signature without signed attributes");
    }
    if (digest_ok && !*digest_ok) {
        return set(out, signature_status::digest_mismatch,
                   "the signed bytes do not match the signature's message digest");
    }
    if (!signature_verifies(cms.get(), si, signer, certs.get(), signed_bytes, digest_ok)) {
        ERR_clear_error();
        return set(
            out,
            digest_ok ? signature_status::signature_invalid : signature_status::digest_mismatch,
            "the signature does not verify");
    }
    check_chain(signer, certs.get(), trust, now, out);
}

}  // namespace lienthong::bus::pdf
