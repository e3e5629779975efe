#pragma once
// The envelope-signature policy of issue "real senders first": what the bus asks of the
// `Signature` in edXMLHeader, per sender (routing::envelope_rules).
#include <string>
#include <string_view>

#include "core/result.hpp"
#include "crypto/signature_verifier.hpp"
#include "routing/directory.hpp"
#include "xml/libxml.hpp"

namespace lienthong::bus::pipeline {

/// What the bus found and did about a packet's envelope signature. Reported in the 202 answer
/// (`envelope_signature`), on the journey, in the `x-envelope-signature` message header and in
/// the metric lienthong_envelope_signatures_total{verdict}.
enum class envelope_verdict {
    verified,     ///< an XML-DSig that verified, by a certificate of the sending agency
    absent,       ///< no Signature at all (policy if_present)
    placeholder,  ///< a Signature that is no XML-DSig: the VNPT SDK's edXML-namespace structure,
                  ///< or an empty DigitalSignature element (policy if_present)
    not_checked,  ///< policy off: nothing was looked at
};

/// "verified", "absent", "placeholder", "not_checked".
std::string_view verdict_name(envelope_verdict v) noexcept;

/// Applies `rules` to the parsed, schema-valid packet `doc` whose From/OrganId is `from`:
/// - off: not_checked, whatever the packet holds;
/// - a ds:Signature (XML-DSig namespace) anywhere: verify_edxml (placement, algorithms, chain,
///   revocation; SHA-1 when trust.allow_sha1 or rules.allow_sha1) and the signer must be the
///   sender (check_signer_is_sender) → verified; any failure is returned, under both policies;
/// - otherwise required → signature_missing, naming what was found and the setting;
///   if_present → placeholder or absent.
/// Thread-safe (the verifier and directory are); `doc` is only read.
core::result<envelope_verdict> check_envelope_signature(xmlDoc* doc,
                                                        const routing::envelope_rules& rules,
                                                        const std::string& from,
                                                        const crypto::signature_verifier& verifier,
                                                        const routing::directory& directory);

}  // namespace lienthong::bus::pipeline
