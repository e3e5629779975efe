#pragma once
// The document-signature checks of issue 16, as one facade: every signature of a PDF
// (ISO 32000-1 12.8 with the CMS of RFC 5652, PAdES baseline subfilters of ETSI EN 319 142-1),
// and every PDF among a packet's attachments.
#include <ctime>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "crypto/trust_store.hpp"
#include "pdf/attachment_decoder.hpp"
#include "pdf/pdf_structure.hpp"
#include "pdf/verdict.hpp"
#include "xml/attachments.hpp"

namespace lienthong::bus::pdf {

struct verify_limits {
    pdf_limits pdf;
    decode_limits decode;
};

/// Every signature field with a value of the PDF `bytes`, each checked:
///  - SubFilter adbe.pkcs7.detached or ETSI.CAdES.detached, else `unsupported`;
///  - ByteRange [0 a b c] with the gap exactly the /Contents hex string and b+c within the file,
///    else `malformed`;
///  - the CMS (verify_cms): digest, signature, chain to `trust` at the signing time;
///  - a signature whose ranges end before the file does (trailing whitespace aside) is
///    `modified` unless a later signature covers the whole file and the page content of its
///    own revision (the file cut at its end) equals the final page content. Later revisions
///    that only add signatures, widgets or form values are thus accepted; any change to a
///    page's content streams, or bytes no signature covers, are not.
/// Errors: invalid_request when qpdf cannot read the structure (the message says so), or
/// payload_too_large past `limits`. `now` is seconds since the epoch. Thread-safe.
core::result<std::vector<signature_verdict>> verify_pdf(std::string_view bytes,
                                                        const crypto::trust_material& trust,
                                                        std::time_t now,
                                                        const pdf_limits& limits = {});

/// One decoded file: not_pdf unless it starts with %PDF-; an unreadable PDF is not_pdf with
/// the reason in `detail`; otherwise the state of its signatures (state_of).
document_verdict verify_file(std::string_view bytes, const crypto::trust_material& trust,
                             std::time_t now, const pdf_limits& limits = {});

/// Every attachment decoded (decode_attachment) and each file checked; an attachment that does
/// not decode (bad base64, zip bomb...) yields one not_pdf verdict saying why. Never fails.
std::vector<document_verdict> verify_attachments(
    const std::vector<xml::encoded_attachment>& attachments, const crypto::trust_material& trust,
    std::time_t now, const verify_limits& limits = {});

}  // namespace lienthong::bus::pdf
