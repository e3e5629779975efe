#include "pipeline/document_signatures.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "core/metric_families.hpp"
#include "pdf/pdf_verifier.hpp"
#include "xml/attachments.hpp"

namespace lienthong::bus::pipeline {

using core::errc;
using core::fail;

std::vector<pdf::document_verdict> check_documents(const xmlDoc* doc,
                                                   const crypto::trust_material* trust,
                                                   std::time_t now) {
    if (trust == nullptr || doc == nullptr) {
        return {};
    }
    return pdf::verify_attachments(xml::read_attachments(doc), *trust, now);
}

int main_document(const std::vector<pdf::document_verdict>& verdicts,
                  const std::vector<std::string>& manifest) {
    auto is_pdf = [](const pdf::document_verdict& v) {
        return v.state != pdf::document_state::not_pdf;
    };
    for (const auto& id : manifest) {
        for (std::size_t i = 0; i < verdicts.size(); ++i) {
            if (verdicts[i].content_id == id && is_pdf(verdicts[i])) {
                return static_cast<int>(i);
            }
        }
    }
    const auto it = std::find_if(verdicts.begin(), verdicts.end(), is_pdf);
    return it == verdicts.end() ? -1 : static_cast<int>(it - verdicts.begin());
}

namespace {

bool belongs_to(const pdf::signature_verdict& s, const std::string& sender,
                const routing::directory& directory) {
    if (!s.signer_uid.empty() && s.signer_uid == sender) {
        return true;
    }
    const auto* agency = directory.find(sender);
    return agency != nullptr && std::find(agency->fingerprints.begin(), agency->fingerprints.end(),
                                          s.signer_fingerprint) != agency->fingerprints.end();
}

}  // namespace

core::result<void> apply_document_policy(const std::vector<pdf::document_verdict>& verdicts,
                                         const std::vector<std::string>& manifest,
                                         const std::string& sender,
                                         const routing::directory& directory) {
    if (directory.documents_for(sender) != routing::document_policy::required) {
        return {};
    }
    const int main = main_document(verdicts, manifest);
    if (main < 0) {
        return fail(errc::document_unsigned,
                    "the packet carries no PDF document, and the sender must sign its documents");
    }
    const auto& doc = verdicts[static_cast<std::size_t>(main)];
    const std::string which =
        "the main document '" + (doc.entry.empty() ? doc.name : doc.entry) + "'";
    if (doc.signatures.empty()) {
        return fail(errc::document_unsigned, which + " carries no signature");
    }
    bool any_valid = false;
    for (const auto& s : doc.signatures) {
        if (s.status != pdf::signature_status::valid) {
            continue;
        }
        any_valid = true;
        if (belongs_to(s, sender, directory)) {
            return {};
        }
    }
    if (!any_valid) {
        return fail(errc::document_signature_invalid,
                    which + ": no valid signature (first: " +
                        std::string(pdf::signature_status_slug(doc.signatures[0].status)) + ")");
    }
    return fail(errc::document_signer_not_sender,
                which + " is validly signed, but by no one of " + sender +
                    " (certificate UID, or a fingerprint listed in the directory)");
}

void count_verdicts(core::metrics& metrics, const std::vector<pdf::document_verdict>& verdicts) {
    for (const auto& d : verdicts) {
        metrics.add(core::metric::pdf_documents.name,
                    {{"state", std::string(pdf::document_state_slug(d.state))}});
        for (const auto& s : d.signatures) {
            metrics.add(core::metric::pdf_signatures.name,
                        {{"status", std::string(pdf::signature_status_slug(s.status))}});
        }
    }
}

std::string sidecar_json(const std::vector<pdf::document_verdict>& verdicts, bool checked) {
    if (!checked) {
        return {};
    }
    auto json = boost::json::serialize(pdf::to_json(verdicts));
    constexpr std::size_t max_header_bytes = 64 * 1024;
    return json.size() <= max_header_bytes ? json : std::string{};
}

}  // namespace lienthong::bus::pipeline
