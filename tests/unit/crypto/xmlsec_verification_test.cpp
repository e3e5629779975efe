// One ds:Signature through xmlsec with a given policy and trust material, without the facade:
// the KeyInfo certificates, the key they give, and how a refusal is named.
#include "crypto/xmlsec_verification.hpp"

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
