// Real senders end to end: the packets that the public VNPT edXML SDK and a public gateway wrote
// (tests/data/edxml-real, with MANIFEST.tsv), through the real bus, RabbitMQ and the simulated
// national axis rebuilt from the real client's capture. Nothing here is re-signed or edited: the
// bytes are what those senders produce.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "support/bus_process.hpp"
#include "support/eventually.hpp"
#include "support/http_client.hpp"
#include "support/rabbitmq.hpp"
#include "support/test_pki.hpp"
#include "support/webhook_receiver.hpp"
#include "tools/axis_simulator.hpp"
#include "xml/edxml_header.hpp"
#include "xml/packet_parser.hpp"

using namespace lienthong;
using namespace std::chrono_literals;

namespace {

const std::string real_dir = LIENTHONG_TEST_DATA_DIR "/edxml-real/";

struct manifest_entry {
    std::string file;  ///< relative to real_dir, e.g. "edoc/sdk_minimal.edxml"
    std::string kind;  ///< "edoc" or "status"
    bool accept = false;
};

std::vector<manifest_entry> manifest() {
    std::ifstream in(real_dir + "MANIFEST.tsv");
    std::vector<manifest_entry> out;
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') {
            continue;
        }
        std::istringstream fields(line);
        manifest_entry e;
        std::string verdict;
        std::getline(fields, e.file, '\t');
        std::getline(fields, e.kind, '\t');
        std::getline(fields, verdict, '\t');
        e.accept = verdict == "accept";
        out.push_back(std::move(e));
    }
    return out;
}

/// What the bus itself reads from a real packet (the same parser and header reader).
struct packet_facts {
    std::string bytes;
    bus::xml::edoc_header header;
};

packet_facts facts_of(const std::string& file) {
    packet_facts f{test::read_file(real_dir + file), {}};
    auto doc = bus::xml::parse_packet(f.bytes, {});
    REQUIRE(doc);
    auto header = bus::xml::read_edoc_header(doc->get());
    INFO(file);
    REQUIRE(header);
    f.header = std::move(*header);
    return f;
}

/// The agencies the real packets name, as one test province whose agencies post with
/// `envelope_signature: if_present`; every other code is outside and goes to the axis.
std::string directory_yaml(const std::vector<std::string>& local, const std::string& axis) {
    std::string y = "national_axis:\n  settings: {endpoint: '" + axis +
                    "', system_id: TEST.SYSTEM.ID, secret: test-axis-secret-0001, "
                    "timeout_ms: 5000, poll_interval_ms: 200}\nagencies:\n";
    for (const auto& code : local) {
        y += "  - {code: '" + code + "', name: 'Agency " + code +
             "', level: province, envelope_signature: if_present}\n";
    }
    return y;
}

std::string write_file(const std::string& text) {
    const auto path = test::make_temp_dir("lienthong-real") + "/agencies.yaml";
    std::ofstream(path) << text;
    return path;
}

using test::eventually;

/// The DocumentIds waiting in `agency`'s pull inbox, in any order.
std::multiset<std::string> inbox_of(unsigned short port, const std::string& agency) {
    const auto ids = test::inbox_document_ids(port, agency);
    return {ids.begin(), ids.end()};
}

/// Splits `packets` into rounds in which no (DocumentId, BussinessDocType) repeats: the real
/// samples reuse DocumentIds with other content, which one tracking store rightly refuses (409).
std::vector<std::vector<packet_facts>> rounds_of(std::vector<packet_facts> packets) {
    std::vector<std::vector<packet_facts>> rounds;
    std::vector<std::set<std::pair<std::string, int>>> keys;
    for (auto& p : packets) {
        const auto key = std::make_pair(p.header.document_id, p.header.business_doc_type);
        std::size_t i = 0;
        while (i < rounds.size() && keys[i].count(key)) {
            ++i;
        }
        if (i == rounds.size()) {
            rounds.emplace_back();
            keys.emplace_back();
        }
        keys[i].insert(key);
        rounds[i].push_back(std::move(p));
    }
    return rounds;
}

}  // namespace

TEST_CASE(
    "real senders e2e: every edoc packet the manifest accepts - posted over REST by an "
    "if_present agency - reaches its local addressees and the axis",
    "[integration]") {
    std::vector<packet_facts> packets;
    std::set<std::string> senders;
    for (const auto& e : manifest()) {
        if (e.kind == "edoc" && e.accept) {
            packets.push_back(facts_of(e.file));
            senders.insert(packets.back().header.from.organ_id);
        }
    }
    REQUIRE(packets.size() == 14);
    // The province of this test: every sender, and the addressees of Nghệ An and two others;
    // Cao Bằng (H14) and Bộ Xây dựng (G17) stay outside and go to the axis.
    std::vector<std::string> local(senders.begin(), senders.end());
    for (const char* code : {"000.00.01.H41", "28.22.H17", "000.00.50.H19"}) {
        if (!senders.count(code)) {
            local.emplace_back(code);
        }
    }
    const std::set<std::string> local_set(local.begin(), local.end());

    std::size_t posted = 0;
    for (const auto& round : rounds_of(std::move(packets))) {
        test::axis_simulator sim("test-axis-secret-0001");
        const auto directory = write_file(directory_yaml(local, sim.endpoint()));
        test::bus_process bus(test::delivery_config(test::test_amqp_port(), directory, {}, local));
        std::map<std::string, std::multiset<std::string>> expected_inbox;
        std::size_t expected_axis = 0;
        for (const auto& p : round) {
            auto r =
                test::post_document(bus.port(), test::token_of(p.header.from.organ_id), p.bytes);
            INFO(p.header.document_id << "\n" << r.body << "\n" << bus.log());
            REQUIRE(r.status == 202);
            const auto body = boost::json::parse(r.body);
            const std::string verdict(body.at("envelope_signature").as_string());
            CHECK((verdict == "placeholder" || verdict == "absent"));
            // What the bus routed: each local addressee's inbox, and the axis for the rest (one
            // sendEdoc per document). Revocations, updates and replacements may add the
            // original's recipients, so the answer, not the To list alone, says who.
            std::set<std::string> recipients;
            for (const auto& rc : body.at("recipients").as_array()) {
                recipients.emplace(rc.as_string());
            }
            bool outside = false;
            for (const auto& rc : recipients) {
                if (local_set.count(rc)) {
                    expected_inbox[rc].insert(p.header.document_id);
                } else {
                    outside = true;
                }
            }
            for (const auto& to : p.header.to) {
                CHECK((recipients.count(to.organ_id) || !local_set.count(to.organ_id)));
            }
            expected_axis += outside ? 1 : 0;
            ++posted;
        }
        for (const auto& [agency, ids] : expected_inbox) {
            INFO(agency);
            CHECK(eventually([&] { return inbox_of(bus.port(), agency) == ids; }));
        }
        CHECK(eventually([&] { return sim.received().size() == expected_axis; }));
        for (const auto& got : sim.received()) {
            CHECK(got.messagetype == "edoc");
        }
        CHECK(sim.refused() == 0);
    }
    CHECK(posted == 14);
}

TEST_CASE(
    "real senders e2e: the national axis serves real SDK packets - the poller answers done - "
    "the local addressees get them byte for byte",
    "[integration]") {
    test::axis_simulator sim("test-axis-secret-0001");
    std::map<std::string, std::string> seeded;  // axis docId -> file
    for (const char* file : {"edoc/sdk_minimal.edxml", "edoc/sdk_new_3to_3att_sig.edxml",
                             "edoc/truclienthong_sdk-output_3-recipients.edxml",
                             "edoc/sdk_new_3to_3att_nosig.edxml"}) {
        seeded[sim.seed(test::read_file(real_dir + file), "000.00.00.G22", "000.00.00.H41")] = file;
    }
    const std::vector<std::string> local{"000.00.00.H41", "000.00.01.H41"};
    const auto directory = write_file(directory_yaml(local, sim.endpoint()));
    test::bus_process bus(test::delivery_config(test::test_amqp_port(), directory, {}, local));

    REQUIRE(eventually([&] { return sim.status_updates().size() >= seeded.size(); }));
    INFO(bus.log());
    std::map<std::string, std::string> status;
    for (const auto& u : sim.status_updates()) {
        INFO(u.doc_id << " " << u.description);
        status[u.doc_id] = u.status;
    }
    // sdk_new_3to_3att_nosig repeats the DocumentId of sdk_new_3to_3att_sig with other content:
    // the bus refuses it (duplicate) and says so to the axis.
    for (const auto& [doc_id, file] : seeded) {
        INFO(file);
        CHECK(status[doc_id] == (file == "edoc/sdk_new_3to_3att_nosig.edxml" ? "fail" : "done"));
    }
    const std::multiset<std::string> province{"000.00.00.G22,2025/03/14,15/TB-VPCP",
                                              "000.00.00.G22,2025/03/14,1234/VPCP-KGVX",
                                              "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"};
    CHECK(eventually([&] { return inbox_of(bus.port(), "000.00.00.H41") == province; }));
    CHECK(eventually([&] {
        return inbox_of(bus.port(), "000.00.01.H41") ==
               std::multiset<std::string>{"000.00.00.G22,2025/03/14,1234/VPCP-KGVX"};
    }));
    // Byte for byte: what the province fetches is what the axis served.
    std::set<std::string> served;
    for (const auto& [doc_id, file] : seeded) {
        served.insert(test::read_file(real_dir + file));
    }
    const auto auth = std::vector<std::pair<std::string, std::string>>{
        {"Authorization", "Bearer " + test::token_of("000.00.00.H41")}};
    const auto listed = test::http_call(bus.port(), "GET", "/v1/inbox", {}, auth);
    const auto list = boost::json::parse(listed.body);
    for (const auto& d : list.at("documents").as_array()) {
        const std::string id(d.at("id").as_string());
        auto fetched = test::http_call(bus.port(), "GET", "/v1/inbox/" + id, {}, auth);
        CHECK(fetched.status == 200);
        CHECK(served.count(fetched.body) == 1);
    }
    std::this_thread::sleep_for(500ms);  // later polls find nothing new: no second status
    CHECK(sim.status_updates().size() == seeded.size());
}

TEST_CASE(
    "real senders e2e: status packets polled from the axis land on the original's journey "
    "and reach its sender",
    "[integration]") {
    test::axis_simulator sim("test-axis-secret-0001");
    const std::vector<std::string> local{"000.00.00.G22"};
    const auto directory = write_file(directory_yaml(local, sim.endpoint()));
    test::bus_process bus(test::delivery_config(test::test_amqp_port(), directory, {}, local));

    // The central office posts a real SDK packet; all three addressees are outside: the axis.
    const auto original = test::read_file(real_dir + "edoc/sdk_new_3to_3att_sig.edxml");
    auto posted = test::post_document(bus.port(), test::token_of("000.00.00.G22"), original);
    INFO(posted.body << "\n" << bus.log());
    REQUIRE(posted.status == 202);
    const std::string id(boost::json::parse(posted.body).at("id").as_string());
    REQUIRE(eventually([&] { return sim.received().size() == 1; }));

    // The province's replies, as the SDK's StatusXmlBuilder wrote them, come back through the axis.
    std::vector<std::string> status_ids;
    for (const char* code : {"01", "03", "05", "06"}) {
        status_ids.push_back(sim.seed(
            test::read_file(real_dir + "status/sdk_status_" + std::string(code) + ".edxml"),
            "000.00.00.H41", "000.00.00.G22", "status"));
    }
    REQUIRE(eventually([&] { return sim.status_updates().size() >= status_ids.size(); }));
    for (const auto& u : sim.status_updates()) {
        INFO(u.doc_id << " " << u.description);
        CHECK(u.status == "done");
    }

    auto journey =
        test::http_call(bus.port(), "GET", "/v1/documents/" + id, {},
                        {{"Authorization", "Bearer " + test::token_of("000.00.00.G22")}});
    REQUIRE(journey.status == 200);
    std::vector<std::string> codes;
    const auto events = boost::json::parse(journey.body);
    for (const auto& e : events.at("events").as_array()) {
        if (e.at("kind").as_string() == "status") {
            codes.emplace_back(e.at("code").as_string());
        }
    }
    CHECK(codes == std::vector<std::string>{"01", "03", "05", "06"});
    // The sender has no subscription: its pull inbox holds the four status packets.
    CHECK(eventually([&] { return inbox_of(bus.port(), "000.00.00.G22").size() == 4; }));
}
