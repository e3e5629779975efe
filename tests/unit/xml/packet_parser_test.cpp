#include "xml/packet_parser.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

using lienthong::bus::xml::parse_limits;
using lienthong::bus::xml::parse_packet;
using lienthong::core::errc;

namespace {

std::string read_sample(const std::string& relative) {
    std::ifstream in(std::string{LIENTHONG_SOURCE_DIR} + "/schemas/samples/" + relative,
                     std::ios::binary);
    REQUIRE(in);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Nested <e> elements, one per line, so the offending line is predictable.
std::string nested(int depth) {
    std::string open, close;
    for (int i = 0; i < depth; ++i) {
        open += "<e>\n";
        close += "</e>";
    }
    return open + close;
}

}  // namespace

TEST_CASE("parse_packet builds a tree and keeps whitespace", "[unit]") {
    auto doc = parse_packet(read_sample("edoc-new.edxml"), parse_limits{});
    REQUIRE(doc);
    xmlNode* root = xmlDocGetRootElement(doc->get());
    REQUIRE(root != nullptr);
    CHECK(std::string{reinterpret_cast<const char*>(root->name)} == "edXML");
    // Signatures cover whitespace, so the indentation text nodes must survive parsing.
    REQUIRE(root->children != nullptr);
    CHECK(root->children->type == XML_TEXT_NODE);
}

TEST_CASE("parse_packet rejects empty - oversized and malformed input", "[unit]") {
    SECTION("empty body") {
        auto r = parse_packet("", parse_limits{});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == errc::malformed_xml);
    }
    SECTION("over max_bytes") {
        parse_limits limits;
        limits.max_bytes = 16;
        auto r = parse_packet("<edXML>0123456789</edXML>", limits);
        REQUIRE_FALSE(r);
        CHECK(r.error().code == errc::payload_too_large);
        CHECK(parse_packet("<a>12345678</a>", limits));  // exactly 16 bytes is fine
    }
    SECTION("mismatched tag reports libxml2's message and the line") {
        auto r = parse_packet("<a>\n<b>\n</a>\n", parse_limits{});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == errc::malformed_xml);
        CHECK_THAT(r.error().message, Catch::Contains("mismatch"));
        CHECK_THAT(r.error().message, Catch::Contains("line 3"));
        REQUIRE(r.error().issues.size() == 1);
        CHECK(r.error().issues[0].line == 3);
    }
    SECTION("undeclared entity") {
        auto r = parse_packet("<a>&x;</a>", parse_limits{});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == errc::malformed_xml);
    }
    SECTION("undeclared namespace prefix") {
        auto r = parse_packet("<edXML:edXML>\n<x:From/></edXML:edXML>", parse_limits{});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == errc::malformed_xml);
        CHECK(r.error().issues.at(0).line == 1);
    }
    SECTION("text after the root element") {
        auto r = parse_packet("<a/><b/>", parse_limits{});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == errc::malformed_xml);
    }
    SECTION("sample not-well-formed.edxml") {
        auto r = parse_packet(read_sample("invalid/not-well-formed.edxml"), parse_limits{});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == errc::malformed_xml);
        REQUIRE_FALSE(r.error().issues.empty());
        CHECK(r.error().issues[0].line == 41);
    }
}

TEST_CASE("parse_packet accepts only UTF-8", "[unit]") {
    CHECK(parse_packet("<?xml version=\"1.0\" encoding=\"utf-8\"?><a/>", parse_limits{}));
    CHECK(parse_packet("<a/>", parse_limits{}));
    auto r =
        parse_packet("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>\xE9</a>", parse_limits{});
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::unsupported_encoding);
    CHECK_THAT(r.error().message, Catch::Contains("UTF-8") && Catch::Contains("ISO-8859-1"));
    // A UTF-16 packet with its byte-order mark: libxml2 would transcode it, but the bus forwards
    // bytes as received, so it is refused before parsing.
    auto utf16 = parse_packet(std::string("\xFF\xFE<\0a\0/\0>\0", 10), parse_limits{});
    REQUIRE_FALSE(utf16);
    CHECK(utf16.error().code == errc::unsupported_encoding);
    CHECK_THAT(utf16.error().message, Catch::Contains("UTF-16"));
    CHECK(parse_packet("\xEF\xBB\xBF<a/>", parse_limits{}));  // the UTF-8 byte-order mark is fine
}

TEST_CASE("parse_packet rejects every DOCTYPE", "[security]") {
    SECTION("a harmless one") {
        auto r = parse_packet("<!DOCTYPE a><a/>", parse_limits{});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == errc::doctype_forbidden);
    }
    SECTION("billion laughs, before any entity is expanded") {
        // ~1 KB expanding to 10^9 "lol"s; were it expanded, this test would not finish (or
        // libxml2 would report an entity loop as malformed_xml instead of doctype_forbidden).
        const std::string bomb = read_sample("invalid/doctype-entity-bomb.edxml");
        REQUIRE(bomb.size() < 1100);
        auto r = parse_packet(bomb, parse_limits{});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == errc::doctype_forbidden);
        CHECK_THAT(r.error().message, Catch::Contains("line 3"));
    }
    SECTION("external entity (XXE)") {
        auto r = parse_packet("<!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>",
                              parse_limits{});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == errc::doctype_forbidden);
    }
    SECTION("external DTD over the network") {
        auto r =
            parse_packet("<!DOCTYPE a SYSTEM \"http://203.0.113.1/x.dtd\"><a/>", parse_limits{});
        REQUIRE_FALSE(r);
        CHECK(r.error().code == errc::doctype_forbidden);
    }
}

TEST_CASE("parse_packet does not process XInclude", "[security]") {
    auto r = parse_packet(
        "<a xmlns:xi=\"http://www.w3.org/2001/XInclude\">"
        "<xi:include href=\"/etc/passwd\" parse=\"text\"/></a>",
        parse_limits{});
    REQUIRE(r);
    xmlNode* inc = xmlDocGetRootElement(r->get())->children;
    REQUIRE(inc != nullptr);
    CHECK(std::string{reinterpret_cast<const char*>(inc->name)} == "include");
    CHECK(inc->children == nullptr);
}

TEST_CASE("parse_packet enforces the depth limit", "[security]") {
    parse_limits limits;
    limits.max_depth = 5;
    CHECK(parse_packet(nested(5), limits));
    auto r = parse_packet(nested(6), limits);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::xml_limit_exceeded);
    CHECK_THAT(r.error().message, Catch::Contains("depth"));
    CHECK_THAT(r.error().message, Catch::Contains("line 6"));

    SECTION("the default cap holds far below libxml2's own") {
        auto deep = parse_packet(nested(200), parse_limits{});
        REQUIRE_FALSE(deep);
        CHECK(deep.error().code == errc::xml_limit_exceeded);
    }
}

TEST_CASE("parse_packet enforces the attributes-per-element limit", "[security]") {
    parse_limits limits;
    limits.max_attributes = 3;
    CHECK(parse_packet("<a x='1' y='2' z='3'/>", limits));
    auto r = parse_packet("<r>\n<a x='1' y='2' z='3' w='4'/></r>", limits);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::xml_limit_exceeded);
    CHECK_THAT(r.error().message, Catch::Contains("attributes"));
    CHECK_THAT(r.error().message, Catch::Contains("line 2"));
    SECTION("namespace declarations count") {
        auto ns = parse_packet("<a xmlns='urn:a' xmlns:b='urn:b' x='1' y='2'/>", limits);
        REQUIRE_FALSE(ns);
        CHECK(ns.error().code == errc::xml_limit_exceeded);
    }
}

TEST_CASE("parse_packet enforces the per-text-node limit", "[security]") {
    parse_limits limits;
    limits.max_text_bytes = 10;
    CHECK(parse_packet("<a>0123456789</a>", limits));
    // Separate text nodes are counted separately.
    CHECK(parse_packet("<a><b>0123456789</b><b>0123456789</b></a>", limits));
    auto r = parse_packet("<a>\n\n<b>0123456789X</b></a>", limits);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == errc::xml_limit_exceeded);
    CHECK_THAT(r.error().message, Catch::Contains("text"));
    CHECK_THAT(r.error().message, Catch::Contains("line 3"));
    SECTION("CDATA and character references count too") {
        auto c = parse_packet("<a>01234<![CDATA[56789X]]></a>", limits);
        REQUIRE_FALSE(c);
        CHECK(c.error().code == errc::xml_limit_exceeded);
        auto e = parse_packet("<a>0123456789&amp;</a>", limits);
        REQUIRE_FALSE(e);
        CHECK(e.error().code == errc::xml_limit_exceeded);
    }
}
