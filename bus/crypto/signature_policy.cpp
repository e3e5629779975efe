#include "crypto/signature_policy.hpp"

#include <xmlsec/crypto.h>

#include <algorithm>

namespace lienthong::bus::crypto {

namespace {

using core::errc;
using core::fail;

algorithm_allow_list make_allow_list(bool allow_sha1, bool allow_xpath) {
    algorithm_allow_list a;
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

bool listed(const std::vector<xmlSecTransformId>& ids, const std::string& href) {
    return std::any_of(ids.begin(), ids.end(), [&](xmlSecTransformId id) {
        return id->href != nullptr && href == reinterpret_cast<const char*>(id->href);
    });
}

core::failure forbidden(const char* what, const std::string& href) {
    std::string hint;
    if (href.find("hmac") != std::string::npos) {
        hint = " (an HMAC proves nothing about who signed; sign with an X.509 certificate)";
    } else if (href.find("sha1") != std::string::npos) {
        hint =
            " (SHA-1 is accepted only when trust.allow_sha1, or the sending agency's "
            "allow_sha1 in the directory, is set; sign with RSA-SHA256)";
    }
    return fail(errc::algorithm_forbidden,
                std::string(what) + " algorithm \"" + href + "\" is not allowed" + hint, what);
}

}  // namespace

signature_policy edxml_policy(bool allow_sha1) {
    signature_policy p;
    p.name = "edxml";
    p.placement = signature_placement::edxml_header;
    p.forbid_object = true;
    p.whole_document_only = true;
    p.strict_certificates = true;
    p.signer_may_be_named = false;
    p.algorithms = make_allow_list(allow_sha1, false);
    return p;
}

signature_policy generic_policy(const generic_rules& rules, bool allow_sha1) {
    signature_policy p;
    p.name = "generic";
    p.placement = signature_placement::anywhere;
    p.forbid_object = false;
    p.whole_document_only = false;
    p.strict_certificates = false;
    p.signer_may_be_named = true;
    p.id_attributes = rules.id_attributes;
    p.id_attributes.push_back("Id");  // XML-DSig's own (Object, SignatureProperties, ...)
    p.algorithms = make_allow_list(allow_sha1, rules.allow_xpath);
    return p;
}

core::result<void> check_algorithm(const signature_policy& policy, algorithm_role role,
                                   const std::string& href) {
    const algorithm_allow_list& a = policy.algorithms;
    const std::vector<xmlSecTransformId>* ids = &a.digests;
    const char* element = "DigestMethod";
    switch (role) {
        case algorithm_role::canonicalization:
            ids = &a.c14n;
            element = "CanonicalizationMethod";
            break;
        case algorithm_role::signature:
            ids = &a.signature;
            element = "SignatureMethod";
            break;
        case algorithm_role::transform:
            ids = &a.transforms;
            element = "Transform";
            break;
        case algorithm_role::digest:
            break;
    }
    if (!listed(*ids, href)) {
        return forbidden(element, href);
    }
    return {};
}

core::result<void> check_signer_binding(const signer_info& signer, const std::string& organ_id,
                                        const std::vector<std::string>& listed_fingerprints) {
    if (!signer.uid.empty() && signer.uid == organ_id) {
        return {};
    }
    if (!signer.sha256_fingerprint.empty() &&
        std::find(listed_fingerprints.begin(), listed_fingerprints.end(),
                  signer.sha256_fingerprint) != listed_fingerprints.end()) {
        return {};
    }
    return fail(errc::signer_not_sender,
                "the signing certificate \"" + signer.subject +
                    "\" does not belong to the sending agency '" + organ_id +
                    "': sign with a certificate whose subject UID is '" + organ_id +
                    "', or have its SHA-256 fingerprint (" + signer.sha256_fingerprint +
                    ") listed for the agency in the directory",
                "Signature");
}

}  // namespace lienthong::bus::crypto
