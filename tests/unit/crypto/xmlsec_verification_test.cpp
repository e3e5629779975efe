// One ds:Signature through xmlsec with a given policy and trust material, without the facade:
// the KeyInfo certificates, the key they give, and how a refusal is named.
#include "crypto/xmlsec_verification.hpp"

#include <openssl/evp.h>

#include <catch2/catch.hpp>
#include <string>

#include "crypto/dsig_tree.hpp"
#include "support/test_pki.hpp"

namespace {

using namespace lienthong::bus::crypto;
using lienthong::core::errc;
namespace t = lienthong::test;
namespace xml = lienthong::bus::xml;

const std::string commune = "000.01.01.H41";

xmlNode* the_signature(xmlDoc* doc) {
    auto all = find_signatures(doc);
    REQUIRE(all.size() == 1);
    return all.front();
}

// Replaces everything in KeyInfo/X509Data with one element `ns`:`name` holding `text`, with an
// Algorithm attribute when one is given: a KeyInfo that names the signer instead of carrying it.
void name_signer_by(xmlNode* signature, const char* ns, const char* name, const std::string& text,
                    const std::string& algorithm = "") {
    auto key_infos = dsig_children(signature, "KeyInfo");
    REQUIRE(key_infos.size() == 1);
    auto data = dsig_children(key_infos.front(), "X509Data");
    REQUIRE(data.size() == 1);
    while (xmlNode* child = data.front()->children) {
        xmlUnlinkNode(child);
        xmlFreeNode(child);
    }
    xmlNs* name_ns = xmlSearchNsByHref(data.front()->doc, data.front(), BAD_CAST ns);
    if (name_ns == nullptr) {
        name_ns = xmlNewNs(data.front(), BAD_CAST ns, BAD_CAST "n");
    }
    xmlNode* element = xmlNewTextChild(data.front(), name_ns, BAD_CAST name, BAD_CAST text.c_str());
    if (!algorithm.empty()) {
        xmlNewProp(element, BAD_CAST "Algorithm", BAD_CAST algorithm.c_str());
    }
}

// Base64 of the digest of the certificate's DER, as X509Digest carries it.
std::string cert_digest_b64(const std::string& pem, const EVP_MD* md) {
    auto certs = load_certificates(pem);
    REQUIRE(certs);
    unsigned char value[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    REQUIRE(X509_digest(certs->front().get(), md, value, &size) == 1);
    std::string b64(4 * ((size + 2) / 3) + 1, '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), value,
                                        static_cast<int>(size));
    b64.resize(static_cast<std::size_t>(written));
    return b64;
}

const char* const dsig11 = "http://www.w3.org/2009/xmldsig11#";

}  // namespace

TEST_CASE("xmlsec_verification takes the key from the KeyInfo end entity", "[unit][crypto]") {
    const trust_store store{t::test_trust(false)};
    const auto trust = store.material();
    auto doc = t::parse_xml(t::signed_sample(t::sample_path("edoc-new.edxml"), commune));
    xmlNode* signature = the_signature(doc.get());

    const auto keyinfo = keyinfo_certificates(signature, store);
    REQUIRE(keyinfo.size() == 2);  // the signer and its intermediate (chain.pem)
    CHECK(subject_uid(keyinfo.front().get()) == commune);

    SECTION("accepted under both policies with the signer named") {
        for (const auto& policy : {edxml_policy(false), generic_policy({}, false)}) {
            INFO(policy.name);
            auto signer = verify_with_xmlsec(signature, keyinfo, policy, *trust, std::nullopt);
            REQUIRE(signer);
            CHECK(signer->uid == commune);
            CHECK(signer->subject.find("UID=" + commune) != std::string::npos);
            CHECK(signer->sha256_fingerprint.size() == 64);
            CHECK_FALSE(signer->sha1);
        }
    }
    SECTION("changed content is a digest mismatch") {
        xmlNode* root = xmlDocGetRootElement(doc.get());
        xmlNewChild(root, nullptr, BAD_CAST "Extra", BAD_CAST "added after signing");
        auto refused =
            verify_with_xmlsec(signature, keyinfo, edxml_policy(false), *trust, std::nullopt);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == errc::digest_mismatch);
    }
    SECTION("without KeyInfo certificates there is no trusted key") {
        auto refused = verify_with_xmlsec(signature, {}, edxml_policy(false), *trust, std::nullopt);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == errc::certificate_untrusted);
    }
    SECTION("undecodable X509Certificate elements are skipped") {
        for (xmlNode* key_info : dsig_children(signature, "KeyInfo")) {
            for (xmlNode* data : dsig_children(key_info, "X509Data")) {
                for (xmlNode* cert : dsig_children(data, "X509Certificate")) {
                    xmlNodeSetContent(cert, BAD_CAST "!!!not base64!!!");
                }
            }
        }
        CHECK(keyinfo_certificates(signature, store).empty());
    }
}

TEST_CASE("xmlsec_verification with a pinned signer ignores the anchors", "[unit][crypto]") {
    auto doc = t::parse_xml(t::signed_sample(t::sample_path("edoc-new.edxml"), commune));
    xmlNode* signature = the_signature(doc.get());

    trust_options pinned;
    pinned.pinned_signer = t::agency_cert(commune);
    const trust_store right{pinned};
    const auto keyinfo = keyinfo_certificates(signature, right);
    auto signer = verify_with_xmlsec(signature, keyinfo, edxml_policy(false), *right.material(),
                                     std::nullopt);
    REQUIRE(signer);
    CHECK(signer->uid == commune);

    pinned.pinned_signer = t::agency_cert("000.00.01.H41");
    const trust_store wrong{pinned};
    auto refused = verify_with_xmlsec(signature, keyinfo, edxml_policy(false), *wrong.material(),
                                      std::nullopt);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == errc::signature_invalid);
    CHECK(refused.error().message.find("pinned") != std::string::npos);
}

TEST_CASE("xmlsec_verification finds a signer named by XML-DSig 1.1 X509Digest", "[unit][crypto]") {
    auto doc = t::parse_xml(t::signed_sample(t::sample_path("edoc-new.edxml"), commune));
    xmlNode* signature = the_signature(doc.get());
    // The signer among the configured intermediates, as an operator would add it.
    auto options = t::test_trust();
    options.intermediates.push_back(t::agency_cert(commune));
    const trust_store store{options};
    const auto generic = generic_policy({}, false);

    SECTION("resolved by digest under each named Algorithm and then verified") {
        const std::pair<const char*, const EVP_MD*> algorithms[] = {
            {"http://www.w3.org/2000/09/xmldsig#sha1", EVP_sha1()},
            {"http://www.w3.org/2001/04/xmlenc#sha256", EVP_sha256()},
            {"http://www.w3.org/2001/04/xmldsig-more#sha384", EVP_sha384()},
            {"http://www.w3.org/2001/04/xmlenc#sha512", EVP_sha512()}};
        for (const auto& [uri, md] : algorithms) {
            INFO(uri);
            name_signer_by(signature, dsig11, "X509Digest",
                           cert_digest_b64(t::agency_cert(commune), md), uri);
            const auto keyinfo = keyinfo_certificates(signature, store);
            REQUIRE(keyinfo.empty());
            auto signer =
                verify_with_xmlsec(signature, keyinfo, generic, *store.material(), std::nullopt);
            REQUIRE(signer);
            CHECK(signer->uid == commune);
        }
    }
    SECTION("the digest of another agency's certificate does not verify") {
        auto with_other = t::test_trust();
        with_other.intermediates.push_back(t::agency_cert("000.00.01.H41"));
        const trust_store other{with_other};
        name_signer_by(signature, dsig11, "X509Digest",
                       cert_digest_b64(t::agency_cert("000.00.01.H41"), EVP_sha256()),
                       "http://www.w3.org/2001/04/xmlenc#sha256");
        auto refused = verify_with_xmlsec(signature, {}, generic, *other.material(), std::nullopt);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == errc::signature_invalid);
    }
    SECTION("a digest nobody configured is named as what was missing") {
        const trust_store without{t::test_trust()};
        name_signer_by(signature, dsig11, "X509Digest",
                       cert_digest_b64(t::agency_cert(commune), EVP_sha256()),
                       "http://www.w3.org/2001/04/xmlenc#sha256");
        auto refused =
            verify_with_xmlsec(signature, {}, generic, *without.material(), std::nullopt);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == errc::certificate_untrusted);
        CHECK(refused.error().message ==
              "KeyInfo names the signer by X509Digest (SHA-256), but no configured intermediate "
              "or trust anchor has that digest (add the signer's certificate to the "
              "intermediates)");
    }
    SECTION("an unknown digest Algorithm is named") {
        name_signer_by(signature, dsig11, "X509Digest",
                       cert_digest_b64(t::agency_cert(commune), EVP_sha256()), "urn:example:md5");
        auto refused = verify_with_xmlsec(signature, {}, generic, *store.material(), std::nullopt);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().message.find("\"urn:example:md5\"") != std::string::npos);
    }
    SECTION("the edXML policy says the certificate itself must be in KeyInfo") {
        name_signer_by(signature, dsig11, "X509Digest",
                       cert_digest_b64(t::agency_cert(commune), EVP_sha256()),
                       "http://www.w3.org/2001/04/xmlenc#sha256");
        auto refused =
            verify_with_xmlsec(signature, {}, edxml_policy(false), *store.material(), std::nullopt);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == errc::certificate_untrusted);
        CHECK(refused.error().message ==
              "KeyInfo names the signer by X509Digest but carries no X509Certificate: the "
              "signer's certificate itself must be in KeyInfo/X509Data");
    }
    SECTION("an unmatched X509SKI is named too, not called a bare key") {
        name_signer_by(signature, lienthong::bus::xml::dsig_ns, "X509SKI",
                       "60zMLKCfzQ3qnXAzABzRNpdgQ8Q=");
        auto refused = verify_with_xmlsec(signature, {}, generic, *store.material(), std::nullopt);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == errc::certificate_untrusted);
        CHECK(refused.error().message.rfind("KeyInfo names the signer by X509SKI", 0) == 0);
    }
}
