#pragma once
// The signatures inside an edoc packet's documents (issue 16) at ingest: the verdicts of every
// attachment (bus/pdf), and the sender's `document_signature` policy of the agency directory.
#include <ctime>
#include <string>
#include <vector>

#include "core/metrics.hpp"
#include "core/result.hpp"
#include "crypto/trust_store.hpp"
#include "pdf/verdict.hpp"
#include "routing/directory.hpp"
#include "xml/libxml.hpp"

namespace lienthong::bus::pipeline {

/// The verdicts of every attachment of `doc` (a parsed, schema-valid edoc packet), checked
/// against the document-signature trust material at `now` (seconds since the epoch). Empty
/// when `trust` is null (trust.document_anchors_dir not configured). Never fails: a document
/// that cannot be read is a verdict. Thread-safe.
std::vector<pdf::document_verdict> check_documents(const xmlDoc* doc,
                                                   const crypto::trust_material* trust,
                                                   std::time_t now);

/// The index in `verdicts` of the main document: the first PDF (state other than not_pdf) in
/// manifest order (`manifest`: the Reference ContentIds), then in attachment order for PDFs the
/// manifest does not name; -1 when there is no PDF.
int main_document(const std::vector<pdf::document_verdict>& verdicts,
                  const std::vector<std::string>& manifest);

/// The sender's policy. `record`: always accepted. `required`: the main document must carry a
/// valid signature whose signer belongs to `sender` (subject UID = the agency code, or the
/// certificate's SHA-256 fingerprint listed for the agency in `directory`, the binding rule of
/// envelope signatures). Errors (422): document_unsigned (no PDF, or no signature),
/// document_signature_invalid (naming the first signature's status), document_signer_not_sender.
/// Not called when the checks are off (no trust material). Thread-safe.
core::result<void> apply_document_policy(const std::vector<pdf::document_verdict>& verdicts,
                                         const std::vector<std::string>& manifest,
                                         const std::string& sender,
                                         const routing::directory& directory);

/// Counts every verdict: metric::pdf_signatures{status} per signature and
/// metric::pdf_documents{state} per document (core/metric_families.hpp). Thread-safe.
void count_verdicts(core::metrics& metrics, const std::vector<pdf::document_verdict>& verdicts);

/// The verdicts as the recipients' sidecar JSON (the x-document-verdicts header), or "" when
/// the checks are off or the JSON would exceed 64 KiB (AMQP headers travel in one frame; the
/// compact summary still goes, and the full verdicts remain in the 202 answer).
std::string sidecar_json(const std::vector<pdf::document_verdict>& verdicts, bool checked);

}  // namespace lienthong::bus::pipeline
