// The PDF signature checks (bus/pdf) on PDFs signed at test time by pdfsig with the test PKI,
// each verdict compared with pdfsig's own where pdfsig can tell.
#include "pdf/pdf_verifier.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <ctime>
#include <string>

#include "support/pdf_signing.hpp"
#include "support/test_pki.hpp"

namespace {

using namespace lienthong::bus::pdf;
namespace t = lienthong::test;

const lienthong::bus::crypto::trust_material& document_trust() {
    static const lienthong::bus::crypto::trust_material material{[] {
        auto o = t::test_trust();
        o.crls = {t::pki_dir() + "/crl"};
        return o;
    }()};
    return material;
}

std::vector<signature_verdict> verify(const std::string& pdf) {
    auto v = verify_pdf(pdf, document_trust(), std::time(nullptr));
    REQUIRE(v);
    return *v;
}

std::string agency(const char* code) { return t::agency_dir(code); }
std::string special(const char* kind) { return t::pki_dir() + "/" + kind; }

}  // namespace

TEST_CASE("pdf: one agency signature is valid and describes its signer", "[unit][pdf]") {
    const auto pdf = t::pdfsig_sign(t::make_pdf("Quyet dinh 12"), agency("000.01.01.H41"));
    const auto v = verify(pdf);
    REQUIRE(v.size() == 1);
    CHECK(v[0].status == signature_status::valid);
    CHECK(v[0].subfilter == "adbe.pkcs7.detached");
    CHECK(v[0].signer_name == "UBND xa Nghi Phong");
    CHECK(v[0].signer_uid == "000.01.01.H41");
    CHECK(v[0].issuer.find("CN=Lienthong Test Issuing CA") != std::string::npos);
    CHECK_FALSE(v[0].serial.empty());
    CHECK(v[0].digest_algorithm == "SHA256");
    REQUIRE(v[0].signing_time);
    CHECK(std::abs(*v[0].signing_time - std::time(nullptr)) < 3600);
    CHECK(v[0].covers_whole_file);
    CHECK(state_of(v) == document_state::signed_valid);
    const auto second = t::pdfsig_verify(pdf);
    REQUIRE(second.size() == 1);
    CHECK(second[0].signature_validation == "Signature is Valid.");
    CHECK(second[0].certificate_validation == "Certificate is Trusted.");
    CHECK(second[0].total_document_signed);
}

TEST_CASE("pdf: a person's and the organization's signatures are both valid", "[unit][pdf]") {
    const auto once = t::pdfsig_sign(t::make_pdf("Cong van 7"), special("person"));
    const auto twice = t::pdfsig_sign(once, agency("000.01.01.H41"));
    const auto v = verify(twice);
    REQUIRE(v.size() == 2);
    CHECK(v[0].status == signature_status::valid);
    CHECK(v[1].status == signature_status::valid);
    CHECK_FALSE(v[0].covers_whole_file);
    CHECK(v[1].covers_whole_file);
    CHECK(state_of(v) == document_state::signed_valid);
    const auto second = t::pdfsig_verify(twice);
    REQUIRE(second.size() == 2);
    CHECK(second[0].signature_validation == "Signature is Valid.");
    CHECK(second[1].signature_validation == "Signature is Valid.");
}

TEST_CASE("pdf: the signer's Vietnamese name comes out as readable UTF-8", "[unit][pdf]") {
    const auto v = verify(t::pdfsig_sign(t::make_pdf("To trinh"), special("person")));
    REQUIRE(v.size() == 1);
    CHECK(v[0].status == signature_status::valid);
    CHECK(v[0].signer_name == "Nguyễn Thị Ánh Tuyết");
    CHECK(v[0].signer_subject.find("CN=Nguyễn Thị Ánh Tuyết") != std::string::npos);
    CHECK(v[0].signer_subject.find("OU=UBND xã Nghi Phong") != std::string::npos);
    CHECK(v[0].signer_subject.find("\\C3") == std::string::npos);
}

TEST_CASE("pdf: certificate problems are told apart as pdfsig sees them", "[unit][pdf]") {
    const auto plain = t::make_pdf("Bao cao");
    SECTION("a signer under a CA nobody trusts") {
        const auto pdf = t::pdfsig_sign(plain, special("rogue"));
        const auto v = verify(pdf);
        REQUIRE(v.size() == 1);
        CHECK(v[0].status == signature_status::certificate_untrusted);
        CHECK(state_of(v) == document_state::signed_invalid);
        const auto second = t::pdfsig_verify(pdf);
        REQUIRE(second.size() == 1);
        CHECK(second[0].signature_validation == "Signature is Valid.");
        CHECK(second[0].certificate_validation != "Certificate is Trusted.");
    }
    SECTION("a signer whose certificate had expired at the signing time") {
        const auto pdf = t::pdfsig_sign(plain, special("expired"));
        const auto v = verify(pdf);
        REQUIRE(v.size() == 1);
        CHECK(v[0].status == signature_status::certificate_expired);
        const auto second = t::pdfsig_verify(pdf);
        REQUIRE(second.size() == 1);
        CHECK(second[0].certificate_validation != "Certificate is Trusted.");
    }
    SECTION("a revoked signer: revoked with the CRL, valid without it") {
        const auto pdf = t::pdfsig_sign(plain, special("revoked"));
        const auto v = verify(pdf);
        REQUIRE(v.size() == 1);
        CHECK(v[0].status == signature_status::certificate_revoked);
        const lienthong::bus::crypto::trust_material no_crls{t::test_trust()};
        auto without = verify_pdf(pdf, no_crls, std::time(nullptr));
        REQUIRE(without);
        CHECK((*without)[0].status == signature_status::valid);
        // pdfsig has no CRL here: it can only confirm the signature itself.
        CHECK(t::pdfsig_verify(pdf).at(0).signature_validation == "Signature is Valid.");
    }
}

TEST_CASE("pdf: bytes changed after signing are caught as pdfsig catches them", "[unit][pdf]") {
    auto pdf = t::pdfsig_sign(t::make_pdf("So tien 1000000 dong"), agency("000.00.01.H41"));
    SECTION("a byte inside the signed range") {
        pdf[t::offset_of(pdf, "1000000")] = '9';
        const auto v = verify(pdf);
        REQUIRE(v.size() == 1);
        CHECK(v[0].status == signature_status::digest_mismatch);
        CHECK(t::pdfsig_verify(pdf).at(0).signature_validation == "Digest Mismatch.");
    }
    SECTION("content appended after the signature") {
        pdf += "\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% appended\n";
        const auto v = verify(pdf);
        REQUIRE(v.size() == 1);
        CHECK(v[0].status == signature_status::modified);
        CHECK_FALSE(v[0].covers_whole_file);
        CHECK_FALSE(t::pdfsig_verify(pdf).at(0).total_document_signed);
    }
    SECTION("trailing line breaks alone change nothing") {
        pdf += "\r\n\n";
        CHECK(verify(pdf).at(0).status == signature_status::valid);
    }
}

TEST_CASE("pdf: subfilters - CAdES verifies - others are unsupported", "[unit][pdf]") {
    const auto signed_pdf = t::pdfsig_sign(t::make_pdf("Ke hoach"), agency("000.00.00.H41"));
    SECTION("ETSI.CAdES.detached re-signed with OpenSSL's CMS") {
        const auto cades = t::resign_as_cades(signed_pdf, agency("000.00.00.H41"));
        const auto v = verify(cades);
        REQUIRE(v.size() == 1);
        CHECK(v[0].subfilter == "ETSI.CAdES.detached");
        CHECK(v[0].status == signature_status::valid);
        CHECK(v[0].signer_uid == "000.00.00.H41");
        CHECK(t::pdfsig_verify(cades).at(0).signature_validation == "Signature is Valid.");
    }
    SECTION("adbe.pkcs7.sha1") {
        auto other = signed_pdf;
        other.replace(t::offset_of(other, "/adbe.pkcs7.detached"), 20, "/adbe.pkcs7.sha1    ");
        const auto v = verify(other);
        REQUIRE(v.size() == 1);
        CHECK(v[0].status == signature_status::unsupported);
        CHECK(state_of(v) == document_state::signed_invalid);
    }
}

TEST_CASE("pdf: unsigned and non-PDF files", "[unit][pdf]") {
    const auto now = std::time(nullptr);
    const auto unsigned_pdf = verify_file(t::make_pdf("Thong bao"), document_trust(), now);
    CHECK(unsigned_pdf.state == document_state::unsigned_pdf);
    CHECK(unsigned_pdf.signatures.empty());
    const auto text = verify_file("Hello, not a PDF", document_trust(), now);
    CHECK(text.state == document_state::not_pdf);
    CHECK(document_state_slug(unsigned_pdf.state) == "unsigned");
    CHECK(document_state_slug(text.state) == "not-pdf");
}

TEST_CASE("pdf: hostile PDFs end in a verdict - not a crash", "[unit][pdf]") {
    const auto now = std::time(nullptr);
    const auto good = t::pdfsig_sign(t::make_pdf("Hostile"), agency("000.01.01.H41"));
    SECTION("a broken cross-reference table") {
        auto pdf = good;
        for (auto at = pdf.find("0000"); at != std::string::npos; at = pdf.find("0000", at + 4)) {
            pdf.replace(at, 4, "9999");
        }
        const auto d = verify_file(pdf, document_trust(), now);
        CHECK(d.state != document_state::signed_valid);
    }
    SECTION("an object stream that claims a huge count and length") {
        const std::string pdf =
            "%PDF-1.7\n1 0 obj\n<< /Type /ObjStm /N 2000000000 /First 999999999 /Length 99999999999"
            " /Filter /FlateDecode >>\nstream\nxxxx\nendstream\nendobj\ntrailer\n<< /Root 1 0 R "
            ">>\n%%EOF\n";
        const auto d = verify_file(pdf, document_trust(), now);
        CHECK(d.state != document_state::signed_valid);
    }
    SECTION("a header and nothing else") {
        const auto d = verify_file("%PDF-1.4\n", document_trust(), now);
        CHECK(d.state == document_state::not_pdf);
        CHECK_FALSE(d.detail.empty());
    }
    SECTION("a ByteRange that points outside the file") {
        auto pdf = good;
        const auto at = t::offset_of(pdf, "/ByteRange");
        const auto close = pdf.find(']', at);
        std::string fake = "/ByteRange [0 1 2 999999999";
        fake.resize(close - at, ' ');
        pdf.replace(at, close - at, fake);
        const auto v = verify(pdf);
        REQUIRE(v.size() == 1);
        CHECK(v[0].status == signature_status::malformed);
    }
}
