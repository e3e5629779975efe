#include "xml/edxml_header.hpp"

#include <catch2/catch.hpp>

#include "xml_test_support.hpp"

using lienthong::bus::xml::is_valid_organ_id;
using lienthong::bus::xml::read_edoc_header;
using lienthong::core::errc;
using namespace lienthong::test::xml;

namespace {

const std::string mh = "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader";

std::string sample(const std::string& name) {
    return read_file(source_path("schemas/samples/" + name));
}

}  // namespace

TEST_CASE("is_valid_organ_id bounds an OrganId - the directory decides the rest", "[unit]") {
    // Legacy, malformed-in-the-wild, 2022-style, tenant ids: whatever a directory may hold.
    for (const char* ok : {"000.00.00.H41", "000.01.02.H41", "000.00.00.G22", "999.010.01.H22",
                           "28.22.H17", "vxp.saas.03", "H41", "DN.0312345678.H29", "A01.B02.C03",
                           "000.00.00.h41", "000-00-00-H41", "tenant_01", "000..00.H41", ".a"}) {
        INFO(ok);
        CHECK(is_valid_organ_id(ok));
    }
    for (const char* bad : {"", "000.00.00 .H41", " 000.00.00.H41", "000.00.00.H41 ",
                            "000.00.00.H41\n", "000.00.00.Ħ41", "Sở.H41", "H41/01", "a,b", "H41:01",
                            "H41;x", "<H41>", ".", "..", "-_."}) {
        INFO(bad);
        CHECK_FALSE(is_valid_organ_id(bad));
    }
    CHECK(is_valid_organ_id(std::string(64, '0')));
    CHECK_FALSE(is_valid_organ_id(std::string(65, '0')));
    CHECK_FALSE(is_valid_organ_id(std::string("H41\0x", 5)));
}

TEST_CASE("read_edoc_header reads the routing fields", "[unit]") {
    SECTION("edoc-new") {
        auto doc = parse_ok(sample("edoc-new.edxml"));
        auto h = read_edoc_header(doc.get());
        REQUIRE(h);
        CHECK(h->from.organ_id == "000.01.01.H41");
        CHECK(h->from.organ_name == "UBND xã Nghi Phong");
        REQUIRE(h->to.size() == 1);
        CHECK(h->to[0].organ_id == "000.00.01.H41");
        CHECK(h->document_id == "000.01.01.H41,2026/11/20,125/UBND-VP");
        CHECK(h->code_number == "125");
        CHECK(h->code_notation == "UBND-VP");
        CHECK(h->promulgation_date == "2026/11/20");
        CHECK(h->subject == "V/v báo cáo tình hình thu hoạch lúa vụ mùa năm 2026");
        CHECK(h->business_doc_type == 0);
    }
    SECTION("fan-out keeps recipients in document order") {
        auto doc = parse_ok(sample("edoc-circular-fanout.edxml"));
        auto h = read_edoc_header(doc.get());
        REQUIRE(h);
        CHECK(h->from.organ_id == "000.00.00.H41");
        REQUIRE(h->to.size() == 2);
        CHECK(h->to[0].organ_id == "000.00.01.H41");
        CHECK(h->to[1].organ_id == "000.00.02.H41");
    }
    SECTION("element order does not matter") {
        auto doc = parse_ok(sample("edoc-reordered.edxml"));
        auto h = read_edoc_header(doc.get());
        REQUIRE(h);
        CHECK(h->from.organ_id == "000.02.01.H41");
        CHECK(h->to.at(0).organ_id == "000.00.02.H41");
        CHECK(h->code_number == "18");
        CHECK(h->document_id == "000.02.01.H41,2026/10/05,18/UBND");
    }
    SECTION("revocation") {
        auto doc = parse_ok(sample("edoc-revocation.edxml"));
        auto h = read_edoc_header(doc.get());
        REQUIRE(h);
        CHECK(h->business_doc_type == 1);
    }
}

TEST_CASE("read_edoc_header enforces cardinality the XSD leaves open", "[unit]") {
    SECTION("missing From") {
        auto doc = parse_ok(sample("invalid/missing-from.edxml"));
        auto h = read_edoc_header(doc.get());
        REQUIRE_FALSE(h);
        CHECK(h.error().code == errc::schema_invalid);
        CHECK(h.error().field == "From");
        REQUIRE(h.error().issues.size() == 1);
        CHECK(h.error().issues[0].path == mh + "/From");
        CHECK(h.error().issues[0].line == 6);  // the MessageHeader that lacks it
    }
    SECTION("two From") {
        auto doc = parse_ok(sample("invalid/two-from.edxml"));
        auto h = read_edoc_header(doc.get());
        REQUIRE_FALSE(h);
        REQUIRE(h.error().issues.size() == 1);
        CHECK(h.error().issues[0].path == mh + "/From[2]");
        CHECK(h.error().issues[0].line == 17);
    }
    SECTION("every problem is reported, not just the first") {
        std::string xml = sample("edoc-new.edxml");
        xml = replace_once(xml, "<To>", "<Cc>");
        xml = replace_once(xml, "</To>", "</Cc>");
        xml = replace_once(xml, "<Subject>", "<Subject>x</Subject><Subject>");
        xml = replace_once(xml, "<BussinessDocType>0</BussinessDocType>", "");
        auto doc = parse_ok(xml);
        auto h = read_edoc_header(doc.get());
        REQUIRE_FALSE(h);
        REQUIRE(h.error().issues.size() == 3);
        CHECK(h.error().issues[0].path == mh + "/To");
        CHECK(h.error().issues[1].path == mh + "/Subject[2]");
        CHECK(h.error().issues[2].path ==
              "/edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList/Bussiness/BussinessDocType");
    }
}

TEST_CASE("read_edoc_header checks values even without the XSD", "[unit]") {
    auto rejects = [](const std::string& from, const std::string& to, const std::string& path) {
        auto doc = parse_ok(replace_once(sample("edoc-new.edxml"), from, to));
        auto h = read_edoc_header(doc.get());
        REQUIRE_FALSE(h);
        CHECK(h.error().code == errc::schema_invalid);
        REQUIRE_FALSE(h.error().issues.empty());
        CHECK(h.error().issues[0].path == path);
    };
    rejects("<OrganId>000.01.01.H41</OrganId>", "<OrganId> 000.01.01.H41 </OrganId>",
            mh + "/From/OrganId");
    rejects("<OrganId>000.00.01.H41</OrganId>", "<OrganId>Nghi Loc</OrganId>", mh + "/To/OrganId");
    rejects("<PromulgationDate>2026/11/20<", "<PromulgationDate>2026/02/30<",
            mh + "/PromulgationInfo/PromulgationDate");
    rejects("<DocumentId>000.01.01.H41", "<DocumentId> 000.01.01.H41", mh + "/DocumentId");
    rejects("<BussinessDocType>0<", "<BussinessDocType>7<",
            "/edXML/edXMLEnvelope/edXMLHeader/TraceHeaderList/Bussiness/BussinessDocType");
    rejects("<CodeNumber>125</CodeNumber>", "", mh + "/Code/CodeNumber");
}

TEST_CASE("read_edoc_header rejects a foreign root", "[unit]") {
    auto doc = parse_ok("<edXML xmlns=\"urn:other\"/>");
    auto h = read_edoc_header(doc.get());
    REQUIRE_FALSE(h);
    CHECK(h.error().code == errc::schema_invalid);
    CHECK(read_edoc_header(nullptr).error().code == errc::schema_invalid);
}
