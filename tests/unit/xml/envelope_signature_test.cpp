#include "xml/envelope_signature.hpp"

#include <catch2/catch.hpp>
#include <cstring>

#include "xml_test_support.hpp"

using namespace lienthong::bus::xml;
using namespace lienthong::test::xml;

namespace {

// A real VNPT EdXML102 builder packet; its SDK Signature is swapped for each shape below.
std::string with_signature(const std::string& signature) {
    std::string xml = real_packet("edoc/sdk_new_3to_3att_sig.edxml");
    const auto begin = xml.find("<Signature>");
    const auto end = xml.find("</Signature>");
    REQUIRE(begin != std::string::npos);
    REQUIRE(end != std::string::npos);
    return xml.replace(begin, end + std::strlen("</Signature>") - begin, signature);
}

std::string local_name(const xmlNode* node) {
    return node != nullptr ? reinterpret_cast<const char*>(node->name) : "";
}

}  // namespace

TEST_CASE("find_envelope_signature tells none - xmldsig and placeholder apart", "[unit]") {
    SECTION("the SDK's Signature, in the edXML default namespace, is a placeholder") {
        auto doc = parse_ok(real_packet("edoc/sdk_new_3to_3att_sig.edxml"));
        const auto sig = find_envelope_signature(doc.get());
        CHECK(sig.kind == envelope_signature_kind::placeholder);
        CHECK(local_name(sig.element) == "Signature");
        CHECK(to_string(sig.kind) == "placeholder");
    }
    SECTION("an empty DigitalSignature is a placeholder") {
        auto doc = parse_ok(with_signature("<edXML:DigitalSignature/>"));
        const auto sig = find_envelope_signature(doc.get());
        CHECK(sig.kind == envelope_signature_kind::placeholder);
        CHECK(local_name(sig.element) == "DigitalSignature");
    }
    SECTION("a ds:Signature is XML-DSig, whatever its prefix") {
        for (const char* shape :
             {"<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo/>"
              "</ds:Signature>",
              "<Signature "
              "xmlns=\"http://www.w3.org/2000/09/xmldsig#\"><SignedInfo/></Signature>"}) {
            INFO(shape);
            auto doc = parse_ok(with_signature(shape));
            const auto sig = find_envelope_signature(doc.get());
            CHECK(sig.kind == envelope_signature_kind::xmldsig);
            CHECK(local_name(sig.element) == "Signature");
            CHECK(to_string(sig.kind) == "xmldsig");
        }
    }
    SECTION("no signature") {
        auto doc = parse_ok(real_packet("edoc/sdk_new_3to_3att_nosig.edxml"));
        const auto sig = find_envelope_signature(doc.get());
        CHECK(sig.kind == envelope_signature_kind::none);
        CHECK(sig.element == nullptr);
        CHECK(to_string(sig.kind) == "none");
    }
    SECTION("a status packet has none") {
        auto doc = parse_ok(real_packet("status/sdk_status_03.edxml"));
        CHECK(find_envelope_signature(doc.get()).kind == envelope_signature_kind::none);
    }
}

TEST_CASE("find_envelope_signature looks only in edXMLHeader - and only at known names", "[unit]") {
    SECTION("a Signature in no namespace is not one of the kinds") {
        auto doc = parse_ok(with_signature("<Signature xmlns=\"\"><SignedInfo/></Signature>"));
        CHECK(find_envelope_signature(doc.get()).kind == envelope_signature_kind::none);
    }
    SECTION("another edXML element in the slot is not a signature") {
        auto doc = parse_ok(with_signature("<edXML:Seal/>"));
        CHECK(find_envelope_signature(doc.get()).kind == envelope_signature_kind::none);
    }
    SECTION("a ds:Signature outside edXMLHeader is not the envelope signature") {
        std::string xml = with_signature("");
        xml = replace_once(xml, "<edXML:Subject>",
                           "<edXML:Subject><Signature xmlns=\"http://www.w3.org/2000/09/"
                           "xmldsig#\"/>");
        auto doc = parse_ok(xml);
        CHECK(find_envelope_signature(doc.get()).kind == envelope_signature_kind::none);
    }
    SECTION("not an edXML packet") {
        auto doc = parse_ok("<edXML xmlns=\"urn:other\"><edXMLEnvelope/></edXML>");
        CHECK(find_envelope_signature(doc.get()).kind == envelope_signature_kind::none);
        CHECK(find_envelope_signature(nullptr).kind == envelope_signature_kind::none);
    }
    SECTION("the first of two is reported (the schemas allow one)") {
        auto doc =
            parse_ok(with_signature("<edXML:DigitalSignature/>"
                                    "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\"/>"));
        const auto sig = find_envelope_signature(doc.get());
        CHECK(sig.kind == envelope_signature_kind::placeholder);
        CHECK_FALSE(edoc_schema().validate(doc.get()));
    }
}
