// The real senders' packets (tests/data/edxml-real): every file listed in MANIFEST.tsv gets the
// verdict the manifest gives it, through the bus's own parse + schema + header stage.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <regex>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "xml/envelope_signature.hpp"
#include "xml_test_support.hpp"

using namespace lienthong::test::xml;
namespace fs = std::filesystem;
namespace core = lienthong::core;
namespace bx = lienthong::bus::xml;

namespace {

const std::string real_dir = std::string{LIENTHONG_TEST_DATA_DIR} + "/edxml-real";

struct manifest_row {
    std::string file;      ///< relative to edxml-real, e.g. edoc/sdk_minimal.edxml
    std::string kind;      ///< edoc | status
    std::string expected;  ///< accept | reject
    std::string note;      ///< for a reject, ends with the problem type in parentheses
};

// MANIFEST.tsv: "# ..." comment lines, then file, kind, expected, note, source (tab-separated).
std::vector<manifest_row> read_manifest() {
    std::istringstream in(read_file(real_dir + "/MANIFEST.tsv"));
    std::vector<manifest_row> rows;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        std::vector<std::string> cells;
        std::istringstream fields(line);
        for (std::string cell; std::getline(fields, cell, '\t');) {
            cells.push_back(cell);
        }
        INFO(line);
        REQUIRE(cells.size() >= 4);
        rows.push_back({cells[0], cells[1], cells[2], cells[3]});
    }
    return rows;
}

// "... not well-formed (malformed-xml)" -> "malformed-xml"
std::string expected_type(const std::string& note) {
    static const std::regex slug{R"(\(([a-z]+(-[a-z]+)*)\)\s*$)"};
    std::smatch m;
    return std::regex_search(note, m, slug) ? m[1].str() : std::string{};
}

}  // namespace

TEST_CASE("MANIFEST.tsv lists every real packet - and every listed packet exists", "[unit]") {
    std::set<std::string> listed;
    for (const auto& row : read_manifest()) {
        CHECK(listed.insert(row.file).second);  // no duplicates
        CHECK(fs::is_regular_file(real_dir + "/" + row.file));
        CHECK((row.kind == "edoc" || row.kind == "status"));
        CHECK((row.expected == "accept" || row.expected == "reject"));
    }
    for (const char* dir : {"edoc", "status"}) {
        for (const auto& e : fs::directory_iterator(real_dir + "/" + dir)) {
            const std::string rel = std::string{dir} + "/" + e.path().filename().string();
            INFO(rel);
            CHECK(listed.count(rel) == 1);
        }
    }
    CHECK(listed.size() >= 36);
}

TEST_CASE("every real packet gets the manifest's verdict at parse - schema - header", "[unit]") {
    const auto rows = read_manifest();
    int accepted = 0;
    int rejected = 0;
    for (const auto& row : rows) {
        INFO(row.file << " (" << row.kind << ", " << row.expected << "): " << row.note);
        const auto bytes = real_packet(row.file);
        const auto family = row.kind == "status" ? packet_family::status : packet_family::edoc;
        const auto failure = check_packet(bytes, family);
        if (row.expected == "accept") {
            if (failure) {
                FAIL_CHECK("refused as " << core::type_slug(failure->code) << ": "
                                         << failure->message);
                continue;
            }
            ++accepted;
            // lienthongctl validate tells the kinds apart by content: it agrees with the manifest.
            auto doc = parse_ok(bytes);
            CHECK(bx::is_status_packet(doc.get()) == (row.kind == "status"));
        } else {
            const auto type = expected_type(row.note);
            REQUIRE_FALSE(type.empty());  // a reject names its problem type in the note
            REQUIRE(failure.has_value());
            INFO(failure->message);
            CHECK(core::type_slug(failure->code) == type);
            ++rejected;
        }
    }
    CHECK(accepted + rejected == static_cast<int>(rows.size()));
    CHECK(rejected == 2);  // the two packets that are not (namespace-)well-formed
}

TEST_CASE("the envelope signature of each accepted real edoc is classified", "[unit]") {
    for (const auto& row : read_manifest()) {
        if (row.kind != "edoc" || row.expected != "accept") {
            continue;
        }
        INFO(row.file);
        const auto bytes = real_packet(row.file);
        auto doc = parse_ok(bytes);
        const auto sig = bx::find_envelope_signature(doc.get());
        // Every real sender's Signature is the SDK's, in the edXML default namespace.
        const bool has_sdk_signature = bytes.find("<Signature>") != std::string::npos;
        CHECK(sig.kind == (has_sdk_signature ? bx::envelope_signature_kind::placeholder
                                             : bx::envelope_signature_kind::none));
        CHECK((sig.element != nullptr) == has_sdk_signature);
    }
}
