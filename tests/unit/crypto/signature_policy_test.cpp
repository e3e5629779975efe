// The signature policy on its own: which algorithms each named policy allows, what each policy
// requires, and the signer binding rule. No document and no xmlsec run.
#include "crypto/signature_policy.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace {

using namespace lienthong::bus::crypto;
using lienthong::core::errc;

const std::string dsig = "http://www.w3.org/2000/09/xmldsig#";
const std::string more = "http://www.w3.org/2001/04/xmldsig-more#";
const std::string enc = "http://www.w3.org/2001/04/xmlenc#";
const std::string rsa_sha256 = more + "rsa-sha256";
const std::string rsa_sha1 = dsig + "rsa-sha1";
const std::string sha1 = dsig + "sha1";
const std::string sha256 = enc + "sha256";
const std::string exc_c14n = "http://www.w3.org/2001/10/xml-exc-c14n#";
const std::string enveloped = dsig + "enveloped-signature";
const std::string xpath = "http://www.w3.org/TR/1999/REC-xpath-19991116";
const std::string xslt = "http://www.w3.org/TR/1999/REC-xslt-19991116";

bool allows(const signature_policy& p, algorithm_role role, const std::string& href) {
    return static_cast<bool>(check_algorithm(p, role, href));
}

}  // namespace

TEST_CASE("signature_policy allow-lists: SHA-256 family always and SHA-1 only when allowed",
          "[unit][crypto]") {
    const auto strict = edxml_policy(false);
    const auto legacy = edxml_policy(true);

    CHECK(allows(strict, algorithm_role::signature, rsa_sha256));
    CHECK(allows(strict, algorithm_role::signature, more + "rsa-sha512"));
    CHECK(allows(strict, algorithm_role::signature, more + "ecdsa-sha256"));
    CHECK(allows(strict, algorithm_role::digest, sha256));
    CHECK(allows(strict, algorithm_role::canonicalization, exc_c14n));
    CHECK(allows(strict, algorithm_role::transform, enveloped));

    CHECK_FALSE(allows(strict, algorithm_role::signature, rsa_sha1));
    CHECK_FALSE(allows(strict, algorithm_role::digest, sha1));
    CHECK(allows(legacy, algorithm_role::signature, rsa_sha1));
    CHECK(allows(legacy, algorithm_role::digest, sha1));
    CHECK(allows(generic_policy({}, true), algorithm_role::digest, sha1));
    CHECK_FALSE(allows(generic_policy({}, false), algorithm_role::digest, sha1));

    SECTION("a refusal names the element and hints at the setting") {
        auto refused = check_algorithm(strict, algorithm_role::signature, rsa_sha1);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().code == errc::algorithm_forbidden);
        CHECK(refused.error().field == "SignatureMethod");
        CHECK(refused.error().message.find(rsa_sha1) != std::string::npos);
        CHECK(refused.error().message.find("trust.allow_sha1") != std::string::npos);
        CHECK(check_algorithm(strict, algorithm_role::digest, sha1).error().field ==
              "DigestMethod");
    }
    SECTION("HMAC is never allowed and the refusal says why") {
        auto refused = check_algorithm(legacy, algorithm_role::signature, dsig + "hmac-sha1");
        REQUIRE_FALSE(refused);
        CHECK(refused.error().message.find("HMAC proves nothing") != std::string::npos);
        CHECK_FALSE(allows(legacy, algorithm_role::signature, more + "hmac-sha256"));
    }
    SECTION("a digest is not a signature method and an empty href is nothing") {
        CHECK_FALSE(allows(strict, algorithm_role::signature, sha256));
        CHECK_FALSE(allows(strict, algorithm_role::digest, rsa_sha256));
        CHECK_FALSE(allows(strict, algorithm_role::canonicalization, ""));
        CHECK(check_algorithm(strict, algorithm_role::canonicalization, "").error().field ==
              "CanonicalizationMethod");
    }
}

TEST_CASE("signature_policy transforms: XPath only for generic documents that ask and XSLT never",
          "[unit][crypto]") {
    generic_rules with_xpath;
    with_xpath.allow_xpath = true;

    CHECK_FALSE(allows(edxml_policy(true), algorithm_role::transform, xpath));
    CHECK_FALSE(allows(generic_policy({}, false), algorithm_role::transform, xpath));
    CHECK(allows(generic_policy(with_xpath, false), algorithm_role::transform, xpath));
    CHECK_FALSE(allows(generic_policy(with_xpath, true), algorithm_role::transform, xslt));
    CHECK(check_algorithm(edxml_policy(false), algorithm_role::transform, xslt).error().field ==
          "Transform");
    // A transform list is not a place for signature methods either.
    CHECK_FALSE(allows(generic_policy(with_xpath, true), algorithm_role::transform, rsa_sha256));
}

TEST_CASE("signature_policy values: edxml is placed and strict and generic is open",
          "[unit][crypto]") {
    const auto edxml = edxml_policy(false);
    CHECK(std::string(edxml.name) == "edxml");
    CHECK(edxml.placement == signature_placement::edxml_header);
    CHECK(edxml.forbid_object);
    CHECK(edxml.whole_document_only);
    CHECK(edxml.strict_certificates);
    CHECK_FALSE(edxml.signer_may_be_named);
    CHECK(edxml.id_attributes == std::vector<std::string>{"Id"});

    generic_rules saml;
    saml.id_attributes = {"ID", "AssertionID"};
    const auto generic = generic_policy(saml, false);
    CHECK(std::string(generic.name) == "generic");
    CHECK(generic.placement == signature_placement::anywhere);
    CHECK_FALSE(generic.forbid_object);
    CHECK_FALSE(generic.whole_document_only);
    CHECK_FALSE(generic.strict_certificates);
    CHECK(generic.signer_may_be_named);
    CHECK(generic.id_attributes == std::vector<std::string>{"ID", "AssertionID", "Id"});
}

TEST_CASE("check_signer_binding: the subject UID or a listed fingerprint must belong to the sender",
          "[unit][crypto]") {
    const std::string district = "000.00.01.H41";
    const std::string commune = "000.01.01.H41";
    const signer_info signer{"UID=" + district + ",CN=x", district, "ab12cd", false};

    CHECK(check_signer_binding(signer, district, {}));
    CHECK(check_signer_binding(signer, commune, {"00ff", "ab12cd"}));

    auto refused = check_signer_binding(signer, commune, {"00ff"});
    REQUIRE_FALSE(refused);
    CHECK(refused.error().code == errc::signer_not_sender);
    CHECK(refused.error().field == "Signature");
    CHECK(refused.error().message.find(commune) != std::string::npos);
    CHECK(refused.error().message.find("ab12cd") != std::string::npos);
    CHECK(refused.error().message.find(signer.subject) != std::string::npos);

    SECTION("an empty UID or fingerprint never matches") {
        const signer_info bare{"", "", "", false};
        CHECK_FALSE(check_signer_binding(bare, "", {""}));
        const signer_info no_uid{"CN=x", "", "ab12cd", false};
        CHECK_FALSE(check_signer_binding(no_uid, "", {}));
        CHECK(check_signer_binding(no_uid, commune, {"ab12cd"}));
    }
}
