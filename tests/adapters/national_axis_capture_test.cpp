// The national axis as its real client speaks it: the capture of VNPT's SDKVXP-2.0.1
// (tests/data/edxml-real/wire/vnpt-sdkvxp-2.0.1_requests.txt) replayed against the simulated
// axis, and the bus's client compared with it call by call.
#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <ctime>
#include <set>

#include "adapters/national_axis/client.hpp"
#include "crypto/digest.hpp"
#include "support/axis_capture.hpp"
#include "support/test_pki.hpp"
#include "tools/axis_simulator.hpp"

using namespace lienthong;
namespace axis = lienthong::adapters::national_axis;

namespace {

const std::string sender = "000.00.00.H41";
const std::string secret(test::capture_secret);

/// Headers of the real client's HTTP stacks, not of the protocol: left to ours.
bool transport_header(const std::string& name) {
    static const std::set<std::string> names{"Host",          "Content-Length",  "Connection",
                                             "Expect",        "Accept-Encoding", "Accept",
                                             "Cache-Control", "Pragma"};
    return names.contains(name);
}

/// The body the real client sent for `r`, restored and checked against the capture's digest.
std::string body_of(const test::captured_request& r) {
    const std::string body = r.target == "/sendEdoc"
                                 ? axis::upload_body(test::read_file(test::capture_packet_path()))
                                 : r.body.value_or("");
    CHECK(body.size() == r.body_size);
    CHECK(bus::crypto::sha256_hex(body) == r.body_sha256);
    return body;
}

/// The protocol headers of a request (XroadVnpt-*, User-Agent, Content-Type), in order, without
/// the XroadVnpt headers named in `carried`.
axis::header_list protocol_headers(const axis::header_list& all,
                                   const std::set<std::string>& carried = {}) {
    axis::header_list out;
    for (const auto& [k, v] : all) {
        const bool ours = k.starts_with("XroadVnpt-") || k == "User-Agent" || k == "Content-Type";
        if (ours && !carried.contains(k.substr(k.find('-') + 1))) {
            out.emplace_back(k, v);
        }
    }
    return out;
}

std::string value(const axis::header_list& h, const std::string& name) {
    for (const auto& [k, v] : h) {
        if (k == name) {
            return v;
        }
    }
    return {};
}

/// The local time the capture's timestamp names (ddMMyyyyTHHmmss+SSSS).
std::chrono::system_clock::time_point capture_time(const std::string& ts) {
    std::tm tm{};
    tm.tm_mday = std::stoi(ts.substr(0, 2));
    tm.tm_mon = std::stoi(ts.substr(2, 2)) - 1;
    tm.tm_year = std::stoi(ts.substr(4, 4)) - 1900;
    tm.tm_hour = std::stoi(ts.substr(9, 2));
    tm.tm_min = std::stoi(ts.substr(11, 2));
    tm.tm_sec = std::stoi(ts.substr(13, 2));
    tm.tm_isdst = -1;
    return std::chrono::system_clock::from_time_t(std::mktime(&tm)) +
           std::chrono::milliseconds(std::stoi(ts.substr(16, 4)));
}

/// `ours` is the captured call `theirs` without the keys that the SDK's client object carried
/// over from earlier calls (`carried`, bare names): same protocol headers in the same order
/// with the same values, and the sign-header-key and sign-header of the remaining set.
void same_call(const axis::header_list& ours, const test::captured_request& theirs,
               const std::set<std::string>& carried) {
    const auto mine = protocol_headers(ours);
    const auto real = protocol_headers(theirs.headers, carried);
    std::vector<std::string> mine_names, real_names;
    for (const auto& [k, v] : mine) {
        mine_names.push_back(k);
    }
    for (const auto& [k, v] : real) {
        real_names.push_back(k);
    }
    CHECK(mine_names == real_names);
    std::string key;
    for (const auto& [k, v] : real) {
        if (k.starts_with("XroadVnpt-") && k != "XroadVnpt-version" &&
            !k.starts_with("XroadVnpt-sign-header") && k != "XroadVnpt-hash-header") {
            key += (key.empty() ? "" : ";") + k.substr(10);
            CHECK(value(mine, k) == v);
        }
    }
    CHECK(value(mine, "XroadVnpt-sign-header-key") == key);
    const auto signed_theirs = boost::json::parse(theirs.header("XroadVnpt-sign-header"));
    boost::json::object json;  // theirs without the carried keys, in their order
    for (const auto& [k, v] : signed_theirs.as_object()) {
        if (!carried.contains(std::string(k).substr(10))) {
            json[k] = v;
        }
    }
    CHECK(value(mine, "XroadVnpt-sign-header") == boost::json::serialize(json));
    if (carried.empty()) {  // byte for byte, down to the HMAC
        CHECK(value(mine, "XroadVnpt-sign-header") == theirs.header("XroadVnpt-sign-header"));
        CHECK(value(mine, "XroadVnpt-hash-header") == theirs.header("XroadVnpt-hash-header"));
    }
    CHECK(value(mine, "User-Agent") == theirs.header("User-Agent"));
    CHECK(value(mine, "XroadVnpt-version") == theirs.header("XroadVnpt-version"));
}

}  // namespace

TEST_CASE("national_axis capture: every request of the real client is accepted by the simulator",
          "[adapters]") {
    const auto capture = test::read_axis_capture(test::axis_capture_path());
    REQUIRE(capture.size() == 7);
    const auto packet = test::read_file(test::capture_packet_path());
    test::axis_simulator sim(secret);
    sim.seed(packet, "000.00.00.G22", sender, "edoc", "DOC-1");
    sim.seed("<edXML>status</edXML>", "000.00.00.G22", sender, "status", "STATUS-1");

    std::vector<std::string> listed;
    for (const auto& r : capture) {
        INFO(r.target);
        adapters::common::http_request req{r.method,
                                           sim.endpoint() + r.target,
                                           {},
                                           std::make_shared<const std::string>(body_of(r))};
        for (const auto& [k, v] : r.headers) {
            if (!transport_header(k)) {
                req.headers.emplace_back(k, v);
            }
        }
        const auto res = adapters::common::send(req);
        REQUIRE(res.ok());
        CHECK(res.status == 200);
        auto reply = axis::parse_reply(res.body);
        REQUIRE(reply);
        CHECK(reply->ok());
        if (r.target == "/getReceivedEdocList") {
            const auto list = boost::json::parse(res.body);
            for (const auto& item : list.at("data").as_array()) {
                listed.emplace_back(item.at("docId").as_string());
            }
        }
    }
    CHECK(sim.refused() == 0);
    CHECK(sim.requests().size() == capture.size());
    const auto got = sim.received();
    REQUIRE(got.size() == 2);
    CHECK(got[0].packet == packet);  // the CRLF is the transport's, not the packet's
    CHECK(got[0].to.empty());
    CHECK(got[1].to == R"(["000.00.00.G22","000.00.00.H14"])");
    CHECK(got[1].from == sender);
    CHECK(got[1].system_id == test::capture_system_id);
    // getReceivedEdocList per messagetype: edoc lists DOC-1 (not yet done), status STATUS-1.
    CHECK(listed == std::vector<std::string>{"DOC-1", "STATUS-1"});
    const auto updates = sim.status_updates();
    REQUIRE(updates.size() == 1);
    CHECK((updates[0].doc_id == "DOC-1" && updates[0].status == "done"));
}

TEST_CASE(
    "national_axis capture: the simulator refuses the captured requests under another "
    "secret - and a changed packet",
    "[adapters]") {
    const auto capture = test::read_axis_capture(test::axis_capture_path());
    test::axis_simulator other("another-secret");
    test::axis_simulator sim(secret);
    for (const auto& r : capture) {
        adapters::common::http_request req{r.method,
                                           other.endpoint() + r.target,
                                           {},
                                           std::make_shared<const std::string>(body_of(r))};
        for (const auto& [k, v] : r.headers) {
            if (!transport_header(k)) {
                req.headers.emplace_back(k, v);
            }
        }
        CHECK(adapters::common::send(req).status == 401);
        if (r.target == "/sendEdoc") {
            req.url = sim.endpoint() + r.target;
            auto tampered = *req.body;
            tampered[200] ^= 1;
            req.body = std::make_shared<const std::string>(std::move(tampered));
            CHECK(adapters::common::send(req).status == 400);
        }
    }
    CHECK(other.refused() == capture.size());
    CHECK(sim.refused() == 2);
    CHECK(sim.received().empty());
}

TEST_CASE("national_axis capture: the bus's client sends what the real client sends",
          "[adapters]") {
    const auto capture = test::read_axis_capture(test::axis_capture_path());
    REQUIRE(capture.size() == 7);
    const auto packet = test::read_file(test::capture_packet_path());
    test::axis_simulator sim(secret);
    sim.seed(packet, "000.00.00.G22", sender, "edoc", "DOC-1");
    auto cfg = std::make_shared<axis::config>();
    cfg->endpoint = sim.endpoint();
    cfg->system_id = test::capture_system_id;
    cfg->secret = secret;
    const auto at = capture_time(capture[0].header("XroadVnpt-timestamp"));
    const axis::client client(cfg, [at] { return at; });
    const auto edoc = adapters::message_kind::edoc;

    CHECK(client.send_edoc(packet, sender, {}, edoc).status == 200);
    CHECK(client.send_edoc(packet, sender, {"000.00.00.G22", "000.00.00.H14"}, edoc).status == 200);
    CHECK(client.list_received(edoc).status == 200);
    CHECK(client.get_edoc("DOC-1", edoc).status == 200);
    CHECK(client.update_status("DOC-1", edoc, "done").status == 200);
    CHECK(client.list_received(adapters::message_kind::status).status == 200);
    const auto sent = sim.requests();
    REQUIRE(sent.size() == 6);
    CHECK(sim.refused() == 0);

    // The SDK's client object keeps every key it was ever given: after the sendEdoc calls,
    // hash-file, from and to ride along on every later call; getEdoc adds docId and filePath,
    // which updateStatus and the calls after it keep; updateStatus adds status. None of these
    // is a key of the later call itself, so the bus does not send them.
    same_call(sent[0].headers, capture[0], {});
    same_call(sent[1].headers, capture[1], {});
    same_call(sent[2].headers, capture[2], {"hash-file", "from", "to"});
    same_call(sent[3].headers, capture[3], {"hash-file", "from", "to"});
    same_call(sent[4].headers, capture[4], {"hash-file", "filePath", "from", "to"});
    // capture[5] is getSentEdocList, which the bus does not call.
    same_call(sent[5].headers, capture[6],
              {"hash-file", "docId", "filePath", "from", "to", "status"});
    // The bodies, as captured.
    CHECK(sent[0].body == axis::upload_body(packet));
    CHECK(sent[2].body.empty());
    CHECK(sent[3].body == "{}");
    CHECK(sent[4].body == "{}");
}
