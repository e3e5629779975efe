// Every file under schemas/samples goes through the same checks the bus applies on ingest:
// parse_packet, then the family's XSD, then the header reader.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <optional>

#include "xml/edxml_header.hpp"
#include "xml/status_header.hpp"
#include "xml_test_support.hpp"

using lienthong::core::errc;
using lienthong::core::failure;
using namespace lienthong::bus::xml;
using namespace lienthong::test::xml;
namespace fs = std::filesystem;

namespace {

bool is_status(const fs::path& p) { return p.filename().string().rfind("status-", 0) == 0; }

std::optional<failure> ingest(const fs::path& p) {
    auto doc = parse_packet(read_file(p.string()), parse_limits{});
    if (!doc) {
        return std::move(doc).error();
    }
    const auto& schema = is_status(p) ? status_schema() : edoc_schema();
    if (auto v = schema.validate(doc->get()); !v) {
        return std::move(v).error();
    }
    if (is_status(p)) {
        if (auto h = read_status_header(doc->get()); !h) {
            return std::move(h).error();
        }
    } else if (auto h = read_edoc_header(doc->get()); !h) {
        return std::move(h).error();
    }
    return std::nullopt;
}

std::vector<fs::path> samples_in(const std::string& dir) {
    std::vector<fs::path> out;
    for (const auto& e : fs::directory_iterator(source_path(dir))) {
        if (e.is_regular_file() && e.path().extension() == ".edxml") {
            out.push_back(e.path());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

struct expectation {
    errc code;
    std::string path;  ///< of the first issue; empty when the error carries none
    int line;          ///< of the first issue; 0 = not checked
};

const std::string mh = "/edXML/edXMLEnvelope/edXMLHeader/MessageHeader";

}  // namespace

TEST_CASE("every valid sample passes parse - schema and header checks", "[unit]") {
    const auto samples = samples_in("schemas/samples");
    REQUIRE(samples.size() >= 5);
    for (const auto& p : samples) {
        INFO(p.filename().string());
        auto f = ingest(p);
        CHECK_FALSE(f.has_value());
        if (f) {
            INFO(f->message);
            CHECK(f->issues.empty());
        }
    }
}

TEST_CASE("each invalid sample fails with the expected error and location", "[unit]") {
    const std::map<std::string, expectation> expected{
        {"bad-organ-id.edxml", {errc::schema_invalid, mh + "/From/OrganId", 8}},
        {"bad-promulgation-date.edxml",
         {errc::schema_invalid, mh + "/PromulgationInfo/PromulgationDate", 33}},
        {"doctype-entity-bomb.edxml", {errc::doctype_forbidden, "", 0}},
        {"missing-document-id.edxml", {errc::schema_invalid, mh + "/DocumentId", 6}},
        {"missing-from.edxml", {errc::schema_invalid, mh + "/From", 6}},
        {"not-well-formed.edxml", {errc::malformed_xml, "", 41}},
        {"status-bad-code.edxml", {errc::schema_invalid, mh + "/StatusCode", 23}},
        {"two-from.edxml", {errc::schema_invalid, mh + "/From[2]", 17}},
        {"unknown-element.edxml", {errc::schema_invalid, mh + "/Priority", 60}},
    };
    const auto samples = samples_in("schemas/samples/invalid");
    REQUIRE(samples.size() == expected.size());  // a new sample needs an expectation here
    for (const auto& p : samples) {
        const auto name = p.filename().string();
        INFO(name);
        auto it = expected.find(name);
        REQUIRE(it != expected.end());
        auto f = ingest(p);
        REQUIRE(f.has_value());
        INFO(f->message);
        CHECK(f->code == it->second.code);
        if (!it->second.path.empty()) {
            REQUIRE_FALSE(f->issues.empty());
            CHECK(f->issues[0].path == it->second.path);
        }
        if (it->second.line != 0) {
            REQUIRE_FALSE(f->issues.empty());
            CHECK(f->issues[0].line == it->second.line);
        }
    }
}

TEST_CASE("read_status_header reads the status sample", "[unit]") {
    auto doc = parse_ok(read_file(source_path("schemas/samples/status-03-acceptance.edxml")));
    auto s = read_status_header(doc.get());
    REQUIRE(s);
    CHECK(s->from.organ_id == "000.00.01.H41");
    CHECK(s->from.organ_name == "UBND huyện Nghi Lộc");
    CHECK(s->response_for_organ_id == "000.01.01.H41");
    CHECK(s->response_for_document_id == "000.01.01.H41,2026/11/20,125/UBND-VP");
    CHECK(s->status_code == "03");
    CHECK(s->description == "Đã tiếp nhận, vào sổ văn bản đến số 1532");
    CHECK(s->timestamp == "2026/11/20 10:02:31");
}

TEST_CASE("read_status_header enforces cardinality and formats", "[unit]") {
    const auto xml = read_file(source_path("schemas/samples/status-03-acceptance.edxml"));
    SECTION("two StatusCodes") {
        auto doc = parse_ok(replace_once(xml, "<StatusCode>03</StatusCode>",
                                         "<StatusCode>03</StatusCode><StatusCode>02</StatusCode>"));
        auto s = read_status_header(doc.get());
        REQUIRE_FALSE(s);
        CHECK(s.error().issues.at(0).path == mh + "/StatusCode[2]");
    }
    SECTION("missing ResponseFor and a bad timestamp") {
        std::string bad = replace_once(xml, "<ResponseFor>", "<!--");
        bad = replace_once(bad, "</ResponseFor>", "-->");
        bad = replace_once(bad, "2026/11/20 10:02:31", "2026/11/20 25:02:31");
        auto doc = parse_ok(bad);
        auto s = read_status_header(doc.get());
        REQUIRE_FALSE(s);
        CHECK(s.error().code == errc::schema_invalid);
        REQUIRE(s.error().issues.size() == 2);
        CHECK(s.error().issues[0].path == mh + "/ResponseFor");
        CHECK(s.error().issues[1].path == mh + "/Timestamp");
    }
}
