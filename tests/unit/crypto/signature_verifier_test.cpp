#include "crypto/signature_verifier.hpp"

#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <xmlsec/crypto.h>
#include <xmlsec/templates.h>
#include <xmlsec/xmldsig.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "crypto/packet_signer.hpp"
#include "support/test_pki.hpp"

namespace {

using lienthong::bus::crypto::sign_packet;
using lienthong::bus::crypto::signature_verifier;
using lienthong::core::errc;
namespace t = lienthong::test;
namespace xml = lienthong::bus::xml;

const std::string commune = "000.01.01.H41";

std::string sample() { return t::sample_path("edoc-new.edxml"); }

// All nodes matching an XPath, with prefixes ds: (XML-DSig) and e: (edXML).
std::vector<xmlNode*> select(xmlDoc* doc, const char* expr) {
    std::unique_ptr<xmlXPathContext, decltype(&xmlXPathFreeContext)> ctx{xmlXPathNewContext(doc),
                                                                         xmlXPathFreeContext};
    REQUIRE(ctx);
    xmlXPathRegisterNs(ctx.get(), BAD_CAST "ds", BAD_CAST xml::dsig_ns);
    xmlXPathRegisterNs(ctx.get(), BAD_CAST "e", BAD_CAST xml::edxml_ns);
    std::unique_ptr<xmlXPathObject, decltype(&xmlXPathFreeObject)> result{
        xmlXPathEvalExpression(BAD_CAST expr, ctx.get()), xmlXPathFreeObject};
    REQUIRE(result);
    std::vector<xmlNode*> nodes;
    if (result->nodesetval != nullptr) {
        for (int i = 0; i < result->nodesetval->nodeNr; ++i) {
            nodes.push_back(result->nodesetval->nodeTab[i]);
        }
    }
    return nodes;
}

xmlNode* one(xmlDoc* doc, const char* expr) {
    auto nodes = select(doc, expr);
    REQUIRE(nodes.size() == 1);
    return nodes.front();
}

errc verify_error(const signature_verifier& verifier, xmlDoc* doc) {
    auto result = verifier.verify_edxml(doc);
    REQUIRE_FALSE(result);
    UNSCOPED_INFO("message: " << result.error().message << " | log: " << result.error().log_detail);
    return result.error().code;
}

// `openssl x509 -fingerprint -sha256` of the file's first certificate, as lowercase hex: an
// oracle independent of our code.
std::string openssl_fingerprint(const std::string& pem) {
    const std::string cmd = "openssl x509 -noout -fingerprint -sha256 -in '" + pem + "'";
    std::unique_ptr<FILE, decltype(&pclose)> pipe{popen(cmd.c_str(), "r"), pclose};
    REQUIRE(pipe);
    char line[512] = {};
    REQUIRE(std::fgets(line, sizeof line, pipe.get()) != nullptr);
    std::string text(line);
    text = text.substr(text.find('=') + 1);
    std::string hex;
    for (char c : text) {
        if (std::isxdigit(static_cast<unsigned char>(c))) {
            hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
    }
    return hex;
}

// Signs the sample with a hand-built template, to produce signatures sign_packet never would:
// other algorithms, an XPath transform, or a bare KeyValue instead of the certificate.
struct custom_signature {
    xmlSecTransformId method = xmlSecTransformRsaSha256Id;
    xmlSecTransformId digest = xmlSecTransformSha256Id;
    bool xpath_transform = false;
    bool key_value_only = false;
};

std::string sign_custom(const custom_signature& how) {
    auto doc = t::parse_xml(t::read_file(sample()));
    xmlNode* header = one(doc.get(), "/e:edXML/e:edXMLEnvelope/e:edXMLHeader");
    xmlNode* signature =
        xmlSecTmplSignatureCreate(doc.get(), xmlSecTransformExclC14NId, how.method, nullptr);
    REQUIRE(signature != nullptr);
    xmlAddChild(header, signature);
    xmlNode* ref =
        xmlSecTmplSignatureAddReference(signature, how.digest, nullptr, BAD_CAST "", nullptr);
    REQUIRE(ref != nullptr);
    if (how.xpath_transform) {
        xmlNode* xpath = xmlSecTmplReferenceAddTransform(ref, xmlSecTransformXPathId);
        const xmlChar* ns[] = {BAD_CAST "dsig", BAD_CAST xml::dsig_ns, nullptr};
        REQUIRE(xmlSecTmplTransformAddXPath(xpath, BAD_CAST "not(ancestor-or-self::dsig:Signature)",
                                            ns) == 0);
    } else {
        REQUIRE(xmlSecTmplReferenceAddTransform(ref, xmlSecTransformEnvelopedId) != nullptr);
    }
    xmlNode* key_info = xmlSecTmplSignatureEnsureKeyInfo(signature, nullptr);
    if (how.key_value_only) {
        REQUIRE(xmlSecTmplKeyInfoAddKeyValue(key_info) != nullptr);
    } else {
        REQUIRE(xmlSecTmplX509DataAddCertificate(xmlSecTmplKeyInfoAddX509Data(key_info)) !=
                nullptr);
    }
    std::unique_ptr<xmlSecDSigCtx, decltype(&xmlSecDSigCtxDestroy)> ctx{
        xmlSecDSigCtxCreate(nullptr), xmlSecDSigCtxDestroy};
    REQUIRE(ctx);
    ctx->signKey = xmlSecCryptoAppKeyLoad(t::agency_key(commune).c_str(), xmlSecKeyDataFormatPem,
                                          nullptr, nullptr, nullptr);
    REQUIRE(ctx->signKey != nullptr);
    REQUIRE(xmlSecCryptoAppKeyCertLoad(ctx->signKey, t::agency_chain(commune).c_str(),
                                       xmlSecKeyDataFormatPem) == 0);
    REQUIRE(xmlSecDSigCtxSign(ctx.get(), signature) == 0);
    return t::serialise(doc.get());
}

}  // namespace

TEST_CASE("signature_verifier accepts packets signed by trusted agencies", "[unit][crypto]") {
    const signature_verifier verifier{t::test_trust()};

    SECTION("signed with chain.pem: signer identity comes from the certificate") {
        auto doc = t::parse_xml(t::signed_sample(sample(), commune));
        auto signer = verifier.verify_edxml(doc.get());
        INFO((signer ? "" : signer.error().message + " | " + signer.error().log_detail));
        REQUIRE(signer);
        CHECK(signer->uid == commune);
        CHECK(signer->sha256_fingerprint == openssl_fingerprint(t::agency_cert(commune)));
        CHECK(signer->sha256_fingerprint.size() == 64);
        CHECK(signer->subject.find("UID=" + commune) != std::string::npos);
        CHECK(signer->subject.find("CN=UBND xa Nghi Phong") != std::string::npos);
    }
    SECTION("every demo agency can sign") {
        for (const char* code : {"000.00.00.H41", "000.00.01.H41", "000.00.02.H41", "000.02.01.H41",
                                 "000.01.02.H41"}) {
            auto doc = t::parse_xml(t::signed_sample(sample(), code));
            auto signer = verifier.verify_edxml(doc.get());
            REQUIRE(signer);
            CHECK(signer->uid == code);
        }
    }
    SECTION("signed with cert.pem only: the intermediate comes from intermediates_dir") {
        auto doc =
            t::parse_xml(t::sign_sample(sample(), t::agency_key(commune), t::agency_cert(commune)));
        REQUIRE(select(doc.get(), "//ds:X509Certificate").size() == 1);
        auto signer = verifier.verify_edxml(doc.get());
        REQUIRE(signer);
        CHECK(signer->uid == commune);

        const signature_verifier anchors_only{t::test_trust(false)};
        CHECK(verify_error(anchors_only, doc.get()) == errc::certificate_untrusted);
    }
    SECTION("chain.pem carries the intermediate, so anchors alone are enough") {
        auto doc = t::parse_xml(t::signed_sample(sample(), commune));
        CHECK(select(doc.get(), "//ds:X509Certificate").size() == 2);
        const signature_verifier anchors_only{t::test_trust(false)};
        auto signer = anchors_only.verify_edxml(doc.get());
        REQUIRE(signer);
        CHECK(signer->uid == commune);
    }
    SECTION("ECDSA P-256 signer") {
        auto doc = t::parse_xml(
            t::sign_sample(sample(), t::special_key("ecdsa"), t::special_chain("ecdsa")));
        CHECK(select(doc.get(),
                     "//ds:SignatureMethod[@Algorithm='http://www.w3.org/2001/04/"
                     "xmldsig-more#ecdsa-sha256']")
                  .size() == 1);
        auto signer = verifier.verify_edxml(doc.get());
        INFO((signer ? "" : signer.error().message + " | " + signer.error().log_detail));
        REQUIRE(signer);
        CHECK(signer->uid == commune);
        CHECK(signer->sha256_fingerprint == openssl_fingerprint(t::special_cert("ecdsa")));
    }
    SECTION("the verification time is honoured") {
        auto doc = t::parse_xml(t::signed_sample(sample(), commune));
        const std::time_t in_2040 = 2208988800;  // 2040-01-01, after every test certificate
        auto late = verifier.verify_edxml(doc.get(), in_2040);
        REQUIRE_FALSE(late);
        CHECK(late.error().code == errc::certificate_expired);
        CHECK(verifier.verify_edxml(doc.get(), std::time(nullptr)));
    }
}

TEST_CASE("signature_verifier is safe to share between threads", "[unit][crypto]") {
    const signature_verifier verifier{t::test_trust()};
    const std::string good = t::signed_sample(sample(), commune);
    const std::string rogue =
        t::sign_sample(sample(), t::special_key("rogue"), t::special_chain("rogue"));
    std::vector<int> right(4, 0);
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i) {
        threads.emplace_back([&, i] {
            for (int n = 0; n < 10; ++n) {
                // Alternate accepted and rejected packets so error paths run concurrently too.
                const bool expect_ok = (n + i) % 2 == 0;
                auto doc = t::parse_xml(expect_ok ? good : rogue);
                auto result = verifier.verify_edxml(doc.get());
                const bool as_expected =
                    expect_ok ? (result && result->uid == commune)
                              : (!result && result.error().code == errc::certificate_untrusted);
                right[static_cast<std::size_t>(i)] += as_expected ? 1 : 0;
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    CHECK(right == std::vector<int>(4, 10));
}

TEST_CASE("signature_verifier detects tampering and missing signatures", "[unit][crypto]") {
    const signature_verifier verifier{t::test_trust()};
    auto doc = t::parse_xml(t::signed_sample(sample(), commune));
    REQUIRE(verifier.verify_edxml(doc.get()));

    SECTION("changed Subject after signing") {
        xmlNodeSetContent(one(doc.get(), "//e:MessageHeader/e:Subject"),
                          BAD_CAST "V/v something else");
        CHECK(verify_error(verifier, doc.get()) == errc::digest_mismatch);
    }
    SECTION("changed attachment after signing (URI=\"\" covers AttachmentEncoded too)") {
        xmlNodeSetContent(one(doc.get(), "//e:ContentTransferEncoded"), BAD_CAST "SGVsbG8=");
        CHECK(verify_error(verifier, doc.get()) == errc::digest_mismatch);
    }
    SECTION("changed SignatureValue") {
        xmlNode* value = one(doc.get(), "//ds:SignatureValue");
        xml::xml_string b64{xmlNodeGetContent(value)};
        std::string text(reinterpret_cast<const char*>(b64.get()));
        text[10] = text[10] == 'A' ? 'B' : 'A';
        xmlNodeSetContent(value, BAD_CAST text.c_str());
        CHECK(verify_error(verifier, doc.get()) == errc::signature_invalid);
    }
    SECTION("changed SignedInfo (DigestValue)") {
        xmlNode* digest = one(doc.get(), "//ds:DigestValue");
        xmlNodeSetContent(digest, BAD_CAST "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        CHECK(verify_error(verifier, doc.get()) == errc::digest_mismatch);
    }
    SECTION("unsigned packet") {
        auto unsigned_doc = t::parse_xml(t::read_file(sample()));
        auto result = verifier.verify_edxml(unsigned_doc.get());
        REQUIRE_FALSE(result);
        CHECK(result.error().code == errc::signature_missing);
        CHECK(result.error().message.find("edXMLHeader") != std::string::npos);
    }
}

TEST_CASE("signature_verifier trusts only certificates chaining to the anchors",
          "[security][crypto]") {
    const signature_verifier verifier{t::test_trust()};

    SECTION("signer from a rogue root with the same UID") {
        auto doc = t::parse_xml(
            t::sign_sample(sample(), t::special_key("rogue"), t::special_chain("rogue")));
        auto result = verifier.verify_edxml(doc.get());
        REQUIRE_FALSE(result);
        INFO(result.error().message << " | " << result.error().log_detail);
        CHECK(result.error().code == errc::certificate_untrusted);
        CHECK(result.error().message.find("UID=000.01.01.H41") != std::string::npos);
    }
    SECTION("signer whose certificate has expired") {
        auto doc = t::parse_xml(
            t::sign_sample(sample(), t::special_key("expired"), t::special_chain("expired")));
        auto result = verifier.verify_edxml(doc.get());
        REQUIRE_FALSE(result);
        CHECK(result.error().code == errc::certificate_expired);
    }
    SECTION("a bare KeyValue is never trusted, even with the right key") {
        custom_signature how;
        how.key_value_only = true;
        auto doc = t::parse_xml(sign_custom(how));
        REQUIRE(select(doc.get(), "//ds:KeyValue").size() == 1);
        REQUIRE(select(doc.get(), "//ds:X509Data").empty());
        auto result = verifier.verify_edxml(doc.get());
        REQUIRE_FALSE(result);
        CHECK(result.error().code == errc::certificate_untrusted);
    }
    SECTION("X509Certificate swapped for another trusted agency's certificate") {
        auto doc =
            t::parse_xml(t::sign_sample(sample(), t::agency_key(commune), t::agency_cert(commune)));
        auto other = t::parse_xml(t::sign_sample(sample(), t::agency_key("000.00.01.H41"),
                                                 t::agency_cert("000.00.01.H41")));
        xml::xml_string other_cert{xmlNodeGetContent(one(other.get(), "//ds:X509Certificate"))};
        xmlNodeSetContent(one(doc.get(), "//ds:X509Certificate"), other_cert.get());
        CHECK(verify_error(verifier, doc.get()) == errc::signature_invalid);
    }
    SECTION("system CAs that xmlsec loads by default are not anchors") {
        // xmlsec's OpenSSL store also loads OpenSSL's default CA file; point it at the rogue root
        // to prove that only the configured anchors count.
        const char* previous = std::getenv("SSL_CERT_FILE");
        const std::string saved = previous != nullptr ? previous : "";
        ::setenv("SSL_CERT_FILE", (t::pki_dir() + "/rogue/root.pem").c_str(), 1);
        auto poisoned = std::make_unique<signature_verifier>(t::test_trust());
        previous != nullptr ? ::setenv("SSL_CERT_FILE", saved.c_str(), 1)
                            : ::unsetenv("SSL_CERT_FILE");

        auto doc = t::parse_xml(
            t::sign_sample(sample(), t::special_key("rogue"), t::special_chain("rogue")));
        CHECK(verify_error(*poisoned, doc.get()) == errc::certificate_untrusted);
    }
    SECTION("an empty anchors folder is a start-up error") {
        const std::string empty = t::pki_dir() + "/agencies";  // has only sub-folders
        CHECK_THROWS_AS(signature_verifier({{empty}, {}, false, {}, {}}), std::runtime_error);
        CHECK_THROWS_AS(signature_verifier({{t::pki_dir() + "/no-such-dir"}, {}, false, {}, {}}),
                        std::runtime_error);
    }
}

TEST_CASE("signature_verifier rejects signature wrapping", "[security][crypto]") {
    const signature_verifier verifier{t::test_trust()};
    auto doc = t::parse_xml(t::signed_sample(sample(), commune));
    xmlNode* signature = one(doc.get(), "//ds:Signature");

    SECTION("two signatures") {
        xmlAddChild(signature->parent, xmlCopyNode(signature, 1));
        CHECK(verify_error(verifier, doc.get()) == errc::signature_wrapping);
    }
    SECTION("the signature is not in edXMLHeader") {
        xmlUnlinkNode(signature);
        xmlAddChild(one(doc.get(), "//e:edXMLBody"), signature);
        CHECK(verify_error(verifier, doc.get()) == errc::signature_wrapping);
    }
    SECTION("a Reference to a fragment") {
        xmlSetProp(one(doc.get(), "//ds:Reference"), BAD_CAST "URI", BAD_CAST "#x");
        CHECK(verify_error(verifier, doc.get()) == errc::signature_wrapping);
    }
    SECTION("a Reference without URI") {
        xmlUnsetProp(one(doc.get(), "//ds:Reference"), BAD_CAST "URI");
        CHECK(verify_error(verifier, doc.get()) == errc::signature_wrapping);
    }
    SECTION("two References") {
        xmlNode* reference = one(doc.get(), "//ds:Reference");
        xmlAddChild(reference->parent, xmlCopyNode(reference, 1));
        CHECK(verify_error(verifier, doc.get()) == errc::signature_wrapping);
    }
}

TEST_CASE("signature_verifier enforces the algorithm allow-list", "[security][crypto]") {
    SECTION("a validly signed XPath transform is forbidden") {
        custom_signature how;
        how.xpath_transform = true;
        auto doc = t::parse_xml(sign_custom(how));
        const signature_verifier verifier{t::test_trust()};
        auto result = verifier.verify_edxml(doc.get());
        REQUIRE_FALSE(result);
        CHECK(result.error().code == errc::algorithm_forbidden);
        CHECK(result.error().message.find("REC-xpath-19991116") != std::string::npos);
    }
    SECTION("an XSLT transform added to a signed packet is forbidden") {
        auto doc = t::parse_xml(t::signed_sample(sample(), commune));
        xmlNode* transform =
            xmlNewChild(one(doc.get(), "//ds:Transforms"), nullptr, BAD_CAST "Transform", nullptr);
        xmlSetNs(transform, one(doc.get(), "//ds:Transforms")->ns);
        xmlSetProp(transform, BAD_CAST "Algorithm",
                   BAD_CAST "http://www.w3.org/TR/1999/REC-xslt-19991116");
        const signature_verifier verifier{t::test_trust()};
        CHECK(verify_error(verifier, doc.get()) == errc::algorithm_forbidden);
    }
    SECTION("RSA-SHA1 / SHA1 only when allow_sha1") {
        custom_signature how;
        how.method = xmlSecTransformRsaSha1Id;
        how.digest = xmlSecTransformSha1Id;
        auto doc = t::parse_xml(sign_custom(how));

        const signature_verifier strict{t::test_trust()};
        auto result = strict.verify_edxml(doc.get());
        REQUIRE_FALSE(result);
        CHECK(result.error().code == errc::algorithm_forbidden);
        CHECK(result.error().message.find("rsa-sha1") != std::string::npos);

        CHECK(strict.sha1_accepted() == 0);
        // The refusal names both settings that would admit it.
        CHECK(result.error().message.find("trust.allow_sha1") != std::string::npos);
        CHECK(result.error().message.find("agency's allow_sha1") != std::string::npos);
        // The sending agency's own allow_sha1 (directory) admits it without the global switch.
        auto per_agency = strict.verify_edxml(doc.get(), std::nullopt, true);
        REQUIRE(per_agency);
        CHECK(per_agency->sha1);
        CHECK(strict.sha1_accepted() == 1);

        const signature_verifier legacy{t::test_trust(true, true)};
        auto signer = legacy.verify_edxml(doc.get());
        REQUIRE(signer);
        CHECK(signer->uid == commune);
        CHECK(signer->sha1);
        // Each legacy acceptance is counted (and logged), modern ones are not.
        CHECK(legacy.sha1_accepted() == 1);
        auto modern = t::parse_xml(t::signed_sample(sample(), commune));
        REQUIRE(legacy.verify_edxml(modern.get()));
        CHECK(legacy.sha1_accepted() == 1);
    }
    SECTION("SHA1 digest under RSA-SHA256 is forbidden too") {
        custom_signature how;
        how.digest = xmlSecTransformSha1Id;
        auto doc = t::parse_xml(sign_custom(how));
        const signature_verifier verifier{t::test_trust()};
        CHECK(verify_error(verifier, doc.get()) == errc::algorithm_forbidden);
    }
    SECTION("RSA-SHA512 is allowed") {
        custom_signature how;
        how.method = xmlSecTransformRsaSha512Id;
        how.digest = xmlSecTransformSha512Id;
        auto doc = t::parse_xml(sign_custom(how));
        const signature_verifier verifier{t::test_trust()};
        CHECK(verifier.verify_edxml(doc.get()));
    }
}

TEST_CASE("sign_packet writes one enveloped signature in edXMLHeader", "[unit][crypto]") {
    auto doc = t::parse_xml(t::read_file(sample()));

    SECTION("shape of the signature") {
        REQUIRE(sign_packet(doc.get(), t::agency_key(commune), t::agency_chain(commune)));
        xmlNode* signature = one(doc.get(), "/e:edXML/e:edXMLEnvelope/e:edXMLHeader/ds:Signature");
        CHECK(select(doc.get(), "//e:edXMLHeader/e:TraceHeaderList/following-sibling::ds:Signature")
                  .size() == 1);
        CHECK(select(doc.get(), "//ds:Reference[@URI='']").size() == 1);
        CHECK(select(doc.get(),
                     "//ds:Transform[@Algorithm='http://www.w3.org/2000/09/"
                     "xmldsig#enveloped-signature']")
                  .size() == 1);
        CHECK(select(doc.get(),
                     "//ds:Transform[@Algorithm='http://www.w3.org/2001/10/xml-exc-c14n#']")
                  .size() == 1);
        CHECK(select(doc.get(),
                     "//ds:SignatureMethod[@Algorithm='http://www.w3.org/2001/04/"
                     "xmldsig-more#rsa-sha256']")
                  .size() == 1);
        CHECK(select(doc.get(),
                     "//ds:DigestMethod[@Algorithm='http://www.w3.org/2001/04/xmlenc#sha256']")
                  .size() == 1);
        CHECK(select(doc.get(), "//ds:KeyInfo/ds:X509Data/ds:X509Certificate").size() == 2);
        CHECK(signature != nullptr);
    }
    SECTION("an already signed packet is refused") {
        REQUIRE(sign_packet(doc.get(), t::agency_key(commune), t::agency_chain(commune)));
        auto again = sign_packet(doc.get(), t::agency_key(commune), t::agency_chain(commune));
        REQUIRE_FALSE(again);
        CHECK(select(doc.get(), "//ds:Signature").size() == 1);
    }
    SECTION(
        "a key that does not match the certificate is refused and leaves the packet unchanged") {
        const std::string before = t::serialise(doc.get());
        auto result =
            sign_packet(doc.get(), t::agency_key(commune), t::agency_chain("000.00.01.H41"));
        REQUIRE_FALSE(result);
        CHECK(result.error().code == errc::internal);
        CHECK(t::serialise(doc.get()) == before);
    }
    SECTION("missing files are named in the error") {
        auto result = sign_packet(doc.get(), "/nonexistent/key.pem", t::agency_chain(commune));
        REQUIRE_FALSE(result);
        CHECK(result.error().message.find("/nonexistent/key.pem") != std::string::npos);
        CHECK(select(doc.get(), "//ds:Signature").empty());
    }
    SECTION("a document that is not edXML is refused") {
        auto other = t::parse_xml("<a><b/></a>");
        auto result = sign_packet(other.get(), t::agency_key(commune), t::agency_chain(commune));
        REQUIRE_FALSE(result);
        CHECK(result.error().code == errc::malformed_xml);
    }
}
