#include "crypto/signature_verifier.hpp"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/log.hpp"
#include "crypto/signature_shape.hpp"
#include "crypto/xmlsec_verification.hpp"

namespace lienthong::bus::crypto {

signature_verifier::signature_verifier(trust_options options) : trust_(std::move(options)) {}

signature_verifier::~signature_verifier() = default;

void signature_verifier::reload() { trust_.reload(); }

core::result<signer_info> signature_verifier::verify_edxml(xmlDoc* doc,
                                                           std::optional<std::time_t> at,
                                                           bool sender_allows_sha1) const {
    return verify(doc, edxml_policy(trust_.options().allow_sha1 || sender_allows_sha1), at);
}

core::result<signer_info> signature_verifier::verify_generic(xmlDoc* doc,
                                                             const generic_rules& rules,
                                                             std::optional<std::time_t> at) const {
    return verify(doc, generic_policy(rules, trust_.options().allow_sha1), at);
}

core::result<signer_info> signature_verifier::verify(xmlDoc* doc, const signature_policy& policy,
                                                     std::optional<std::time_t> at) const {
    if (doc == nullptr || xmlDocGetRootElement(doc) == nullptr) {
        return core::fail(core::errc::malformed_xml, "empty document");
    }
    if (auto ids = register_ids(doc, policy); !ids) {
        return std::move(ids).error();
    }
    auto signatures = signatures_to_verify(doc, policy);
    if (!signatures) {
        return std::move(signatures).error();
    }
    // Every Signature is checked on the tree before any goes to xmlsec, so a hostile document
    // costs no crypto.
    for (xmlNode* signature : *signatures) {
        if (auto shape = check_signature_shape(doc, signature, policy); !shape) {
            return std::move(shape).error();
        }
    }

    // One material for the whole document, even if reload() swaps it meanwhile.
    const std::shared_ptr<const trust_material> trust = trust_.material();
    std::optional<signer_info> first;
    bool sha1 = false;
    for (xmlNode* signature : *signatures) {
        const auto keyinfo = keyinfo_certificates(signature, trust_);
        auto signer = verify_with_xmlsec(signature, keyinfo, policy, *trust, at);
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
