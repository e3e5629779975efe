// The tree checks before xmlsec: IDs, how many Signatures and where, what they reference and with
// which algorithms, under the edxml and the generic policy. Unsigned hand-written documents: the
// checks never compute a digest, so none is needed.
#include "crypto/signature_shape.hpp"

#include <libxml/tree.h>

#include <catch2/catch.hpp>
#include <string>

#include "support/test_pki.hpp"

namespace {

using namespace lienthong::bus::crypto;
using lienthong::core::errc;
namespace t = lienthong::test;

// What goes into one hand-written ds:Signature.
struct shape {
    std::string uri;  // Reference/@URI
    std::string digest = "http://www.w3.org/2001/04/xmlenc#sha256";
    std::string transform = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";
    std::string extra;  // appended inside ds:Signature (e.g. a ds:Object)
    int references = 1;
};

std::string signature_xml(const shape& s) {
    std::string refs;
    for (int i = 0; i < s.references; ++i) {
        refs += "<ds:Reference URI=\"" + s.uri + "\"><ds:Transforms><ds:Transform Algorithm=\"" +
                s.transform + "\"/></ds:Transforms><ds:DigestMethod Algorithm=\"" + s.digest +
                "\"/><ds:DigestValue>AA==</ds:DigestValue></ds:Reference>";
    }
    return "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo>"
           "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>"
           "<ds:SignatureMethod "
           "Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#rsa-sha256\"/>" +
           refs + "</ds:SignedInfo><ds:SignatureValue>AA==</ds:SignatureValue>" + s.extra +
           "</ds:Signature>";
}

// An edXML packet with `in_header` inside edXMLHeader and `in_body` as a sibling of the envelope.
std::string packet(const std::string& in_header, const std::string& in_body = {}) {
    return "<edXML xmlns=\"http://www.mic.gov.vn/TBT/QCVN_102_2016\"><edXMLEnvelope><edXMLHeader>" +
           in_header + "</edXMLHeader></edXMLEnvelope><edXMLBody Id=\"body\" ID=\"saml\">" +
           in_body + "</edXMLBody></edXML>";
}

xmlNode* first_signature(xmlDoc* doc) {
    auto all = signatures_to_verify(doc, generic_policy({}, false));
    REQUIRE(all);
    return all->front();
}

errc shape_error(const std::string& xml, const signature_policy& policy) {
    auto doc = t::parse_xml(xml);
    REQUIRE(register_ids(doc.get(), policy));
    auto checked = check_signature_shape(doc.get(), first_signature(doc.get()), policy);
    REQUIRE_FALSE(checked);
    UNSCOPED_INFO("message: " << checked.error().message);
    return checked.error().code;
}

bool shape_ok(const std::string& xml, const signature_policy& policy) {
    auto doc = t::parse_xml(xml);
    REQUIRE(register_ids(doc.get(), policy));
    auto checked = check_signature_shape(doc.get(), first_signature(doc.get()), policy);
    UNSCOPED_INFO((checked ? std::string("ok") : checked.error().message));
    return static_cast<bool>(checked);
}

}  // namespace

TEST_CASE("signature_shape: placement and count under the edxml and the generic policy",
          "[unit][crypto]") {
    const auto edxml = edxml_policy(false);
    const auto generic = generic_policy({}, false);

    CHECK(shape_ok(packet(signature_xml({})), edxml));
    CHECK(shape_error(packet("", signature_xml({})), edxml) == errc::signature_wrapping);
    CHECK(shape_ok(packet("", signature_xml({})), generic));

    SECTION("none is signature_missing and two are wrapping only for edxml") {
        auto none = t::parse_xml(packet(""));
        auto missing = signatures_to_verify(none.get(), edxml);
        REQUIRE_FALSE(missing);
        CHECK(missing.error().code == errc::signature_missing);
        CHECK(missing.error().message.find("edXMLHeader") != std::string::npos);
        CHECK(signatures_to_verify(none.get(), generic).error().code == errc::signature_missing);

        auto two = t::parse_xml(packet(signature_xml({}), signature_xml({})));
        CHECK(signatures_to_verify(two.get(), edxml).error().code == errc::signature_wrapping);
        auto both = signatures_to_verify(two.get(), generic);
        REQUIRE(both);
        CHECK(both->size() == 2);
    }
    SECTION("ds:Object is refused for edxml only") {
        shape with_object;
        with_object.extra = "<ds:Object>unsigned</ds:Object>";
        CHECK(shape_error(packet(signature_xml(with_object)), edxml) == errc::signature_wrapping);
        CHECK(shape_ok(packet(signature_xml(with_object)), generic));
    }
    SECTION("exactly one Reference and one SignedInfo") {
        shape two_refs;
        two_refs.references = 2;
        CHECK(shape_error(packet(signature_xml(two_refs)), generic) == errc::signature_wrapping);
        CHECK(shape_error(packet("<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"/>"),
                          generic) == errc::signature_invalid);
    }
}

TEST_CASE("signature_shape: Reference URIs point only at the whole document or a registered ID",
          "[unit][crypto]") {
    const auto edxml = edxml_policy(false);
    const auto generic = generic_policy({}, false);
    generic_rules saml_rules;
    saml_rules.id_attributes = {"ID"};
    const auto saml = generic_policy(saml_rules, false);

    shape to_body;
    to_body.uri = "#body";
    CHECK(shape_error(packet(signature_xml(to_body)), edxml) == errc::signature_wrapping);
    CHECK(shape_ok(packet(signature_xml(to_body)), generic));  // "Id" is always an ID

    shape to_saml;
    to_saml.uri = "#saml";
    CHECK(shape_error(packet(signature_xml(to_saml)), generic) == errc::signature_wrapping);
    CHECK(shape_ok(packet(signature_xml(to_saml)), saml));

    for (const char* uri : {"#xpointer(/)", "http://example.org/doc.xml", "#a b", "#"}) {
        shape other;
        other.uri = uri;
        INFO(uri);
        CHECK(shape_error(packet(signature_xml(other)), saml) == errc::signature_wrapping);
    }
}

TEST_CASE("signature_shape: duplicate IDs are signature wrapping", "[unit][crypto]") {
    const auto generic = generic_policy({}, false);
    auto doc = t::parse_xml(packet(signature_xml({}), "<a Id=\"body\"/>"));
    auto registered = register_ids(doc.get(), generic);
    REQUIRE_FALSE(registered);
    CHECK(registered.error().code == errc::signature_wrapping);
    CHECK(registered.error().message.find("\"body\"") != std::string::npos);

    SECTION("xml:id counts as an ID too") {
        auto xml_id = t::parse_xml(packet(signature_xml({}), "<a xml:id=\"k\"/><b xml:id=\"k\"/>"));
        CHECK(register_ids(xml_id.get(), generic).error().code == errc::signature_wrapping);
    }
    SECTION("a name the policy does not register is not an ID") {
        auto doc2 = t::parse_xml(packet(signature_xml({}), "<a ID=\"saml\"/>"));
        CHECK(register_ids(doc2.get(), generic));
    }
}

TEST_CASE("signature_shape: algorithms are checked against the policy on the tree",
          "[unit][crypto]") {
    shape sha1;
    sha1.digest = "http://www.w3.org/2000/09/xmldsig#sha1";
    CHECK(shape_error(packet(signature_xml(sha1)), edxml_policy(false)) ==
          errc::algorithm_forbidden);
    CHECK(shape_ok(packet(signature_xml(sha1)), edxml_policy(true)));

    shape xpath;
    xpath.transform = "http://www.w3.org/TR/1999/REC-xpath-19991116";
    generic_rules with_xpath;
    with_xpath.allow_xpath = true;
    CHECK(shape_error(packet("", signature_xml(xpath)), generic_policy({}, false)) ==
          errc::algorithm_forbidden);
    CHECK(shape_ok(packet("", signature_xml(xpath)), generic_policy(with_xpath, false)));
}
