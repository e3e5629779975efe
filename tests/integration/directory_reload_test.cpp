// SIGHUP re-reads the agency directory: agency data applies at once; an invalid file is refused
// as a whole. (Route changes: live_routes_test.cpp.)
#include <signal.h>

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "support/bus_process.hpp"
#include "support/http_client.hpp"
#include "support/rabbitmq.hpp"
#include "support/test_pki.hpp"
#include "support/webhook_receiver.hpp"

using namespace lienthong;

namespace {

std::string fingerprint_of(const std::string& cert) {
    const std::string cmd = "openssl x509 -noout -fingerprint -sha256 -in " + cert;
    std::FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p);
    char line[256] = {};
    REQUIRE(std::fgets(line, sizeof line, p));
    pclose(p);
    std::string s(line);
    return s.substr(s.find('=') + 1, 95);  // AA:BB:... (32 bytes)
}

void hang_up_and_wait(const test::bus_process& bus, const std::string& event) {
    const auto before = bus.log().size();
    REQUIRE(kill(bus.pid(), SIGHUP) == 0);
    for (int i = 0; i < 250; ++i) {
        if (bus.log().find(event, before) != std::string::npos) {
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    FAIL("no " << event << " in the log:\n" << bus.log());
}

}  // namespace

TEST_CASE("directory reload: SIGHUP applies agency data and refuses an invalid file whole",
          "[integration]") {
    const auto path = test::write_directory({});
    const std::string original = test::read_file(path);
    test::bus_process bus(test::delivery_config(test::test_amqp_port(), path));

    // District 1 posts a packet signed with commune 1's certificate.
    std::string packet = test::read_file(test::sample_path("edoc-new.edxml"));
    packet.replace(packet.find("<OrganId>000.00.01.H41"), 22, "<OrganId>000.00.02.H41");
    packet.replace(packet.find("<OrganId>000.01.01.H41"), 22, "<OrganId>000.00.01.H41");
    packet = test::sign_bytes(packet, test::agency_key(test::commune1),
                              test::agency_chain(test::commune1));
    auto refused = test::post_document(bus.port(), test::token_of(test::district1), packet);
    CHECK(refused.status == 422);
    CHECK(boost::json::parse(refused.body).at("type") == "signer-not-sender");

    // The operator lists that certificate for district 1 and sends SIGHUP: no restart.
    std::string with_fingerprint = original;
    const std::string parent = "    parent: 000.00.00.H41\n";
    with_fingerprint.insert(
        with_fingerprint.find(parent) + parent.size(),
        "    fingerprints: ['" + fingerprint_of(test::agency_cert(test::commune1)) + "']\n");
    std::ofstream(path) << with_fingerprint;
    hang_up_and_wait(bus, "directory.reloaded");
    auto accepted = test::post_document(bus.port(), test::token_of(test::district1), packet);
    INFO(accepted.body);
    CHECK(accepted.status == 202);

    // A file with one bad subscription setting is refused as a whole, naming the key: the new
    // agency is not added and the fingerprint taken earlier stays in force.
    std::ofstream(path) << with_fingerprint +
                               "  - code: 000.03.01.H41\n    name: New\n"
                               "    level: commune\n    parent: 000.00.01.H41\n"
                               "    subscriptions:\n      - type: http_webhook\n"
                               "        settings: {url: 'ftp://nowhere', colour: blue}\n";
    hang_up_and_wait(bus, "directory.reload_refused");
    CHECK(bus.log().find("subscriptions[0].settings.colour") != std::string::npos);
    CHECK(bus.log().find("000.03.01.H41.http_webhook") == std::string::npos);
    auto repeated = test::post_document(bus.port(), test::token_of(test::district1), packet);
    CHECK(repeated.status == 200);  // same packet again: still trusted, not delivered twice
}
