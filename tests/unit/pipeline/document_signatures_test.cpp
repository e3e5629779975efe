// The sender's document-signature policy on verdicts: record passes everything; required asks
// the main document (first PDF of the manifest) for a valid signature of the sending agency.
#include "pipeline/document_signatures.hpp"

#include <catch2/catch.hpp>

namespace {

using namespace lienthong::bus;
using lienthong::core::errc;
using pdf::document_state;
using pdf::signature_status;

const char* const sender = "000.01.01.H41";

routing::directory directory_with(routing::document_policy policy,
                                  std::vector<std::string> fingerprints = {}) {
    routing::agency a;
    a.code = sender;
    a.name = "UBND xa Nghi Phong";
    a.documents = policy;
    a.fingerprints = std::move(fingerprints);
    return routing::directory({a});
}

pdf::document_verdict pdf_doc(std::string id, std::vector<pdf::signature_verdict> sigs) {
    pdf::document_verdict d;
    d.content_id = std::move(id);
    d.name = d.content_id + ".pdf";
    d.signatures = std::move(sigs);
    d.state = pdf::state_of(d.signatures);
    return d;
}

pdf::signature_verdict sig(signature_status status, std::string uid, std::string fp = "ab") {
    pdf::signature_verdict s;
    s.status = status;
    s.signer_uid = std::move(uid);
    s.signer_fingerprint = std::move(fp);
    return s;
}

// The error code of a refusal; requires one.
errc refusal(const lienthong::core::result<void>& r) {
    REQUIRE_FALSE(r);
    return r.error().code;
}

}  // namespace

TEST_CASE("document policy: record accepts anything", "[unit][pipeline]") {
    const auto dir = directory_with(routing::document_policy::record);
    CHECK(pipeline::apply_document_policy({}, {}, sender, dir));
    CHECK(pipeline::apply_document_policy(
        {pdf_doc("cid:a", {sig(signature_status::digest_mismatch, sender)})}, {}, sender, dir));
}

TEST_CASE("document policy: required wants the sender's valid signature on the main document",
          "[unit][pipeline]") {
    const auto dir = directory_with(routing::document_policy::required, {"f00d"});
    pdf::document_verdict text;
    text.content_id = "cid:note";
    text.state = document_state::not_pdf;
    SECTION("no PDF at all") {
        CHECK(refusal(pipeline::apply_document_policy({text}, {}, sender, dir)) ==
              errc::document_unsigned);
    }
    SECTION("an unsigned main document") {
        CHECK(refusal(pipeline::apply_document_policy({text, pdf_doc("cid:a", {})}, {}, sender,
                                                      dir)) == errc::document_unsigned);
    }
    SECTION("only invalid signatures, the first named") {
        const auto r = pipeline::apply_document_policy(
            {pdf_doc("cid:a", {sig(signature_status::certificate_revoked, sender)})}, {}, sender,
            dir);
        CHECK(refusal(r) == errc::document_signature_invalid);
        CHECK(r.error().message.find("certificate-revoked") != std::string::npos);
    }
    SECTION("valid, but by another agency") {
        CHECK(refusal(pipeline::apply_document_policy(
                  {pdf_doc("cid:a", {sig(signature_status::valid, "000.00.00.H41")})}, {}, sender,
                  dir)) == errc::document_signer_not_sender);
    }
    SECTION("valid by the sender: by UID, or by a fingerprint of the directory") {
        CHECK(pipeline::apply_document_policy(
            {pdf_doc("cid:a", {sig(signature_status::valid, "000.00.00.H41"),
                               sig(signature_status::valid, sender)})},
            {}, sender, dir));
        CHECK(pipeline::apply_document_policy(
            {pdf_doc("cid:a", {sig(signature_status::valid, "", "f00d")})}, {}, sender, dir));
    }
    SECTION("the main document is the first PDF of the manifest, not of the attachments") {
        const std::vector<pdf::document_verdict> docs{
            pdf_doc("cid:annex", {sig(signature_status::valid, sender)}), pdf_doc("cid:main", {})};
        CHECK(pipeline::main_document(docs, {"cid:main", "cid:annex"}) == 1);
        CHECK(refusal(pipeline::apply_document_policy(docs, {"cid:main", "cid:annex"}, sender,
                                                      dir)) == errc::document_unsigned);
        CHECK(pipeline::apply_document_policy(docs, {}, sender, dir));
    }
}
