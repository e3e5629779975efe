#pragma once
// Helpers shared by the xml unit tests.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "xml/packet_parser.hpp"
#include "xml/schema_validator.hpp"

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

}  // namespace lienthong::test::xml
