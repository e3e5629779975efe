#include "xml/schema_validator.hpp"

#include <catch2/catch.hpp>
#include <stdexcept>

#include "xml/edxml_header.hpp"
#include "xml_test_support.hpp"

using lienthong::bus::xml::schema_validator;
using lienthong::core::errc;
using namespace lienthong::test::xml;

namespace {

const std::string mh = "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader";

std::string edoc_new() { return read_file(source_path("schemas/samples/edoc-new.edxml")); }

}  // namespace

TEST_CASE("schema_validator::load names the file it cannot use", "[unit]") {
    CHECK_THROWS_WITH(schema_validator::load("/nonexistent/edoc.xsd"),
                      Catch::Contains("/nonexistent/edoc.xsd"));
    // A well-formed XML file that is not a schema.
    const auto sample = source_path("schemas/samples/edoc-new.edxml");
    CHECK_THROWS_WITH(schema_validator::load(sample), Catch::Contains(sample));
}

TEST_CASE("schema_validator accepts the valid edoc sample", "[unit]") {
    auto doc = parse_ok(edoc_new());
    auto r = edoc_schema().validate(doc.get());
    if (!r) {
        FAIL(r.error().message);
    }
}

TEST_CASE("schema_validator reports line - path and a readable message", "[unit]") {
    auto doc = parse_ok(read_file(source_path("schemas/samples/invalid/bad-organ-id.edxml")));
    auto r = edoc_schema().validate(doc.get());
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::schema_invalid);
    CHECK(r.error().field == "From/OrganId");
    REQUIRE(r.error().issues.size() == 1);
    const auto& issue = r.error().issues[0];
    CHECK(issue.line == 8);
    CHECK(issue.path == mh + "/From/OrganId");
    CHECK_THAT(issue.message, Catch::Contains("000.01.01 H41"));
    CHECK_THAT(issue.message, !Catch::Contains("{http"));  // namespace noise removed
    CHECK_THAT(issue.message, !Catch::EndsWith("\n"));
}

TEST_CASE("schema_validator collects every violation - up to a cap", "[unit]") {
    SECTION("two independent problems") {
        std::string xml = replace_once(edoc_new(), "<OrganId>000.00.01.H41</OrganId>",
                                       "<OrganId>000.00.01 H41</OrganId>");
        xml = replace_once(xml, "<Type>1</Type>", "<Type>one</Type>");
        auto doc = parse_ok(xml);
        auto r = edoc_schema().validate(doc.get());
        REQUIRE_FALSE(r);
        REQUIRE(r.error().issues.size() == 2);
        CHECK(r.error().issues[0].path == mh + "/To/OrganId");
        CHECK(r.error().issues[0].line == 17);
        CHECK(r.error().issues[1].path == mh + "/DocumentType/Type");
    }
    SECTION("a flood of errors is capped") {
        std::string many;
        for (int i = 0; i < 80; ++i) {
            many += "<To><OrganId>bad id</OrganId></To>\n";
        }
        auto doc = parse_ok(replace_once(edoc_new(), "<DocumentId>", many + "<DocumentId>"));
        auto r = edoc_schema().validate(doc.get());
        REQUIRE_FALSE(r);
        CHECK(r.error().issues.size() == 50);
        CHECK(r.error().issues[1].path == mh + "/To[3]/OrganId");
    }
}

TEST_CASE("edoc.xsd strictness where routing and trust depend on it", "[unit]") {
    auto check_rejected = [](const std::string& from, const std::string& to) {
        auto doc = parse_ok(replace_once(edoc_new(), from, to));
        auto r = edoc_schema().validate(doc.get());
        REQUIRE_FALSE(r);
        CHECK(r.error().code == errc::schema_invalid);
    };
    auto check_accepted = [](const std::string& from, const std::string& to) {
        auto doc = parse_ok(replace_once(edoc_new(), from, to));
        auto r = edoc_schema().validate(doc.get());
        if (!r) {
            FAIL(r.error().message);
        }
    };
    const std::string from_id = "<OrganId>000.01.01.H41</OrganId>";
    SECTION("OrganId forms: bounded, not a grammar (the directory decides)") {
        check_accepted(from_id, "<OrganId>999.010.01.H22</OrganId>");     // malformed in the wild
        check_accepted(from_id, "<OrganId>DN.0312345678.H29</OrganId>");  // 2022-style
        check_accepted(from_id, "<OrganId>28.22.H17</OrganId>");
        check_accepted(from_id, "<OrganId>vxp.saas.03</OrganId>");  // a tenant id
        check_accepted(from_id, "<OrganId>000.01.01.H4</OrganId>");
        check_accepted(from_id, "<OrganId>" + std::string(64, '0') + "</OrganId>");
        check_rejected(from_id, "<OrganId> 000.01.01.H41</OrganId>");
        check_rejected(from_id, "<OrganId></OrganId>");
        check_rejected(from_id, "<OrganId>000.01.01 H41</OrganId>");
        check_rejected(from_id, "<OrganId>" + std::string(65, '0') + "</OrganId>");
    }
    SECTION("DocumentId") {
        check_rejected("<DocumentId>000.01.01.H41,2026/11/20,125/UBND-VP</DocumentId>",
                       "<DocumentId>   </DocumentId>");
        check_rejected("<DocumentId>000.01.01.H41,2026/11/20,125/UBND-VP</DocumentId>",
                       "<DocumentId>" + std::string(201, 'x') + "</DocumentId>");
    }
    SECTION("Code needs both parts") {
        check_rejected("<CodeNotation>UBND-VP</CodeNotation>", "");
        check_rejected("<CodeNumber>125</CodeNumber>", "<CodeNumber> </CodeNumber>");
    }
    SECTION("BussinessDocType range") {
        check_rejected("<BussinessDocType>0</BussinessDocType>",
                       "<BussinessDocType>4</BussinessDocType>");
    }
    SECTION("attachments must be base64: the header reader refuses it, at memory speed") {
        // The XSD's pattern engine was the slowest part of a 1 MB packet (issue 17).
        auto doc = parse_ok(replace_once(edoc_new(), "JVBERi0xLjQK", "JVBERi0x!LjQK"));
        CHECK(edoc_schema().validate(doc.get()));
        auto h = lienthong::bus::xml::read_edoc_header(doc.get());
        REQUIRE_FALSE(h);
        CHECK(h.error().code == errc::schema_invalid);
    }
    SECTION("Signature: XML-DSig, the SDK's or a placeholder, once, at the end of edXMLHeader") {
        const std::string end_trace = "</edXML:TraceHeaderList>";
        check_accepted(end_trace, end_trace +
                                      "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\">"
                                      "<SignedInfo/></Signature>");
        // The VNPT SDK writes it unprefixed, so in the edXML default namespace (issue 12).
        check_accepted(end_trace, end_trace + "<Signature><SignedInfo/></Signature>");
        check_accepted(end_trace, end_trace + "<edXML:DigitalSignature/>");
        check_rejected(end_trace, end_trace + "<Signature xmlns=\"\"><SignedInfo/></Signature>");
        check_rejected(end_trace, end_trace + "<edXML:Signature/><edXML:DigitalSignature/>");
        check_rejected(end_trace, end_trace + "<edXML:Stamp/>");
        check_rejected("<edXML:TraceHeaderList>",
                       "<edXML:DigitalSignature/><edXML:TraceHeaderList>");
    }
    SECTION("unknown attributes only where builders add them") {
        check_accepted("<edXML:Reference>",
                       "<edXML:Reference xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
                       "xlink:href=\"cid:x\">");
        check_rejected("<edXML:Reference>", "<edXML:Reference href=\"cid:x\">");
        check_rejected("<From>", "<From kind=\"x\">");
    }
}

TEST_CASE("status.xsd accepts the status sample and only known status codes", "[unit]") {
    const auto xml = read_file(source_path("schemas/samples/status-03-acceptance.edxml"));
    auto doc = parse_ok(xml);
    CHECK(status_schema().validate(doc.get()));
    // A status packet is not an edoc.
    CHECK_FALSE(edoc_schema().validate(doc.get()));
    for (const char* code : {"01", "06", "13", "15", "16"}) {
        auto d = parse_ok(
            replace_once(xml, "<StatusCode>03<", std::string{"<StatusCode>"} + code + "<"));
        CHECK(status_schema().validate(d.get()));
    }
    for (const char* code : {"07", "14", "3", "003", ""}) {
        auto d = parse_ok(
            replace_once(xml, "<StatusCode>03<", std::string{"<StatusCode>"} + code + "<"));
        auto r = status_schema().validate(d.get());
        REQUIRE_FALSE(r);
        CHECK(r.error().issues[0].path == mh + "/StatusCode");
    }
}
