#pragma once
// Helpers shared by the xml unit tests.
#include <catch2/catch.hpp>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "support/text_encoding.hpp"
#include "xml/edxml_header.hpp"
#include "xml/packet_parser.hpp"
#include "xml/schema_validator.hpp"
#include "xml/status_header.hpp"

namespace lienthong::test::xml {

inline std::string source_path(const std::string& relative) {
    return std::string{LIENTHONG_SOURCE_DIR} + "/" + relative;
}

inline std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline bus::xml::doc_ptr parse_ok(const std::string& bytes) {
    auto r = bus::xml::parse_packet(bytes, bus::xml::parse_limits{});
    if (!r) {
        FAIL("parse failed: " << r.error().message);
    }
    return std::move(r).value();
}

// Compiled once per test binary; validate() is thread-safe and the schema read-only.
inline const bus::xml::schema_validator& edoc_schema() {
    static const auto v =
        bus::xml::schema_validator::load(source_path("schemas/edxml/2016/edoc.xsd"));
    return v;
}

inline const bus::xml::schema_validator& status_schema() {
    static const auto v =
        bus::xml::schema_validator::load(source_path("schemas/edxml/2016/status.xsd"));
    return v;
}

inline std::string replace_once(std::string s, const std::string& from, const std::string& to) {
    const auto pos = s.find(from);
    REQUIRE(pos != std::string::npos);
    return s.replace(pos, from.size(), to);
}

/// A file of the real senders' packets (tests/data/edxml-real), e.g. "edoc/sdk_minimal.edxml".
inline std::string real_packet(const std::string& relative) {
    return read_file(std::string{LIENTHONG_TEST_DATA_DIR} + "/edxml-real/" + relative);
}

enum class packet_family { edoc, status };

/// The bus's parse + schema + header stage (as in pipeline/ingest.cpp and status_intake.cpp):
/// parse_packet, the family's XSD, the family's header reader. Nothing, or the first failure.
inline std::optional<core::failure> check_packet(const std::string& bytes, packet_family family) {
    auto doc = bus::xml::parse_packet(bytes, bus::xml::parse_limits{});
    if (!doc) {
        return std::move(doc).error();
    }
    const bool status = family == packet_family::status;
    const auto& schema = status ? status_schema() : edoc_schema();
    if (auto v = schema.validate(doc->get()); !v) {
        return std::move(v).error();
    }
    if (status) {
        if (auto h = bus::xml::read_status_header(doc->get()); !h) {
            return std::move(h).error();
        }
    } else if (auto h = bus::xml::read_edoc_header(doc->get()); !h) {
        return std::move(h).error();
    }
    return std::nullopt;
}

}  // namespace lienthong::test::xml
