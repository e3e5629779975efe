#include "pipeline/envelope_signature.hpp"

#include "crypto/dsig_tree.hpp"
#include "pipeline/signer_binding.hpp"
#include "xml/envelope_signature.hpp"

namespace lienthong::bus::pipeline {

std::string_view verdict_name(envelope_verdict v) noexcept {
    switch (v) {
        case envelope_verdict::verified:
            return "verified";
        case envelope_verdict::absent:
            return "absent";
        case envelope_verdict::placeholder:
            return "placeholder";
        case envelope_verdict::not_checked:
            return "not_checked";
    }
    return "not_checked";
}

core::result<envelope_verdict> check_envelope_signature(xmlDoc* doc,
                                                        const routing::envelope_rules& rules,
                                                        const std::string& from,
                                                        const crypto::signature_verifier& verifier,
                                                        const routing::directory& directory) {
    if (rules.policy == routing::envelope_policy::off) {
        return envelope_verdict::not_checked;
    }
    // Any ds:Signature, wherever it sits, goes to the verifier: one outside the header is
    // refused there (placement), never mistaken for "absent".
    if (!crypto::find_signatures(doc).empty()) {
        auto signer = verifier.verify_edxml(doc, std::nullopt, rules.allow_sha1);
        if (!signer) {
            return std::move(signer).error();
        }
        // verify_edxml admits only a Reference URI="" with the enveloped transform: every header
        // field the bus uses (outside the one Signature element) is part of what was signed.
        if (auto bound = check_signer_is_sender(*signer, from, &directory); !bound) {
            return std::move(bound).error();
        }
        return envelope_verdict::verified;
    }
    const bool placeholder =
        xml::find_envelope_signature(doc).kind == xml::envelope_signature_kind::placeholder;
    if (rules.policy == routing::envelope_policy::required) {
        const std::string found = placeholder ? "a Signature that is not an XML-DSig (a "
                                                "placeholder, as the VNPT SDK writes it)"
                                              : "no Signature";
        return core::fail(core::errc::signature_missing,
                          "the packet carries " + found +
                              " in edXML:edXMLHeader, and the "
                              "envelope signature of '" +
                              from +
                              "' is required (directory: "
                              "envelope_signature: required; if_present accepts such packets)",
                          "Signature");
    }
    return placeholder ? envelope_verdict::placeholder : envelope_verdict::absent;
}

}  // namespace lienthong::bus::pipeline
