#include "core/message_contract.hpp"

#include <catch2/catch.hpp>
#include <map>

using namespace lienthong;

TEST_CASE("message contract: headers written by ingest read back the same by delivery", "[unit]") {
    const core::message_meta status{"bus-1",
                                    "000.00.00.G22,2025/03/14,1234/VPCP-KGVX",
                                    "000.00.00.H41",
                                    {"000.00.00.G22"},
                                    core::message_kind::status,
                                    "03",
                                    "bus-0",
                                    ""};
    const auto table = core::encode_headers(status);
    std::map<std::string, std::string> by_name(table.begin(), table.end());
    CHECK(by_name.at("x-message-type") == "status");
    CHECK(by_name.at("x-status-code") == "03");
    CHECK_FALSE(by_name.count("x-envelope-signature"));  // empty fields are left out

    const auto back = core::decode_headers([&](const char* name) {
        auto it = by_name.find(name);
        return it == by_name.end() ? std::string{} : it->second;
    });
    CHECK(back.id == status.id);
    CHECK(back.edxml_document_id == status.edxml_document_id);
    CHECK(back.sender == status.sender);
    CHECK(back.recipients == status.recipients);
    CHECK(back.kind == core::message_kind::status);
    CHECK(back.status_code == "03");
    CHECK(back.response_for == "bus-0");

    // A document has no x-message-type: messages queued before the field existed read as edoc.
    const auto doc = core::encode_headers(
        {"bus-2", "D", "S", {"R"}, core::message_kind::edoc, {}, {}, "placeholder"});
    std::map<std::string, std::string> doc_headers(doc.begin(), doc.end());
    CHECK_FALSE(doc_headers.count("x-message-type"));
    CHECK(doc_headers.at("x-envelope-signature") == "placeholder");
    const auto doc_back = core::decode_headers([&](const char* name) {
        auto it = doc_headers.find(name);
        return it == doc_headers.end() ? std::string{} : it->second;
    });
    CHECK(doc_back.kind == core::message_kind::edoc);
    CHECK(doc_back.envelope_signature == "placeholder");
}

TEST_CASE("message contract: status names are the edXML names of the codes", "[unit]") {
    CHECK(core::status_name("01") == "inbox");
    CHECK(core::status_name("06") == "finish");
    CHECK(core::status_name("16") == "change-rejection");
    CHECK(core::status_name("07").empty());
    CHECK(core::kind_name(core::message_kind::status) == "status");
    CHECK(core::kind_name(core::message_kind::edoc) == "edoc");
}

TEST_CASE("message contract: the national axis's recipients travel as one list", "[unit]") {
    // The axis route carries every external addressee in one message; the adapter must get them
    // back as a list, not a string to take apart.
    const auto table = core::encode_headers({"bus-3",
                                             "D",
                                             "S",
                                             {"000.00.00.G22", "000.00.00.G09"},
                                             core::message_kind::edoc,
                                             {},
                                             {},
                                             ""});
    std::map<std::string, std::string> by_name(table.begin(), table.end());
    CHECK(by_name.at("x-recipient") == "000.00.00.G22,000.00.00.G09");
    const auto back = core::decode_headers([&](const char* name) {
        auto it = by_name.find(name);
        return it == by_name.end() ? std::string{} : it->second;
    });
    CHECK(back.recipients == std::vector<std::string>{"000.00.00.G22", "000.00.00.G09"});
    CHECK(core::split_recipients(",A,,B,") == std::vector<std::string>{"A", "B"});
    CHECK(core::split_recipients("").empty());
}

TEST_CASE("message contract: the documents' signature verdicts travel as two headers", "[unit]") {
    core::message_meta meta;
    meta.id = "bus-3";
    meta.document_signatures = "signed=1,signed-invalid=0,unsigned=0,not-pdf=0";
    meta.document_verdicts = R"([{"state":"signed"}])";
    const auto table = core::encode_headers(meta);
    std::map<std::string, std::string> by_name(table.begin(), table.end());
    CHECK(by_name.at("x-document-signatures") == meta.document_signatures);
    CHECK(by_name.at("x-document-verdicts") == meta.document_verdicts);
    const auto back = core::decode_headers([&](const char* name) {
        auto it = by_name.find(name);
        return it == by_name.end() ? std::string{} : it->second;
    });
    CHECK(back.document_signatures == meta.document_signatures);
    CHECK(back.document_verdicts == meta.document_verdicts);
    CHECK(std::string(core::event::signatures) == "signatures");
}
